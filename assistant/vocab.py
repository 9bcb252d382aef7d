"""The vocabularies question understanding reads: intents, number roles, scope, places (all data).

Word lists live in ``corpus/lexicon/*.toml``; this module only loads and checks them. Place names of
China come from the administrative divisions shipped with the ``cpca`` package (read as a file, so
its pandas-based matcher is never imported).
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import ahocorasick

from index.errors import CorpusError

LEXICON = "lexicon"
_ROLE_UNITS = ("元", "ratio", "年", "%", "倍")
_DERIVED_KINDS = ("product", "quotient", "difference")
# The suffixes an administrative name drops in speech: 宜昌市 → 宜昌, 广西壮族自治区 → 广西.
_ADMIN_SUFFIX = re.compile(r"(?:维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市|地区|盟|.{1,8}自治州)$")


@dataclass(frozen=True)
class Role:
    name: str
    label: str  # how an answer names it (贷款期限（年）)
    unit: str  # 元 | ratio | 年 | % | 倍
    words: tuple[str, ...]
    generic: bool  # a weak word (付了): any specific word in the phrase wins over it


@dataclass(frozen=True)
class Derivation:
    """A role computed from others (interest from principal × annual rate × term), shown as an estimate."""

    role: str
    # "product" of the sources, "quotient" of the first by the second, "difference" of the first less the rest
    kind: str
    sources: tuple[str, ...]
    factor: float  # multiplies the product (12: a monthly rate over a year)
    label: str
    note: str


@dataclass(frozen=True)
class Negation:
    words: tuple[str, ...]
    exceptions: tuple[str, ...]  # words that start with a negator but do not negate (不仅, 不超过)
    bridge: tuple[str, ...]  # words that may stand between a negator and what it denies (出现过)
    applied: tuple[str, ...] = ()  # 申请: a status applied for, before it (申请科技型中小企业评价)
    assessed: tuple[str, ...] = ()  # 评价: the assessment of a status, after it
    pending: tuple[str, ...] = ()  # 正在: before the applying word, the application is not decided
    failed: tuple[str, ...] = ()  # 没通过: later in the sentence, the application failed


@dataclass(frozen=True)
class Criteria:
    subjects: tuple[str, ...]
    asks: tuple[str, ...]
    support: tuple[str, ...]  # words between subject and ask that make it a question about support
    reach: int
    other_senses: tuple[str, ...] = ()  # a subject word in another sense (责任怎么认定)


@dataclass(frozen=True)
class Places:
    """Place names → province (corpus regions keep their full names), matched with one automaton."""

    automaton: Any  # ahocorasick.Automaton of name → (name, province)

    def provinces_in(self, region: str) -> list[str]:
        """The province a document's region lies in (山东省青岛市 → 山东省); 全国 stays 全国."""
        return [province for _, _, _, province in self.find(region)][:1] or [region]

    def names(self) -> list[str]:
        return list(self.automaton.keys())

    def short_names(self) -> list[str]:
        """Names without their administrative suffix (深圳, 鄂尔多斯): as a question types them."""
        return [n for n in self.names() if not _ADMIN_SUFFIX.search(n)]

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """``(start, end, name, province)`` of each place named, longest first where they overlap."""
        found: list[tuple[int, int, str, str]] = []
        for end, (name, province) in self.automaton.iter(text):
            start = end - len(name) + 1
            found = [f for f in found if not (start <= f[0] and f[1] <= end + 1)]  # a longer name wins
            if not any(f[0] <= start and end + 1 <= f[1] for f in found):
                found.append((start, end + 1, name, province))
        return sorted(found)


@dataclass(frozen=True)
class Vocabulary:
    intents: Mapping[str, tuple[str, ...]]
    which_words: tuple[str, ...]  # after a calc word (能给…哪些支持): which support, not how much, is asked
    spoken: Mapping[str, str]  # spoken asking words → their standard form (咋 → 怎么)
    parties: Mapping[str, tuple[str, ...]]
    first_year: tuple[str, ...]
    time_around: tuple[str, ...]  # IPO前: a time a measure's name sets
    later_year: tuple[str, ...]
    founded: tuple[str, ...]
    founded_relative: tuple[str, ...]
    founded_self: tuple[str, ...]
    relative_years: Mapping[str, int]  # 去年 → 1: years back from this one
    revised: tuple[str, ...]  # after a year, a version of a document (2015年修订的), no date asked
    negation: Negation
    roles: Mapping[str, Role]
    fewer: tuple[str, ...]  # words before a figure that bound it from above (不到两年)
    another: tuple[str, ...]  # words opening a phrase that adds one more of the same (另一家…300万)
    alone: tuple[str, ...]  # words a number may stand alone with (一共6000万): the role is the phrase before's
    derived: tuple[Derivation, ...]
    regions: Mapping[str, tuple[str, ...]]  # corpus region → words naming it
    anchors: Mapping[str, tuple[str, ...]]  # corpus region → names of its measures (鲁科贷)
    unnamed: Mapping[str, tuple[str, ...]]  # corpus region → words placing a question there unnamed (省里)
    both_regions: tuple[str, ...]
    outside_regions: tuple[str, ...]
    abroad: tuple[str, ...]
    outside_topics: tuple[str, ...]
    asks_the_law: tuple[str, ...]  # what a document allows (条例允许吗): asked of the documents, whatever the topic
    outside_topics_always: tuple[str, ...]  # declined whatever policy term the question names
    criteria: Criteria
    statistics: tuple[str, ...]
    forecast: tuple[str, ...]  # a policy not yet issued (明年还要出新的政策)
    advice: tuple[str, ...]  # investment advice (哪几只股票值得买), declined whatever term it names
    chat: tuple[str, ...]  # talk about the assistant itself (你是机器人吗), declined where no policy term is said
    courtesy: tuple[str, ...]  # thanks and goodbyes (谢谢，辛苦了), answered in kind where nothing is asked
    program_heads: tuple[str, ...]  # words ending a programme's name (工程, 计划)
    other_document_kinds: tuple[str, ...]  # kinds of title that may name a document outside the corpus (办法)
    local_level: tuple[str, ...]  # a city's own level of policy (市级配套, 市本级)
    local_actor: tuple[str, ...]  # right after a city's name, the city as the giver (济南市对…)
    local_actor_not: tuple[str, ...]  # words opening so that are no giving (对接)
    procedure: tuple[str, ...]
    tasks: tuple[str, ...]  # 帮我们写一份: a task, not a question
    duration_asks: tuple[str, ...]  # 多久能到账: how long something takes
    duration_not: tuple[str, ...]  # 多久一次, 有效期: how often, or the period in force
    duration_of: tuple[str, ...]  # 到账, 审批: a step of handling whose time is asked
    figure_asks: tuple[str, ...]  # 是多少, 多少分: a figure asked
    figure_generic: tuple[str, ...]  # 比例, 标准: words of any figure, naming no thing it is of
    apply: tuple[str, ...]  # how to apply: answered for a measure the corpus names (鲁科保怎么申请)
    bodies: tuple[str, ...]
    not_bodies: tuple[str, ...]  # words a body's name runs into that make it no body (部门 in 科技部门)
    product_prefixes: tuple[str, ...]
    product_suffixes: tuple[str, ...]
    product_past: tuple[str, ...]  # words telling another province's product as the asker's past
    activity_before: tuple[str, ...]
    moving_into: tuple[str, ...]  # 搬到山东: a corpus region moved into is whose policy (新迁入) is asked
    registered_before: tuple[str, ...]
    registered_after: tuple[str, ...]  # after the place, in the asker's own phrase (我们在安徽注册的)
    likeness_before: tuple[str, ...]  # 类似鲁科贷: a measure named as a comparison
    likeness_after: tuple[str, ...]  # 跟鲁科贷差不多的: the same, said after the name
    activity_at: tuple[str, ...]
    investee_at: tuple[str, ...]  # before a place: where a firm is (…企业在河南)
    investee_marks: tuple[str, ...]  # earlier in the phrase: the firm is one invested in (投的那家企业在河南)
    activity_after: tuple[str, ...]
    policy_after: tuple[str, ...]  # after a place: whose policy is asked (北京那边)
    places: Places
    concepts: Mapping[str, tuple[str, ...]]  # fact concept → its words (corpus/lexicon/facts.toml)
    joiners: tuple[str, ...]  # words joining two questions in one
    list_joiners: tuple[str, ...]  # words listing the things each asked for (和, 、)
    refer_back: tuple[str, ...]  # words opening a turn about the earlier ones (那要是违反了…)
    self_markers: tuple[str, ...]  # words opening a self-description (我们是)
    first_person: tuple[str, ...]  # how the asker names itself (我们, 我司): a phrase opening so is about it
    investing: tuple[str, ...]  # words of investing (投的, 被投): after them, a phrase speaks of the firm invested in
    definition_marks: tuple[str, ...]  # how a text defines a term ("所称{term}")
    penalty_marks: tuple[str, ...]  # how a text states a penalty (罚款, 吊销)
    exclusive_marks: tuple[str, ...]  # how a text limits having measures together (不重复享受, 就高)
    document_kinds: tuple[str, ...]  # how titles end (条例, 意见): a title said loosely keeps its kind
    document_words: tuple[str, ...]  # words for a document itself (文件, 这套措施): its period is asked
    modified_by: tuple[str, ...]  # heads after a measure's name that make it a product's modifier (研发投入险)
    romanised_words: tuple[str, ...]  # everyday words a pinyin-typed question may spell (yinian → 一年)
    romanised_units: Mapping[str, str]  # a figure's unit spelt in pinyin (1000wan → 1000万)
    english: Mapping[str, str]  # English words of a Latin-typed question → Chinese (loan → 贷款)
    support_words: tuple[str, ...]  # words of support naming no topic (政策, 奖励)
    topic_words: tuple[str, ...]  # everyday words naming a topic (贷款, 上市)
    asked_for: tuple[str, ...]  # 对保险机构有什么支持: the subject asked for, after one of these
    offered: tuple[str, ...]  # 支持, 要求: what a clause offers a subject, its money unnamed

    def words(self, intent: str) -> tuple[str, ...]:
        return self.intents.get(intent, ())

    def for_corpus(self, texts: Iterable[str]) -> Vocabulary:
        """These words with the bodies a document of the corpus names no longer outside it (a law setting up
        the 国家中小企业发展基金 makes questions about it covered)."""
        text = "\n".join(texts)
        named = {b for b in self.bodies if b in text}
        return replace(self, bodies=tuple(b for b in self.bodies if b not in named)) if named else self


def _spoken(table: object, where: str = "intents.toml spoken") -> dict[str, str]:
    if not isinstance(table, dict) or not all(isinstance(v, str) and k and v for k, v in table.items()):
        raise CorpusError(f"{where}: each form maps to a word")
    return dict(table)


def load_vocabulary(corpus_dir: Path) -> Vocabulary:
    folder = corpus_dir / LEXICON
    intents = _toml(folder / "intents.toml")
    roles_data = _toml(folder / "roles.toml")
    scope = _toml(folder / "scope.toml")
    facts = _toml(folder / "facts.toml")
    where = str(folder)
    try:
        outside = scope["outside"]
        regions = {k: _words(v, f"scope.toml regions.{k}") for k, v in scope["regions"].items()}
        criteria = outside["criteria"]
        return Vocabulary(
            intents={k: _words(v, f"intents.toml intents.{k}") for k, v in intents["intents"].items()},
            which_words=_words(intents["which"]["words"], "intents.toml which.words"),
            spoken=_spoken(intents["spoken"]),
            parties={k: _words(v, f"intents.toml parties.{k}") for k, v in intents["parties"].items()},
            first_year=_words(intents["years"]["first"], "intents.toml years.first"),
            time_around=_words(intents["years"]["around"], "intents.toml years.around"),
            later_year=_words(intents["years"]["later"], "intents.toml years.later"),
            founded=_words(intents["years"]["founded"], "intents.toml years.founded"),
            founded_relative=_words(intents["years"]["founded_relative"], "intents.toml years.founded_relative"),
            founded_self=_words(intents["years"]["founded_self"], "intents.toml years.founded_self"),
            relative_years=_years_back(intents["years"]["relative"]),
            revised=_words(intents["years"]["revised"], "intents.toml years.revised"),
            negation=Negation(
                _words(intents["negation"]["words"], "intents.toml negation.words"),
                _words(intents["negation"]["not_negation"], "intents.toml negation.not_negation"),
                _words(intents["negation"]["bridge"], "intents.toml negation.bridge"),
                _words(intents["negation"]["applied"], "intents.toml negation.applied"),
                _words(intents["negation"]["assessed"], "intents.toml negation.assessed"),
                _words(intents["negation"]["pending"], "intents.toml negation.pending"),
                _words(intents["negation"]["failed"], "intents.toml negation.failed"),
            ),
            roles=_roles(roles_data.get("roles", {})),
            fewer=_words(roles_data["bounds"]["fewer"], "roles.toml bounds.fewer"),
            another=_words(roles_data["bounds"]["another"], "roles.toml bounds.another"),
            alone=_words(roles_data["bounds"]["alone"], "roles.toml bounds.alone"),
            derived=_derived(roles_data.get("derived", []), roles_data.get("roles", {})),
            regions=regions,
            anchors={k: _words(v, f"scope.toml anchors.{k}") for k, v in scope["anchors"].items()},
            unnamed={k: _words(v, f"scope.toml unnamed.{k}") for k, v in scope.get("unnamed", {}).items()},
            both_regions=_words(outside["both"], "scope.toml outside.both"),
            outside_regions=_words(outside["regions"], "scope.toml outside.regions"),
            abroad=_words(outside["abroad"], "scope.toml outside.abroad"),
            outside_topics=_words(outside["topics"], "scope.toml outside.topics"),
            asks_the_law=_words(outside["asks_the_law"], "scope.toml outside.asks_the_law"),
            outside_topics_always=_words(outside["topics_always"], "scope.toml outside.topics_always"),
            criteria=Criteria(
                _words(criteria["subjects"], "criteria.subjects"),
                _words(criteria["asks"], "criteria.asks"),
                _words(criteria["support"], "criteria.support"),
                int(criteria["reach"]),
                _words(criteria.get("other_senses", []), "criteria.other_senses"),
            ),
            statistics=_words(outside["statistics"]["words"], "scope.toml outside.statistics"),
            forecast=_words(outside["forecast"]["words"], "scope.toml outside.forecast"),
            advice=_words(outside["advice"]["words"], "scope.toml outside.advice"),
            chat=_words(outside["chat"]["words"], "scope.toml outside.chat"),
            courtesy=_words(outside["courtesy"]["words"], "scope.toml outside.courtesy"),
            program_heads=_words(outside["program_heads"], "scope.toml outside.program_heads"),
            other_document_kinds=_words(outside["other_document_kinds"], "scope.toml outside.other_document_kinds"),
            local_level=_words(outside["local_level"]["words"], "scope.toml outside.local_level"),
            local_actor=_words(outside["local_level"]["actor_after"], "scope.toml outside.local_level.actor_after"),
            local_actor_not=_words(outside["local_level"]["actor_not"], "scope.toml outside.local_level.actor_not"),
            procedure=_words(outside["procedure"]["words"], "scope.toml outside.procedure"),
            tasks=_words(outside["tasks"]["words"], "scope.toml outside.tasks"),
            duration_asks=_words(outside["duration"]["asks"], "scope.toml outside.duration.asks"),
            duration_not=_words(outside["duration"]["not_when"], "scope.toml outside.duration.not_when"),
            duration_of=_words(outside["duration"]["process"], "scope.toml outside.duration.process"),
            figure_asks=_words(outside["figure"]["asks"], "scope.toml outside.figure.asks"),
            figure_generic=_words(outside["figure"]["generic"], "scope.toml outside.figure.generic"),
            apply=_words(outside["procedure"]["apply"], "scope.toml outside.procedure.apply"),
            bodies=_words(outside["bodies"]["words"], "scope.toml outside.bodies"),
            not_bodies=_words(outside["bodies"]["overlapped_by"], "scope.toml outside.bodies.overlapped_by"),
            product_prefixes=_words(outside["products"]["prefixes"], "scope.toml outside.products.prefixes"),
            product_suffixes=_words(outside["products"]["suffixes"], "scope.toml outside.products.suffixes"),
            product_past=_words(outside["products"]["past"], "scope.toml outside.products.past"),
            activity_before=_words(scope["place_roles"]["activity_before"], "place_roles.activity_before"),
            moving_into=_words(scope["place_roles"]["moving_into"], "place_roles.moving_into"),
            registered_before=_words(scope["place_roles"]["registered_before"], "place_roles.registered_before"),
            registered_after=_words(scope["place_roles"]["registered_after"], "place_roles.registered_after"),
            likeness_before=_words(scope["place_roles"]["likeness_before"], "place_roles.likeness_before"),
            likeness_after=_words(scope["place_roles"]["likeness_after"], "place_roles.likeness_after"),
            activity_at=_words(scope["place_roles"]["activity_at"], "place_roles.activity_at"),
            investee_at=_words(scope["place_roles"]["investee_at"], "place_roles.investee_at"),
            investee_marks=_words(scope["place_roles"]["investee_marks"], "place_roles.investee_marks"),
            activity_after=_words(scope["place_roles"]["activity_after"], "place_roles.activity_after"),
            policy_after=_words(scope["place_roles"]["policy_after"], "place_roles.policy_after"),
            places=_places(regions, _words(outside["not_places"], "scope.toml outside.not_places")),
            concepts={k: _words(v, f"facts.toml concepts.{k}") for k, v in facts["concepts"].items()},
            joiners=_words(intents["compound"]["joiners"], "intents.toml compound.joiners"),
            list_joiners=_words(intents["compound"]["list_joiners"], "intents.toml compound.list_joiners"),
            refer_back=_words(intents["compound"]["refer_back"], "intents.toml compound.refer_back"),
            self_markers=_words(facts["self"]["markers"], "facts.toml self.markers"),
            first_person=_words(facts["self"]["first_person"], "facts.toml self.first_person"),
            investing=_words(facts["self"]["investing"], "facts.toml self.investing"),
            definition_marks=_words(intents["definition"]["marks"], "intents.toml definition.marks"),
            penalty_marks=_words(intents["definition"]["penalty_marks"], "intents.toml definition.penalty_marks"),
            exclusive_marks=_words(intents["definition"]["exclusive_marks"], "intents.toml definition.exclusive_marks"),
            document_kinds=_words(intents["definition"]["document_kinds"], "intents.toml definition.document_kinds"),
            document_words=_words(intents["definition"]["document_words"], "intents.toml definition.document_words"),
            modified_by=_words(intents["definition"]["modified_by"], "intents.toml definition.modified_by"),
            romanised_words=_words(intents["romanised"]["words"], "intents.toml romanised.words"),
            romanised_units=_spoken(intents["romanised"]["units"], "intents.toml romanised.units"),
            english=_spoken(intents["english"], "intents.toml english"),
            support_words=_words(intents["matching"]["support"], "intents.toml matching.support"),
            topic_words=_words(intents["matching"]["topics"], "intents.toml matching.topics"),
            asked_for=_words(intents["matching"]["asked_for"], "intents.toml matching.asked_for"),
            offered=_words(intents["matching"]["offered"], "intents.toml matching.offered"),
        )
    except KeyError as err:
        raise CorpusError(f"{where}: a vocabulary is missing '{err.args[0]}'") from None
    except (TypeError, ValueError) as err:
        raise CorpusError(f"{where}: {err}") from None


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise CorpusError(f"{path}: cannot read ({err.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise CorpusError(f"{path}: {err}") from None


def _words(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise ValueError(f"{where} must be a list of words")
    return tuple(value)


def _years_back(table: Mapping[str, Any]) -> dict[str, int]:
    if not all(isinstance(n, int) and n >= 0 for n in table.values()):
        raise ValueError("intents.toml years.relative: each word gives a whole number of years back")
    return dict(table)


def _roles(table: Mapping[str, Any]) -> dict[str, Role]:
    roles = {}
    for name, entry in table.items():
        unit = entry.get("unit")
        if unit not in _ROLE_UNITS:
            raise ValueError(f"roles.toml role '{name}': unit must be one of {', '.join(_ROLE_UNITS)}")
        unknown = set(entry) - {"label", "unit", "words", "generic"}
        if unknown:
            raise ValueError(f"roles.toml role '{name}': unknown field(s) {sorted(unknown)}")
        words = _words(entry.get("words"), f"roles.{name}.words")
        roles[name] = Role(name, str(entry["label"]), unit, words, bool(entry.get("generic")))
    return roles


def _derived(entries: list[Any], roles: Mapping[str, Any]) -> tuple[Derivation, ...]:
    found = []
    for entry in entries:
        sources = _words(entry.get("from"), "derived.from")
        if entry.get("kind") not in _DERIVED_KINDS or entry.get("role") not in roles:
            raise ValueError(f"roles.toml derived '{entry.get('role')}': unknown kind or role")
        if any(s not in roles for s in sources):
            raise ValueError(f"roles.toml derived '{entry['role']}': an unknown role in 'from'")
        factor = float(entry.get("factor", 1))
        found.append(Derivation(entry["role"], entry["kind"], sources, factor, str(entry["label"]), str(entry["note"])))
    return tuple(found)


def _places(regions: Mapping[str, tuple[str, ...]], not_places: tuple[str, ...]) -> Places:
    """Provinces and cities (full and short names), county-level cities (full names) → their province."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or spec.origin is None:
        raise CorpusError("the package cpca (administrative divisions) is not installed")
    table = Path(spec.origin).with_name("resources") / "adcodes.csv"
    with table.open(encoding="utf-8") as f:
        rows = [(r["adcode"], r["name"]) for r in csv.DictReader(f)]
    provinces = {code[:2]: name for code, name in rows if code[2:] == "0" * 10}
    automaton = ahocorasick.Automaton()

    def add(word: str, province: str) -> None:
        if len(word) >= 2 and word not in not_places and word not in automaton:
            automaton.add_word(word, (word, province))

    for code, name in rows:
        province = provinces.get(code[:2], name)
        prefecture = code[4:] == "0" * 8
        county_city = code[6:] == "0" * 6 and name.endswith("市")
        if prefecture or county_city:
            add(name, province)
        if prefecture:  # short names only down to prefecture level: county short names are common words
            add(_ADMIN_SUFFIX.sub("", name), province)
    for region, words in regions.items():  # the corpus's own words (齐鲁, 内蒙) name its regions
        for word in (region, *words):
            if word not in automaton:
                automaton.add_word(word, (word, region))
    automaton.make_automaton()
    return Places(automaton)


def says(text: str, pattern: str, gap: int = 4) -> bool:
    """Whether ``text`` holds a lexicon ``pattern``, where "…" stands for up to ``gap`` characters
    ("多少家…企业" holds "多少家山东企业")."""
    if "…" not in pattern:
        return pattern in text
    return _pattern(pattern, gap).search(text) is not None


def spans(text: str, pattern: str, gap: int = 4) -> list[tuple[int, int]]:
    """Where ``text`` holds a lexicon ``pattern`` (as for ``says``)."""
    return [m.span() for m in _pattern(pattern, gap).finditer(text)]


@functools.lru_cache(maxsize=4096)
def _pattern(pattern: str, gap: int) -> re.Pattern[str]:
    return re.compile(f".{{0,{gap}}}".join(re.escape(p) for p in pattern.split("…")))

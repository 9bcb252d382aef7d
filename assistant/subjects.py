"""Who a measure is for: subject types (corpus/lexicon/subjects.toml) and, per clause, the subjects it
serves (corpus/subjects/<doc id>.toml), each proven by a verbatim part of the clause text.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.quantities import PHRASE_END
from assistant.vocab import says
from index.corpus import Corpus
from index.errors import CorpusError

SUBJECTS_DIR = "subjects"
ACT_GAP = 12  # characters "…" stands for in an act ("给…做担保": 给一家做软件的科技企业做担保)
INVESTED_REACH = 12  # characters between a word of investing and the 的 before the kind invested in


@dataclass(frozen=True)
class SubjectType:
    name: str
    words: tuple[str, ...]  # how a question names it
    is_a: tuple[str, ...]  # broader kinds (科技型中小企业 is a 科技型企业)
    local: bool  # a region's measure for it serves the region's own (one registered elsewhere is not served)
    acts: tuple[str, ...]  # what only it does, said by the asker ("我们给…担保"); "…" is up to ACT_GAP characters
    may_be: tuple[str, ...] = ()  # kinds one of it may also be, which the texts do not rule out (总部企业, 中小企业)
    first_person: bool = False  # its words are said only of oneself (以个人名义申请): whoever says them is one
    clients: tuple[str, ...] = ()  # how a financier asking for one names it (客户, 借款企业)


@dataclass(frozen=True)
class Served:
    clause_id: str
    subject: str
    evidence: str  # verbatim in the clause text


@dataclass(frozen=True)
class Subjects:
    types: Mapping[str, SubjectType]
    served: Mapping[str, tuple[Served, ...]]  # clause id → the subjects it serves
    invested_by: tuple[str, ...] = ()  # 投…的科技型企业: a kind named as what is invested in, no asker

    def kinds_of(self, subject: str) -> set[str]:
        """The subject and every broader kind it belongs to."""
        kinds, todo = set(), [subject]
        while todo:
            kind = todo.pop()
            if kind not in kinds and kind in self.types:
                kinds.add(kind)
                todo += self.types[kind].is_a
        return kinds

    def may_receive(self, asker: str, recipient: str) -> bool:
        """Whether money for ``recipient`` can reach ``asker``: either is a kind of the other (a 公司 may be the
        科技型中小企业 a measure names; a 融资担保机构's subsidy never reaches an enterprise)."""
        if recipient in self.kinds_of(asker) or asker in self.kinds_of(recipient):
            return True
        return any(k in self.types[a].may_be for a, k in ((asker, recipient), (recipient, asker)) if a in self.types)

    def served_anywhere(self, subject: str) -> bool:
        """Whether any measure serves ``subject`` (or a broader kind of it)."""
        return any(self.serves(clause_id, subject) for clause_id in self.served)

    def covers(self, doc_id: str) -> bool:
        """Whether the subjects of the document's measures are known (policy matching can use them)."""
        return any(clause_id.startswith(f"{doc_id}#") for clause_id in self.served)

    def is_local(self, subject: str) -> bool:
        return subject in self.types and self.types[subject].local

    def serves(self, clause_id: str, subject: str) -> Served | None:
        """How the clause serves ``subject`` (or a broader kind of it), if it does."""
        kinds = self.kinds_of(subject)
        return next((s for s in self.served.get(clause_id, ()) if s.subject in kinds), None)

    def named_in(self, text: str, after: Sequence[str] = ()) -> str | None:
        """The subject a text names (the longest word wins: 科技型中小企业 over 企业); one named right
        after any of ``after`` ("我们创投…") wins over the others."""
        return self.named_after(text, after) or self._longest(text)

    def acting(self, text: str, selves: Sequence[str], objects: Sequence[str]) -> str | None:
        """The subject whose act the asker says it does ("我们给一家企业做的担保代偿了": a guarantor), the
        asker being one of ``selves`` not after one of ``objects`` (银行给我们放贷: we are no bank)."""
        for phrase in PHRASE_END.split(text):
            for self_word in selves:
                at = phrase.find(self_word)
                if at < 0 or phrase[:at].endswith(tuple(objects)):
                    continue
                rest = phrase[at + len(self_word) :]
                for name, t in self.types.items():
                    if any(says(rest, act, ACT_GAP) for act in t.acts):
                        return name
        return None

    def named_as_object(self, text: str, recipient: str, objects: Sequence[str], selves: Sequence[str]) -> bool:
        """Whether ``text`` names ``recipient`` (or a narrower kind) as the one an act is done for, up to
        ACT_GAP characters after one of ``objects`` ("给一家山东科技企业承保了"), not the asker itself
        (给我们公司放贷)."""
        kinds = [w for name, t in self.types.items() if recipient in self.kinds_of(name) for w in t.words]
        others = [w for name, t in self.types.items() if recipient not in self.kinds_of(name) for w in t.words]
        for phrase in PHRASE_END.split(text):
            for word in objects:
                for at in (m.end() for m in re.finditer(re.escape(word), phrase)):
                    near = phrase[at : at + ACT_GAP + max(map(len, kinds), default=0)]
                    # 对保险公司: 公司 inside another kind's name names no enterprise
                    found = ((near.find(k), k) for k in kinds)
                    named = [i for i, k in found if 0 <= i <= ACT_GAP and not _within(near, i, k, others)]
                    if named and not any(s in near[: min(named)] for s in selves):
                        return True
        return False

    def names_client(self, text: str, recipient: str) -> bool:
        """Whether ``text`` names a client of the asker's that is a ``recipient`` (客户付了利息: an enterprise)."""
        return any(w in text for kind in self.kinds_of(recipient) for w in self.types[kind].clients)

    def in_first_person(self, text: str) -> str | None:
        """The subject named by words said only of oneself (以个人名义申请: a person), if any."""
        said = [(len(w), name) for name, t in self.types.items() if t.first_person for w in t.words if w in text]
        return max(said)[1] if said else None

    def named_after(self, text: str, after: Sequence[str]) -> str | None:
        """The subject named right after one of ``after`` ("我们创投…"), if any."""
        return self._longest(text, after)

    def named_as_asker(self, text: str) -> str | None:
        """The subject a text names, not counting one named as what another invests in (创投机构投种子期
        的科技型企业: the 创投机构)."""
        if self._invested is None:
            return self.named_in(text)
        pattern, kinds = self._invested

        # 投资科技型企业的创投机构: a kind between the two is what is invested in, the one after invests.
        def invested(m: re.Match[str]) -> str:
            if not kinds.search(m.group(1)):
                return "＿"
            return m.group(0).replace(m.group(1), kinds.sub("＿", m.group(1)), 1)

        return self.named_in(pattern.sub(invested, text))

    @functools.cached_property
    def _invested(self) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
        """A word of investing, up to 的, then a kind's name; and the kinds' names alone."""
        words = sorted({w for t in self.types.values() for w in t.words}, key=len, reverse=True)
        if not self.invested_by or not words:
            return None
        verbs = "|".join(map(re.escape, self.invested_by))
        kinds = "|".join(map(re.escape, words))
        stop = re.escape("".join(dict.fromkeys("，。,？?；;！!" + "".join(self.invested_by))))
        return re.compile(rf"(?:{verbs})([^{stop}]{{0,{INVESTED_REACH}}})的(?:{kinds})"), re.compile(kinds)

    def _longest(self, text: str, after: Sequence[str] = ("",)) -> str | None:
        found = [(len(w), name) for name, t in self.types.items() for w in t.words for a in after if a + w in text]
        return max(found)[1] if found else None


def load_subjects(corpus_dir: Path, corpus: Corpus) -> Subjects:
    lexicon = corpus_dir / "lexicon" / "subjects.toml"
    table = _read(lexicon)
    types = _types(lexicon, table.get("types", {}))
    served: dict[str, tuple[Served, ...]] = {}
    for path in sorted((corpus_dir / SUBJECTS_DIR).glob("*.toml")):
        for clause_id, entry in _read(path).items():
            served[clause_id] = _served(path, clause_id, entry, corpus, types)
    invested_by = table.get("invested_by", [])
    if not isinstance(invested_by, list) or not all(isinstance(w, str) and w for w in invested_by):
        raise CorpusError(f"{lexicon}: invested_by must list words")
    return Subjects(types, served, tuple(invested_by))


def _within(text: str, at: int, word: str, longer: Sequence[str]) -> bool:
    """Whether ``word`` at ``at`` stands inside a longer word of ``longer`` (公司 in 保险公司)."""
    end = at + len(word)
    return any(
        len(w) > len(word) and s <= at and end <= s + len(w)
        for w in longer
        for s in (m.start() for m in re.finditer(re.escape(w), text))
    )


def _types(path: Path, table: object) -> dict[str, SubjectType]:
    if not isinstance(table, dict):
        raise CorpusError(f"{path}: types must be a table")
    types = {}
    for name, entry in table.items():
        words, is_a, may_be = entry.get("words"), entry.get("is_a", []), entry.get("may_be", [])
        if not isinstance(words, list) or not words or not isinstance(is_a, list) or not isinstance(may_be, list):
            raise CorpusError(f"{path}: type '{name}' needs a list of words and lists is_a, may_be")
        local, acts, first = entry.get("local", False), entry.get("acts", []), entry.get("first_person", False)
        clients = entry.get("clients", [])
        lists = isinstance(acts, list) and isinstance(clients, list)
        if not isinstance(local, bool) or not isinstance(first, bool) or not lists:
            raise CorpusError(f"{path}: type '{name}': local and first_person are true or false, acts, clients lists")
        kind = SubjectType(name, tuple(words), tuple(is_a), local, tuple(acts), tuple(may_be), first, tuple(clients))
        types[name] = kind
    unknown = {k for t in types.values() for k in (*t.is_a, *t.may_be)} - set(types)
    if unknown:
        raise CorpusError(f"{path}: is_a or may_be names unknown type(s) {sorted(unknown)}")
    return types


def _served(
    path: Path, clause_id: str, entry: object, corpus: Corpus, types: Mapping[str, SubjectType]
) -> tuple[Served, ...]:
    if not corpus.has_clause(clause_id):
        raise CorpusError(f"{path}: no clause '{clause_id}' in the corpus")
    rows = entry.get("serves") if isinstance(entry, dict) else None
    if not isinstance(rows, list):
        raise CorpusError(f"{path}: '{clause_id}' must hold a list 'serves'")
    text = corpus.clause(clause_id).text
    served = []
    for row in rows:
        if not isinstance(row, dict) or set(row) != {"type", "evidence"}:
            raise CorpusError(f"{path}: '{clause_id}': each entry is {{ type = …, evidence = … }}")
        if row["type"] not in types:
            raise CorpusError(f"{path}: '{clause_id}': unknown subject type '{row['type']}'")
        if not row["evidence"] or row["evidence"] not in text:
            raise CorpusError(f"{path}: '{clause_id}': evidence “{row['evidence']}” is not in the clause text")
        served.append(Served(clause_id, row["type"], row["evidence"]))
    return tuple(served)


def _read(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise CorpusError(f"{path}: cannot read ({err})") from None

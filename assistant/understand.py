"""What a question says and asks: its numbers with their roles, places, party, dates, the clause it
names, and its intents. Word lists are data (``corpus/lexicon``, see ``assistant.vocab``); no model.

The text is first cleaned the way a user's typing needs: traditional characters and full-width
forms folded, spaces between characters dropped, homophones of policy terms corrected.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from assistant import numbers
from assistant.quantities import PHRASE_END, Quantity, find_quantities, phrase_span
from assistant.romanised import PinyinReader
from assistant.spelling import Correction, Speller, unspace
from assistant.vocab import Vocabulary, says, spans

MAX_QUESTION_CHARS = 500

_CLAUSE_ID = re.compile(r"\b([a-z][a-z0-9]*(?:-[a-z0-9]+)+)#(\d+(?:-\d+)?|notice|preamble|closing)\b")
_CLAUSE_NO = re.compile(r"第\s*[（(]?([一二三四五六七八九十百]+|\d{1,3})[)）]?\s*(?:条|项|款)")
# A measure's number alone ("15号文（九）写的什么"), read only beside a 文号.
_CHAPTER_NO = re.compile(r"第\s*([一二三四五六七八九十]+|\d{1,2})\s*章")
_MEASURE_NO = re.compile(r"[（(]([一二三四五六七八九十]{1,3})[)）]")
_DOC_NO = re.compile(r"(?<![月\d])(\d{2,3})\s*号")  # 155号, not the day of 12月31号
AMOUNT_INTENTS = frozenset({"calc", "total"})  # a question asking for an amount (one, or a total)
SELF_WORDS = ("我们", "我司", "我行", "咱们")  # "我们创投…": the subject right after one is the asker

@dataclass(frozen=True)
class Place:
    """A place the question names outside the corpus regions."""

    name: str
    province: str
    activity: bool  # where something happens (去新加坡上市, 投了一家江苏的企业), not whose policy is asked
    abroad: bool
    registered: bool = False  # where the asker itself is registered (注册在江苏), not where its deal is


@dataclass(frozen=True)
class Understanding:
    text: str  # cleaned: folded, unspaced, homophones corrected
    search_text: str  # what retrieval searches: the text, with 境外 added for a listing abroad
    corrections: tuple[Correction, ...]
    quantities: tuple[Quantity, ...]
    dates: tuple[dt.date, ...]
    regions: tuple[str, ...]  # corpus regions named (山东省, 内蒙古自治区), by name, city or 两地
    places: tuple[Place, ...]  # other places named
    localities: tuple[str, ...]  # cities named inside a corpus region (青岛): whose own documents come first
    registered_in: tuple[str, ...]  # provinces the asker says it is registered in (注册在上海 → 上海市)
    intents: frozenset[str]
    party: str | None
    first_year: bool | None
    founded: int | None  # the year the asker says it was set up (我们2019年就设立了)
    clause_number: int | None  # 第三条, 第（三）项
    clause_numbers: tuple[int, ...]  # every one named (第（一）条和第（十）条), the first being clause_number
    clause_id: str | None  # sd-2023-155#3 written out
    terms: tuple[str, ...] = ()  # lexicon terms written in the question (再贴现), longest first
    invested: int | None = None  # the year an investment was made (去年投了两家: last year)
    dealt_in: tuple[str, ...] = ()  # corpus regions named only as where a deal is (投了一家山东的企业)
    chapter_number: int | None = None  # 第十一章
    doc_hints: tuple[str, ...] = ()  # every 文号 part said ("155号" of 155号文和15号文, "15号")

    @property
    def doc_hint(self) -> str | None:
        """The first 文号 part said ("155号")."""
        return self.doc_hints[0] if self.doc_hints else None

    def has(self, *intents: str) -> bool:
        return any(i in self.intents for i in intents)

    @property
    def wants_amount(self) -> bool:
        return self.has("calc", "eligibility")

    def roles(self, unit: str | None = None) -> tuple[Quantity, ...]:
        return tuple(q for q in self.quantities if unit is None or q.unit == unit)


class Reader:
    """Reads questions with one vocabulary and one speller (both loaded once).

    ``regions``: the provinces (and 全国) the corpus has documents for; a place in one of them places the
    question in the corpus, a place elsewhere is another jurisdiction.
    """

    def __init__(
        self,
        vocab: Vocabulary,
        terms: Iterable[str],
        is_word: Callable[[str], bool],
        regions: Iterable[str] | None = None,
        function_chars: Iterable[str] = (),
        misspellable: Iterable[str] = (),
    ) -> None:
        self.vocab = vocab
        self.regions = tuple(dict.fromkeys(regions if regions is not None else vocab.regions))
        self.terms = tuple(sorted(set(terms), key=len, reverse=True))
        # ``misspellable``: more words the speller reads (measure words: 保费补帖 → 保费补贴) that are no terms.
        self.is_word = is_word
        # What a question is declined for is spelt too (资询电话 → 咨询电话): a slip must not make it answerable.
        declined = [w for ws in (vocab.procedure, vocab.statistics, vocab.forecast, vocab.advice) for w in ws]
        strict = [w for w in declined if "…" not in w]
        self.speller = Speller([*self.terms, *misspellable], is_word, function_chars, strict)
        known = [*self.terms, *misspellable, *vocab.romanised_words, *(w for ws in vocab.intents.values() for w in ws)]
        known += [w for role in vocab.roles.values() for w in role.words]
        known += [w for ws in vocab.concepts.values() for w in ws] + [*vocab.first_year, *vocab.later_year]
        # What a question is declined for is spelt too (jiangsu de sukedai: 江苏's 苏科贷).
        topics = [w for w in vocab.outside_topics if "…" not in w]  # a pattern with a gap is no word
        known += [*vocab.places.names(), *vocab.bodies, *topics, *vocab.outside_regions]
        known += [p + s for p in vocab.product_prefixes for s in vocab.product_suffixes]
        self.pinyin = PinyinReader(known, vocab.romanised_units, vocab.english)
        # A question is read by several stages (scope, search, routing, the API's lookup): read it once.
        self.clean = functools.lru_cache(maxsize=1024)(self.clean)  # type: ignore[method-assign]
        self.read = functools.lru_cache(maxsize=1024)(self.read)  # type: ignore[method-assign]

    def forget(self) -> None:
        """Drop the questions read so far (for latency measurements)."""
        self.clean.cache_clear()  # type: ignore[attr-defined]
        self.read.cache_clear()  # type: ignore[attr-defined]

    def clean(self, question: str) -> tuple[str, tuple[Correction, ...]]:
        text, spelt = self.pinyin.read(unspace(numbers.normalise(question)).strip())
        text, corrected = self.speller.correct(text)
        return text, spelt + corrected

    def read(self, question: str) -> Understanding:
        text, corrections = self.clean(question)
        v = self.vocab
        places = v.places.find(text)
        clause_match = _CLAUSE_NO.search(text)
        chapter = _CHAPTER_NO.search(text)
        clause_id = _CLAUSE_ID.search(text)
        doc_hint = _DOC_NO.search(text)
        if clause_match is None and doc_hint is not None:
            clause_match = _MEASURE_NO.search(text)
        # A place something moves to or deals with (搬去浙江, 投了一家江苏的企业) does not place the question
        # there; a corpus region where something happens does (企业在山东发债和上市: 山东's support).
        at = {(s, e) for s, e, _, _ in places if self._moved_to(text, s) and not self._moved_into(text, s)}
        named_regions = {p for start, end, _, p in places if p in self.regions and (start, end) not in at}
        localities = tuple(
            name for start, end, name, p in places if p in self.regions and (start, end) not in at and name not in p
        )
        named_regions |= {r for r, names in v.anchors.items() if any(self._anchors(text, n) for n in names)}
        if any(w in text for w in v.both_regions):
            named_regions |= set(v.regions)
        outside = self._outside_places(text, places)
        founded = _founded(text, v)
        invested = _invested(text, v, dt.date.today().year)
        if not named_regions and not outside:
            named_regions = {r for r, words in v.unnamed.items() if any(w in text for w in words)}
        abroad = any(p.abroad and p.activity for p in outside)
        # Asking who is responsible (谁牵头) is asking about a measure: its words would find the clause on
        # coordination instead, so retrieval leaves them out.
        topic = text
        for word in sorted(v.words("units"), key=len, reverse=True):
            topic = topic.replace(word, "")
        # A city named inside a corpus region (我们在济南) places the asker: the region filter and the city's
        # own documents' precedence do its work, and as a search word it would find the one clause that
        # names the city (济南科创金融改革试验区) for any question asked from there.
        for name in localities:
            if not any(name in a for names in v.anchors.values() for a in names if a in text):
                topic = topic.replace(name, "")
        topic = topic if len(topic) >= 2 else text
        return Understanding(
            text=text,
            search_text=f"{topic}（境外）" if abroad and "境外" not in text else topic,
            corrections=corrections,
            quantities=find_quantities(text, v.roles, self.terms, self.is_word, v.fewer, v.another, v.alone),
            # 2019年就落户, 2025年投的, 2015年修订的那版: no date asked
            dates=tuple(d for d in numbers.dates(text) if d.year not in (founded, invested, *_versions(text, v))),
            regions=tuple(r for r in self.regions if r in named_regions),
            places=outside,
            localities=localities,
            registered_in=tuple(p for start, end, _, p in places if self._registered(text, start, end)),
            dealt_in=tuple(dict.fromkeys(p for s, e, _, p in places if (s, e) in at and p in self.regions)),
            intents=self._intents(text),
            party=next((p for p, words in v.parties.items() if any(w in text for w in words)), None),
            first_year=_first_year(text, v),
            founded=founded,
            clause_number=int(numbers.cn_number(clause_match.group(1))) if clause_match else None,
            clause_numbers=tuple(dict.fromkeys(int(numbers.cn_number(m.group(1))) for m in _CLAUSE_NO.finditer(text))),
            clause_id=clause_id.group(0) if clause_id else None,
            terms=tuple(t for t in self.terms if t in text),
            invested=invested,
            chapter_number=int(numbers.cn_number(chapter.group(1))) if chapter else None,
            doc_hints=tuple(dict.fromkeys(m.group(0) for m in _DOC_NO.finditer(text))),
        )

    def _intents(self, text: str) -> frozenset[str]:
        asked = text
        for spoken, standard in self.vocab.spoken.items():
            asked = asked.replace(spoken, standard)
        found = {name for name, words in self.vocab.intents.items() if any(says(asked, w) for w in words)}
        return frozenset(found - ({"calc"} if "calc" in found and not self._asks_how_much(asked) else set()))

    def _asks_how_much(self, text: str) -> bool:
        """Whether a calc word asks an amount: not when each is followed in its phrase by a word asking which
        supports (能给我们哪些支持)."""
        for word in self.vocab.intents["calc"]:
            for _, end in spans(text, word):
                rest = PHRASE_END.split(text[end:], maxsplit=1)[0]
                if not any(w in rest for w in self.vocab.which_words):
                    return True
        return False

    def _outside_places(self, text: str, places: list[tuple[int, int, str, str]]) -> tuple[Place, ...]:
        v = self.vocab
        found = [
            Place(
                name,
                province,
                self._activity(text, start, end),
                name in v.abroad or province in v.abroad,
                self._registered(text, start, end),
            )
            for start, end, name, province in places
            if province not in self.regions
        ]
        for word in (*v.outside_regions, *v.abroad):
            for m in re.finditer(re.escape(word), text):
                if not any(word in p.name or p.name in word for p in found):
                    registered = self._registered(text, m.start(), m.end())
                    activity = self._activity(text, m.start(), m.end())
                    found.append(Place(word, word, activity, word in v.abroad, registered))
        return tuple(found)

    def _registered(self, text: str, start: int, end: int) -> bool:
        """Where the asker is registered or based (注册在江苏, 我们公司在江苏), not where it has a branch (我们在
        北京有分公司)."""
        v = self.vocab
        after = text[end : end + 6]
        if any(w in after for w in v.activity_after) or self._investee_place(text, start):
            return False
        # The asker's own phrase naming where it registered, the place before 注册 (我们担保公司在安徽注册的).
        phrase = text[phrase_span(text, start, end)[0] : start]
        registers = after.startswith(v.registered_after) and phrase.startswith(v.self_markers + SELF_WORDS)
        return text[:start].endswith(v.registered_before) or (registers and phrase.endswith("在"))

    def _anchors(self, text: str, name: str) -> bool:
        """Whether a measure's name places the question in its region: named, and not only as a likeness."""
        before, after = self.vocab.likeness_before, self.vocab.likeness_after
        found = [m.span() for m in re.finditer(re.escape(name), text)]
        return any(
            not text[max(0, at - 3) : at].endswith(before) and not text.startswith(after, end) for at, end in found
        )

    def _moved_into(self, text: str, start: int) -> bool:
        """The asker moving into the place (我们搬到山东), not a firm it invested in (投的那家公司搬去浙江)."""
        lo, _ = phrase_span(text, start, start)
        if any(w in text[lo:start] for w in self.vocab.investee_marks):
            return False
        return _right_after(text, start, self.vocab.moving_into)

    def _moved_to(self, text: str, start: int) -> bool:
        """A place something goes to or comes from, or that a firm dealt with is in (去/投了一家/注册在…)."""
        return _right_after(text, start, self.vocab.activity_before)

    def _activity(self, text: str, start: int, end: int) -> bool:
        v = self.vocab
        before, after = text[max(0, start - 5) : start], text[end : end + 6]
        if self._moved_to(text, start):
            return True
        if any(before.endswith(w) for w in v.activity_at) and any(w in after for w in v.activity_after):
            return True
        return self._investee_place(text, start)

    def _investee_place(self, text: str, start: int) -> bool:
        """投的那家企业在河南: an investee's place (not 科技型企业在山东能享受…, nor 我们公司在江苏); the investing
        may be said in an earlier phrase or turn (我们投了一家初创企业1500万元，企业注册在河南)."""
        v, before = self.vocab, text[max(0, start - 5) : start]
        invested = any(w in text[:start] for w in v.investee_marks)
        own = any(before.endswith(w) for w in v.registered_before if w.startswith(v.first_person))
        return invested and not own and any(before.endswith(w) for w in v.investee_at)


def _right_after(text: str, start: int, words: Sequence[str]) -> bool:
    """Whether one of ``words`` (at most five characters) ends right where ``start`` is."""
    return text[max(0, start - 5) : start].endswith(tuple(words))


@functools.lru_cache(maxsize=4)
def _founded_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """A year, up to five characters (就, 已经在济南) but no 的 (2019年投的企业), then a word of setting up
    (2019年就设立了, 2019年就在济南注册了)."""
    return re.compile(rf"((?:19|20)\d\d)年[^\d，。,；;？?！!的]{{0,5}}?(?:{'|'.join(re.escape(w) for w in words)})")


def _founded(text: str, v: Vocabulary) -> int | None:
    for m in _founded_pattern(v.founded).finditer(text):
        after = next((text[m.end() + len(w) :] for w in v.founded_relative if text.startswith(w, m.end())), None)
        relative = after is not None and bool(re.match(r"[^\W\d]", after))  # 成立的企业, not 成立的，
        if not relative or text[: m.start()].endswith(v.founded_self):
            return int(m.group(1))
    return None


def _versions(text: str, v: Vocabulary) -> list[int]:
    """Years naming a version of a document: a year, up to three characters, then a word of revising."""
    revised = "|".join(re.escape(w) for w in v.revised)
    return [int(y) for y in re.findall(rf"((?:19|20)\d\d)年[^\d，。,；;？?！!]{{0,3}}?(?:{revised})", text)]


def _invested(text: str, v: Vocabulary, this_year: int) -> int | None:
    """The year an investment was made: a year (2025年, 去年), up to six characters but no 的 or digit (在山东),
    then a word of investing."""
    years = "|".join(re.escape(w) for w in sorted(v.relative_years, key=len, reverse=True))
    investing = "|".join(re.escape(w) for w in v.investing)
    m = re.search(rf"(?:((?:19|20)\d\d)年|({years}))[^\d，。,；;？?！!的]{{0,6}}?(?:{investing})", text)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1) else this_year - v.relative_years[m.group(2)]


def _first_year(text: str, v: Vocabulary) -> bool | None:
    if any(w in text for w in v.later_year):
        return False
    if any(w in text for w in v.first_year):
        return True
    return None

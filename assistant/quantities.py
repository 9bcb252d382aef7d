"""Numbers of a question with their roles: what each amount, rate and period stands for.

"贷款500万元，年利率4%，期限一年，利息能贴多少" holds a principal, an annual rate and a loan term, and no
interest: a number is qualified by the nearest role word of its phrase (corpus/lexicon/roles.toml),
before it ("利息80万元") or after it ("付了80万利息"), never across another number or a punctuation
mark. A generic word (付了) yields to a specific one. Numbers listed after one word ("分别是2000万、
1500万和1000万") share its role. A number no word qualifies has role None: it is asked about, not guessed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant import numbers
from assistant.numbers import Found
from assistant.vocab import Role

PHRASE_END = re.compile(r"[，,。；;！!？?\n]")  # a phrase ends at punctuation or a line break
PHRASE = re.compile(f"[^{PHRASE_END.pattern[1:-1]}]+")  # a phrase itself: the text between them
_SENTENCE = re.compile(r"[^。！!？?]+[。！!？?]*")  # a sentence with the mark ending it
_LIST_GAP = re.compile(r"[、，,和及与跟\s]*")
_REACH = 12  # characters between a role word and its number
_AFTER_PENALTY = 1  # "利息80万" reads more surely than "80万利息"
_GENERIC_PENALTY = 6


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # 元 | ratio | 年 | 倍 (percentages are ratios; a role of unit % reads them ×100)
    role: str | None
    text: str  # as written
    start: int
    end: int
    approximate: bool = False  # "80多万": the round figure, not the exact amount
    fewer: bool = False  # "不到两年": below the figure (money.Fewer)


def find_quantities(
    text: str,
    roles: Mapping[str, Role],
    terms: Sequence[str],
    is_word: Callable[[str], bool],
    fewer: Sequence[str] = (),
    another: Sequence[str] = (),
    alone: Sequence[str] = (),
) -> tuple[Quantity, ...]:
    """The numbers of ``text`` with their roles; a role word inside one of ``terms`` is none (投 in 创投机构)
    unless it heads the term: Chinese compounds end with their head, after a modifier that is a word of its
    own (贷款 in 科技贷款, not 保费 in 担保费). A number right after a word of ``fewer`` (不到, 未满) is an upper
    bound. A number no word qualifies, in a phrase opened by a word of ``another`` (另一家…300万), is one
    more of the number before it. A number standing alone in its phrase but for words of ``alone``
    (一共6000万) takes the role of the phrase before when a role word there qualifies no number."""
    found = sorted(
        [(f, "元") for f in numbers.amounts(text)]
        + [(f, "ratio") for f in numbers.percents(text)]
        + [(f, "年") for f in numbers.periods(text)]
        + [(f, "倍") for f in numbers.multiples(text)],
        key=lambda p: p[0].start,
    )
    spans = {u: [(f.start, f.end) for f, unit in found if unit == u] for _, u in found}
    numbers_at = [f.start for f, _ in found]
    inside = _term_spans(text, terms)
    quantities: list[Quantity] = []
    for f, unit in found:
        role = _role(text, f, unit, spans[unit], roles, inside, is_word, numbers_at)
        if role is None and quantities and _listed_after(text, quantities[-1], f, unit):
            role = quantities[-1].role  # "2000万、1500万和1000万": one word for the list
        if role is None and quantities and quantities[-1].unit == unit and _opens_with(text, f.start, another):
            role = quantities[-1].role  # "一家500万元，另一家300万元"
        if role is None and _summed_in_phrase(text, f, spans[unit], alone):  # 投了…科技型企业合计2.6亿元
            role = _role(text, f, unit, spans[unit], roles, inside, is_word, numbers_at, reach=len(text))
        alone_here = role is None and _stands_alone(text, f, alone, spans[unit])
        moved = _after_phrase_before(text, f, spans[unit]) if alone_here else None
        if moved is not None:  # read as if said right after the phrase before
            joined, there = moved
            before = [t for t in inside if t[1] <= there.start]
            role = _role(joined, there, unit, [], roles, before, is_word, [at for at in numbers_at if at < there.start])
        value = f.value * 100 if role is not None and roles[role].unit == "%" else f.value
        below = any(text.endswith(w, 0, f.start) for w in fewer)
        quantities.append(Quantity(value, unit, role, f.text, f.start, f.end, f.approximate, below))
    return tuple(quantities)


def _role(
    text: str,
    number: Found,
    unit: str,
    spans: Sequence[tuple[int, int]],
    roles: Mapping[str, Role],
    terms: Sequence[tuple[int, int]],
    is_word: Callable[[str], bool],
    numbers_at: Sequence[int],
    reach: int = _REACH,
) -> str | None:
    lo, hi = phrase_span(text, number.start, number.end)
    fitting = [(w, r.name) for r in roles.values() if _fits(r.unit, unit) for w in r.words]
    best: tuple[int, int, str] | None = None  # (score, -length, role)
    for role in roles.values():
        if not _fits(role.unit, unit):
            continue
        for word in role.words:
            for start in _occurrences(word, text, lo, hi):
                end = start + len(word)
                if any(s <= start and end <= e and not _heads(text, s, start, e, end, is_word) for s, e in terms):
                    continue
                if end <= number.start:
                    score = _distance(text, end, number.start)
                    between = (end, number.start)
                elif start >= number.end:
                    if any(end <= s <= end + 1 for s, _ in spans):
                        continue  # "贷2000万、利息74万": the word qualifies the number of its unit right after it
                    score = _distance(text, number.end, start) + _AFTER_PENALTY
                    between = (number.end, start)
                else:
                    continue
                if score > reach or any(between[0] <= s and e <= between[1] for s, e in spans):
                    continue
                score += _GENERIC_PENALTY if role.generic else 0
                after = start >= number.end
                name = (_compound_head(text, end, hi, fitting, numbers_at) if after else None) or role.name
                candidate = (score, -len(word), name)
                if best is None or candidate < best:
                    best = candidate
    return best[2] if best else None


def _summed_in_phrase(text: str, number: Found, spans: Sequence[tuple[int, int]], words: Sequence[str]) -> bool:
    """Whether the number, right after a word of ``words`` (合计, 一共), is the only one of its unit in its
    phrase: it sums up what the phrase says, whose role word qualifies it however far before (投了省内种子期和
    初创期科技型企业合计2.6亿元)."""
    lo, hi = phrase_span(text, number.start, number.end)
    if not any(text.endswith(w, lo, number.start) for w in words):
        return False
    return sum(lo <= s < hi for s, _ in spans) == 1


def _stands_alone(text: str, number: Found, words: Sequence[str], spans: Sequence[tuple[int, int]]) -> bool:
    """Whether the number's phrase holds nothing but it, other numbers of its unit (a list: 分别是800万元、
    1200万元和500万元) and words of ``words`` (一共6000万左右)."""
    lo, hi = phrase_span(text, number.start, number.end)
    kept = [i for i in range(lo, hi) if not any(s <= i < e for s, e in spans)]
    rest = "".join(text[i] for i in kept).replace(" ", "")
    for word in sorted(words, key=len, reverse=True):
        rest = rest.replace(word, "")
    return not rest


def _after_phrase_before(text: str, number: Found, spans: Sequence[tuple[int, int]]) -> tuple[str, Found] | None:
    """The text up to the end of the phrase before the number's, with the number moved there (投了3家初创期的
    科技企业，一共6000万 → 投了3家初创期的科技企业6000万); none when a number of its unit is already there."""
    lo, _ = phrase_span(text, number.start, number.end)
    if lo == 0:
        return None
    before_lo, before_hi = phrase_span(text, lo - 1, lo - 1)
    if any(before_lo <= s < before_hi for s, _ in spans):
        return None
    joined = text[:before_hi] + number.text
    return joined, dataclasses.replace(number, start=before_hi, end=len(joined))


def _distance(text: str, start: int, end: int) -> int:
    """Characters between two places; the spaces of mixed typing ("一家公司 A 轮 2000万") do not count."""
    return len(text[start:end].replace(" ", ""))


def _compound_head(
    text: str, end: int, hi: int, words: Sequence[tuple[str, str]], numbers_at: Sequence[int]
) -> str | None:
    """The role of the last word of a compound of role words running on from ``end`` ("200万贷款本金损失":
    the 损失 of the loan's principal), unless that word qualifies a number of its own ("贷款担保费4万")."""
    head = None
    while True:
        following = [(w, name) for w, name in words if text.startswith(w, end) and end + len(w) <= hi]
        if not following:
            return head
        word, name = max(following, key=lambda f: len(f[0]))
        end += len(word)
        if any(end <= at <= end + 1 for at in numbers_at):
            return head
        head = name


def _heads(text: str, term_start: int, start: int, term_end: int, end: int, is_word: Callable[[str], bool]) -> bool:
    """Whether the word at ``start:end`` is the whole term, or heads it after a modifier word."""
    return end == term_end and (start == term_start or is_word(text[term_start:start]))


def _term_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    return [(at, at + len(t)) for t in terms if t in text for at in _occurrences(t, text, 0, len(text))]


def _occurrences(word: str, text: str, lo: int, hi: int) -> list[int]:
    """Where ``word`` starts within ``text[lo:hi]`` (str.find: faster than a regex per word)."""
    found, at = [], text.find(word, lo, hi)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1, hi)
    return found


def questions(text: str) -> list[str]:
    """The sentences of ``text`` that end in a question mark."""
    return [s for s in _SENTENCE.findall(text) if s.endswith(("？", "?"))]


def phrase_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The phrase (between punctuation marks) holding ``text[start:end]``."""
    starts = [m.end() for m in PHRASE_END.finditer(text, 0, start)]
    after = PHRASE_END.search(text, end)
    return (starts[-1] if starts else 0), (after.start() if after else len(text))


def _fits(role_unit: str, unit: str) -> bool:
    return role_unit == unit or (role_unit == "%" and unit == "ratio")


def _opens_with(text: str, at: int, words: Sequence[str]) -> bool:
    lo, _ = phrase_span(text, at, at)
    return any(text.startswith(w, lo) for w in words)


def _listed_after(text: str, previous: Quantity, number: Found, unit: str) -> bool:
    return previous.unit == unit and bool(_LIST_GAP.fullmatch(text[previous.end : number.start]))

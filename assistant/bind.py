"""Bind what a question states to a rule's inputs: numbers by their roles, facts by their cue words.

A number input takes the number whose role (``assistant.quantities``) it accepts; a role no number
has may be derived from others (interest from principal × annual rate × term), shown as an estimate.
A number with no role is bound only where the assistant asked for exactly that input; otherwise it
is reported as unclear, to be asked about. Yes/no inputs are true when a cue word is stated and false
when it is negated (a negator earlier in the same phrase) or a ``no_cues`` word is stated; a no-cue
``@outside_place`` stands for a place outside the corpus regions where the activity happens, and a
cue ``@region`` for any word naming the rule's region.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import cn2an

from assistant.facts import FactMatcher
from assistant.money import Fewer, dec, fmt, round_yuan
from assistant.quantities import PHRASE, Quantity, phrase_span, questions
from assistant.rules import (
    FOUNDED_BEFORE_CUE,
    INPUT_LIMITS,
    INVESTED_BEFORE_CUE,
    OUTSIDE_PLACE_CUE,
    REGION_CUE,
    REGISTERED_OUTSIDE_CUE,
    InputSpec,
    Rule,
)
from assistant.understand import Understanding
from assistant.vocab import Derivation, Negation, Vocabulary, spans


@dataclass(frozen=True)
class Carried:
    """What earlier turns established for the rule being computed."""

    inputs: Mapping[str, object] = field(default_factory=dict)
    roles: Mapping[str, float] = field(default_factory=dict)  # number facts by role, for derivations
    asked: tuple[str, ...] = ()  # inputs or roles the last answer asked for


# An application for a status: its applying word up to this many characters before the status's name,
# and a word of failure up to this many after it, within the sentence (申请科技型中小企业评价，结果…没通过).
APPLIED_REACH = 6
FAILED_REACH = 40
SENTENCE_END = re.compile(r"[。！？!?；;]")
_SMALL_NUMBER = re.compile(r"(?<![\d.])\d{1,3}(?![\d.%‰])")  # a count (12年, 30多家), not a year, decimal or rate


@dataclass(frozen=True)
class Binding:
    values: dict[str, object]  # rule input → value
    roles: dict[str, float]  # every number fact known by role (carried into the next turn)
    estimates: tuple[str, ...]  # steps deriving an input (shown before the formula's steps)
    notes: tuple[str, ...]
    unclear: tuple[Quantity, ...]  # numbers of the rule's units whose role is not known: asked about
    wanting: tuple[str, ...]  # roles still needed to derive a missing input (asked for with it)


def bind(
    rule: Rule, u: Understanding, vocab: Vocabulary, carried: Carried | None = None, facts: FactMatcher | None = None
) -> Binding:
    carried = carried or Carried()
    stated = {q.role: _figure(q) for q in u.quantities if q.role is not None}
    roles = {**carried.roles, **stated}
    values: dict[str, object] = dict(carried.inputs)
    estimates: list[str] = []
    notes: list[str] = []
    wanting: list[str] = []
    unroled = [q for q in u.quantities if q.role is None]
    descriptions = facts.descriptions(u.text) if facts else []
    for spec in rule.inputs:
        if spec.unit in ("bool", "choice"):
            value = _bool(spec, u, vocab, rule) if spec.unit == "bool" else _choice(spec, u.text)
            if rule.args.get("flag") == spec.name and _asked_with_and_without(spec, u.text, vocab, rule.region):
                value = None  # both limits asked: the general one computed, the raised one in a note
            # The asker's description of itself says nothing of the firm it invested in.
            described = descriptions and not spec.of_investee
            if value is None and spec.unit == "bool" and facts and described and spec.name not in values:
                value = facts.judge(spec, descriptions)
                if value is not None:
                    said = "、".join(f"“{d}”" for d in descriptions)
                    notes.append(f"按您所述{said}，理解为{'' if value else '不'}符合“{spec.label}”，如有出入请说明")
            if value is not None:
                values[spec.name] = value
            continue
        listed = [q for role in spec.roles for q in u.quantities if q.role == role]
        if listed:
            best_role = listed[0].role
            same = [q for q in listed if q.role == best_role]
            if spec.sums and len(same) > 1:  # 分别投了1500万和3000万: the 累计 is their sum
                total = round_yuan(sum((dec(q.value) for q in same), dec(0)))
                values[spec.name] = total
                terms = " + ".join(fmt(q.value, q.unit) for q in same)
                estimates.append(f"{spec.label}：{terms} = {fmt(total, '元')}（按所述各笔相加）")
            else:
                values[spec.name] = tuple(q.value for q in same) if spec.many and len(same) > 1 else _figure(same[0])
            notes += [f"“{q.text}”按{fmt(q.value, q.unit)}计，以实际金额为准" for q in same if q.approximate]
            continue
        known = next((roles[r] for r in spec.roles if r in roles), None)
        if known is not None and spec.name not in values:
            values[spec.name] = known
            continue
        held = _held_since_investing(spec, u, rule)
        if held is not None and spec.name not in values:
            bound, said = held
            if spec.since_invested == "ended":
                values[spec.name] = bound
                estimates.append(said)
            else:  # still held: short of a floor now, met by waiting; the amount is what it will be then
                floors = [c for c in rule.conditions if c.input == spec.name and c.op in (">=", ">")]
                short = [c.text for c in floors if isinstance(c.value, int | float) and float(bound) <= c.value]
                notes += [f"{said}，须{t}后方可申请，金额按届时满足计算" for t in short]
            continue
        answered = _answer_to_question(spec, unroled, carried.asked)
        if answered is not None:
            values[spec.name] = answered.value
            unroled.remove(answered)
            continue
        derived = _best_derivation(spec, roles, unroled, vocab, carried.asked, u)
        if derived is not None:
            derivation, missing = derived
            outcome = None if missing else _derive(derivation, roles, vocab)
            wanting += missing
            if outcome is not None:
                value, step = outcome
                unfit = _range_note(spec, value)  # 担保费 ÷ a misread 担保金额 = 4000%: not used
                if unfit is None:
                    values[spec.name] = value
                    estimates.append(step)
                notes.append(unfit or derivation.note)
    unclear = tuple(q for q in unroled if any(unit_fits(s, q) for s in rule.inputs) and q.unit != "年")
    return Binding(values, roles, tuple(estimates), tuple(notes), unclear, tuple(dict.fromkeys(wanting)))


def _held_since_investing(spec: InputSpec, u: Understanding, rule: Rule) -> tuple[Fewer, str] | None:
    """A period since the investment, no figure given, bounded by the year it was made: under the years to
    next New Year (去年投的: 不到2年)."""
    years = dt.date.today().year - u.invested + 1 if spec.since_invested and u.invested is not None else 0
    if years <= 0:
        return None
    bound = Fewer(years)
    return bound, f"{spec.label}：{u.invested}年投资，至今{fmt(bound, '年')}（按投资年份推算，以实际持有时间为准）"


def _asked_with_and_without(spec: InputSpec, text: str, vocab: Vocabulary, region: str) -> bool:
    """Whether of the question's asking sentences one names the case that raises a limit and another does not
    ("对同一被担保人…最高不得超过多少？对同一被担保人及其关联方的…又是多少？"): both limits are asked."""
    asking = questions(text)
    cues = cue_words(spec.cues, vocab, region)
    naming = [any(c in s for c in cues) for s in asking]
    return len(asking) >= 2 and any(naming) and not all(naming)


def _range_note(spec: InputSpec, value: float) -> str | None:
    """Why a derived value cannot be the input (beyond what its unit allows), or None when it can. A figure
    the asker states beyond it is the asker's to correct (calculate raises a clear InputError); one derived
    here (担保费 ÷ a misread 担保金额 = 4000%) is ours: it is not used, and what it decides stays unknown."""
    limit = INPUT_LIMITS.get(spec.unit)
    if limit is None or 0 <= value <= limit:
        return None
    shown, bound = fmt(value, spec.unit), fmt(limit, spec.unit)
    return f"按所述数额估算的{spec.label}为{shown}，超出可能的范围（不超过{bound}），未采用，请核对所述数额"


def _figure(q: Quantity) -> float:
    return Fewer(q.value) if q.fewer else q.value


def unit_fits(spec: InputSpec, q: Quantity) -> bool:
    return spec.unit == q.unit or (spec.unit == "%" and q.unit == "ratio")


def _answer_to_question(spec: InputSpec, unroled: Sequence[Quantity], asked: Sequence[str]) -> Quantity | None:
    """A bare number in reply to a question about this very input ("利息是多少？" — "80万")."""
    if spec.name not in asked:
        return None
    fitting = [q for q in unroled if unit_fits(spec, q)]
    return fitting[0] if len(fitting) == 1 else None


def _best_derivation(
    spec: InputSpec,
    roles: dict[str, float],
    unroled: list[Quantity],
    vocab: Vocabulary,
    asked: Sequence[str],
    u: Understanding,
) -> tuple[Derivation, list[str]] | None:
    """The derivation of ``spec`` with the most sources known (bare numbers answering an ask count),
    and the sources it still lacks; None when no source of any derivation is known."""
    best: tuple[Derivation, list[str]] | None = None
    for derivation in (d for d in vocab.derived if d.role in spec.roles):
        missing = [s for s in derivation.sources if s not in roles]
        if len(missing) == len(derivation.sources):
            continue
        answered = _answer_sources(missing, unroled, vocab, asked) or _lone_period(
            missing, derivation.sources, unroled, vocab, u
        )
        roles.update(answered)
        missing = [s for s in missing if s not in answered]
        if best is None or len(missing) < len(best[1]):
            best = (derivation, missing)
    return best


def _lone_period(
    missing: Sequence[str], sources: Sequence[str], unroled: list[Quantity], vocab: Vocabulary, u: Understanding
) -> dict[str, float]:
    """The one duration left unqualified, when it is the only source still missing and its phrase holds no
    other number but the derivation's own sources ("贷了500万，年利率4%，一年", "贷款800万年化3.5%一年"): a
    loan's principal and rate given, it can only be its term ("一年卖一个半亿的货" is not). Amounts are never
    taken this way (a bare 80万 may be the loan or the interest)."""
    if len(missing) != 1 or vocab.roles[missing[0]].unit != "年":
        return {}
    periods = [q for q in unroled if q.unit == "年"]
    if len(periods) != 1:
        return {}
    lo, hi = phrase_span(u.text, periods[0].start, periods[0].end)
    if any(q is not periods[0] and lo <= q.start < hi and q.role not in sources for q in u.quantities):
        return {}
    unroled.remove(periods[0])
    return {missing[0]: periods[0].value}


def _answer_sources(
    missing: Sequence[str], unroled: list[Quantity], vocab: Vocabulary, asked: Sequence[str]
) -> dict[str, float]:
    """Bare numbers in reply to a question about the sources of a derivation (期限: "3年")."""
    found: dict[str, float] = {}
    for role in missing:
        if role not in asked:
            continue
        unit = vocab.roles[role].unit
        fitting = [q for q in unroled if q.unit == unit or (unit == "%" and q.unit == "ratio")]
        if len(fitting) == 1:
            found[role] = fitting[0].value
            unroled.remove(fitting[0])
    return found


def _derive(derivation: Derivation, roles: Mapping[str, float], vocab: Vocabulary) -> tuple[float, str] | None:
    """The derived value and its step; None for a quotient by zero or a difference of nothing left."""
    unit_of = {name: role.unit for name, role in vocab.roles.items()}
    shown = [fmt(roles[s], unit_of[s]) for s in derivation.sources]
    if derivation.kind == "quotient":  # 担保费 ÷ 担保金额: a rate, kept to a millionth (0.33%)
        numerator, denominator = (dec(roles[s]) for s in derivation.sources)
        if not denominator:
            return None
        value = float(round(numerator / denominator, 6))
        terms = " ÷ ".join(shown)
    elif derivation.kind == "difference":  # 转让收入 − 相关费用: a net income; none when costs reach the income
        first, *rest = (dec(roles[s]) for s in derivation.sources)
        value = round_yuan(first - sum(rest, dec(0)))
        if value <= 0:
            return None
        terms = " − ".join(shown)
    else:
        product = dec(derivation.factor)
        for source in derivation.sources:
            product *= dec(roles[source])
        value = round_yuan(product)
        terms = " × ".join(shown) + (f" × {fmt(derivation.factor, '')}" if derivation.factor != 1 else "")
    return value, f"{derivation.label}：{terms} = {fmt(value, unit_of[derivation.role])}（{derivation.note}）"


def _bool(spec: InputSpec, u: Understanding, vocab: Vocabulary, rule: Rule) -> bool | None:
    """Yes when a cue is stated, no when it is negated or a no-cue is stated (a negated no-cue is a yes)."""
    text, negation, region = u.text, vocab.negation, rule.region
    if spec.of_investee:
        text = _without_the_askers_own(text, vocab)
    cues = cue_words(spec.cues, vocab, region)
    votes: list[bool] = []
    # Where the deal happens, not where the asker is registered (注册在江苏的创投投了山东企业).
    votes += [False for p in u.places if p.activity and not p.registered] if OUTSIDE_PLACE_CUE in spec.no_cues else []
    # Registered in another province, or set up before the rule's period began (2019年就设立了 for a measure
    # from 2024), and not moving in (注册在江苏，刚迁入山东 is 新迁入; 注册在江苏的新设立创投 is not): not new to it.
    if REGISTERED_OUTSIDE_CUE in spec.no_cues or FOUNDED_BEFORE_CUE in spec.no_cues:
        words = vocab.concepts["relocating"]
        relocating = any(_stated(text, at, negation) for w in words for at in _starts(w, text))
        if REGISTERED_OUTSIDE_CUE in spec.no_cues and not relocating:
            votes += [False for p in u.registered_in if p != region]
        founded_before = u.founded is not None and u.founded < rule.in_force.start.year and not relocating
        votes += [False] if founded_before and FOUNDED_BEFORE_CUE in spec.no_cues else []
    # Invested in a year before the rule's period began (2022年投的): no investment 政策实施后.
    before = u.invested is not None and u.invested < rule.in_force.start.year
    votes += [False] if before and INVESTED_BEFORE_CUE in spec.no_cues else []
    no_cues = cue_words(spec.no_cues, vocab, region)
    votes += _cue_votes(text, cues, no_cues, negation, u.terms)
    if not votes and _SMALL_NUMBER.search(text):  # 成立12年 read as the cue 成立十…年 reads 成立十二年
        spelt = _SMALL_NUMBER.sub(lambda m: cn2an.an2cn(m.group()), text)
        votes = _cue_votes(spelt, cues, no_cues, negation, u.terms)
    if not votes:
        return None
    return all(votes)


def _cue_votes(
    text: str, cues: Sequence[str], no_cues: Sequence[str], negation: Negation, terms: Sequence[str]
) -> list[bool]:
    """Yes for each cue stated, no for each no-cue stated; a negated one votes the other way. A cue that is
    only the start of a longer term written there says nothing (再贴 of 再贴现, 首次 of 首次公开发行)."""
    votes = [_stated(text, a, negation, b - a) for cue in cues for a, b in _whole(text, cue, terms)]
    return votes + [not _stated(text, a, negation) for cue in no_cues for a, _ in _whole(text, cue, terms)]


def _whole(text: str, cue: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where ``cue`` stands, not cut out of the start of a longer lexicon term."""
    return [(a, b) for a, b in spans(text, cue) if not any(len(t) > b - a and text.startswith(t, a) for t in terms)]


def _without_the_askers_own(text: str, vocab: Vocabulary) -> str:
    """The text with what the asker says of itself blanked out: a phrase opening with 我们 (我司, 本机构…) up to
    its first word of investing ("我们创投成立十年了" all; "我们投的那家公司成立十年了" to 投的)."""
    for m in PHRASE.finditer(text):
        phrase = m.group()
        if not phrase.startswith(vocab.first_person):
            continue
        at = min((i for i in (phrase.find(w) for w in vocab.investing) if i >= 0), default=len(phrase))
        text = text[: m.start()] + "＿" * at + text[m.start() + at :]
    return text


def cue_words(cues: Sequence[str], vocab: Vocabulary, region: str) -> list[str]:
    """The words cues stand for: @region → the region's words, @concept → its words, a word → itself."""
    words: list[str] = []
    for cue in cues:
        if cue == REGION_CUE:
            words += [region, *vocab.regions[region]]
        elif cue.startswith("@"):
            words += vocab.concepts.get(cue[1:], ())
        else:
            words.append(cue)
    return words


def _starts(word: str, text: str) -> list[int]:
    """Where a cue stands; "…" in it stands for up to four characters (买…理财 holds 买了银行理财)."""
    return [start for start, _ in spans(text, word)]


def _stated(text: str, at: int, negation: Negation, length: int = 0) -> bool:
    """False when a negator stands right before ``at``, or before bridging words only (没有出现过逾期); or
    when the ``length`` characters there name a status applied for and not granted (正在申请…评价,
    申请科技型中小企业评价，结果没通过)."""
    if length and _not_granted(text, at, at + length, negation):
        return False
    end = at
    while True:
        bridge = next((w for w in sorted(negation.bridge, key=len, reverse=True) if text.endswith(w, 0, end)), None)
        negator = next((w for w in negation.words if text.endswith(w, 0, end)), None)
        if negator is not None and not any(
            text.startswith(e, end - len(negator)) or text.startswith(e, end - len(negator) - 1)
            for e in negation.exceptions
        ):
            return False
        if bridge is None:
            return True
        end -= len(bridge)


def _not_granted(text: str, start: int, end: int, negation: Negation) -> bool:
    """Whether the status named at ``text[start:end]`` is assessed (…评价, …认定) and not granted: applied
    for and pending (正在申请), or failed later in the sentence (结果没通过)."""
    if not text.startswith(negation.assessed, end):
        return False
    before = text[max(0, start - APPLIED_REACH) : start]
    applying = max((before.rfind(w) for w in negation.applied), default=-1)
    if applying >= 0 and before[:applying].endswith(negation.pending):
        return True
    sentence = SENTENCE_END.split(text[end : end + FAILED_REACH], maxsplit=1)[0]
    return any(w in sentence for w in negation.failed)


def _choice(spec: InputSpec, text: str) -> str | None:
    for choice, words in spec.choice_cues.items():
        if any(w in text for w in words):
            return choice
    return None

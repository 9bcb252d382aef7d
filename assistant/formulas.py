"""The formula kinds: small pure functions from a rule's numbers to an amount and the steps showing it.

A formula gets the rule's constants as plain numbers and its inputs as ``Quantity`` (value None when
the user has not given it), and returns an ``Outcome``. ``KINDS`` states, for each kind, its function
and what each argument must be; the rule loader checks every rule file against it, so a formula never
sees an argument of the wrong sort. Steps only show inputs, constants and what is computed from them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from assistant.money import dec, fmt, percent, round_yuan, yuan


@dataclass(frozen=True)
class Constant:
    value: float
    unit: str  # "元" | "ratio" | "年" | "个百分点" | "%" | "倍"


@dataclass(frozen=True)
class Part:
    party: str
    amount: float


@dataclass(frozen=True)
class Quantity:
    """An input as a formula sees it; ``label`` names it in the steps."""

    name: str
    label: str
    value: float | bool | tuple[float, ...] | None  # a tuple: several items (projects), each capped alone


@dataclass(frozen=True)
class Tier:
    low: float
    low_inclusive: bool
    high: float | None  # inclusive, as texts write "（含）"; None: no upper bound
    amount: float


@dataclass(frozen=True)
class Share:
    party: str
    share: float


@dataclass(frozen=True)
class Outcome:
    amount: float | None  # None: an input is missing, or the text states no amount
    steps: tuple[str, ...]
    eligible: bool = True  # False when the base falls short (below the lowest tier, less than one step)
    parts: tuple[Part, ...] = ()
    notes: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    left: float | None = None  # what remains of a limit after what is already taken of it (尚可新增)


def rate_with_cap(base: Quantity, rate: float, caps: tuple[float, ...], total_caps: tuple[float, ...] = ()) -> Outcome:
    """base × rate within ``caps``; several items are each capped, then their sum within ``total_caps``."""
    if base.value is None:
        summed = _cap_text(total_caps, "合计") if total_caps != caps else ""  # one cap for each and all: said once
        return _needs(base, f"{base.label} × {percent(rate)}{_cap_text(caps)}{summed}")
    items = base.value if isinstance(base.value, tuple) else (base.value,)
    each = [_capped(_times(v, rate), f"{yuan(v)} × {percent(rate)}", caps) for v in items]
    if len(each) == 1:
        single = each[0]
        if not total_caps or single.amount <= min(total_caps):
            return single
        total = _capped(single.amount, yuan(single.amount), total_caps)
        return Outcome(total.amount, (*single.steps, *total.steps))
    steps = [f"第{n}项：{o.steps[0]}" for n, o in enumerate(each, start=1)]
    total = float(sum(dec(o.amount) for o in each))
    expression = "合计 " + " + ".join(yuan(o.amount) for o in each)
    summed = _capped(total, expression, total_caps)
    return Outcome(summed.amount, (*steps, *summed.steps))


FLOOR = "rate_floor"  # the kind whose amount is the least due, not the most
# The kinds whose amount is a limit the text sets (担保责任余额上限, 注册资本最低限额), not money paid.
CEILINGS = ("multiple_cap", "share_cap")
MINIMUM = "minimum"
LIMITS = (*CEILINGS, MINIMUM)
NOT_STATED = "not_stated"  # the kind of a measure whose amount the text leaves open
SAVING = "rate_saving"  # the kind whose amount is what a capped rate saves the payer: no money paid to anyone
CAP_ONLY = "cap_only"  # the kind of a text that states a ceiling and no scale
PROHIBITED = "prohibited"  # the kind of a text forbidding acts (不得吸收存款): its inputs are the acts not done


def rate_floor(base: Quantity, rate: float) -> Outcome:
    """base × rate as the least due ("提取不低于百分之五十"): the text sets a floor, not an amount. Several
    items (each year's 营业利润) each give their floor, and the amount is their total."""
    if base.value is None:
        return _needs(base, f"{base.label} × {percent(rate)}（不低于）")
    items = base.value if isinstance(base.value, tuple) else (base.value,)
    each = [_times(v, rate) for v in items]
    steps = [f"{yuan(v)} × {percent(rate)} = {yuan(a)}（不低于此数）" for v, a in zip(items, each, strict=True)]
    if len(items) == 1:
        return Outcome(each[0], tuple(steps))
    total = float(sum(dec(a) for a in each))
    summed = f"合计 {' + '.join(yuan(a) for a in each)} = {yuan(total)}（不低于此数）"
    return Outcome(total, (*(f"第{n}项：{s}" for n, s in enumerate(steps, start=1)), summed))


def rate_saving(base: Quantity, charged: Quantity, ceiling: float) -> Outcome:
    """base × (charged − ceiling): what a measure capping the rate ("实际收取企业担保费率不超过0.5%/年")
    saves at least against the rate charged before; the rate under the measure may be lower still."""
    if base.value is None or charged.value is None:
        formula = f"{base.label} × （{charged.label} − {percent(ceiling)}）"
        return Outcome(None, (formula,), missing=tuple(q.name for q in (base, charged) if q.value is None))
    rate = float(charged.value)
    if rate <= ceiling:
        return Outcome(0.0, (f"{charged.label}{percent(rate)}已不高于{percent(ceiling)}，按上限计不会少交",))
    amount = round_yuan(dec(base.value) * (dec(rate) - dec(ceiling)))
    step = f"{yuan(base.value)} × （{percent(rate)} − {percent(ceiling)}） = {yuan(amount)}"
    return Outcome(amount, (step,), notes=(f"按费率上限{percent(ceiling)}估算，至少少交此数；以实际收取的费率为准",))


def multiple_cap(
    base: Quantity,
    multiple: float,
    flag: Quantity | None = None,
    multiple_if: float | None = None,
    used: Quantity | None = None,
    used_multiple: Quantity | None = None,
) -> Outcome:
    """base × multiple as the most a text allows ("担保责任余额不得超过其净资产的10倍"); ``multiple_if`` where
    ``flag`` holds ("…可以提高至15倍"); unknown, the general limit, with the other in a note. ``used``: what
    is already taken of the limit (在保余额已经12亿): the amount stays the limit, what remains is a step;
    ``used_multiple``, the same said as a multiple of the base (已经是净资产的12倍)."""
    outcome = _limit(base, multiple, "倍", flag, multiple_if, used)
    if used_multiple is None or used_multiple.value is None or (used is not None and used.value is not None):
        return outcome  # the balance given, what remains is said in money already
    chosen = multiple_if if flag and flag.value is True and multiple_if else multiple
    taken = float(used_multiple.value)
    said = f"{used_multiple.label}：{fmt(taken, '倍')}，上限{fmt(chosen, '倍')}"
    if taken >= chosen:
        step = f"{said}，{'已超过' if taken > chosen else '已达'}上限，不得新增"
    elif base.value is None:
        step = f"{said}，尚可新增{base.label}的{fmt(chosen - taken, '倍')}"
    else:
        left = _times(base.value, chosen - taken)
        step = f"{said}，尚可新增{yuan(base.value)} × {fmt(chosen - taken, '倍')} = {yuan(left)}"
    return dataclasses.replace(outcome, steps=(*outcome.steps, step))


def share_cap(
    base: Quantity,
    rate: float,
    flag: Quantity | None = None,
    rate_if: float | None = None,
    used: Quantity | None = None,
) -> Outcome:
    """base × rate as the most a text allows ("对同一被担保人的担保责任余额与净资产的比例不得超过10%"),
    ``rate_if`` where ``flag`` holds ("对同一被担保人及其关联方的…不得超过15%"); ``used`` as in multiple_cap."""
    return _limit(base, rate, "ratio", flag, rate_if, used)


def _limit(
    base: Quantity, factor: float, unit: str, flag: Quantity | None, factor_if: float | None, used: Quantity | None
) -> Outcome:
    raised = f"（{flag.label}的，为{fmt(factor_if, unit)}）" if flag and factor_if else ""
    if base.value is None:
        return _needs(base, f"{base.label} × {fmt(factor, unit)}{raised}")
    chosen = factor_if if flag and flag.value is True and factor_if else factor
    limit = _times(base.value, chosen)
    steps = (f"{yuan(base.value)} × {fmt(chosen, unit)} = {yuan(limit)}（上限）",)
    notes: tuple[str, ...] = ()
    if flag and factor_if and flag.value is None:
        other = _times(base.value, factor_if)
        left = f"，尚可新增{yuan(_remaining(other, used))}" if used and used.value is not None else ""
        notes = (f"若{flag.label}，上限为{fmt(factor_if, unit)}，即{yuan(other)}{left}",)
    if used is None or used.value is None:
        return Outcome(limit, steps, notes=notes)
    if used.value > limit:  # already past what the text allows: not compliant, nothing may be added
        step = f"{used.label}{yuan(used.value)}已超过上限{yuan(limit)}，不得新增"
        return Outcome(limit, (*steps, step), eligible=False, notes=notes, left=0.0)
    step = f"{yuan(limit)} − {used.label}{yuan(used.value)} = 尚可新增{yuan(_remaining(limit, used))}"
    return Outcome(limit, (*steps, step), notes=notes, left=_remaining(limit, used))


def _remaining(limit: float, used: Quantity) -> float:
    return max(0.0, float(dec(limit) - dec(used.value or 0)))


def conditional_rate(
    base: Quantity, flag: Quantity, rate_if: float, rate_else: float, caps: tuple[float, ...]
) -> Outcome:
    """``rate_if`` when ``flag`` holds (e.g. the first year), else ``rate_else``; unknown: the higher."""
    if base.value is None:
        text = f"{base.label} × {percent(rate_if)}（{flag.label}）或 × {percent(rate_else)}（其他情形）"
        return _needs(base, text + _cap_text(caps))
    if flag.value is None:
        high, low = max(rate_if, rate_else), min(rate_if, rate_else)
        out = _capped(_times(base.value, high), f"{yuan(base.value)} × {percent(high)}", caps)
        other = _capped(_times(base.value, low), "", caps).amount  # what the user gets in the other case
        note = f"未说明是否{flag.label}，按较高比例{percent(high)}计；另一情形按{percent(low)}计为{yuan(other)}"
        return Outcome(out.amount, out.steps, notes=(note,))
    chosen = rate_if if flag.value else rate_else
    return _capped(_times(base.value, chosen), f"{yuan(base.value)} × {percent(chosen)}", caps)


def per_step_with_cap(base: Quantity, step: float, reward: float, caps: tuple[float, ...]) -> Outcome:
    """``reward`` for every full ``step`` of the base."""
    if base.value is None:
        return _needs(base, f"{base.label}每满{yuan(step)}奖励{yuan(reward)}{_cap_text(caps)}")
    count = int(dec(base.value) // dec(step))
    if count == 0:
        return Outcome(0.0, (f"{yuan(base.value)}不满{yuan(step)}，不予奖励",), eligible=False)
    out = _capped(_times(count, reward), f"{count} × {yuan(reward)}", caps)
    return Outcome(out.amount, (f"{yuan(base.value)}中满{yuan(step)}的共{count}个", *out.steps))


def tiers(base: Quantity, tiers: tuple[Tier, ...]) -> Outcome:
    """The amount of the tier the base falls in; outside every tier, nothing."""
    if base.value is None:
        listed = "；".join(f"{_range(t)}最高{yuan(t.amount)}" for t in tiers)
        return _needs(base, f"按{base.label}分档：{listed}")
    for t in tiers:
        if _within(base.value, t):
            return Outcome(t.amount, (f"{base.label}{yuan(base.value)}，属{_range(t)}档，最高{yuan(t.amount)}",))
    listed = "、".join(_range(t) for t in tiers)
    return Outcome(0.0, (f"{base.label}{yuan(base.value)}，不在所列档次（{listed}）内，不予奖励",), eligible=False)


def fixed(amount: float) -> Outcome:
    return Outcome(amount, (f"定额{yuan(amount)}",))


def cap_only(cap: float) -> Outcome:
    """The text states a ceiling but no scale: the most it allows is the ceiling."""
    return Outcome(cap, (f"文件未明确计算标准，按最高{yuan(cap)}计",), notes=(f"金额文件未明确，最高{yuan(cap)}",))


def minimum(base: Quantity, least: float) -> Outcome:
    """The least a value must reach ("注册资本不低于人民币2000万元"): the limit itself, the value given
    compared with it (the rule's condition decides eligibility)."""
    if base.value is None:
        return _needs(base, f"{base.label}不低于{yuan(least)}")
    sign = "≥" if base.value >= least else "<"
    return Outcome(least, (f"{yuan(base.value)} {sign} {yuan(least)}（最低限额）",))


def prohibited() -> Outcome:
    return Outcome(None, ("本条为禁止性规定，不涉及金额",))


def not_stated() -> Outcome:
    return Outcome(None, ("文件未明确金额或计算标准",), notes=("金额文件未明确",))


def split(
    base: Quantity,
    shares: tuple[Share, ...],
    flag: Quantity | None = None,
    shares_if: tuple[Share, ...] = (),
    note_if: str = "",
) -> Outcome:
    """Each party's share of the base; ``shares_if`` replace ``shares`` where ``flag`` holds.

    An unknown flag keeps the general shares: the other split is an exception the user must confirm.
    ``amount`` is the total over the parties; the caller picks a party's share from ``parts``.
    """
    notes: tuple[str, ...] = ()
    if flag is not None and flag.value:
        shares, notes = shares_if, (note_if,)
    elif flag is not None and flag.value is None:
        exception = "、".join(f"{s.party}{percent(s.share)}" for s in shares_if)
        notes = (f"未说明是否属于{flag.label}；如属于，按{exception}计（{note_if}）",)
    if base.value is None:
        listed = "、".join(f"{s.party}{percent(s.share)}" for s in shares)
        out = _needs(base, f"{base.label}按{listed}分担")
        return Outcome(None, out.steps, notes=notes, missing=out.missing)
    parts = tuple(Part(s.party, _times(base.value, s.share)) for s in shares)
    steps = tuple(
        f"{p.party}：{yuan(base.value)} × {percent(s.share)} = {yuan(p.amount)}"
        for s, p in zip(shares, parts, strict=True)
    )
    return Outcome(round_yuan(sum(dec(p.amount) for p in parts)), steps, parts=parts, notes=notes)


def percentage_points(base: Quantity, points: float) -> Outcome:
    """A rate (in %) raised by up to ``points`` percentage points."""
    if base.value is None:
        return _needs(base, f"{base.label} + {fmt(points, '个百分点')}")
    total = float(dec(base.value) + dec(points))
    return Outcome(total, (f"{fmt(base.value, '%')} + {fmt(points, '个百分点')} = {fmt(total, '%')}",))


@dataclass(frozen=True)
class Param:
    role: str  # see ROLES
    required: bool = True
    group: str = ""  # optional params of one group are given together or not at all


# What a rule file gives for each role: an input name of that unit, a constant name of that unit,
# a list of 元 constants, tier or share tables, or plain text.
INPUT_ROLES = {
    "money_input": "元",
    "percent_input": "%",
    "ratio_input": "ratio",
    "multiple_input": "倍",
    "flag_input": "bool",
}
CONSTANT_ROLES = {"rate": "ratio", "money": "元", "points": "个百分点", "multiple": "倍"}
ROLES = (*INPUT_ROLES, *CONSTANT_ROLES, "caps", "tiers", "shares", "text")


@dataclass(frozen=True)
class Kind:
    function: Callable[..., Outcome]
    params: Mapping[str, Param]
    unit: str  # of the amount


_BASE, _CAPS, _RATE = Param("money_input"), Param("caps"), Param("rate")
KINDS: Mapping[str, Kind] = {
    "rate_with_cap": Kind(
        rate_with_cap,
        {"base": _BASE, "rate": _RATE, "caps": _CAPS, "total_caps": Param("caps", required=False)},
        "元",
    ),
    FLOOR: Kind(rate_floor, {"base": _BASE, "rate": _RATE}, "元"),
    SAVING: Kind(rate_saving, {"base": _BASE, "charged": Param("ratio_input"), "ceiling": _RATE}, "元"),
    "multiple_cap": Kind(
        multiple_cap,
        {
            "base": _BASE,
            "multiple": Param("multiple"),
            "flag": Param("flag_input", required=False, group="raised"),
            "multiple_if": Param("multiple", required=False, group="raised"),
            "used": Param("money_input", required=False, group="used"),
            "used_multiple": Param("multiple_input", required=False),
        },
        "元",
    ),
    "share_cap": Kind(
        share_cap,
        {
            "base": _BASE,
            "rate": _RATE,
            "flag": Param("flag_input", required=False, group="raised"),
            "rate_if": Param("rate", required=False, group="raised"),
            "used": Param("money_input", required=False, group="used"),
        },
        "元",
    ),
    "conditional_rate": Kind(
        conditional_rate,
        {"base": _BASE, "flag": Param("flag_input"), "rate_if": _RATE, "rate_else": _RATE, "caps": _CAPS},
        "元",
    ),
    "per_step_with_cap": Kind(
        per_step_with_cap,
        {"base": _BASE, "step": Param("money"), "reward": Param("money"), "caps": _CAPS},
        "元",
    ),
    "tiers": Kind(tiers, {"base": _BASE, "tiers": Param("tiers")}, "元"),
    "fixed": Kind(fixed, {"amount": Param("money")}, "元"),
    MINIMUM: Kind(minimum, {"base": _BASE, "least": Param("money")}, "元"),
    CAP_ONLY: Kind(cap_only, {"cap": Param("money")}, "元"),
    NOT_STATED: Kind(not_stated, {}, "元"),
    PROHIBITED: Kind(prohibited, {}, "元"),
    "split": Kind(
        split,
        {
            "base": _BASE,
            "shares": Param("shares"),
            "flag": Param("flag_input", required=False),
            "shares_if": Param("shares", required=False),
            "note_if": Param("text", required=False),
        },
        "元",
    ),
    "percentage_points": Kind(percentage_points, {"base": Param("percent_input"), "points": Param("points")}, "%"),
}


def _times(a: float, b: float) -> float:
    return round_yuan(dec(a) * dec(b))


def _capped(raw: float, expression: str, caps: tuple[float, ...]) -> Outcome:
    text = f"{expression} = {yuan(raw)}"
    if not caps:
        return Outcome(raw, (text,))
    cap = min(caps)
    if raw > cap:
        return Outcome(cap, (f"{text}，超过上限{yuan(cap)}，按{yuan(cap)}计",))
    return Outcome(raw, (f"{text}，未超过上限{yuan(cap)}",))


def _cap_text(caps: tuple[float, ...], prefix: str = "") -> str:
    return f"，{prefix}最高{yuan(min(caps))}" if caps else ""


def _needs(base: Quantity, formula: str) -> Outcome:
    """The amount waits for ``base``: show the formula instead."""
    return Outcome(None, (formula,), missing=(base.name,))


def _within(value: float, t: Tier) -> bool:
    above_low = value >= t.low if t.low_inclusive else value > t.low
    return above_low and (t.high is None or value <= t.high)


def _range(t: Tier) -> str:
    low = yuan(t.low) if t.low_inclusive else f"超过{yuan(t.low)}"
    if t.high is None:
        return f"{low}及以上" if t.low_inclusive else low
    return f"{low}至{yuan(t.high)}（含）"

"""Amounts, rates and periods written the way Chinese policy texts write them.

``320000`` → ``32万元``, ``200000000`` → ``2亿元``, ``8000`` → ``8000元``; ratios ``0.4`` → ``40%``.
Values go through ``Decimal(repr(x))`` so that a step never shows binary noise such as
``320000.00000000006``; sums of money are kept to the fen (分).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import cn2an

_FEN = Decimal("0.01")
_WAN = Decimal(10_000)
_YI = Decimal(100_000_000)


def dec(value: float | Decimal) -> Decimal:
    """The decimal a float was written as (``0.1`` is 0.1, not 0.1000000000000000055…)."""
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))


def round_yuan(value: float | Decimal) -> float:
    """Money to the fen, half up, as accounting rounds it."""
    return float(dec(value).quantize(_FEN, rounding=ROUND_HALF_UP))


def yuan(amount: float) -> str:
    """``320000`` → ``32万元``; ``200000000`` → ``2亿元``; ``125000`` → ``12.5万元``; ``8000`` → ``8000元``.

    亿 or 万 only where the figure stays exact in it (at most four decimals), else plain 元 to the fen.
    """
    d = dec(round_yuan(amount))
    if d >= _YI and d % _WAN == 0:
        return f"{_plain(d / _YI)}亿元"
    if d >= _WAN and d % 1 == 0:
        return f"{_plain(d / _WAN)}万元"
    return f"{_plain(d)}元"


def percent(ratio: float) -> str:
    """A fraction as a percentage: ``0.4`` → ``40%``, ``0.005`` → ``0.5%``."""
    return f"{_plain(dec(ratio) * 100)}%"


class Fewer(float):
    """A figure said as an upper bound ("不到两年", "不足1亿"): the true value is below it. It computes as the
    figure (an amount then reads as at most), but a condition it must reach is not met (rules._check)."""


def fmt(value: float, unit: str) -> str:
    """A value in its unit: 元 via ``yuan``, ``ratio`` as a percentage, ``%`` ``年`` ``个百分点`` as is."""
    if isinstance(value, Fewer):
        return "不到" + fmt(float(value), unit)
    if unit == "元":
        return yuan(value)
    if unit == "ratio":
        return percent(value)
    return f"{_plain(dec(value))}{unit}"


def written_forms(value: float, unit: str) -> tuple[str, ...]:
    """The ways a policy text may write ``value``: 5e9 元 → ``50亿元``, ``500000万元``, ``5000000000元``;
    0.5 ratio → ``50%`` or, as laws write it, ``百分之五十``."""
    hundredths = dec(value) * 100
    if unit == "ratio" and hundredths % 1 == 0:
        return (fmt(value, unit), "百分之" + cn2an.an2cn(int(hundredths)))
    if unit != "元":
        return (fmt(value, unit),)
    d = dec(value)
    forms = [yuan(value)]
    if d % 1 == 0:
        forms += [f"{_plain(d / _WAN)}万元", f"{_plain(d)}元"]
    return tuple(dict.fromkeys(forms))


def _plain(d: Decimal) -> str:
    """No exponent, no trailing zeros: ``3.2E+5`` → ``320000``, ``12.50`` → ``12.5``."""
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "0") else text

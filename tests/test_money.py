"""Amounts, rates and periods written as Chinese policy texts write them."""

from __future__ import annotations

import pytest

from assistant.money import fmt, percent, round_yuan, written_forms, yuan


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (320000, "32万元"),
        (200000000, "2亿元"),
        (125000, "12.5万元"),
        (8000, "8000元"),
        (500000, "50万元"),
        (10000, "1万元"),
        (9999, "9999元"),
        (10000000, "1000万元"),
        (150000000, "1.5亿元"),
        (5000000000, "50亿元"),
        (13000000000, "130亿元"),
        (12345, "1.2345万元"),
        (123456.78, "123456.78元"),  # 万 only where the figure stays exact
        (123456789, "12345.6789万元"),
        (0, "0元"),
        (0.5, "0.5元"),
        (12.345, "12.35元"),  # to the fen, half up
        (320000.00000000006, "32万元"),  # binary noise never shows
    ],
)
def test_yuan(amount: float, text: str) -> None:
    assert yuan(amount) == text


@pytest.mark.parametrize(
    ("ratio", "text"),
    [(0.4, "40%"), (0.005, "0.5%"), (0.35, "35%"), (0.07, "7%"), (1, "100%"), (0.125, "12.5%"), (0, "0%")],
)
def test_percent(ratio: float, text: str) -> None:
    assert percent(ratio) == text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (500000, "元", "50万元"),
        (0.005, "ratio", "0.5%"),
        (2, "%", "2%"),
        (2.5, "%", "2.5%"),
        (2, "年", "2年"),
        (1.5, "年", "1.5年"),
        (3, "个百分点", "3个百分点"),
    ],
)
def test_fmt(value: float, unit: str, text: str) -> None:
    assert fmt(value, unit) == text


@pytest.mark.parametrize(
    ("value", "unit", "forms"),
    [
        (0.40, "ratio", ("40%", "百分之四十")),
        (500000, "元", ("50万元", "500000元")),
        (200000000, "元", ("2亿元", "20000万元", "200000000元")),
        (0.005, "ratio", ("0.5%",)),
        (2, "年", ("2年",)),
        (3, "个百分点", ("3个百分点",)),
    ],
)
def test_written_forms(value: float, unit: str, forms: tuple[str, ...]) -> None:
    assert written_forms(value, unit) == forms


def test_round_yuan_is_half_up_to_the_fen() -> None:
    assert round_yuan(0.125) == 0.13
    assert round_yuan(800000 * 0.4) == 320000

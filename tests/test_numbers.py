"""Number, rate, period and date extraction, table-driven."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.numbers import amounts, dates, normalise, percents, periods

AMOUNTS = [
    ("利息80万", [800_000]),
    ("利息80万元", [800_000]),
    ("八十万元", [800_000]),
    ("投了2亿", [200_000_000]),
    ("3.9亿元", [390_000_000]),
    ("三点九亿", [390_000_000]),
    ("1,250,000元", [1_250_000]),
    ("１２０万", [1_200_000]),
    ("一千二百五十万元", [12_500_000]),
    ("8000元", [8_000]),
    ("两千万", [20_000_000]),
    ("50亿元规模", [5_000_000_000]),
    ("先投了2亿，又投了3.9亿元", [200_000_000, 390_000_000]),
    ("持有3年", []),
    ("2029年", []),
    ("费率0.5%", []),
    ("第二年", []),
    # Spoken numbers drop their last unit; 个 before 亿 is spoken style.
    ("一亿二的业务", [120_000_000]),
    ("一个亿二", [120_000_000]),
    ("两个亿五", [250_000_000]),
    ("一个半亿的货", [150_000_000]),
    # 年 opening a rate word ends the amount: not "一千五百万年" (a duration).
    ("借了一千五百万 年化3.5%", [15_000_000]),
    ("500万年利率4%", [5_000_000]),
    # About so much: the round figure ("多少" is no "多").
    ("付了80多万利息", [800_000]),
    ("八十来万", [800_000]),
    ("80余万元", [800_000]),
    ("一个多亿", [100_000_000]),
    ("80多少钱", []),
    ("三万五", [35_000]),
    ("两万三千四元", [23_400]),
    ("一万零二百元", [10_200]),
    ("一亿二千万", [120_000_000]),
    # 块 is money as 五百块 or 两块钱, not as 一块申请 (together) or 两块加起来 (two parts).
    ("五百块", [500]),
    ("两块钱", [2]),
    ("两块一共多少", []),
    ("一块申请", []),
    # Two scales in one figure, and cheque numerals (陆 alone stays a word: 陆续).
    ("付了28万3千", [283_000]),
    ("1亿2000万元", [120_000_000]),
    ("5万5000元", [55_000]),
    ("贷款陆佰万", [6_000_000]),
    ("陆续还了2万", [20_000]),
]


@pytest.mark.parametrize(("text", "expected"), AMOUNTS)
def test_amounts(text: str, expected: list[float]) -> None:
    assert [f.value for f in amounts(normalise(text))] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("费率0.5%", [0.005]),
        ("0.5%/年", [0.005]),
        ("百分之四十", [0.4]),
        ("补一半", [0.5]),
        ("占三成", [0.3]),
        ("５０％以上", [0.5]),
        ("科技成果转化", []),
        ("成长期企业", []),
        ("月息4厘", [0.004]),  # lending's 厘: a tenth of a percent a month, a percent a year
        ("年息4.5厘", [0.045]),
        ("差了4厘", []),
        ("LPR 3.45%加50个bp", [0.0395]),  # a floating rate in basis points
        ("3.2%+30BP", [0.035]),
    ],
)
def test_percents(text: str, expected: list[float]) -> None:
    assert [pytest.approx(f.value) for f in percents(normalise(text))] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("满2年", [2]),
        ("满两年", [2]),
        ("两年半", [2.5]),
        ("持有1.5年", [1.5]),
        ("18个月", [1.5]),
        ("第二年", [1.5]),  # an ordinal year: more than one full year, fewer than two
        ("持有到第8年", [7.5]),
        ("2029年", []),
        ("首年度", []),
    ],
)
def test_periods(text: str, expected: list[float]) -> None:
    assert [f.value for f in periods(normalise(text))] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2029年还能申请吗", [dt.date(2029, 1, 1)]),
        ("2028年12月31日", [dt.date(2028, 12, 31)]),
        ("2024-01-01起", [dt.date(2024, 1, 1)]),
        ("2023年2月30日", []),
        ("满2年", []),
    ],
)
def test_dates(text: str, expected: list[dt.date]) -> None:
    assert dates(normalise(text)) == expected


def test_traditional_characters_are_read() -> None:
    assert normalise("魯科貸利息80萬元") == "鲁科贷利息80万元"
    assert [f.value for f in amounts(normalise("利息80萬元"))] == [800_000]


@pytest.mark.parametrize("text", ["一亿二三", "十亿二万", "亿亿二", "万万万一"])
def test_odd_numerals_never_raise(text: str) -> None:
    amounts(text)  # cn2an rejects some of these with KeyError: never a traceback for the user


def test_an_amount_said_about_so_much_is_marked_approximate() -> None:
    assert [f.approximate for f in amounts("付了80多万，又付了30万")] == [True, False]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("利息30w", "利息30万"),
        ("保费5k", "保费5千"),
        ("Windows系统", "Windows系统"),
        ("净资产 3.5 yi", "净资产 3.5亿"),  # a scale typed in pinyin
        ("利息80 WAN", "利息80万"),
        ("2 yiyuan", "2 yiyuan"),  # not a scale alone
    ],
)
def test_chat_shorthand_for_a_scale_is_read_as_it(typed: str, read: str) -> None:
    assert normalise(typed) == read

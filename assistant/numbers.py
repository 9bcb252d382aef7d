"""Numbers in questions: amounts of money, rates, periods and years, in the usual written forms.

``80万`` ``80万元`` ``八十万元`` ``2亿`` ``1个亿`` ``1.5百万`` ``3.9亿元`` ``三点九亿`` ``1,250,000元`` ``￥960,000``
``80多万`` ``八十来万`` (approximate) ``300w`` (万 in chat) ``6 million`` (600万)
``１２０万`` ``28万3千`` (283000) ``1亿2000万`` ``陆佰万`` (capital numerals) · ``0.5%`` ``3.45%加50个bp`` (3.95%)
``3‰`` ``千分之五`` ``百分之四十`` ``一半`` ``三成`` ``月息4厘`` (0.4% a month) ``年息4厘`` (4%)
· ``满2年`` ``两年半`` ``18个月`` ``第8年`` · ``2029年``
``2028年12月31日``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import cn2an
import opencc

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_NUM = f"[{_CN_DIGITS}十百千万亿]+(?:点[{_CN_DIGITS}]+)?"
_AR_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM = f"(?:{_AR_NUM}|{_CN_NUM})"
_SCALE = {"亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3, "": 1.0}
# 年 opening a rate word ("借了一千五百万 年化3.5%", "500万年利率4%") ends an amount, not a duration.
_RATE_WORD = "化|利率|息|费率|率"

# "1个亿", "两个亿": 个 before the scale word is spoken style, not a count; "一个亿二" is 1.2亿, "一个半亿" 1.5亿.
# "80多万", "八十来万", "80余万", "一个多亿": about that much (read as the round figure, marked approximate).
_MONEY = re.compile(
    rf"([¥$]\s*)?({_NUM})\s*(多(?!少)|来|余)?\s*(?:个(半)?(多)?\s*(?=[亿万]))?(亿|千万|百万|万|千)?"
    rf"(?:(?<=[亿万])([{_CN_DIGITS[2:]}])(?![{_CN_DIGITS}十百千万亿点\d]))?"
    rf"\s*(元|块钱|块|人民币)?(?!\s*(?:[%‰个月天倍层]|年(?!{_RATE_WORD})))"
)
# Spoken numbers drop the last unit: 一万二 = 12000, 三千五 = 3500, 一亿二 = 1.2亿.
_SPOKEN_TAIL = re.compile(rf"(.*([十百千万亿]))([{_CN_DIGITS[2:]}])")
_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_PERCENT = re.compile(rf"({_AR_NUM})\s*%|百分之({_NUM})")
_PER_MILLE = re.compile(rf"({_AR_NUM})\s*‰|千分之({_NUM})")
_MULTIPLE = re.compile(rf"({_NUM})\s*倍(?!数)")
# Lending's 厘: 月息4厘 is 0.4% a month, 年息4厘 4% a year (read only after 月息/年息 or a rate word).
_LI = re.compile(rf"(月|年)(?:息|利率|利息|化)\s*({_NUM})\s*厘")
_CHENG = re.compile(rf"(?<![{_CN_DIGITS}十])([一二两三四五六七八九])成(?![果长功本立为员])")
_HALF = re.compile(r"一半")
_PERIOD = re.compile(rf"(?<![第\d{_CN_DIGITS}十百千])({_NUM}|半)\s*(?:个)?\s*(年半?|个月)(?!度|{_RATE_WORD})")
_ORDINAL_YEAR = re.compile(rf"第\s*({_NUM})\s*(?:个)?\s*年(?!度)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?")
_ENGLISH_SCALES = {"thousand": Decimal(1000), "million": Decimal(10**6), "billion": Decimal(10**9)}
_ENGLISH_SCALE = re.compile(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion)\b", re.IGNORECASE)
_SHORTHAND = re.compile(r"(\d)\s*([wWkK])(?![A-Za-z])")
# A scale typed in pinyin with the input method off: 4.2 yi is 4.2亿, 300 wan 300万.
_PINYIN_SCALE = re.compile(r"(\d)\s*(yi|wan)(?![A-Za-z])", re.IGNORECASE)
_PINYIN_SCALES = {"yi": "亿", "wan": "万"}
_ISO_DATE = re.compile(r"((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})")
# Capital numerals of cheques and contracts (陆佰万): read only in a run of two or more numeral signs, so
# 陆续, 大陆 and 登陆 keep their 陆.
_CAPITALS = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千")
_CAPITAL_RUN = re.compile("[零壹贰叁肆伍陆柒捌玖拾佰仟万亿]{2,}")
# A figure written in two scales: 28万3千 is 28.3万, 1亿2000万 is 1.2亿, 5万5000元 is 5.5万元.
_TWO_SCALES = re.compile(r"(\d+)\s*(亿|万)\s*(\d+)\s*(万|千|元)(?![\d%])")
_IN_SCALE = {("亿", "万"): Decimal(10**4), ("万", "千"): Decimal(10), ("万", "元"): Decimal(10**4)}
# A floating rate: 3.45%加50个bp (basis points) is 3.95%.
_PLUS_BP = re.compile(r"(\d+(?:\.\d+)?)\s*%\s*(?:加|\+|上浮|再加)\s*(\d+(?:\.\d+)?)\s*个?\s*(?:bp|BP|Bp|基点)")


@dataclass(frozen=True)
class Found:
    """A number found in text, with its span."""

    value: float
    text: str
    start: int
    end: int
    approximate: bool = False  # "80多万", "八十来万": the round figure said, not the exact amount


_TO_SIMPLIFIED = opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """Traditional characters to simplified (``萬`` → ``万``), full-width digits and signs to ASCII (NFKC), and
    chat shorthand for a figure's scale (``300w`` → ``300万``, ``5k`` → ``5千``, ``4.2 yi`` → ``4.2亿``)."""
    text = unicodedata.normalize("NFKC", _TO_SIMPLIFIED.convert(text))
    text = _CAPITAL_RUN.sub(lambda m: m.group(0).translate(_CAPITALS), text)
    text = _ENGLISH_SCALE.sub(_in_wan, text)
    text = _SHORTHAND.sub(lambda m: m.group(1) + ("万" if m.group(2) in "wW" else "千"), text)
    text = _PINYIN_SCALE.sub(lambda m: m.group(1) + _PINYIN_SCALES[m.group(2).lower()], text)
    text = _TWO_SCALES.sub(_one_scale, text)
    return _PLUS_BP.sub(lambda m: f"{(Decimal(m.group(1)) + Decimal(m.group(2)) / 100).normalize():f}%", text)


def _one_scale(m: re.Match[str]) -> str:
    """``28万3千`` → ``28.3万``; ``5万5000元`` → ``5.5万元``; a part too large for its place is left as written."""
    whole, scale, part, part_scale = Decimal(m.group(1)), m.group(2), Decimal(m.group(3)), m.group(4)
    per = _IN_SCALE.get((scale, part_scale))
    if per is None or part >= per:
        return m.group(0)
    return f"{(whole + part / per).normalize():f}{scale}" + ("元" if part_scale == "元" else "")


def _in_wan(m: re.Match[str]) -> str:
    """``6 million`` → ``600万``, ``1.2 billion`` → ``12亿``, ``300 thousand`` → ``30万``."""
    value = Decimal(m.group(1)) * _ENGLISH_SCALES[m.group(2).lower()]
    scale, unit = (Decimal(100_000_000), "亿") if value >= 100_000_000 else (Decimal(10_000), "万")
    return f"{(value / scale).normalize():f}{unit}"


def cn_number(text: str) -> float:
    """``1,250,000`` → 1250000; ``八十万`` → 800000; ``三点九`` → 3.9."""
    text = text.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    whole, _, decimals = text.partition("点")
    spoken = _SPOKEN_TAIL.fullmatch(whole) if not decimals else None
    if spoken:
        head, unit, tail = spoken.groups()
        return cn_number(head) + _digit(tail) * _UNIT[unit] / 10
    try:
        value = float(cn2an.cn2an(whole, "smart")) if whole else 0.0
    except (KeyError, IndexError) as err:  # cn2an rejects some malformed numbers with these
        raise ValueError(f"not a number: {text}") from err
    if decimals:
        value += float("0." + "".join(str(_digit(c)) for c in decimals))
    return value


def _digit(c: str) -> int:
    return {"零": 0, "〇": 0, "两": 2}.get(c, "一二三四五六七八九".find(c) + 1)


def amounts(text: str) -> list[Found]:
    """Sums of money (in 元). A bare number counts only with a unit: 元, 万 or 亿 (一万七 is 17000)."""
    found = []
    for m in _MONEY.finditer(text):
        sign, number, about, half, about_scale, scale, tail, yuan = m.groups()
        scale = scale or ""
        if not sign and not scale and not yuan and not re.search("[万亿]", number):  # 八十万, 一万七 (= 17000)
            continue
        if yuan == "块" and not sign and not scale and len(number) == 1 and number in _CN_DIGITS:
            continue  # 一块申请 (together), 两块加起来 (two parts): 块 is money as 五百块, 两块钱
        if _is_calendar_year(text, m, group=2):
            continue
        try:
            value = (cn_number(number) + (0.5 if half else 0) + (_digit(tail) / 10 if tail else 0)) * _SCALE[scale]
        except ValueError:
            continue
        found.append(Found(value, m.group(0).strip(), m.start(), m.end(), approximate=bool(about or about_scale)))
    return found


def percents(text: str) -> list[Found]:
    """Rates as fractions: ``0.5%`` → 0.005, ``3‰`` → 0.003, ``百分之四十`` → 0.4, ``一半`` → 0.5, ``三成`` → 0.3."""
    found = []
    for pattern, per in ((_PERCENT, 100), (_PER_MILLE, 1000)):
        for m in pattern.finditer(text):
            number = m.group(1) or m.group(2)
            try:
                found.append(Found(float(Decimal(repr(cn_number(number))) / per), m.group(0), m.start(), m.end()))
            except ValueError:
                continue
    for m in _LI.finditer(text):
        try:
            per = 1000 if m.group(1) == "月" else 100
            found.append(Found(float(Decimal(repr(cn_number(m.group(2)))) / per), m.group(0), m.start(2), m.end()))
        except ValueError:
            continue
    found += [Found(_digit(m.group(1)) / 10, m.group(0), m.start(), m.end()) for m in _CHENG.finditer(text)]
    found += [Found(0.5, m.group(0), m.start(), m.end()) for m in _HALF.finditer(text)]
    return sorted(found, key=lambda f: f.start)


def multiples(text: str) -> list[Found]:
    """Multiples: ``净资产的10倍`` → 10, ``十二倍`` → 12 (not 放大倍数, which names no figure)."""
    found = []
    for m in _MULTIPLE.finditer(text):
        try:
            found.append(Found(cn_number(m.group(1)), m.group(0), m.start(), m.end()))
        except ValueError:
            continue
    return found


def periods(text: str) -> list[Found]:
    """Durations in years: ``满2年`` → 2, ``两年半`` → 2.5, ``18个月`` → 1.5. Calendar years are not periods.

    An ordinal year ``第8年`` is the middle of that year (7.5): more than 7 full years, fewer than 8,
    so it compares rightly with both "满7年" and "8年内".
    """
    found = []
    for m in _ORDINAL_YEAR.finditer(text):
        try:
            found.append(Found(cn_number(m.group(1)) - 0.5, m.group(0), m.start(), m.end()))
        except ValueError:
            continue
    for m in _PERIOD.finditer(text):
        if _is_calendar_year(text, m) or re.match(r"(?:19|20)\d{2}", m.group(1)):
            continue
        number, unit = m.group(1), m.group(2)
        try:
            value = 0.5 if number == "半" else cn_number(number)
        except ValueError:
            continue
        if unit == "个月":
            value /= 12
        elif unit == "年半":
            value += 0.5
        found.append(Found(value, m.group(0), m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def dates(text: str) -> list[dt.date]:
    """Dates named in the text; a bare year ``2029年`` is read as that year's first day."""
    found = []
    for m in _YEAR.finditer(text):
        try:
            found.append(dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)))
        except ValueError:
            continue
    for m in _ISO_DATE.finditer(text):
        try:
            found.append(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            continue
    return found


def _is_calendar_year(text: str, m: re.Match[str], group: int = 1) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d{2}", m.group(group))) and text[m.end(group) : m.end(group) + 1] == "年"

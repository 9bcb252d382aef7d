"""What a question asks: numbers, region, party, stage, dates, the clause it names, and its intent.

Everything here is rules and word lists from ``corpus/lexicon``; no model is involved.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from assistant import numbers
from assistant.numbers import Found
from index.errors import CorpusError

MAX_QUESTION_CHARS = 500

_INTENT_WORDS: dict[str, tuple[str, ...]] = {
    "calc": (
        "多少",
        "几万",
        "能贴",
        "能拿",
        "能补",
        "能领",
        "能得",
        "能获得",
        "可获得",
        "金额",
        "测算",
        "算一下",
        "怎么算",
        "补贴标准",
        "奖励标准",
        "最高",
        "上限",
        "能给",
        "给多少",
        "拿到",
    ),
    "eligibility": (
        "能不能",
        "可不可以",
        "可以申请",
        "能申请",
        "符合",
        "有资格",
        "够不够",
        "算不算",
        "能享受",
        "可以享受",
        "有没有",
        "是否",
    ),
    "validity": (
        "有效期",
        "什么时候",
        "何时",
        "到期",
        "截止",
        "过期",
        "失效",
        "还有效",
        "还能",
        "施行",
        "实施",
        "生效",
        "执行到",
        "哪一年",
        "几年",
    ),
    "units": (
        "哪个部门",
        "哪些部门",
        "什么部门",
        "谁负责",
        "谁牵头",
        "牵头",
        "责任单位",
        "负责单位",
        "找谁",
        "归谁",
        "谁管",
        "主管",
        "哪个单位",
        "联系",
    ),
    "docmeta": (
        "文号",
        "印发",
        "发文",
        "发布",
        "出台",
        "哪几个部门",
        "哪些部门联合",
        "联合",
        "发文单位",
        "哪天发",
        "什么文件",
        "调整",
        "评估",
        "全称",
        "标题",
    ),
    "compare": ("不同", "区别", "差异", "对比", "比较", "哪个好", "相比", "异同"),
}
_PARTIES = {
    "省财政": ("省财政", "省里", "省级财政"),
    "市财政": ("市财政", "市里", "市级财政"),
    "贷款银行": ("银行承担", "银行担", "银行出", "银行自己", "贷款银行", "银行要"),
}
_FIRST_YEAR = ("首年", "第一年", "首年度", "头一年", "第1年", "刚买", "新买", "初次购买", "首次购买")
_LATER_YEAR = ("第二年", "第三年", "第2年", "第3年", "以后年度", "续保", "续买", "往后", "之后几年", "次年")
_CLAUSE_ID = re.compile(r"\b((?:[a-z]{2})-\d{4}-\d+)#(\d+|notice|preamble|closing)\b")
_CLAUSE_NO = re.compile(r"第\s*[（(]?([一二三四五六七八九十]+|\d{1,2})[)）]?\s*(?:条|项|款)")
_DOC_NO = re.compile(r"(\d{2,3})\s*号")


@dataclass(frozen=True)
class Scope:
    regions: dict[str, tuple[str, ...]]  # corpus region → words naming it
    outside_regions: tuple[str, ...]
    outside_topics: tuple[str, ...]
    both_regions: tuple[str, ...]  # words naming both regions at once (两地)
    criteria: tuple[str, ...]  # recognition criteria: not in the corpus, whatever term is named


def load_scope(corpus_dir: Path) -> Scope:
    path = corpus_dir / "lexicon" / "scope.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Scope(
            {k: tuple(v) for k, v in data["regions"].items()},
            tuple(data["outside"]["regions"]),
            tuple(data["outside"]["topics"]),
            tuple(data["outside"]["both"]),
            tuple(data["outside"]["criteria"]),
        )
    except (OSError, KeyError, tomllib.TOMLDecodeError) as err:
        raise CorpusError(f"{path}: cannot read the scope lists ({err})") from None


@dataclass(frozen=True)
class Understanding:
    text: str  # normalised question
    amounts: tuple[Found, ...]
    percents: tuple[Found, ...]
    periods: tuple[Found, ...]
    dates: tuple[dt.date, ...]
    regions: tuple[str, ...]  # corpus regions named (山东省, 内蒙古自治区)
    outside_regions: tuple[str, ...]
    outside_topics: tuple[str, ...]
    asks_criteria: bool  # asks how an enterprise is recognised (认定标准): the corpus does not say
    party: str | None
    first_year: bool | None
    intents: frozenset[str]
    clause_number: int | None  # 第三条, 第（三）项
    clause_id: str | None  # sd-2023-155#3 written out
    doc_hint: str | None  # "155号" → part of a 文号

    @property
    def wants_amount(self) -> bool:
        return "calc" in self.intents or "eligibility" in self.intents


def understand(question: str, scope: Scope, policy_terms: tuple[str, ...] = ()) -> Understanding:
    text = numbers.normalise(question).strip()
    # Off-topic words inside a policy term (社保 in 社保基金) do not count.
    plain = text
    for term in sorted(policy_terms, key=len, reverse=True):
        plain = plain.replace(term, "＿")
    intents = {name for name, words in _INTENT_WORDS.items() if any(w in text for w in words)}
    clause_match = _CLAUSE_NO.search(text)
    clause_id = _CLAUSE_ID.search(text)
    doc_hint = _DOC_NO.search(text)
    return Understanding(
        text=text,
        amounts=tuple(numbers.amounts(text)),
        percents=tuple(numbers.percents(text)),
        periods=tuple(numbers.periods(text)),
        dates=tuple(numbers.dates(text)),
        regions=tuple(
            r for r, words in scope.regions.items() if any(w in text for w in (r, *words, *scope.both_regions))
        ),
        outside_regions=tuple(w for w in scope.outside_regions if w in plain),
        outside_topics=tuple(w for w in scope.outside_topics if w in plain),
        asks_criteria=any(w in text for w in scope.criteria),
        party=next((p for p, words in _PARTIES.items() if any(w in text for w in words)), None),
        first_year=_first_year(text),
        intents=frozenset(intents),
        clause_number=int(numbers.cn_number(clause_match.group(1))) if clause_match else None,
        clause_id=clause_id.group(0) if clause_id else None,
        doc_hint=doc_hint.group(0) if doc_hint else None,
    )


def _first_year(text: str) -> bool | None:
    if any(w in text for w in _LATER_YEAR):
        return False
    if any(w in text for w in _FIRST_YEAR):
        return True
    return None

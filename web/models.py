"""Typed request and response bodies of the REST API (the answer shape is DESIGN.md's contract)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from assistant.understand import MAX_QUESTION_CHARS
from index.model import LEVELS, STATUS_LABELS
from web.calc_request import IsoDate
from web.conversations import ID_PATTERN

# A character ``validate_question`` keeps (neither a control character nor a space): a question must
# hold one, so the schema states the rule the server enforces (tests/test_api.py pins the two together).
VISIBLE = r"[^\s\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
Question = Annotated[str, StringConstraints(min_length=1, max_length=MAX_QUESTION_CHARS, pattern=VISIBLE)]
ConversationId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Number = int | float
Level = Literal[LEVELS]  # type: ignore[valid-type]
StatusLabel = Literal[tuple(STATUS_LABELS.values())]  # type: ignore[valid-type]
# What a calculation echoes per input: a number, a yes/no, a choice, or the items of a several-item input.
InputValue = bool | int | float | str | list[Number]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AskRequest(_Model):
    question: Question = Field(description=f"问题，1–{MAX_QUESTION_CHARS}字")
    conversation_id: ConversationId | None = Field(
        default=None, description="续问时填上一次回答的 conversation_id；不填则开始新对话"
    )


class Citation(_Model):
    clause_id: str
    doc_id: str
    label: str
    quote: str = Field(description="条款原文的一部分（逐字）")
    score: float


class ConditionStatus(_Model):
    text: str
    status: Literal["met", "unmet", "unknown"]


class Part(_Model):
    party: str
    amount: Number | None


class Calculation(_Model):
    """``CalcResult.to_dict()`` (assistant/rules.py)."""

    rule_id: str
    clause_id: str
    inputs: dict[str, InputValue]
    amount: Number | None = Field(description="按条款可得的最高金额（规则单位）；null 表示缺少输入或文件未明确")
    unit: str
    eligible: bool | None
    steps: list[str]
    conditions: list[ConditionStatus]
    parts: list[Part]
    missing: list[str]
    notes: list[str]


class Excluded(_Model):
    rule_id: str
    why: str


class Total(_Model):
    amount: Number | None
    unit: str
    rule_ids: list[str]
    excluded: list[Excluded]


class Answer(_Model):
    """``Answer.to_dict()`` (assistant/answer.py), the answer shape of DESIGN.md; the one place it is typed.

    Fields with a default are newer than the first contract: an answer may leave them out, and the
    API then leaves them out too (responses are written without unset fields).
    """

    question: str
    in_scope: bool
    answer: str = Field(description="中文 markdown")
    citations: list[Citation] = Field(description="依据的条款，最相关的在前")
    calculation: Calculation | None = Field(description="测算结果；无适用规则时为 null")
    follow_up: str | None = Field(description="缺少输入时向用户追问的问题")
    confidence: Literal["high", "low"] = Field(
        default="high", description="low：未找到确切依据，related 列出可能相关的条款"
    )
    related: list[Citation] = Field(default_factory=list, description="可能相关的条款")
    calculations: list[Calculation] = Field(
        default_factory=list, description="每项措施一个测算结果；calculation 即其中第一个"
    )
    total: Total | None = Field(default=None, description="多项合计；不合计时为 null")


class AskResponse(Answer):
    conversation_id: ConversationId = Field(description="续问时带上")


class SearchQuery(BaseModel):
    """The query parameters of GET /api/search (others are ignored, as usual for a query)."""

    q: Question = Field(description="关键词或条款编号")
    k: int = Field(default=5, ge=1, le=50, description="结果条数")
    region: Annotated[str, StringConstraints(max_length=20)] | None = Field(default=None, description="地区，如“山东”")
    doc_id: Annotated[str, StringConstraints(max_length=40)] | None = Field(
        default=None, description="文件编号，如 sd-2023-155"
    )
    unit: Annotated[str, StringConstraints(max_length=40)] | None = Field(default=None, description="责任单位")
    level: Level | None = Field(default=None, description="文件层级")
    status: StatusLabel | None = Field(default=None, description="文件在 on 日的状态")
    on: IsoDate | None = Field(default=None, description="判断状态所依据的日期（YYYY-MM-DD）；不填为今天")


class ClauseRef(_Model):
    clause_id: str
    doc_id: str
    label: str
    heading: str


class SearchHit(ClauseRef):
    score: float
    sentence: str
    span: tuple[int, int]
    matched: list[str] = Field(description="在句中出现的查询词，用于高亮")


class SearchResponse(_Model):
    query: str
    exact: list[ClauseRef] = Field(description="按条款编号（sd-2023-155#3、第三条）直接命中的条款")
    hits: list[SearchHit]


class UnitOut(_Model):
    name: str
    lead: bool = Field(description="true 为牵头单位")


class ClauseOut(_Model):
    id: str
    doc_id: str
    doc_number: str | None = Field(description="文号；法律法规没有文号时为 null")
    document_title: str
    region: str
    in_force: str
    number: int | None
    kind: str
    heading: str
    section: str
    label: str
    text: str
    units: list[UnitOut]
    rules: list[str] = Field(description="依据本条的测算规则编号")


class InputOut(_Model):
    name: str
    label: str
    unit: Literal["元", "年", "ratio", "%", "倍", "bool", "choice"] = Field(
        description="ratio 为小数（0.005 即 0.5%），% 为百分数，倍 为倍数（12 即 12倍）"
    )
    choices: list[str]


class RuleOut(_Model):
    id: str
    label: str
    clause_id: str
    doc_id: str
    kind: str
    unit: str
    quote: str
    inputs: list[InputOut]
    conditions: list[str]
    parties: list[str]
    in_force: str


class CalcResponse(Calculation):
    label: str
    clause_label: str
    quote: str
    amount_text: str | None = Field(description="金额的中文写法，如“32万元”")


class MatchItem(_Model):
    """``MatchItem.to_dict()`` (assistant/match.py): one measure for the profile."""

    status: Literal["eligible", "to_confirm", "not_eligible", "no_amount"]
    label: str = Field(description="措施名称")
    rule_id: str | None = Field(description="测算规则编号；null 为没有金额规定的条款")
    clause_id: str
    doc_id: str
    citation: str = Field(description="出处：文件名、文号、条次")
    quote: str = Field(description="条款原文的一部分（逐字）")
    amount: Number | None = Field(description="按所填情况最高可得金额；不符合条件、缺少输入或文件未明确时为 null")
    unit: str
    calculation: Calculation | None
    why: list[str] = Field(description="不符合的条件、需提供或待确认的事项，或金额文件未明确")


class MatchGroups(_Model):
    eligible: list[MatchItem] = Field(description="符合条件")
    to_confirm: list[MatchItem] = Field(description="待确认：需补充输入或核实条件")
    not_eligible: list[MatchItem] = Field(description="不符合条件：所填情况不满足某项条件")
    no_amount: list[MatchItem] = Field(description="相关支持（金额文件未明确）")


class MatchResponse(_Model):
    """``MatchResult.to_dict()`` (assistant/match.py)."""

    subject: str
    region: str | None
    on: dt.date = Field(description="所依据的日期：只列当日施行的措施")
    groups: MatchGroups
    total: Total = Field(description="符合条件各项的合计；其余各项列在 excluded 中并说明原因")


class Health(_Model):
    status: Literal["ok"]
    documents: int
    clauses: int
    rules: int
    worker: int = Field(description="the id of the process that answered (app.py --workers N runs several)")


class ErrorBody(_Model):
    error: str = Field(
        description="invalid_json | invalid_request | not_found | method_not_allowed | unavailable | internal_error"
        " | unauthorized | forbidden | conflict | length_required | too_large | unsupported_media_type"
        " | invalid_document | invalid_form"
    )
    message: str = Field(description="给人看的说明")
    detail: list[dict[str, object]] | None = None

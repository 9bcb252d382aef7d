"""Typed request and response bodies of the REST API (the answer shape is DESIGN.md's contract)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from assistant.understand import MAX_QUESTION_CHARS
from web.conversations import ID_PATTERN

Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION_CHARS)]
ConversationId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Number = int | float
InputValue = bool | int | float | str


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


class AskResponse(_Model):
    question: str
    in_scope: bool
    answer: str = Field(description="中文 markdown")
    citations: list[Citation]
    calculation: Calculation | None
    follow_up: str | None
    conversation_id: str = Field(description="续问时带上")


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
    doc_number: str
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
    unit: Literal["元", "年", "ratio", "%", "bool", "choice"] = Field(
        description="ratio 为小数（0.005 即 0.5%），% 为百分数"
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


class CalcRequest(_Model):
    inputs: dict[str, InputValue | None] = Field(default_factory=dict, description="输入项，按 /api/rules 的单位")
    on: dt.date | None = Field(default=None, description="所问日期，用于核对施行期")
    party: Annotated[str, StringConstraints(max_length=20)] | None = Field(
        default=None, description="分担方（省财政、市财政、贷款银行），不填为政府合计"
    )


class CalcResponse(Calculation):
    label: str
    clause_label: str
    quote: str
    amount_text: str | None = Field(description="金额的中文写法，如“32万元”")


class Health(_Model):
    status: Literal["ok"]
    documents: int
    clauses: int
    rules: int


class ErrorBody(_Model):
    error: str = Field(description="invalid_request | not_found | unavailable | internal_error")
    message: str = Field(description="给人看的说明")
    detail: list[dict[str, object]] | None = None

"""The body of ``POST /api/calc/<rule id>``: one model per rule, generated from the rule's inputs.

So the schema states every constraint the calculator enforces (type, range, choices, parties, item
count), and a body the schema allows is one the calculator accepts. Numbers and yes/no are strict:
``"800000"`` or ``1`` for a yes/no is refused, as the schema says, rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints, create_model

from assistant.rules import GOVERNMENT, INPUT_LIMITS, MAX_ITEMS, InputSpec, Rule

# How each numeric unit is written in a request; also said in the message for a value out of range.
UNIT_NOTES = {
    "元": "元",
    "年": "年",
    "ratio": "小数，如 0.005 表示 0.5%",
    "%": "百分数，如 3 表示 3%",
    "倍": "倍数，如 12 表示12倍",
}
_CONFIG = ConfigDict(extra="forbid")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """Only ``YYYY-MM-DD`` text (RFC 3339 full-date, the schema's format), not a timestamp or a datetime."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError("date")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
YesNo = Annotated[bool, Strict()] | Literal["是", "否"]


class CalcRequest(BaseModel):
    """What every rule's request model holds; each narrows ``inputs`` and ``party`` to its rule."""

    model_config = _CONFIG
    inputs: BaseModel
    on: IsoDate | None = None
    party: str | None = None


def request_model(rule: Rule) -> type[CalcRequest]:
    """The request body for ``rule``: ``{"inputs": {...}, "on": date, "party": ...}``, all optional."""
    name = "".join(part.title() for part in rule.id.split("-"))
    inputs = inputs_model(f"{name}Inputs", rule.inputs, f"{rule.label}：输入项；不填的项按未说明处理")
    if rule.parties:
        party: Any = Literal[tuple(dict.fromkeys((*rule.parties, *GOVERNMENT)))]
        about = f"分担方：{'、'.join(rule.parties)}；不填或填“政府”为省市财政合计"
    else:
        party = Annotated[str, StringConstraints(max_length=20)]
        about = "本项不按分担方计算，填写也不影响金额"
    model = create_model(
        f"{name}Request",
        __base__=CalcRequest,
        inputs=(inputs, Field(default_factory=inputs, description="输入项，见 /api/rules")),
        on=(IsoDate | None, Field(default=None, description="所问日期（YYYY-MM-DD），用于核对施行期")),
        party=(party | None, Field(default=None, description=about)),
    )
    model.__doc__ = f"测算{rule.label}（条款 {rule.clause_id}）"
    return model


def inputs_model(name: str, specs: Sequence[InputSpec], about: str) -> type[BaseModel]:
    """One optional, typed field per input; any other name is refused."""
    fields: dict[str, Any] = {spec.name: (_input_type(spec) | None, _input_field(spec)) for spec in specs}
    model = create_model(name, __config__=_CONFIG, **fields)
    model.__doc__ = about
    return model


def _input_type(spec: InputSpec) -> Any:
    if spec.unit == "bool":
        return YesNo
    if spec.unit == "choice":
        return Literal[spec.choices]
    number = Annotated[float, Strict(), Field(ge=0, le=INPUT_LIMITS[spec.unit], allow_inf_nan=False)]
    if spec.many:  # several items (one loss per project), or one
        return number | Annotated[list[number], Field(min_length=1, max_length=MAX_ITEMS)]  # type: ignore[valid-type]
    return number


def _input_field(spec: InputSpec) -> Any:
    unit = {"bool": "true/false 或“是”/“否”", "choice": "、".join(spec.choices)}.get(spec.unit) or UNIT_NOTES[spec.unit]
    many = f"；可列出多项（至多{MAX_ITEMS}项）" if spec.many else ""
    return Field(default=None, title=spec.label, description=f"{spec.label}（{unit}）{many}")

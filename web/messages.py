"""Request validation errors said in Chinese, naming each field as a user knows it (REST and Gradio API)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from assistant.money import fmt
from assistant.rules import MAX_ITEMS, InputSpec
from web.calc_request import UNIT_NOTES


class Fields(Protocol):
    """What a request's inputs and parties are: a ``Rule``, or the inputs a matching profile may state."""

    @property
    def inputs(self) -> Sequence[InputSpec]: ...

    @property
    def parties(self) -> Sequence[str]: ...


FIELD_NAMES = {
    "question": "问题",
    "q": "查询词",
    "k": "结果条数",
    "conversation_id": "对话编号",
    "inputs": "输入项",
    "on": "所问日期",
    "party": "分担方",
    "region": "地区",
    "doc_id": "文件编号",
    "unit": "责任单位",
    "clause_id": "条款编号",
    "subject": "主体类型",
    "stage": "发展阶段",
    "description": "已知情况",
    "level": "层级",
    "status": "状态",
    "file": "文件",
    "dry_run": "仅预览（dry_run）",
}
_LOCATIONS = ("body", "query", "path")
_QUOTED = re.compile(r"'([^']*)'")  # the choices in pydantic's "'a', 'b' or 'c'"


def explain(errors: Sequence[Mapping[str, Any]], rule: Fields | None = None) -> str:
    """One sentence per field at fault; ``rule``: the calculator asked (or a profile's inputs), for the
    inputs' labels and units."""
    by_field: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for error in errors:
        path = [str(p) for p in error.get("loc", ()) if p not in _LOCATIONS]
        where = tuple(path[:2]) if path[:1] == ["inputs"] else tuple(path[:1])
        by_field.setdefault(where, []).append(error)
    said = [
        _input(found, where[1], rule) if len(where) == 2 else _field(found[0], where, rule)
        for where, found in by_field.items()
    ]
    return "；".join(dict.fromkeys(said)) or "请求有误"


def _field(error: Mapping[str, Any], where: tuple[str, ...], rule: Fields | None) -> str:
    field = where[0] if where else ""
    if field == "party" and rule is not None and rule.parties:
        return f"分担方应为{'、'.join(rule.parties)}之一，或“政府”（省市财政合计）"
    name = FIELD_NAMES.get(field, field)
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if not field:
        if kind == "json_invalid":
            return "请求体不是有效的 JSON"
        if kind == "missing":
            return "缺少请求体（应为 JSON 对象）"
        if kind in ("model_attributes_type", "model_type", "dict_type"):
            return "请求体应为 JSON 对象"
    simple = {
        "missing": f"缺少{name}" + (f"（{field}）" if name != field else ""),
        "model_attributes_type": f"{name}应为 JSON 对象",
        "model_type": f"{name}应为 JSON 对象",
        "dict_type": f"{name}应为 JSON 对象",
        "string_too_short": f"{name}不能为空",
        "string_type": f"{name}应为文字",
        "string_unicode": f"{name}含有无效的字符",
        "extra_forbidden": f"不支持的字段“{field}”",
        "int_parsing": f"{name}应为整数",
        "int_type": f"{name}应为整数",
        "int_from_float": f"{name}应为整数",
        "literal_error": f"{name}应为{'、'.join(_QUOTED.findall(str(ctx.get('expected', ''))))}之一",
    }
    if kind in simple:
        return simple[kind]
    if kind == "string_too_long":
        return f"{name}过长，请控制在{ctx.get('max_length')}字以内"
    if kind == "string_pattern_mismatch":
        if field == "conversation_id":
            return "对话编号格式不正确（应为上一次回答返回的 conversation_id）"
        return f"{name}不能为空（不能只有空格或控制字符）"
    if kind == "greater_than_equal":
        return f"{name}应不小于{ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"{name}应不大于{ctx.get('le')}"
    if field == "on":
        return "所问日期（on）应写作 2025-06-30 这样的日期"
    return f"{name or '请求'}：{error.get('msg', '格式有误')}"


def _input(errors: Sequence[Mapping[str, Any]], field: str, rule: Fields | None) -> str:
    """The errors of one calculator input (several when its type is a union: yes/no, one number or a list)."""
    specs = {s.name: s for s in rule.inputs} if rule else {}
    spec = specs.get(field)
    if spec is None:
        return f"没有输入项{field}；可用的输入项：{'、'.join(specs) or '（无）'}"
    name = f"{spec.label}（{field}）"
    if spec.unit == "bool":
        return f"{name}应为“是”或“否”（或 true/false）"
    if spec.unit == "choice":
        return f"{name}应为{'、'.join(spec.choices)}之一"
    kinds = {e.get("type", ""): e.get("ctx") or {} for e in errors}
    if kinds.keys() & {"too_short", "too_long"}:
        return f"{name}应列出1至{MAX_ITEMS}项"
    if "greater_than_equal" in kinds:
        return f"{name}不能为负数"
    if "less_than_equal" in kinds:
        limit = fmt(kinds["less_than_equal"]["le"], spec.unit)
        return f"{name}数值过大，不能超过{limit}（单位：{UNIT_NOTES[spec.unit]}）"
    listed = f"，或1至{MAX_ITEMS}个数字的列表" if spec.many else ""
    return f"{name}应为数字{listed}（单位：{UNIT_NOTES[spec.unit]}）"

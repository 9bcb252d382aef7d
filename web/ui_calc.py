"""The 补贴测算 tab: one form per rule, generated from the rule data (inputs with units and Chinese labels)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import gradio as gr

from assistant import InputError
from assistant.rules import InputSpec, Rule
from index.model import parse_date
from web import render
from web.service import PolicyService
from web.ui_api import PAGE_ONLY

UNKNOWN = "未说明"
GOVERNMENT = "政府合计（省市财政）"


def build_calc_tab(service: PolicyService) -> None:
    if not service.rules:
        gr.Markdown("暂无测算规则。")
        return
    first = service.rules[0].id
    picker = gr.Dropdown(
        [(f"{r.label}（{render.short_label(service.clause(r.clause_id))}）", r.id) for r in service.rules],
        value=first,
        label="测算项目",
        elem_id="calc-rule",
    )
    forms = []
    for rule in service.rules:
        with gr.Column(visible=rule.id == first, elem_id=f"form-{rule.id}") as form:
            _build_form(service, rule)
        forms.append(form)

    def show_form(rule_id: str) -> list[Any]:
        return [gr.Column(visible=r.id == rule_id) for r in service.rules]

    picker.change(show_form, picker, forms, api_visibility=PAGE_ONLY)


def _build_form(service: PolicyService, rule: Rule) -> None:
    clause = service.clause(rule.clause_id)
    basis = f"**依据**：{render.text_md(clause.label)}\n\n> {render.text_md(rule.quote)}"
    gr.Markdown(f"### {render.text_md(rule.label)}\n\n{basis}")
    fields = [_field(rule, spec) for spec in rule.inputs]
    if not fields:
        gr.Markdown("本项无需填写金额，点击“计算”查看条款规定的金额和条件。")
    on = gr.Textbox(
        label="所问日期（可选，用于核对施行期）",
        placeholder="如 2025-06-30",
        max_length=10,
        elem_id=f"on-{rule.id}",
    )
    extra = [on]
    if rule.parties:
        extra.append(
            gr.Radio([GOVERNMENT, *rule.parties], value=GOVERNMENT, label="分担方", elem_id=f"party-{rule.id}")
        )
    button = gr.Button("计算", variant="primary", elem_id=f"calc-btn-{rule.id}")
    result = gr.Markdown(elem_id=f"calc-result-{rule.id}")

    def run(*values: Any) -> str:
        return calc_markdown(service, rule, values)

    button.click(run, [*fields, *extra], result, api_visibility=PAGE_ONLY)


def calc_markdown(service: PolicyService, rule: Rule, values: tuple[Any, ...]) -> str:
    """The form's values (inputs in rule order, then the date, then the party if any) → result markdown."""
    n = len(rule.inputs)
    try:
        inputs = {spec.name: _value(spec, raw) for spec, raw in zip(rule.inputs, values[:n], strict=True)}
        on = _date(values[n]) if len(values) > n else None
        party = values[n + 1] if len(values) > n + 1 and values[n + 1] != GOVERNMENT else None
        result = service.calc(rule.id, {k: v for k, v in inputs.items() if v is not None}, on=on, party=party)
    except InputError as err:
        return render.error_markdown(f"输入有误：{err}")
    return render.calc_markdown(rule, result, service.clause(rule.clause_id), party)


def _field(rule: Rule, spec: InputSpec) -> gr.components.Component:
    elem_id = f"in-{rule.id}-{spec.name}"
    if spec.unit == "bool":
        return gr.Radio(["是", "否", UNKNOWN], value=UNKNOWN, label=spec.label, elem_id=elem_id)
    if spec.unit == "choice":
        return gr.Radio([*spec.choices, UNKNOWN], value=UNKNOWN, label=spec.label, elem_id=elem_id)
    unit, info = {
        "元": ("元", "单位：元，如80万元填 800000"),
        "年": ("年", None),
        "ratio": ("%", "按百分数填写，如 0.5 表示 0.5%"),
        "%": ("%", "按百分数填写"),
        "倍": ("倍", None),
    }[spec.unit]
    return gr.Number(label=f"{spec.label}（{unit}）", info=info, minimum=0, elem_id=elem_id)


def _value(spec: InputSpec, raw: Any) -> object:
    if raw is None or raw == "" or raw == UNKNOWN:
        return None
    if spec.unit == "bool":
        return raw == "是"
    if spec.unit == "ratio":  # shown as a percent, kept by the rule as a fraction
        return float(Decimal(repr(float(raw))) / 100)
    return raw


def _date(raw: Any) -> dt.date | None:
    text = str(raw or "").strip()
    return parse_date(text) if text else None

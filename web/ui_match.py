"""The 政策匹配 tab: a profile form generated from the data, the measures grouped with quote, amount and
why, the total, and the printable page to download.

The form: subject types, corpus regions, stages, a date, the facts in plain words (已知情况), and one
amount field for each money input of the rules whose money goes to the chosen subject (shown when that
subject is chosen). Every other fact (yes/no, rates, years) is read from the plain words. The form is
checked by the same profile model as POST /api/match.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import InputError, PolicyAssistantError
from assistant.match import MatchResult
from assistant.match_page import match_page
from assistant.match_report import match_report
from web import render
from web.match_request import MAX_DESCRIPTION_CHARS, STAGES
from web.service import PolicyService
from web.ui_api import PAGE_ONLY

_NONE = ""  # the choice "all regions" / "stage not said"


@dataclass(frozen=True)
class MoneyField:
    name: str  # the rule input
    labels: dict[str, str]  # subject → how the inputs of its rules name it (absent: not asked of it)


def build_match_tab(service: PolicyService) -> None:
    subjects = list(service.assistant.subjects.types)
    fields = money_fields(service)
    first = subjects[0]
    with gr.Row():
        subject = gr.Dropdown(subjects, value=first, label="主体类型", elem_id="match-subject")
        region = gr.Dropdown(
            [("全部地区", _NONE), *((r, r) for r in service.regions)], value=_NONE, label="地区", elem_id="match-region"
        )
        stage = gr.Dropdown(
            [("未说明", _NONE), *((s, s) for s in STAGES)], value=_NONE, label="发展阶段", elem_id="match-stage"
        )
        on = gr.Textbox(
            label="所依据日期（可选，默认今天）", placeholder="如 2025-06-30", max_length=10, elem_id="match-on"
        )
    description = gr.Textbox(
        label="已知情况",
        info="用平常的话写明已知的事实，如：去年实际支付鲁科贷利息80万元，按时还本付息，首次购买鲁科保，保费40万元",
        lines=3,
        max_length=MAX_DESCRIPTION_CHARS,
        elem_id="match-description",
    )
    with gr.Row():
        amounts = [_amount(field, first) for field in fields]
    with gr.Row():
        button = gr.Button("匹配", variant="primary", scale=3, elem_id="match-btn")
        download = gr.DownloadButton("下载打印版（HTML）", visible=False, scale=1, elem_id="match-download")
    result = gr.HTML(elem_id="match-result")

    def show_amounts(chosen: str) -> list[Any]:
        return [_amount_update(field, chosen) for field in fields]

    def run(*values: Any) -> tuple[str, Any]:
        return match_view(service, fields, values)

    subject.change(show_amounts, subject, amounts, api_visibility=PAGE_ONLY)
    inputs = [subject, region, stage, on, description, *amounts]
    button.click(run, inputs, [result, download], api_visibility=PAGE_ONLY)


def money_fields(service: PolicyService) -> list[MoneyField]:
    """Each money input (元) of any rule, with its label for each subject whose rules take it."""
    subjects = service.assistant.subjects
    fields: dict[str, dict[str, list[str]]] = {}
    for rule in service.rules:
        for spec in (s for s in rule.inputs if s.unit == "元"):
            for subject in (s for s in subjects.types if rule.recipient in subjects.kinds_of(s)):
                fields.setdefault(spec.name, {}).setdefault(subject, []).append(spec.label)
    return [
        MoneyField(name, {subject: "／".join(dict.fromkeys(labels)) for subject, labels in by_subject.items()})
        for name, by_subject in fields.items()
    ]


def match_view(service: PolicyService, fields: list[MoneyField], values: tuple[Any, ...]) -> tuple[str, Any]:
    """The form's values (subject, region, stage, date, description, then the amounts) → the result's
    HTML and the download button (with the printable page, or hidden)."""
    subject, region, stage, on, description, *amounts = values
    # An amount field left alone shows and sends 0 (Gradio's Number cannot be empty): 0 states nothing.
    known = {f.name: v for f, v in zip(fields, amounts, strict=True) if subject in f.labels and v}
    profile = {
        "subject": subject,
        "region": region or None,
        "stage": stage or None,
        "inputs": known,
        "description": description or "",
        "on": str(on or "").strip() or None,
    }
    try:
        found = service.match(service.profile_schema.parse(profile))
    except InputError as err:
        return render.error_html(f"输入有误：{err}"), gr.DownloadButton(visible=False)
    except PolicyAssistantError as err:
        return render.error_html(f"系统出错：{err}"), gr.DownloadButton(visible=False)
    return render.match_html(match_report(found)), gr.DownloadButton(value=_page_file(found), visible=True)


def _amount(field: MoneyField, subject: str) -> gr.Number:
    label = field.labels.get(subject, field.name)
    return gr.Number(
        label=f"{label}（元）",
        info="单位：元，如80万元填 800000；0 为未填",
        minimum=0,
        visible=subject in field.labels,
        elem_id=f"match-in-{field.name}",
    )


def _amount_update(field: MoneyField, subject: str) -> Any:
    if subject not in field.labels:
        return gr.Number(visible=False)
    return gr.Number(visible=True, label=f"{field.labels[subject]}（元）")


def _page_file(result: MatchResult) -> str:
    """The printable page written to a fresh temporary folder (Gradio serves it from its own cache)."""
    folder = Path(tempfile.mkdtemp(prefix="policy-match-"))
    path = folder / f"政策匹配结果-{result.profile.subject}-{result.on:%Y%m%d}.html"
    path.write_text(match_page(result), encoding="utf-8")
    return str(path)

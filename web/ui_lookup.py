"""The 条款查询 tab for hotline staff: search with filters (document, region, unit, level, status on a day),
ranked highlighted results, the full clause with a copy button, and browsing by document → section → clause."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant import InputError
from assistant.understand import MAX_QUESTION_CHARS
from index.model import LEVELS, STATUS_LABELS, Document
from web import render
from web.service import PolicyService
from web.ui_api import PAGE_ONLY

_ALL = ""
_STATEMENTS = "（通知、前言、附则）"
_NO_CLAUSE = '<div class="pa-empty">搜索或浏览后，在此查看条款全文。</div>'


@dataclass
class LookupTab:
    service: PolicyService
    header: gr.HTML
    text: gr.Textbox
    choices: list[gr.Dropdown]  # the document, region and browse lists, which follow the library

    def show(self, clause_id: str) -> tuple[str, str]:
        """The clause card and its full text, for the two view components."""
        clause = self.service.clause(clause_id)
        doc = self.service.document(clause.doc_id)
        return render.clause_html(clause, doc, self.service.rules_for(clause.id)), clause.text

    def refreshed(self) -> tuple[Any, ...]:
        """The three lists as the library is now (a document added since the page was built), values kept."""
        documents = [(doc_choice(d), d.id) for d in self.service.documents]
        return (
            gr.Dropdown(choices=[("全部文件", _ALL), *documents]),
            gr.Dropdown(choices=[("全部地区", _ALL), *self.service.regions]),
            gr.Dropdown(choices=documents),
        )


def build_lookup_tab(service: PolicyService) -> LookupTab:
    with gr.Row():
        query = gr.Textbox(
            label="搜索条款",
            placeholder="关键词或条款编号，如：担保费补贴、鲁科担、sd-2023-155#3、第三条",
            max_length=MAX_QUESTION_CHARS,
            scale=5,
            elem_id="lookup-query",
        )
        search = gr.Button("搜索", variant="primary", scale=1, min_width=80, elem_id="lookup-search")
    with gr.Row():
        doc_filter = gr.Dropdown(
            [("全部文件", _ALL), *((doc_choice(d), d.id) for d in service.documents)],
            value=_ALL,
            label="文件",
            elem_id="filter-doc",
        )
        region_filter = gr.Dropdown(
            [("全部地区", _ALL), *service.regions], value=_ALL, label="地区", elem_id="filter-region"
        )
        unit_filter = gr.Dropdown(
            [("全部单位", _ALL), *service.units], value=_ALL, label="责任单位", elem_id="filter-unit"
        )
    with gr.Row():
        level_filter = gr.Dropdown([("全部层级", _ALL), *LEVELS], value=_ALL, label="层级", elem_id="filter-level")
        status_filter = gr.Dropdown(
            [("全部状态", _ALL), *STATUS_LABELS.values()], value=_ALL, label="状态", elem_id="filter-status"
        )
        on_filter = gr.Textbox(
            label="状态所依据的日期（可选，默认今天）", placeholder="如 2029-01-01", max_length=10, elem_id="filter-on"
        )
    with gr.Row():
        with gr.Column(scale=3):
            results = gr.HTML(elem_id="lookup-results")
            with gr.Accordion("按文件浏览：文件 → 章节 → 条款", open=False, elem_id="browse"):
                browse_doc = gr.Dropdown(
                    [(doc_choice(d), d.id) for d in service.documents],
                    value=None,
                    label="文件",
                    elem_id="browse-doc",
                )
                browse_section = gr.Dropdown([], value=None, label="章节", elem_id="browse-section")
                browse_clause = gr.Dropdown([], value=None, label="条款", elem_id="browse-clause")
                outline = gr.HTML(elem_id="browse-outline")
        with gr.Column(scale=2):
            header = gr.HTML(_NO_CLAUSE, elem_id="clause-header")
            text = gr.Textbox(
                label="条款全文（可复制）",
                buttons=["copy"],
                interactive=False,
                lines=8,
                max_lines=40,
                elem_id="clause-text",
            )
    tab = LookupTab(service, header, text, [doc_filter, region_filter, browse_doc])

    def run_search(q: str, doc_id: str, region: str, unit: str, level: str, status: str, on: str) -> tuple[Any, ...]:
        try:
            result = service.lookup(q or "", 10, region, doc_id, unit, level, status, on)
        except InputError as err:
            return f'<div class="pa-empty">{render.text_html(str(err))}</div>', gr.skip(), gr.skip()
        html = render.results_html(result.exact, [(h, service.clause(h.clause_id)) for h in result.hits])
        first = next((c.id for c in result.exact), None) or next((h.clause_id for h in result.hits), None)
        return (html, *tab.show(first)) if first else (html, _NO_CLAUSE, "")

    def pick_clause(clause_id: str | None) -> tuple[Any, ...]:
        return tab.show(clause_id) if clause_id else (gr.skip(), gr.skip())

    def pick_document(doc_id: str | None) -> tuple[Any, ...]:
        if not doc_id:
            return gr.Dropdown(choices=[], value=None), gr.Dropdown(choices=[], value=None), ""
        doc = service.document(doc_id)
        sections = list(dict.fromkeys(c.section or "正文" for c in doc.clauses))
        if doc.statements:
            sections.append(_STATEMENTS)
        return (
            gr.Dropdown(choices=sections, value=None),
            gr.Dropdown(choices=[], value=None),
            render.outline_html(doc),
        )

    def pick_section(doc_id: str | None, section: str | None) -> Any:
        if not doc_id or not section:
            return gr.Dropdown(choices=[], value=None)
        doc = service.document(doc_id)
        if section == _STATEMENTS:
            clauses = doc.statements
        else:
            clauses = tuple(c for c in doc.clauses if (c.section or "正文") == section)
        return gr.Dropdown(choices=[(f"{render.short_label(c)}　{c.heading}", c.id) for c in clauses], value=None)

    inputs = [query, doc_filter, region_filter, unit_filter, level_filter, status_filter, on_filter]
    outputs = [results, header, text]
    query.submit(run_search, inputs, outputs, api_visibility=PAGE_ONLY)
    search.click(run_search, inputs, outputs, api_visibility=PAGE_ONLY)
    browse_doc.change(pick_document, browse_doc, [browse_section, browse_clause, outline], api_visibility=PAGE_ONLY)
    browse_section.change(pick_section, [browse_doc, browse_section], browse_clause, api_visibility=PAGE_ONLY)
    browse_clause.change(pick_clause, browse_clause, [header, text], api_visibility=PAGE_ONLY)
    return tab


def doc_choice(doc: Document) -> str:
    return f"{doc.short_title}（{doc.doc_number}）" if doc.doc_number else doc.short_title

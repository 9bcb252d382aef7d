"""The 文件库 tab: the documents in a table (title, 文号, level, region, type, status today and since when,
relations), one document's card with its history and clauses (each opening in 条款查询), and — only when the
app was started with an admin token — an upload that previews the parsed document, then adds it on
confirmation (the token asked for again on the page: a page event can be called without the page).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import PolicyAssistantError
from index.ingest.read import FORMATS
from web import render, render_library
from web.library import document_detail, document_out, upload_result
from web.service import MAX_UPLOAD_BYTES, PolicyService
from web.ui_api import PAGE_ONLY
from web.ui_lookup import LookupTab, doc_choice

log = logging.getLogger(__name__)
_PICK = '<div class="pa-empty">在上表点击文件标题，或在此选择文件，查看它的元数据、沿革和条款。</div>'
_LIMITS = f"支持 {'、'.join(FORMATS)}，不超过 {MAX_UPLOAD_BYTES / 2**20:g} MB。先预览识别结果，核对后再确认添加。"


@dataclass(frozen=True)
class UploadForm:
    file: gr.File
    token: gr.Textbox
    preview_button: gr.Button
    preview: gr.HTML
    add_button: gr.Button


def build_library_tab(service: PolicyService, demo: gr.Blocks, lookup: LookupTab) -> None:
    if service.uploads_enabled:  # only then: without a token the page holds no upload control at all
        with gr.Accordion("添加文件（管理员）", open=False, elem_id="library-upload"):
            form: UploadForm | None = _upload_form()
    else:
        form = None
        gr.Markdown(
            "文件库为只读：应用启动时未设置管理令牌（POLICY_ASSISTANT_ADMIN_TOKEN），不能在此添加文件。",
            elem_id="library-readonly",
        )
    table = gr.HTML(elem_id="library-table")
    doc = gr.Dropdown([], value=None, label="查看文件", elem_id="library-doc")
    with gr.Row():
        detail = gr.HTML(_PICK, elem_id="library-detail")
        clauses = gr.HTML(elem_id="library-clauses")
    open_box = gr.Textbox(visible="hidden", elem_id="open-doc")  # set by the page's script on a title clicked

    def refresh(selected: str | None = None) -> tuple[Any, ...]:
        """The table and the choice of documents as the library is now, statuses as of today."""
        today = dt.date.today()
        table = render_library.table_html([document_out(d, today) for d in service.documents], today)
        return table, gr.Dropdown(choices=[(doc_choice(d), d.id) for d in service.documents], value=selected)

    def show(doc_id: str | None) -> tuple[str, str]:
        if not doc_id:
            return _PICK, ""
        found = service.document(doc_id)
        return render_library.document_html(document_detail(found, dt.date.today())), render.outline_html(found)

    def open_doc(doc_id: str | None) -> tuple[Any, ...]:
        if not doc_id or doc_id not in {d.id for d in service.documents}:
            return gr.skip(), ""
        return gr.Dropdown(value=doc_id), ""

    demo.load(refresh, None, [table, doc], api_visibility=PAGE_ONLY)
    doc.change(show, doc, [detail, clauses], api_visibility=PAGE_ONLY)
    open_box.change(open_doc, open_box, [doc, open_box], api_visibility=PAGE_ONLY)
    if form is not None:
        _wire_upload(service, form, [table, doc], lookup, refresh)


def _upload_form() -> UploadForm:
    gr.Markdown(_LIMITS)
    with gr.Row():
        file = gr.File(label="文件", file_types=list(FORMATS), type="filepath", elem_id="library-file", scale=3)
        token = gr.Textbox(label="管理令牌", type="password", max_length=200, elem_id="library-token", scale=2)
    preview_button = gr.Button("预览", elem_id="library-preview-btn")
    preview = gr.HTML(elem_id="library-preview")
    add_button = gr.Button("确认添加", variant="primary", visible=False, elem_id="library-add-btn")
    return UploadForm(file, token, preview_button, preview, add_button)


def _wire_upload(
    service: PolicyService, form: UploadForm, listing: list[Any], lookup: LookupTab, refresh: Callable[..., Any]
) -> None:
    """Preview (the token and a file needed), then add on confirmation: the table, the list of documents and
    the 条款查询 lists follow, and the new document is shown."""

    def checked(path: str | None, given: str | None) -> Path:
        if not service.is_admin(given):
            raise PolicyAssistantError("管理令牌不正确：请填写启动应用时设置的管理令牌")
        if not path:
            # Gradio's upload has refused a file of another type or over the limit (its toast says so).
            raise PolicyAssistantError(f"请先选择要上传的文件（{_LIMITS.split('。')[0]}）")
        return Path(path)

    def run_preview(path: str | None, given: str | None) -> tuple[Any, ...]:
        try:
            found = service.preview(checked(path, given))
        except PolicyAssistantError as err:
            return render.error_html(str(err)), gr.Button(visible=False)
        return render_library.preview_html(upload_result(found, dt.date.today())), gr.Button(visible=True)

    outputs = [form.preview, form.add_button, *listing, *lookup.choices]
    unchanged = [gr.skip()] * (len(outputs) - 1)

    def run_add(path: str | None, given: str | None) -> tuple[Any, ...]:
        try:
            added = service.add(checked(path, given))
        except PolicyAssistantError as err:
            return render.error_html(str(err)), *unchanged
        except Exception:  # the add was rolled back; say so rather than leave Gradio's bare "Error"
            log.exception("adding %s failed", path)
            return render.error_html("添加失败（服务器内部错误），文库和索引保持原样；请稍后重试"), *unchanged
        result = render_library.preview_html(upload_result(added.plan, dt.date.today(), added.index))
        return result, gr.Button(visible=False), *refresh(added.plan.doc_id), *lookup.refreshed()

    inputs = [form.file, form.token]
    form.preview_button.click(run_preview, inputs, [form.preview, form.add_button], api_visibility=PAGE_ONLY)
    form.add_button.click(run_add, inputs, outputs, api_visibility=PAGE_ONLY)
    hidden = [form.preview, form.add_button]
    form.file.change(lambda: ("", gr.Button(visible=False)), None, hidden, api_visibility=PAGE_ONLY)

"""The 文件库 tab's HTML: the table of documents, one document's card, and an upload's preview — from the
REST API's models (``web.library``), every document text escaped with ``render.text_html``.

A link to another document of the library carries ``data-doc`` (the page's script opens it in the tab);
the clauses of a document in the library carry ``data-clause`` (opened in 条款查询); a preview's clauses,
not yet in the library, carry neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from index.model import cn_date
from web.library import ClauseItem, DocumentDetail, DocumentOut, RelationOut, UploadResult
from web.render import text_html

_MARK = "【待确认】"


def table_html(docs: Sequence[DocumentOut], on: dt.date) -> str:
    """One row a document: title (opens it below), 文号 or —, level, region, type, status and since when,
    and its relations."""
    head = "".join(f"<th>{text_html(h)}</th>" for h in ("标题", "文号", "层级", "地区", "类型", "状态", "关联"))
    rows = "".join(
        f'<tr data-row="{text_html(d.id)}"><td>{_doc_link(d.id, d.title)}</td>'
        f"<td>{text_html(d.doc_number or '—')}</td><td>{text_html(d.level)}</td><td>{text_html(d.region)}</td>"
        f"<td>{text_html(d.doc_type)}</td><td>{_status(d)}</td><td>{_relations(d.relations)}</td></tr>"
        for d in docs
    )
    caption = f"共 {len(docs)} 份文件；状态按 {cn_date(on)} 计。点击标题查看文件的元数据、沿革和条款。"
    return (
        f'<div class="pa-library"><div class="pa-hint">{text_html(caption)}</div>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def document_html(doc: DocumentDetail) -> str:
    """A document's card: metadata, status, relations and history (its clauses follow, from ``outline_html``)."""
    return f'<div class="pa-doc"><h3>{text_html(doc.cited_as)}</h3>{_facts(doc)}</div>'


def preview_html(result: UploadResult) -> str:
    """What an upload found (or added): the metadata with the fields to confirm marked, what is to be
    confirmed, and the table of its clauses."""
    doc = result.document
    if result.added and result.index:
        update = result.index
        state = f"已添加到文件库：{doc.id}（索引已更新，新嵌入 {update.embedded} 个片段），现在即可提问。"
    else:
        state = "预览：尚未写入文件库。核对下列信息后点“确认添加”。"
    confirm = "".join(f"<li>{_MARK}{text_html(item)}</li>" for item in result.to_confirm)
    clauses = [*doc.clauses, *doc.statements]
    return (
        f'<div class="pa-doc pa-preview"><div class="pa-state">{text_html(state)}</div>'
        f"<h3>{text_html(doc.cited_as)}</h3>{_facts(doc)}"
        + (f'<div class="pa-confirm"><b>待确认</b><ul>{confirm}</ul></div>' if confirm else "")
        + f"<p><b>{text_html(f'结构：{result.layout}，共 {len(doc.clauses)} 条')}</b></p>{_clause_table(clauses)}</div>"
    )


def _facts(doc: DocumentDetail) -> str:
    """The metadata table (a field the upload could not find marked 待确认), relations, history."""
    in_force = doc.in_force.text + (f"（依据：{doc.in_force.basis}）" if doc.in_force.basis else "")
    rows = [
        ("编号", doc.id),
        ("标题", doc.title),
        ("简称", doc.short_title),
        ("文号", doc.doc_number or "—（法律、法规以标题和日期引用）"),
        ("层级", doc.level),
        ("地区", doc.region),
        ("类型", doc.doc_type),
        ("发布机关", "、".join(doc.issuers) or "未找到"),
        ("印发/公布日期", cn_date(doc.issued)),
        ("施行日期", in_force),
    ]
    cells = "".join(
        f"<tr><th>{text_html(name)}</th><td>{text_html(value)}"
        + (f' <span class="pa-mark">{_MARK}</span>' if name in doc.to_confirm else "")
        + "</td></tr>"
        for name, value in rows
    )
    status = f"<tr><th>状态（今天）</th><td>{_status(doc)}</td></tr>"
    relations = f"<tr><th>关联</th><td>{_relations(doc.relations, with_basis=True)}</td></tr>"
    history = "".join(
        f'<li>{text_html(cn_date(e.date) + e.event)}<div class="pa-hint">{text_html(e.text)}</div></li>'
        for e in doc.history
    )
    table = f"<table>{cells}{status}{relations}</table>"
    return table + (f"<p><b>沿革</b></p><ul>{history}</ul>" if history else "")


def _status(doc: DocumentOut) -> str:
    """The status as a badge, and since when (and by what, when replaced)."""
    status = doc.status
    since = text_html(f"自{cn_date(status.since)}起")
    if status.successor_id:
        successor = next((r for r in doc.relations if r.doc_id == status.successor_id), None)
        since += f"，由{_doc_link(status.successor_id, successor.cited if successor else status.successor_id)}替代"
    return (
        f'<span class="pa-status pa-status-{text_html(status.status)}">{text_html(status.label)}</span>'
        f'<br><span class="pa-since">{since}</span>'
    )


def _relations(relations: Sequence[RelationOut], with_basis: bool = False) -> str:
    """Each relation: its name and the other document, a link when the library holds it."""
    if not relations:
        return "—"
    items = []
    for r in relations:
        other = _doc_link(r.doc_id, r.cited) if r.doc_id else f"{text_html(r.cited)}（文库中没有）"
        basis = f'<div class="pa-hint">{text_html(r.basis)}</div>' if with_basis and r.basis else ""
        items.append(f"<li>{text_html(r.name)}{other}{basis}</li>")
    return f'<ul class="pa-relations">{"".join(items)}</ul>'


def _doc_link(doc_id: str, text: str) -> str:
    return f'<a class="pa-link" data-doc="{text_html(doc_id)}">{text_html(text)}</a>'


def _clause_table(clauses: Sequence[ClauseItem]) -> str:
    head = "<tr><th>编号</th><th>条次</th><th>章节</th><th>标题</th></tr>"
    rows = "".join(
        f"<tr><td>{text_html(c.clause_id)}</td><td>{text_html(c.number)}</td>"
        f"<td>{text_html(c.section or '—')}</td><td>{text_html(c.heading)}</td></tr>"
        for c in clauses
    )
    return f'<table class="pa-clauses">{head}{rows}</table>'

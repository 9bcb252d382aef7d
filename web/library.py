"""The library as the REST API and the 文件库 tab show it, built in one place: each document's metadata,
status on a day, relations (the other document named, and its id when the library holds it), history and
clauses; and what an upload found (the preview) or added."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from index.ingest.add import Plan
from index.ingest.command import FIELD_NAMES
from index.model import DOC_TYPES, RELATION_NAMES, Clause, Document, RelationKind, Status
from index.store import BuildReport
from web.calc_request import IsoDate
from web.models import Level, StatusLabel, _Model
from web.render import number_label


class DocumentsQuery(_Model):
    """The query parameters of GET /api/documents."""

    region: str | None = Field(default=None, max_length=20, description="地区，如“山东”（地区名的一部分）")
    level: Level | None = Field(default=None, description="文件层级")
    status: StatusLabel | None = Field(default=None, description="文件在 on 日的状态")
    on: IsoDate | None = Field(default=None, description="判断状态所依据的日期（YYYY-MM-DD）；不填为今天")


class InForceOut(_Model):
    start: dt.date
    end: dt.date | None = Field(description="文件未规定截止日期时为 null")
    basis: str = Field(description="文中规定施行期的句子")
    text: str = Field(description="如“2024年1月1日至2028年12月31日”")


class RelationOut(_Model):
    kind: Literal[tuple(k.value for k in RelationKind)]  # type: ignore[valid-type]
    name: str = Field(description="实施、引用、修改、替代（废止）及其反向：被实施、被引用、被修改、被替代")
    target: str = Field(description="文中所称的另一文件：标题（不含书名号）或文号")
    cited: str = Field(description="《标题》或文号")
    doc_id: str | None = Field(description="文库中该文件的编号；文库中没有时为 null")
    on: dt.date | None = Field(description="替代关系：新文件施行之日")
    basis: str = Field(description="文中写明该关系的句子（由另一文件推出的关系为空）")


class StatusOut(_Model):
    status: Literal[tuple(s.value for s in Status)]  # type: ignore[valid-type]
    label: StatusLabel
    since: dt.date = Field(description="该状态的起始日")
    text: str = Field(description="如“自2029年1月1日起已失效”")
    successor_id: str | None = Field(description="已被替代时，替代它的文件在文库中的编号")


class DocumentOut(_Model):
    id: str
    title: str
    short_title: str
    doc_number: str | None = Field(description="文号；法律法规没有文号时为 null")
    cited_as: str = Field(description="引用时的写法：《标题》（文号）")
    level: Level
    region: str
    doc_type: Literal[DOC_TYPES]  # type: ignore[valid-type]
    issuers: list[str]
    issued: dt.date = Field(description="印发日期，法律法规为本版本公布（通过）日期")
    in_force: InForceOut
    status: StatusOut = Field(description="在所依据日期（on）的状态")
    relations: list[RelationOut]
    clause_count: int


class DocumentList(_Model):
    on: dt.date = Field(description="判断状态所依据的日期")
    documents: list[DocumentOut] = Field(description="按印发（公布）日期排列")


class EventOut(_Model):
    date: dt.date
    event: str = Field(description="通过、修订、修正、批准、公布、印发或施行")
    text: str


class ClauseItem(_Model):
    clause_id: str
    number: str = Field(description="条次，如“第四十五条”“第（三）条”")
    heading: str
    section: str
    kind: str


class DocumentDetail(DocumentOut):
    history: list[EventOut]
    clauses: list[ClauseItem] = Field(description="编号条款，按原文顺序")
    statements: list[ClauseItem] = Field(description="通知、题注、附则等文件层面的文字")
    to_confirm: list[str] = Field(description="添加时文中未找到、需人工核对的字段")


class IndexUpdate(_Model):
    chunks: int
    embedded: int = Field(description="新嵌入的片段数（只嵌入新文件的片段）")
    seconds: float


class UploadResult(_Model):
    added: bool = Field(description="false：仅预览（dry_run），未写入任何文件")
    document: DocumentDetail
    to_confirm: list[str] = Field(description="待确认：文中未找到的字段、从文中读出的关联、条款编号的缺漏")
    layout: str = Field(description="识别出的结构")
    index: IndexUpdate | None = Field(description="索引更新；预览时为 null")


def document_out(doc: Document, on: dt.date) -> DocumentOut:
    return DocumentOut.model_validate(_summary(doc, on))


def document_detail(doc: Document, on: dt.date) -> DocumentDetail:
    return DocumentDetail.model_validate(
        {
            **_summary(doc, on),
            "history": [{"date": e.date, "event": e.kind, "text": e.text} for e in doc.history],
            "clauses": [_clause(c) for c in doc.clauses],
            "statements": [_clause(c) for c in doc.statements],
            "to_confirm": [FIELD_NAMES.get(f, f) for f in doc.to_confirm],
        }
    )


def upload_result(found: Plan, on: dt.date, index: BuildReport | None = None) -> UploadResult:
    """What the file gives (``index`` None: a preview) or gave (``index``: the update after adding it)."""
    doc = found.document
    relations = [f"{RELATION_NAMES[r.kind]}{r.cited}（从文中读出）" for r in doc.relations if r.basis]
    missing = [f"文中未找到{FIELD_NAMES.get(f, f)}" for f in found.to_confirm]
    update = (
        IndexUpdate(chunks=index.chunks, embedded=index.embedded, seconds=round(index.seconds, 2)) if index else None
    )
    return UploadResult(
        added=index is not None,
        document=document_detail(doc, on),
        to_confirm=[*missing, *relations, *found.parsed.problems],
        layout=found.parsed.structure,
        index=update,
    )


def _summary(doc: Document, on: dt.date) -> dict[str, object]:
    status = doc.status(on)
    return {
        "id": doc.id,
        "title": doc.title,
        "short_title": doc.short_title,
        "doc_number": doc.doc_number,
        "cited_as": doc.cited_as,
        "level": doc.level,
        "region": doc.region,
        "doc_type": doc.doc_type,
        "issuers": list(doc.issuers),
        "issued": doc.issued,
        "in_force": {
            "start": doc.in_force.start,
            "end": doc.in_force.end,
            "basis": doc.in_force.basis,
            "text": doc.in_force.describe(),
        },
        "status": {
            "status": status.status.value,
            "label": status.status.label,
            "since": status.since,
            "text": status.describe(),
            "successor_id": status.successor.doc_id if status.successor else None,
        },
        "relations": [
            {
                "kind": r.kind.value,
                "name": RELATION_NAMES[r.kind],
                "target": r.target,
                "cited": r.cited,
                "doc_id": r.doc_id,
                "on": r.on,
                "basis": r.basis,
            }
            for r in doc.relations
        ],
        "clause_count": len(doc.clauses),
    }


def _clause(clause: Clause) -> dict[str, object]:
    return {
        "clause_id": clause.id,
        "number": number_label(clause),
        "heading": clause.heading,
        "section": clause.section,
        "kind": clause.kind,
    }

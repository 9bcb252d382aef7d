"""``policy-assistant add FILE…``: add documents to the corpus and show what was found.

For each file: the metadata (marking what is to be confirmed), the relations and status, and a table
of the clauses; then ``<id>.toml`` + ``<id>.txt`` are written (not with ``--dry-run``; an existing id
only with ``--replace``). The index is then brought up to date, embedding only the new chunks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from index.errors import IngestError, PolicyAssistantError
from index.ingest.add import Plan, plan, write
from index.model import RELATION_NAMES, cn_date
from index.settings import Settings

# The metadata fields ``add`` may leave to be confirmed, as a reader names them.
FIELD_NAMES = {"title": "标题", "issued": "印发/公布日期", "in_force": "施行日期", "issuers": "发布机关"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, help=".txt .md .docx .pdf .html")
    parser.add_argument("--dry-run", action="store_true", help="show what would be added; write nothing")
    parser.add_argument("--replace", action="store_true", help="overwrite a document with the same id")
    parser.add_argument("--no-build", action="store_true", help="leave the index to be updated on next start")


def run(args: argparse.Namespace) -> None:
    settings = Settings.from_env()
    written, failed = 0, []
    for path in args.files:
        try:
            found = plan(path, settings.corpus_dir)
            print(describe(found, dt.date.today()))
            if args.dry_run:
                print("（--dry-run：未写入任何文件）\n")
                continue
            meta_path, text_path = write(found, settings.corpus_dir, args.replace)
            print(f"已写入：{meta_path}、{text_path.name}\n")
            written += 1
        except PolicyAssistantError as err:
            print(f"错误：{err}\n", file=sys.stderr)
            failed.append(path.name)
    if written and not args.no_build:
        from index.store import build_index

        report = build_index(settings)
        print(f"索引已更新：{report.chunks} 个片段，新嵌入 {report.embedded} 个（{report.seconds:.1f} 秒）")
    if failed:
        raise IngestError(f"{len(failed)} 个文件未添加：{'、'.join(failed)}")


def describe(found: Plan, today: dt.date) -> str:
    doc, _meta = found.document, found.meta
    confirm = set(found.to_confirm)

    def mark(field: str) -> str:
        return "　【待确认】" if field in confirm else ""

    in_force = doc.in_force.describe()
    rows = [
        f"文件：{found.received.name}",
        f"编号：{doc.id}",
        f"标题：{doc.title}{mark('title')}",
        f"简称：{doc.short_title}",
        f"文号：{doc.doc_number or '无（法律、法规以标题和日期引用）'}",
        f"类型：{doc.doc_type}　层级：{doc.level}　地区：{doc.region}",
        f"发布机关：{'、'.join(doc.issuers) or '未找到'}{mark('issuers')}",
        f"印发/公布日期：{cn_date(doc.issued)}{mark('issued')}",
        f"施行：{in_force}{mark('in_force')}" + (f"（依据：{doc.in_force.basis}）" if doc.in_force.basis else ""),
    ]
    if doc.history:
        rows.append("沿革：" + "；".join(f"{cn_date(e.date)}{e.kind}" for e in doc.history))
    for rel in doc.relations:
        where = f"，文库中为 {rel.doc_id}" if rel.doc_id else "，文库中没有"
        found_here = "【待确认】" if rel.basis else ""  # those read from this text; the others come from the library
        rows.append(f"关联：{RELATION_NAMES[rel.kind]}{rel.cited}{where}{found_here}")
    rows.append(f"状态（{cn_date(today)}）：{doc.status(today).describe()}")
    rows.append(f"结构：{found.parsed.structure}，共 {len(doc.clauses)} 条")
    rows += [f"　　{c.id}\t{c.label.removeprefix(doc.cited_as)}\t{c.section}\t{c.heading}" for c in doc.clauses]
    rows += [f"　　{s.id}\t{s.heading}\t{s.text[:40]}…" for s in doc.statements]
    rows += [f"【待确认】{p}" for p in found.parsed.problems]
    missing = [FIELD_NAMES.get(f, f) for f in sorted(confirm)]
    if missing:
        rows.append(f"【待确认】文中未找到：{'、'.join(missing)}（已写入 to_confirm，核对后从列表中删去）")
    return "\n".join(rows)

"""Add a received file to the corpus: read it, find its metadata and structure, write ``<id>.toml`` + ``.txt``.

``plan`` does all the work in memory and parses the text exactly as the corpus loader will; ``write``
puts both files in place only when the whole corpus still loads with them, and otherwise leaves the
corpus as it was (no half-written document, ever).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit

from index.corpus import DOCUMENTS_DIR, check_meta, load_corpus, make_document
from index.errors import CorpusError, DuplicateDocumentError, IngestError
from index.ingest.detect import TITLE_END, detect, doc_type
from index.ingest.ids import Region, id_from_number, id_from_title, load_regions, region_in, region_of_number
from index.ingest.read import Received, read_file
from index.model import DECLARED_RELATIONS, Document
from index.parse import DocHeader, Parsed, parse_document
from index.relations import link
from index.repair import normalise_punctuation


@dataclass(frozen=True)
class Plan:
    received: Path
    meta: dict[str, Any]  # the metadata as it will be written
    text: str  # the text as it will be written
    document: Document  # as the corpus will load it, relations resolved against the corpus
    parsed: Parsed
    to_confirm: tuple[str, ...]

    @property
    def doc_id(self) -> str:
        return str(self.meta["id"])


def plan(path: Path, corpus_dir: Path) -> Plan:
    received = read_file(path)
    text, lines = _with_title_hint(received)
    found = detect(lines, received.info)
    missing = list(found.missing)
    title = found.title
    if not title:
        title = re.sub(r"[（(][^）)]*[）)]$", "", path.stem)
        missing.append("title")
    if parse_document("\n".join(lines), DocHeader("draft", title, None), path.name).layout == "paragraphs":
        raise IngestError(
            f"{path.name}：未识别出条款结构（第X条、（一）、一、或 1.），不能按条款登记；请确认这是一份政策或法规文本"
        )
    issued = found.issued or found.start
    if issued is None:
        raise IngestError(f"{path.name}：文中找不到印发、公布或施行日期，无法登记（请在文首补上日期后再添加）")
    region = _region(found.doc_number, title, found.issuers, load_regions(corpus_dir))
    doc_id = id_from_number(found.doc_number, region) if found.doc_number else id_from_title(title, issued, region)

    meta: dict[str, Any] = {"id": doc_id, "source": f"{doc_id}.txt"}
    if found.doc_number:
        meta["doc_number"] = found.doc_number
    meta |= {
        "title": title,
        "short_title": short_title(title),
        "issuers": list(found.issuers),
        "region": region.name,
        "level": region.level,
        "doc_type": doc_type(title, found.issuers, region.level, found.history),
        "issued": issued,
        "in_force": {"start": found.start or issued, "basis": found.in_force_basis}
        | ({"end": found.end} if found.end else {}),
    }
    if received.format != ".txt":
        meta["received"] = path.name
    if found.title_break and text.count(found.title_break) == 1:
        why = "title line broken in two"
        meta["repairs"] = [{"find": found.title_break, "replace": title, "count": 1, "why": why}]
    if found.history:
        meta["history"] = [{"date": e.date, "event": e.kind, "text": e.text} for e in found.history]
    relations = [r for r in found.relations if r.kind in DECLARED_RELATIONS]
    if relations:
        meta["relations"] = [{"kind": r.kind.value, "target": r.target, "basis": r.basis} for r in relations]
    if missing:
        meta["to_confirm"] = sorted(set(missing))
    check_meta(meta, path)

    folder = corpus_dir / DOCUMENTS_DIR
    try:
        document, parsed = make_document(meta, text, folder / f"{doc_id}.toml", folder / meta["source"])
    except CorpusError as err:
        raise IngestError(f"{path.name}：文本无法按条款解析（{err}）") from None
    others = tuple(d for d in load_corpus(corpus_dir).documents if d.id != doc_id) if any(folder.glob("*.toml")) else ()
    linked = link((*others, document))[-1]
    return Plan(path, meta, text, linked, parsed, tuple(meta.get("to_confirm", ())))


def write(plan: Plan, corpus_dir: Path, replace: bool) -> tuple[Path, Path]:
    """Write ``<id>.toml`` and ``<id>.txt``; refuse to overwrite unless ``replace``; roll back if the corpus breaks."""
    folder = corpus_dir / DOCUMENTS_DIR
    meta_path, text_path = folder / f"{plan.doc_id}.toml", folder / f"{plan.doc_id}.txt"
    if not replace and (meta_path.exists() or text_path.exists()):
        raise DuplicateDocumentError(f"文库中已有编号为 {plan.doc_id} 的文件；要用新文件替换，请加 --replace")
    old = {p: p.read_bytes() for p in (meta_path, text_path) if p.exists()}
    staged = {meta_path: render_toml(plan).encode("utf-8"), text_path: plan.text.encode("utf-8")}
    tmp = {p: p.with_name(f".{p.name}.tmp-{os.getpid()}") for p in staged}
    try:
        for path, data in staged.items():
            tmp[path].write_bytes(data)
        for path in staged:
            os.replace(tmp[path], path)
        load_corpus(corpus_dir)  # the whole corpus must still load
    except (OSError, CorpusError) as err:
        for path in staged:
            tmp[path].unlink(missing_ok=True)
            if path in old:
                path.write_bytes(old[path])
            else:
                path.unlink(missing_ok=True)
        raise IngestError(f"{plan.received.name}：写入后文库无法加载，已撤销（{err}）") from None
    return meta_path, text_path


def render_toml(plan: Plan) -> str:
    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"{plan.meta['title']} — added by `policy-assistant add` from {plan.received.name}."))
    if plan.to_confirm:
        doc.add(tomlkit.comment("to_confirm: fields not found in the text; check them, then take them off the list."))
    for key, value in plan.meta.items():
        if key in ("repairs", "history", "relations"):
            continue
        doc[key] = value
    for key in ("repairs", "history", "relations"):
        if key in plan.meta:
            table = tomlkit.aot()
            for entry in plan.meta[key]:
                table.append(tomlkit.item(entry))
            doc[key] = table
    return tomlkit.dumps(doc)


def short_title(title: str) -> str:
    return title.removeprefix("中华人民共和国").removeprefix("关于")


def _with_title_hint(received: Received) -> tuple[str, list[str]]:
    """The text and its lines (punctuation as the loader normalises it), with a title stated apart prepended."""
    lines = [normalise_punctuation(line) for line in received.lines]
    hint = received.title_hint
    if hint and TITLE_END.search(hint) and hint not in lines[:5]:
        return f"{hint}\n{received.text}", [hint, *lines]
    return received.text, lines


def _region(doc_number: str | None, title: str, issuers: tuple[str, ...], regions: tuple[Region, ...]) -> Region:
    region = region_of_number(doc_number, regions) if doc_number else None
    region = region or region_in([title, *issuers], regions)
    if region is None:
        where = f"文号前缀（{doc_number}）" if doc_number else "地区"
        raise IngestError(f"无法确定文件所属地区：请在 corpus/regions.toml 中添加该{where}后再添加")
    return region


"""Load the corpus: documents' metadata (TOML) and texts, repaired and parsed into clauses.

Loading is all-or-nothing: any problem raises ``CorpusError`` naming the file, and no
partial corpus is returned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from index.errors import CorpusError, NotFoundError
from index.model import (
    DECLARED_RELATIONS,
    DOC_TYPES,
    EVENTS,
    LEVELS,
    Clause,
    Document,
    Event,
    InForce,
    Relation,
    RelationKind,
)
from index.parse import DocHeader, Parsed, parse_document
from index.relations import link
from index.repair import Repair, apply_repairs, drop_repeated_lines, normalise_punctuation

DOCUMENTS_DIR = "documents"
_REQUIRED: dict[str, type] = {
    "id": str,
    "source": str,
    "title": str,
    "short_title": str,
    "issuers": list,
    "region": str,
    "level": str,
    "doc_type": str,
    "issued": dt.date,
    "in_force": dict,
}
_OPTIONAL: dict[str, type] = {
    "doc_number": str,  # 文号; laws and regulations have none
    "received": str,  # the file name as received (.docx, .pdf, .html …) when the text was extracted from it
    "repairs": list,
    "history": list,
    "relations": list,
    "to_confirm": list,  # fields ``add`` could not find: a person checks them, then removes them from the list
}


@dataclass(frozen=True)
class Corpus:
    root: Path
    documents: tuple[Document, ...]

    @cached_property
    def _by_id(self) -> dict[str, Clause]:
        return {c.id: c for d in self.documents for c in d.all_clauses}

    @property
    def clauses(self) -> tuple[Clause, ...]:
        """Every numbered item of every document, in document order."""
        return tuple(c for d in self.documents for c in d.clauses)

    def clause(self, clause_id: str) -> Clause:
        try:
            return self._by_id[clause_id]
        except KeyError:
            raise NotFoundError(f"没有编号为“{clause_id}”的条款") from None

    def has_clause(self, clause_id: str) -> bool:
        return clause_id in self._by_id

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise NotFoundError(f"没有编号为“{doc_id}”的文件")


def load_corpus(root: Path) -> Corpus:
    folder = root / DOCUMENTS_DIR
    meta_files = sorted(folder.glob("*.toml"))
    if not meta_files:
        raise CorpusError(f"{folder}: no document metadata (*.toml) found")
    documents = tuple(load_document(path) for path in meta_files)
    ids = [d.id for d in documents]
    if len(set(ids)) != len(ids):
        raise CorpusError(f"{folder}: two metadata files declare the same document id")
    return Corpus(root, link(documents))


def load_document(meta_path: Path) -> Document:
    meta = read_meta(meta_path)
    source = meta_path.parent / meta["source"]
    return make_document(meta, _read_text(source), meta_path, source)[0]


def make_document(meta: dict[str, Any], raw: str, meta_path: Path, source: Path) -> tuple[Document, Parsed]:
    """The document from checked metadata and its received text (the relations not yet linked)."""
    repairs = [_repair(r, meta_path) for r in meta.get("repairs", [])]
    text, changes = apply_repairs(raw, repairs, str(meta_path))
    text, dropped = drop_repeated_lines(text)
    text = normalise_punctuation(text)
    head = DocHeader(meta["id"], meta["title"], meta.get("doc_number"))
    parsed = parse_document(text, head, str(source))
    if not parsed.clauses:
        raise CorpusError(f"{source}: no clauses found")
    document = Document(
        id=meta["id"],
        doc_number=meta.get("doc_number"),
        title=meta["title"],
        short_title=meta["short_title"],
        issuers=tuple(meta["issuers"]),
        region=meta["region"],
        level=meta["level"],
        doc_type=meta["doc_type"],
        issued=meta["issued"],
        in_force=_in_force(meta["in_force"], meta_path),
        text=text,
        changes=tuple(changes + dropped),
        clauses=parsed.clauses,
        statements=parsed.statements,
        history=tuple(_event(e, meta_path) for e in meta.get("history", [])),
        relations=tuple(_relation(r, meta_path) for r in meta.get("relations", [])),
        to_confirm=tuple(meta.get("to_confirm", [])),
    )
    return document, parsed


def corpus_fingerprint(root: Path) -> str:
    """Hash of every corpus file (texts, metadata, rules, lexicon): the index is stale when it changes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def read_meta(path: Path) -> dict[str, Any]:
    try:
        meta = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as err:
        raise CorpusError(f"{path}: not valid TOML ({err})") from None
    check_meta(meta, path)
    if meta["id"] != path.stem:
        raise CorpusError(f"{path}: id '{meta['id']}' does not match the file name")
    return meta


def check_meta(meta: dict[str, Any], path: Path) -> None:
    """Every field known, present when required, of its type; enumerated values among their choices."""
    _fields(meta, _REQUIRED, _OPTIONAL, str(path))
    choices = [("level", LEVELS), ("doc_type", DOC_TYPES), ("to_confirm", tuple(_REQUIRED) + tuple(_OPTIONAL))]
    for key, allowed in choices:
        values = meta.get(key, [])
        for value in values if isinstance(values, list) else [values]:
            if value not in allowed:
                raise CorpusError(f"{path}: {key} '{value}' is not one of {', '.join(allowed)}")
    if not meta.get("doc_number", "x").strip():
        raise CorpusError(f"{path}: doc_number is empty: leave the field out when there is no 文号")


def _fields(table: object, required: dict[str, type], optional: dict[str, type], where: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise CorpusError(f"{where}: must be a table")
    for key in required:
        if key not in table:
            raise CorpusError(f"{where}: missing field '{key}'")
    for key, value in table.items():
        kind = required.get(key) or optional.get(key)
        if kind is None:
            raise CorpusError(f"{where}: unknown field(s) {sorted(set(table) - set(required) - set(optional))}")
        if not isinstance(value, kind):
            raise CorpusError(f"{where}: field '{key}' must be {kind.__name__}")
    return table


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CorpusError(f"{path}: cannot read ({err.strerror})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CorpusError(f"{path}: not UTF-8 text (byte {err.start})") from None


def _repair(entry: dict[str, Any], path: Path) -> Repair:
    try:
        return Repair(str(entry["find"]), str(entry["replace"]), int(entry["count"]), str(entry["why"]))
    except KeyError as err:
        raise CorpusError(f"{path}: a repair is missing '{err.args[0]}'") from None


def _event(entry: object, path: Path) -> Event:
    table = _fields(entry, {"date": dt.date, "event": str, "text": str}, {}, f"{path}: history")
    if table["event"] not in EVENTS:
        raise CorpusError(f"{path}: history event '{table['event']}' is not one of {', '.join(EVENTS)}")
    return Event(table["date"], table["event"], table["text"])


def _relation(entry: object, path: Path) -> Relation:
    table = _fields(entry, {"kind": str, "target": str}, {"basis": str, "on": dt.date}, f"{path}: relations")
    kinds = sorted(k.value for k in DECLARED_RELATIONS)
    if table["kind"] not in kinds:
        raise CorpusError(f"{path}: relation kind '{table['kind']}' is not one of {', '.join(kinds)}")
    kind = RelationKind(table["kind"])
    if (kind is RelationKind.REPLACED_BY) != ("on" in table):
        raise CorpusError(f"{path}: a replaced_by relation, and only it, states the day ('on')")
    return Relation(kind, table["target"], None, table.get("on"), table.get("basis", ""))


def _in_force(entry: dict[str, Any], path: Path) -> InForce:
    start, end = entry.get("start"), entry.get("end")
    if not isinstance(start, dt.date) or (end is not None and not isinstance(end, dt.date)):
        raise CorpusError(f"{path}: in_force needs a start date and, optionally, an end date")
    if end is not None and end < start:
        raise CorpusError(f"{path}: in_force ends before it starts")
    return InForce(start, end, str(entry.get("basis", "")))

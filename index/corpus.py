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
from index.model import Clause, Document, InForce
from index.parse import DocHeader, parse_document
from index.repair import Repair, apply_repairs, drop_repeated_lines, normalise_punctuation

DOCUMENTS_DIR = "documents"
_REQUIRED: dict[str, type] = {
    "id": str,
    "source": str,
    "doc_number": str,
    "title": str,
    "short_title": str,
    "issuers": list,
    "region": str,
    "issued": dt.date,
    "in_force": dict,
}
_OPTIONAL = {"repairs"}


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
    return Corpus(root, documents)


def load_document(meta_path: Path) -> Document:
    meta = _read_meta(meta_path)
    source = meta_path.parent / meta["source"]
    raw = _read_text(source)
    repairs = [_repair(r, meta_path) for r in meta.get("repairs", [])]
    text, changes = apply_repairs(raw, repairs, str(meta_path))
    text, dropped = drop_repeated_lines(text)
    text = normalise_punctuation(text)
    head = DocHeader(meta["id"], meta["title"], meta["doc_number"])
    parsed = parse_document(text, head, str(source))
    if not parsed.clauses:
        raise CorpusError(f"{source}: no clauses found")
    return Document(
        id=meta["id"],
        doc_number=meta["doc_number"],
        title=meta["title"],
        short_title=meta["short_title"],
        issuers=tuple(meta["issuers"]),
        region=meta["region"],
        issued=meta["issued"],
        in_force=_in_force(meta["in_force"], meta_path),
        text=text,
        changes=tuple(changes + dropped),
        clauses=parsed.clauses,
        statements=parsed.statements,
    )


def corpus_fingerprint(root: Path) -> str:
    """Hash of every corpus file (texts, metadata, rules, lexicon): the index is stale when it changes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        meta = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as err:
        raise CorpusError(f"{path}: not valid TOML ({err})") from None
    for key, kind in _REQUIRED.items():
        if key not in meta:
            raise CorpusError(f"{path}: missing field '{key}'")
        if not isinstance(meta[key], kind):
            raise CorpusError(f"{path}: field '{key}' must be {kind.__name__}")
    unknown = set(meta) - set(_REQUIRED) - _OPTIONAL
    if unknown:
        raise CorpusError(f"{path}: unknown field(s) {sorted(unknown)}")
    if meta["id"] != path.stem:
        raise CorpusError(f"{path}: id '{meta['id']}' does not match the file name")
    return meta


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


def _in_force(entry: dict[str, Any], path: Path) -> InForce:
    start, end = entry.get("start"), entry.get("end")
    if not isinstance(start, dt.date) or (end is not None and not isinstance(end, dt.date)):
        raise CorpusError(f"{path}: in_force needs a start date and, optionally, an end date")
    if end is not None and end < start:
        raise CorpusError(f"{path}: in_force ends before it starts")
    return InForce(start, end, str(entry.get("basis", "")))

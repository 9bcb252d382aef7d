"""Clause-aware chunks: a chunk never spans two clauses; long clauses split at sentence ends."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from index.model import Clause, Document


@dataclass(frozen=True)
class Chunk:
    clause_id: str
    doc_id: str
    start: int  # span in the clause text
    end: int
    text: str
    context: str  # region, short title and clause heading, prepended when embedding
    kind: str = "text"  # "text": a span of the clause; "topics": its everyday phrases (corpus/topics)

    @property
    def id(self) -> str:
        """Unique in the corpus: a clause's text chunks start at different offsets; it has one topics chunk."""
        return f"{self.clause_id}:{self.kind}:{self.start}"

    @property
    def embed_text(self) -> str:
        return f"{self.context}：{self.text}"


def chunk_document(
    doc: Document, max_chars: int, topics: Mapping[str, tuple[str, ...]] | None = None
) -> list[Chunk]:
    """The clauses' text chunks, and one chunk of everyday phrases for each clause that has them."""
    chunks = [chunk for clause in doc.all_clauses for chunk in chunk_clause(clause, doc, max_chars)]
    for clause in doc.all_clauses:
        phrases = (topics or {}).get(clause.id)
        if phrases:
            context = f"{doc.region} {doc.short_title} {clause.heading}"
            chunks.append(Chunk(clause.id, doc.id, 0, 0, "；".join(phrases), context, "topics"))
    return chunks


def chunk_clause(clause: Clause, doc: Document, max_chars: int) -> list[Chunk]:
    context = f"{doc.region} {doc.short_title} {clause.heading}"
    chunks: list[Chunk] = []
    start = end = 0
    for sentence in clause.sentences:
        if end > start and sentence.end - start > max_chars:
            chunks.append(Chunk(clause.id, doc.id, start, end, clause.text[start:end], context))
            start = sentence.start
        end = sentence.end
    if end > start:
        chunks.append(Chunk(clause.id, doc.id, start, end, clause.text[start:end], context))
    return chunks

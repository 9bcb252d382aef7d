from __future__ import annotations

from index.chunks import chunk_document
from index.corpus import Corpus


def test_chunks_never_span_two_clauses_and_keep_spans(corpus: Corpus) -> None:
    for doc in corpus.documents:
        for chunk in chunk_document(doc, max_chars=80):
            clause = corpus.clause(chunk.clause_id)
            assert clause.text[chunk.start : chunk.end] == chunk.text
            assert chunk.context.startswith(doc.region) and clause.heading in chunk.context


def test_long_clause_splits_at_sentence_ends(corpus: Corpus) -> None:
    doc = corpus.document("sd-2023-155")
    clause = corpus.clause("sd-2023-155#1")
    chunks = [c for c in chunk_document(doc, max_chars=120) if c.clause_id == clause.id]
    assert len(chunks) > 1
    ends = {s.end for s in clause.sentences}
    assert all(c.end in ends for c in chunks)
    assert "".join(c.text for c in chunks) == clause.text


def test_a_short_clause_is_one_chunk(corpus: Corpus) -> None:
    doc = corpus.document("nm-2025-15")
    chunks = [c for c in chunk_document(doc, max_chars=1000) if c.clause_id == "nm-2025-15#4"]
    assert len(chunks) == 1

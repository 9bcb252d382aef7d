"""Synthetic corpora of 1k-100k chunks made by recombining real clause sentences, to measure how
BM25 and FAISS search scale. A synthetic chunk's vector is the normalised mean of its sentences'
real embeddings, so no model runs per synthetic chunk (embedding 100k chunks would take hours here).
"""

from __future__ import annotations

import random
import time
import tracemalloc
from dataclasses import dataclass

import bm25s
import numpy as np

from evals.metrics import percentile
from index.analyzer import Analyzer
from index.embed import Embedder
from index.store import dense_index


@dataclass(frozen=True)
class ScalingRow:
    chunks: int
    faiss_type: str
    bm25_p50_ms: float
    bm25_p95_ms: float
    dense_p50_ms: float
    dense_p95_ms: float
    bm25_build_s: float
    dense_build_s: float
    bm25_mb: float
    dense_mb: float


def synthetic_chunks(sentences: list[str], vectors: np.ndarray, n: int, seed: int = 7) -> tuple[list[str], np.ndarray]:
    rng = random.Random(seed)
    texts, rows = [], np.empty((n, vectors.shape[1]), dtype=np.float32)
    for i in range(n):
        picks = rng.sample(range(len(sentences)), 3)
        texts.append("".join(sentences[p] for p in picks))
        mean = vectors[picks].mean(axis=0)
        rows[i] = mean / np.linalg.norm(mean)
    return texts, rows


def measure(
    n: int, sentences: list[str], vectors: np.ndarray, analyzer: Analyzer, embedder: Embedder, queries: list[str]
) -> ScalingRow:
    texts, rows = synthetic_chunks(sentences, vectors, n)
    tokens = [analyzer(t) for t in texts]

    tracemalloc.start()
    started = time.perf_counter()
    bm25 = bm25s.BM25(k1=1.2, b=0.75)
    bm25.index(tokens, show_progress=False)
    bm25_build = time.perf_counter() - started
    bm25_mb = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()

    started = time.perf_counter()
    index = dense_index(rows)
    dense_build = time.perf_counter() - started
    dense_mb = _faiss_bytes(index) / 2**20

    query_tokens = [[t for t in analyzer(q) if t in bm25.vocab_dict] for q in queries]
    query_vectors = np.stack([embedder.query(q) for q in queries])
    bm25_times = [_time(lambda t=t: bm25.get_scores(t) if t else None) for t in query_tokens]
    dense_times = [_time(lambda v=v: index.search(v.reshape(1, -1), 50)) for v in query_vectors]
    return ScalingRow(
        chunks=n,
        faiss_type=type(index).__name__,
        bm25_p50_ms=_pct(bm25_times, 50),
        bm25_p95_ms=_pct(bm25_times, 95),
        dense_p50_ms=_pct(dense_times, 50),
        dense_p95_ms=_pct(dense_times, 95),
        bm25_build_s=round(bm25_build, 2),
        dense_build_s=round(dense_build, 2),
        bm25_mb=round(bm25_mb, 1),
        dense_mb=round(dense_mb, 1),
    )


def _faiss_bytes(index: object) -> int:
    import faiss

    return len(faiss.serialize_index(index))


def _time(fn: object) -> float:
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000


def _pct(values: list[float], p: float) -> float:
    return round(percentile(sorted(values), p), 3)

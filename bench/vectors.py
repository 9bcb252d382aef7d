"""The two vector stores at a million chunks: FAISS HNSW (the embedded default) against milvus-lite.

Synthetic chunks (bench/scaling.py's) go through the project's own VectorStore classes, as a build and
an app process use them: one new process opens the store for a build, syncs the rows and saves, and
exits; another opens the built store read-only and searches it for the top 256, the dense depth of
index/search.py. Each backend in its own processes, so that neither's memory shows in the other's.

Build seconds run from the sync's start to the building process's exit: milvus-lite compacts its
segments and builds their HNSW indexes in a background thread that it drains when it closes.

    python -m bench.vectors build|search BACKEND CHUNKS DATA FOLDER   (a child of bench.run; one JSON line)
"""

from __future__ import annotations

import atexit
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.scaling import synthetic_chunks
from evals.metrics import percentile
from index.chunks import Chunk
from index.settings import PROJECT_ROOT, Settings
from index.vectors import Rows, VectorStore, make_rows, open_vector_store, uses_hnsw

BACKENDS = ("faiss", "milvus-lite")
K = 256  # index/search.py asks the store for min(chunks, 256) rows
COLLECTION = "bench_chunks"


@dataclass(frozen=True)
class StoreRow:
    backend: str
    chunks: int
    index: str  # "HNSW" or "flat", the same on both backends
    build_s: float
    open_s: float  # a new process: open the store and answer the first search
    p50_ms: float
    p95_ms: float
    disk_mb: float  # the files the store wrote
    build_rss_mb: float  # the building process's peak RSS above its RSS once the rows were made
    search_rss_mb: float  # the searching process's RSS growth: store opened and every query searched


def compare(sentences: Sequence[str], vectors: np.ndarray, queries: np.ndarray, sizes: Sequence[int]) -> list[StoreRow]:
    """Every backend at every size, from ``sentences`` and their ``vectors``; ``queries``: query vectors."""
    with tempfile.TemporaryDirectory(prefix="bench-vectors-") as tmp:
        data = Path(tmp) / "data.npz"
        np.savez(data, sentences=np.array(sentences), vectors=vectors, queries=queries)
        return [measure(backend, n, data, Path(tmp) / f"{backend}-{n}") for n in sizes for backend in BACKENDS]


def measure(backend: str, n: int, data: Path, folder: Path) -> StoreRow:
    built, exited = _child("build", backend, n, data, folder)
    searched, _ = _child("search", backend, n, data, folder)
    return StoreRow(
        backend=backend,
        chunks=n,
        index="HNSW" if uses_hnsw(n) else "flat",
        build_s=round(exited - built["started"], 1),
        open_s=round(searched["open_s"], 2),
        p50_ms=round(percentile(sorted(searched["millis"]), 50), 2),
        p95_ms=round(percentile(sorted(searched["millis"]), 95), 2),
        disk_mb=round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20, 1),
        build_rss_mb=round(built["peak_mb"] - built["rss_mb"], 1),
        search_rss_mb=round(searched["rss_mb"], 1),
    )


def _child(command: str, backend: str, n: int, data: Path, folder: Path) -> tuple[dict, float]:  # type: ignore[type-arg]
    """The JSON line a `python -m bench.vectors` child printed last, and the epoch second it exited."""
    args = [sys.executable, "-m", "bench.vectors", command, backend, str(n), str(data), str(folder)]
    done = subprocess.run(args, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True, check=False)
    exited = time.time()
    out = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not out:
        raise RuntimeError(f"bench.vectors {command} {backend} {n} exited with {done.returncode}")
    return json.loads(out[-1]), exited


def synthetic_rows(n: int, sentences: Sequence[str], vectors: np.ndarray) -> Rows:
    """The rows a build would sync for ``n`` synthetic chunks (one clause each, ids ``synthetic-<i>``)."""
    texts, rows = synthetic_chunks(list(sentences), vectors, n)
    chunks = [Chunk(f"synthetic-{i}", "synthetic", 0, len(t), t, "") for i, t in enumerate(texts)]
    return make_rows(chunks, rows, embedder="synthetic")


def _store(backend: str, folder: Path, for_build: bool) -> VectorStore:
    spec = "faiss" if backend == "faiss" else f"milvus:{folder / 'vectors.db'}"
    settings = Settings.make(vector_store=spec, milvus_collection=COLLECTION)
    return open_vector_store(settings, folder, for_build=for_build)


def _build(backend: str, n: int, data: Path, folder: Path) -> dict[str, float]:
    with np.load(data) as d:
        rows = synthetic_rows(n, d["sentences"].tolist(), d["vectors"])
    folder.mkdir(parents=True, exist_ok=True)
    rss_mb = _memory_mb("VmRSS")
    started = time.time()
    store = _store(backend, folder, for_build=True)
    store.sync(rows, stamp=f"bench-{n}")
    store.save(folder)
    return {"started": started, "rss_mb": rss_mb}


def _search(backend: str, n: int, data: Path, folder: Path) -> dict[str, object]:
    with np.load(data) as d:
        queries = d["queries"]
    rss_mb = _memory_mb("VmRSS")
    started = time.perf_counter()
    store = _store(backend, folder, for_build=False)
    store.search(queries[0], K)
    open_s = time.perf_counter() - started
    millis, found = [], []
    for q in queries:
        started = time.perf_counter()
        similarities, _ = store.search(q, K)
        millis.append((time.perf_counter() - started) * 1000)
        found.append(len(similarities))
    if len(store) != n or min(found) != min(n, K):
        raise RuntimeError(f"{backend}: {len(store)} rows held, {min(found)} found, for {n} chunks")
    return {"open_s": open_s, "millis": millis, "rss_mb": _memory_mb("VmRSS") - rss_mb}


def _memory_mb(field: str) -> float:
    """This process's resident memory (Linux), MB: ``VmRSS`` now or ``VmHWM`` at its peak since its exec.

    Not ``ru_maxrss``: that starts from the RSS of the parent that forked the process.
    """
    with open("/proc/self/status", encoding="ascii") as status:
        kb = next(line.split()[1] for line in status if line.startswith(f"{field}:"))
    return int(kb) / 1024


def main(argv: Sequence[str]) -> int:
    command, backend, n, data, folder = argv
    if command == "search":
        print(json.dumps(_search(backend, int(n), Path(data), Path(folder))), flush=True)
        return 0
    built: dict[str, float] = {}
    # Said last: milvus-lite's exit handler, registered after this one, runs before it and drains its work.
    atexit.register(lambda: print(json.dumps(built | {"peak_mb": _memory_mb("VmHWM")}), flush=True))
    built.update(_build(backend, int(n), Path(data), Path(folder)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

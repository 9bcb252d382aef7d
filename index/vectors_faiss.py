"""The embedded vector store: a FAISS index file in the index folder, rows keyed by chunk key.

``IndexIDMap2`` over an exact inner-product index (or HNSW above FLAT_MAX_CHUNKS) lets a build
remove and add rows by key. A search process maps the file read-only (several workers share the
pages); a build reads it into memory, syncs it and writes it into the new index folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import faiss
import numpy as np

from index.vectors import (
    HNSW_EF_CONSTRUCTION,
    HNSW_EF_SEARCH,
    HNSW_NEIGHBOURS,
    Rows,
    SyncReport,
    plan,
    uses_hnsw,
)

INDEX_FILE = "dense.faiss"
DIGESTS_FILE = "dense_digests.npz"  # keys, digests and the stamp of the rows in the index


def dense_index(dim: int, count: int) -> faiss.Index:
    """Exact inner product (cosine on unit vectors) for ``count`` rows up to FLAT_MAX_CHUNKS, HNSW above."""
    if not uses_hnsw(count):
        return faiss.IndexFlatIP(dim)
    index = faiss.IndexHNSWFlat(dim, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    index.hnsw.efSearch = HNSW_EF_SEARCH
    return index


class FaissStore:
    def __init__(self, index: faiss.IndexIDMap2 | None, digests: dict[int, str], stamp: str | None) -> None:
        self._index = index
        self._digests = digests
        self._stamp = stamp

    @classmethod
    def read(cls, folder: Path) -> FaissStore:
        """The store of a built index folder, memory-mapped read-only; OSError/RuntimeError when unreadable."""
        index = faiss.read_index(str(folder / INDEX_FILE), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)
        return cls(index, *_read_digests(folder / DIGESTS_FILE))

    @classmethod
    def previous(cls, folder: Path) -> FaissStore:
        """The store of the last build, in memory to be synced; empty when there is none or it is unreadable."""
        try:
            index = faiss.read_index(str(folder / INDEX_FILE))
            digests, stamp = _read_digests(folder / DIGESTS_FILE)
        except (OSError, RuntimeError, ValueError, KeyError):
            return cls(None, {}, None)
        if not isinstance(index, faiss.IndexIDMap2) or index.ntotal != len(digests):
            return cls(None, {}, None)
        return cls(index, digests, stamp)

    def __len__(self) -> int:
        return 0 if self._index is None else int(self._index.ntotal)

    def stamp(self) -> str | None:
        return self._stamp

    def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if self._index is None or k < 1:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        # One query gains nothing from threads, and waking FAISS's OpenMP team for it cost 12 ms per search
        # on two cores (0.05 ms on one thread: bench/report.md); builds keep every thread.
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            similarities, keys = self._index.search(vector.reshape(1, -1), k)
        finally:
            faiss.omp_set_num_threads(threads)
        found = keys[0] >= 0
        return similarities[0][found], keys[0][found]

    def sync(self, rows: Rows, stamp: str) -> SyncReport:
        upsert, delete = plan(self._digests, rows)
        index = self._index
        dim = rows.vectors.shape[1]
        changed = [int(k) for k in rows.keys[upsert] if int(k) in self._digests]
        # HNSW cannot remove rows, and the index kind follows the row count: then the index is made anew
        # from all the rows (their vectors come from the embedding cache, so nothing is embedded again).
        fresh = (
            index is None
            or index.d != dim
            or uses_hnsw(len(rows)) != isinstance(index.index, faiss.IndexHNSW)
            or (isinstance(index.index, faiss.IndexHNSW) and (delete or changed))
        )
        if fresh:
            index = faiss.IndexIDMap2(dense_index(dim, len(rows)))
            index.add_with_ids(rows.vectors, rows.keys)
        else:
            assert index is not None
            gone = np.array([*delete, *changed], dtype=np.int64)
            if len(gone):
                index.remove_ids(gone)
            if len(upsert):
                index.add_with_ids(rows.vectors[upsert], rows.keys[upsert])
        self._index = index
        self._digests = dict(zip(rows.keys.tolist(), rows.digests, strict=True))
        self._stamp = stamp
        return SyncReport(len(rows) if fresh else len(upsert), len(delete))

    def save(self, folder: Path) -> None:
        if self._index is not None:
            faiss.write_index(self._index, str(folder / INDEX_FILE))
        keys = np.fromiter(self._digests, dtype=np.int64, count=len(self._digests))
        digests = np.array(list(self._digests.values()), dtype="S16")
        np.savez(folder / DIGESTS_FILE, keys=keys, digests=digests, stamp=np.array(json.dumps(self._stamp)))


def _read_digests(path: Path) -> tuple[dict[int, str], str | None]:
    with np.load(path) as data:
        digests = dict(zip(data["keys"].tolist(), (d.decode() for d in data["digests"]), strict=True))
        return digests, json.loads(str(data["stamp"]))

"""Dense chunk vectors behind one small interface: FAISS (embedded, the default) or Milvus.

A store holds one vector per chunk under the chunk's key (a stable 63-bit hash of the chunk id)
with a digest of what was embedded (embedder and text), and a stamp naming the build it holds.
A build syncs it: only new or changed chunks are upserted and removed ones deleted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from index.chunks import Chunk
from index.settings import Settings

# Up to this many chunks an exact inner-product search is fast enough (< 5 ms a query here);
# above it, HNSW keeps search sub-linear. Both backends use the same index kinds and parameters.
FLAT_MAX_CHUNKS = 20_000
HNSW_NEIGHBOURS = 32
HNSW_EF_CONSTRUCTION = 40  # FAISS's default, set explicitly so Milvus builds the same graph quality
HNSW_EF_SEARCH = 96


@dataclass(frozen=True)
class Rows:
    """The vectors a build wants in the store, one row per chunk."""

    keys: np.ndarray  # int64
    digests: tuple[str, ...]
    vectors: np.ndarray  # float32, unit rows
    chunk_ids: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.digests)


@dataclass(frozen=True)
class SyncReport:
    upserted: int
    deleted: int


class VectorStore(Protocol):
    def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest rows by inner product, best first: (similarities, keys)."""
        ...

    def sync(self, rows: Rows, stamp: str) -> SyncReport:
        """Make the store hold exactly ``rows`` (upserting new or changed ones), stamped ``stamp``."""
        ...

    def stamp(self) -> str | None:
        """The stamp of the build the store holds, or None when it holds none."""
        ...

    def save(self, folder: Path) -> None:
        """Write the files the index folder keeps for this store (FAISS's index; none for Milvus)."""
        ...

    def __len__(self) -> int: ...


def chunk_key(chunk_id: str) -> int:
    """A stable positive int64 for a chunk id (both backends key rows by it)."""
    return int.from_bytes(hashlib.sha256(chunk_id.encode()).digest()[:8], "big") >> 1


def chunk_keys(chunks: Sequence[Chunk]) -> np.ndarray:
    return np.fromiter((chunk_key(c.id) for c in chunks), dtype=np.int64, count=len(chunks))


def make_rows(chunks: Sequence[Chunk], vectors: np.ndarray, embedder: str) -> Rows:
    keys = chunk_keys(chunks)
    if len(np.unique(keys)) != len(keys):
        raise ValueError("two chunk ids hash to one key")  # 1 in 10^7 at a million chunks
    digests = tuple(hashlib.sha256(f"{embedder}\0{c.embed_text}".encode()).hexdigest()[:16] for c in chunks)
    return Rows(keys, digests, np.ascontiguousarray(vectors, dtype=np.float32), tuple(c.id for c in chunks))


def plan(held: Mapping[int, str], rows: Rows) -> tuple[np.ndarray, list[int]]:
    """What a sync must do: the row positions to upsert (new or changed) and the keys to delete."""
    wanted = set(rows.keys.tolist())
    upsert = [i for i, (k, d) in enumerate(zip(rows.keys.tolist(), rows.digests, strict=True)) if held.get(k) != d]
    return np.array(upsert, dtype=np.int64), [k for k in held if k not in wanted]


def uses_hnsw(count: int) -> bool:
    return count > FLAT_MAX_CHUNKS


class KeyPositions:
    """Maps store keys back to positions in the chunk list; keys of other builds are dropped."""

    def __init__(self, keys: np.ndarray) -> None:
        self._order = np.argsort(keys, kind="stable")
        self._sorted = keys[self._order]

    def __call__(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions, mask of the given keys that were found)."""
        if not len(self._sorted):
            return np.zeros(0, dtype=np.int64), np.zeros(len(keys), dtype=bool)
        at = np.minimum(np.searchsorted(self._sorted, keys), len(self._sorted) - 1)
        found = self._sorted[at] == keys
        return self._order[at[found]], found


def open_vector_store(settings: Settings, folder: Path, for_build: bool = False) -> VectorStore:
    """The store ``settings.vector_store`` names. FAISS reads its files from the index ``folder``:
    memory-mapped read-only to search, or into memory to sync (empty when they cannot be read)."""
    if settings.milvus_uri is None:
        from index.vectors_faiss import FaissStore

        return FaissStore.previous(folder) if for_build else FaissStore.read(folder)
    from index.vectors_milvus import MilvusStore

    return MilvusStore.connect(settings.milvus_uri, settings.milvus_collection)

"""The distributed vector store: a Milvus collection through pymilvus (a server or cluster URI),
or a milvus-lite folder on one machine (served by one process; see ``index.milvus_lite_host``).

Rows are keyed by chunk key and carry the chunk id and a digest of what was embedded; the stamp
of the build the collection holds is a collection property, so a loader can tell a stale one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import BackendUnavailableError, ConfigError
from index.milvus_lite_host import MISSING, lite_uri
from index.vectors import (
    HNSW_EF_CONSTRUCTION,
    HNSW_EF_SEARCH,
    HNSW_NEIGHBOURS,
    Rows,
    SyncReport,
    plan,
    uses_hnsw,
)

STAMP_PROPERTY = "policy_assistant.build"
WRITE_BATCH = 2000  # rows per upsert: ~3 MB of 384-d vectors, far below gRPC's message limit
READ_BATCH = 10_000
CHUNK_ID_CHARS = 512
CONNECT_TIMEOUT_S = 10.0
# pymilvus's channels ping every 10 s even with no call open (keepalive_time_ms=10000,
# keepalive_permit_without_calls=True), made for Milvus servers, which allow that. milvus-lite's
# server keeps gRPC's default policy: no pings on an idle connection and at most one per 5 minutes
# otherwise, and a third ping too many (about two minutes into an idle spell) ends the connection with
# GOAWAY "too_many_pings". A loopback connection needs no keepalive to notice a dead peer, so to a
# milvus-lite folder's server the client pings only during a call, and no more than that policy allows.
LITE_GRPC_OPTIONS = {
    "grpc.keepalive_time_ms": 300_000,
    "grpc.keepalive_permit_without_calls": False,
}


class _NoClientTimestampWarning(logging.Filter):
    """milvus-lite returns no MVCC timestamp to query iterators, and pymilvus warns on every one."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "mvccTs" not in record.getMessage()


_NO_TIMESTAMP_WARNING = _NoClientTimestampWarning()  # one instance: adding it again is then a no-op


class MilvusStore:
    def __init__(self, uri: str, collection: str) -> None:
        self._uri = uri
        self._collection = collection
        self._lite = None if "://" in uri else Path(uri)
        self._address = ""
        self._client: Any = None

    @classmethod
    def connect(cls, uri: str, collection: str) -> MilvusStore:
        try:
            import pymilvus  # noqa: F401 - only to say clearly that it is missing
        except ImportError:
            raise ConfigError(MISSING) from None
        logging.getLogger("pymilvus.client.iterator.query_iterator").addFilter(_NO_TIMESTAMP_WARNING)
        store = cls(uri, collection)
        store._open(uri if store._lite is None else lite_uri(store._lite))
        return store

    def _open(self, address: str) -> None:
        from pymilvus import MilvusClient
        from pymilvus.exceptions import MilvusException

        try:
            options = {} if self._lite is None else {"grpc_options": LITE_GRPC_OPTIONS}
            self._client = MilvusClient(uri=address, timeout=CONNECT_TIMEOUT_S, **options)
        except MilvusException as err:
            raise BackendUnavailableError(
                f"无法连接向量库 Milvus（{self._uri}）：{err.message}（cannot connect to Milvus at {self._uri}）"
            ) from None
        self._address = address
        if self._call("has_collection", self._collection):
            self._call("load_collection", self._collection)  # released after a restart; a no-op when loaded

    def __len__(self) -> int:
        if not self._call("has_collection", self._collection):
            return 0
        rows = self._call("query", self._collection, filter="", output_fields=["count(*)"])
        return int(rows[0]["count(*)"])

    def stamp(self) -> str | None:
        if not self._call("has_collection", self._collection):
            return None
        properties = self._call("describe_collection", self._collection).get("properties", {})
        return properties.get(STAMP_PROPERTY)

    def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        found = self._call(
            "search",
            self._collection,
            data=[vector.tolist()],
            limit=k,
            output_fields=["key"],
            search_params={"metric_type": "IP", "params": {"ef": max(HNSW_EF_SEARCH, k)}},
        )[0]
        similarities = np.fromiter((hit["distance"] for hit in found), dtype=np.float32, count=len(found))
        keys = np.fromiter((hit["key"] for hit in found), dtype=np.int64, count=len(found))
        return similarities, keys

    def sync(self, rows: Rows, stamp: str) -> SyncReport:
        dim = rows.vectors.shape[1]
        if self._call("has_collection", self._collection) and self._dim() != dim:
            self._call("drop_collection", self._collection)  # another embedder: every vector changes
        if not self._call("has_collection", self._collection):
            self._create(dim, len(rows))
        upsert, delete = plan(self._held(), rows)
        for keys in _batches(delete, WRITE_BATCH):
            self._call("delete", self._collection, ids=keys)
        for positions in _batches(upsert.tolist(), WRITE_BATCH):
            data = [
                {
                    "key": int(rows.keys[i]),
                    "chunk_id": rows.chunk_ids[i][:CHUNK_ID_CHARS],
                    "digest": rows.digests[i],
                    "vector": rows.vectors[i],
                }
                for i in positions
            ]
            self._call("upsert", self._collection, data=data)
        self._follow_size(len(rows))
        self._call("alter_collection_properties", self._collection, properties={STAMP_PROPERTY: stamp})
        return SyncReport(len(upsert), len(delete))

    def save(self, folder: Path) -> None:
        """Nothing: the vectors live in Milvus."""

    # -- internals ---------------------------------------------------------------------------
    def _create(self, dim: int, count: int) -> None:
        from pymilvus import DataType, MilvusClient

        schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("key", DataType.INT64, is_primary=True)
        schema.add_field("chunk_id", DataType.VARCHAR, max_length=CHUNK_ID_CHARS)
        schema.add_field("digest", DataType.VARCHAR, max_length=32)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
        self._call(
            "create_collection",
            self._collection,
            schema=schema,
            index_params=self._index_params(count),
            consistency_level="Strong",  # a search right after a sync sees it
        )

    def _index_params(self, count: int) -> Any:
        params = self._client.prepare_index_params()
        if uses_hnsw(count):
            hnsw = {"M": HNSW_NEIGHBOURS, "efConstruction": HNSW_EF_CONSTRUCTION}
            params.add_index(field_name="vector", index_type="HNSW", metric_type="IP", params=hnsw)
        else:
            params.add_index(field_name="vector", index_type="FLAT", metric_type="IP")
        return params

    def _follow_size(self, count: int) -> None:
        """The index kind follows the row count, as FAISS's does: exact up to FLAT_MAX_CHUNKS, HNSW above."""
        kind = self._call("describe_index", self._collection, "vector").get("index_type")
        if (kind == "HNSW") == uses_hnsw(count):
            return
        self._call("release_collection", self._collection)
        self._call("drop_index", self._collection, "vector")
        self._call("create_index", self._collection, self._index_params(count))
        self._call("load_collection", self._collection)

    def _dim(self) -> int:
        fields = self._call("describe_collection", self._collection)["fields"]
        return int(next(f["params"]["dim"] for f in fields if f["name"] == "vector"))

    def _held(self) -> dict[int, str]:
        held: dict[int, str] = {}
        pages = self._call("query_iterator", self._collection, batch_size=READ_BATCH, output_fields=["key", "digest"])
        try:
            while page := pages.next():
                held.update((int(r["key"]), r["digest"]) for r in page)
        finally:
            pages.close()
        return held

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """``method`` of the client; a Milvus error is a ``BackendUnavailableError`` naming the URI."""
        from pymilvus.exceptions import MilvusException

        try:
            return getattr(self._client, method)(*args, **kwargs)
        except MilvusException as err:
            if self._lite is not None and (address := lite_uri(self._lite)) != self._address:
                # The process that served this milvus-lite folder has exited: this one (or the next) serves it.
                self._open(address)
                return self._call(method, *args, **kwargs)
            raise BackendUnavailableError(
                f"向量库 Milvus（{self._uri}）出错：{err.message}（Milvus request failed: {err.message}）"
            ) from None


def _batches(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

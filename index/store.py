"""Build the search index into a git-ignored folder, and load it back, checking its manifest.

The index folder holds the chunks, the BM25 index (bm25s), the dense vectors (FAISS; or they live
in Milvus, stamped with this build) and a manifest: format version, corpus and lexicon hashes,
embedder name, vector store, parameters and a checksum of every file. A build writes a temporary
folder and renames it into place, so a killed build never leaves a half-written index where the
loader looks. Loading rebuilds, with a one-line message, when the manifest is missing, stale or
does not match the files or the vector store.

Processes sharing a cache folder take a lock on it: loaders a shared one, a build an exclusive
one, so several app processes started on an unbuilt index build it once, never side by side.
Loaders map the built files read-only (BM25 arrays and FAISS index), so workers share their pages.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import bm25s
import faiss
import numpy as np

from index.analyzer import Analyzer, Lexicon, load_lexicon
from index.chunks import Chunk, chunk_document
from index.corpus import Corpus, load_corpus
from index.embed import Embedder, embedder_name, make_embedder
from index.errors import IndexStateError
from index.index_lock import index_lock
from index.model import POLICY_TYPE
from index.search import SearchIndex
from index.settings import Settings
from index.topics import TOPICS_DIR, load_topics
from index.vectors import VectorStore, make_rows, open_vector_store
from index.vectors_faiss import dense_index as _empty_dense_index

# 2: chunks carry a kind (clause text or everyday phrases); 3: policy measures' own BM25;
# 4: vectors keyed by chunk id in a store (FAISS IndexIDMap2 or Milvus)
FORMAT_VERSION = 4
INDEX_DIR = "index"
MANIFEST = "manifest.json"

Log = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def index_dir(settings: Settings) -> Path:
    return settings.cache_dir / INDEX_DIR


def expected_manifest(settings: Settings, corpus_hash: str, lexicon: Lexicon) -> dict[str, object]:
    return {
        "format_version": FORMAT_VERSION,
        "corpus_hash": corpus_hash,
        "lexicon_hash": lexicon.fingerprint,
        "embedder": embedder_name(settings.embedder),
        "vector_store": {"store": settings.vector_store, "collection": settings.milvus_collection}
        if settings.milvus_uri
        else "faiss",
        "params": {"chunk_chars": settings.chunk_chars},
    }


def build_stamp(manifest: dict[str, object]) -> str:
    """The stamp a vector store carries for the build of ``manifest`` (its settings, not its files)."""
    return hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:16]


def open_index(
    settings: Settings, log: Log = _stderr, embedder: Embedder | None = None, build: bool = True
) -> SearchIndex:
    """Load the index, building or rebuilding it first when it is missing, stale or corrupted.

    With ``build=False`` (app workers, after one build step) such an index is an ``IndexStateError``.
    """
    corpus = load_corpus(settings.corpus_dir)
    lexicon = load_lexicon(settings.corpus_dir)
    analyzer = Analyzer(lexicon, settings.cache_dir)
    want = expected_manifest(settings, documents_hash(settings.corpus_dir), lexicon)
    folder = index_dir(settings)
    with index_lock(settings.cache_dir, exclusive=False):
        problem, vectors = _usable(folder, want, settings)
        if vectors is not None:
            return _load(folder, corpus, analyzer, embedder or _embedder(settings), vectors, settings)
    if not build:
        raise IndexStateError(f"索引{problem}：请先运行 policy-assistant build（the index at {folder} is not built)")
    with index_lock(settings.cache_dir, exclusive=True):
        problem, vectors = _usable(folder, want, settings)  # another process may have built it meanwhile
        if vectors is None:
            log(f"索引{problem}，正在重建…")
            embedder = embedder or _embedder(settings)
            _build(settings, corpus, analyzer, embedder, want)
            problem, vectors = _usable(folder, want, settings)
        if vectors is None:
            raise IndexStateError(f"{folder}: the index cannot be read after a rebuild ({problem})")
        return _load(folder, corpus, analyzer, embedder or _embedder(settings), vectors, settings)


def _embedder(settings: Settings) -> Embedder:
    return make_embedder(settings.embedder, settings.cache_dir)


def check_index(folder: Path, want: dict[str, object]) -> str | None:
    """Why the index files at ``folder`` cannot be used (in Chinese, for the log line), or None."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "不存在"
    except (OSError, ValueError):
        return "清单损坏"
    if not isinstance(manifest, dict) or any(manifest.get(k) != v for k, v in want.items()):
        return "已过期（语料、词表、模型、向量库或参数有变）"
    return _damaged_file(folder, manifest)


def _damaged_file(folder: Path, manifest: dict[str, object]) -> str | None:
    files = manifest.get("files", {})
    for name, digest in files.items() if isinstance(files, dict) else ():
        path = folder / name
        if not path.is_file() or _sha256(path) != digest:
            return f"文件 {name} 损坏或缺失"
    return None


def _usable(folder: Path, want: dict[str, object], settings: Settings) -> tuple[str, VectorStore | None]:
    """(why not, None) or ("", the vector store) when the files and the store hold the build of ``want``."""
    problem = check_index(folder, want)
    if problem:
        return problem, None
    try:
        vectors = open_vector_store(settings, folder)
        stamp = vectors.stamp()
    except (OSError, RuntimeError, ValueError, KeyError):
        return "向量文件无法读取", None
    if stamp != build_stamp(want):
        return "与向量库不一致（向量库中是另一次构建）", None
    return "", vectors


@dataclass(frozen=True)
class BuildReport:
    folder: Path
    chunks: int
    embedded: int  # chunks that were not in the embedding cache
    seconds: float
    upserted: int = 0  # rows written to the vector store (new or changed chunks; all when it was made anew)
    deleted: int = 0  # rows of removed chunks deleted from it


def build_index(
    settings: Settings,
    corpus: Corpus | None = None,
    analyzer: Analyzer | None = None,
    embedder: Embedder | None = None,
    manifest: dict[str, object] | None = None,
) -> BuildReport:
    """Build the whole index atomically (syncing the vector store), holding the cache folder's lock."""
    corpus = corpus or load_corpus(settings.corpus_dir)
    lexicon = analyzer.lexicon if analyzer else load_lexicon(settings.corpus_dir)
    analyzer = analyzer or Analyzer(lexicon, settings.cache_dir)
    embedder = embedder or _embedder(settings)
    manifest = manifest or expected_manifest(settings, documents_hash(settings.corpus_dir), lexicon)
    with index_lock(settings.cache_dir, exclusive=True):
        return _build(settings, corpus, analyzer, embedder, manifest)


def _build(
    settings: Settings, corpus: Corpus, analyzer: Analyzer, embedder: Embedder, manifest: dict[str, object]
) -> BuildReport:
    started = time.perf_counter()
    topics = load_topics(settings.corpus_dir, corpus)
    chunks = [c for d in corpus.documents for c in chunk_document(d, settings.chunk_chars, topics)]
    cache = EmbeddingCache(settings.cache_dir, embedder)
    vectors = cache.vectors([c.embed_text for c in chunks])
    final = index_dir(settings)
    tmp = final.with_name(f"{final.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)

    (tmp / "chunks.json").write_text(json.dumps([asdict(c) for c in chunks], ensure_ascii=False), encoding="utf-8")
    tokens = [analyzer(c.context + " " + c.text) for c in chunks]
    bm25 = bm25s.BM25(k1=1.2, b=0.75)
    bm25.index(tokens, show_progress=False)
    bm25.save(str(tmp / "bm25"), show_progress=False)
    policy = policy_chunks(corpus, chunks)
    if 0 < len(policy) < len(chunks):
        own = bm25s.BM25(k1=1.2, b=0.75)
        own.index([tokens[i] for i in policy], show_progress=False)
        own.save(str(tmp / "bm25-policy"), show_progress=False)
    # The last build's vectors are reused only when its files are intact: its digests then tell what changed.
    previous = final if _intact(final) else tmp
    store = open_vector_store(settings, previous, for_build=True)
    synced = store.sync(make_rows(chunks, vectors, embedder.name), build_stamp(manifest))
    store.save(tmp)

    files = {p.relative_to(tmp).as_posix(): _sha256(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
    seconds = time.perf_counter() - started
    full = {**manifest, "files": files, "chunks": len(chunks), "build_seconds": round(seconds, 2)}
    (tmp / MANIFEST).write_text(json.dumps(full, ensure_ascii=False, indent=1), encoding="utf-8")
    _swap_into_place(tmp, final)
    return BuildReport(final, len(chunks), cache.embedded_last, seconds, synced.upserted, synced.deleted)


def policy_chunks(corpus: Corpus, chunks: list[Chunk]) -> np.ndarray:
    """Positions of the chunks of policy measures (规范性文件), which also get a BM25 of their own."""
    policy = {d.id for d in corpus.documents if d.doc_type == POLICY_TYPE}
    return np.array([i for i, c in enumerate(chunks) if c.doc_id in policy], dtype=np.int64)


def dense_index(vectors: np.ndarray) -> faiss.Index:
    """A FAISS index of ``vectors`` (exact up to FLAT_MAX_CHUNKS rows, HNSW above), for the scaling bench."""
    index = _empty_dense_index(vectors.shape[1], len(vectors))
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def _intact(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and _damaged_file(folder, manifest) is None


def documents_hash(corpus_dir: Path) -> str:
    """Hash of the texts, metadata and topic phrases the index is built from (rules do not affect it)."""
    digest = hashlib.sha256()
    for folder in ("documents", TOPICS_DIR):
        for path in sorted((corpus_dir / folder).glob("*")):
            digest.update(f"{folder}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class EmbeddingCache:
    """Passage vectors cached by text hash, so a rebuild embeds only new or changed chunks."""

    def __init__(self, cache_dir: Path, embedder: Embedder) -> None:
        safe = hashlib.sha256(embedder.name.encode()).hexdigest()[:12]
        self.path = cache_dir / "embeddings" / f"{safe}.npz"
        self.embedder = embedder
        self.embedded_last = 0  # how many texts the last call had to embed

    def vectors(self, texts: list[str]) -> np.ndarray:
        cached = self._read()
        keys = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in cached}.items())
        self.embedded_last = len(todo)
        if todo:
            fresh = self.embedder.passages([t for _, t in todo])
            cached.update({k: v for (k, _), v in zip(todo, fresh, strict=True)})
            self._write(cached)
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.stack([cached[k] for k in keys]).astype(np.float32)

    def _read(self) -> dict[str, np.ndarray]:
        try:
            with np.load(self.path) as data:
                return dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
        except (OSError, ValueError, KeyError):  # missing or damaged: embed again
            return {}

    def _write(self, cached: dict[str, np.ndarray]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp-{os.getpid()}.npz")
        np.savez(tmp, keys=np.array(list(cached)), vectors=np.stack(list(cached.values())))
        os.replace(tmp, self.path)


def _load(
    folder: Path, corpus: Corpus, analyzer: Analyzer, embedder: Embedder, vectors: VectorStore, settings: Settings
) -> SearchIndex:
    try:
        chunks = [Chunk(**c) for c in json.loads((folder / "chunks.json").read_text(encoding="utf-8"))]
        bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False, mmap=True)
        policy = policy_chunks(corpus, chunks)
        own = None
        if 0 < len(policy) < len(chunks):
            own = (bm25s.BM25.load(str(folder / "bm25-policy"), show_progress=False, mmap=True), policy)
        if len(vectors) != len(chunks):
            raise ValueError("the vector store and the chunk list differ in size")
    except (OSError, ValueError, RuntimeError, KeyError) as err:
        raise IndexStateError(f"{folder}: the index cannot be read ({err})") from err
    return SearchIndex(corpus, analyzer, embedder, chunks, bm25, vectors, settings, own)


def _swap_into_place(tmp: Path, final: Path) -> None:
    old = final.with_name(f"{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

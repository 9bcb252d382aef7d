"""Vector stores: FAISS and Milvus (milvus-lite) behind one interface, synced incrementally by chunk key."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from evals.cases import case_files, load_cases
from index import vectors_milvus
from index.embed import make_embedder
from index.errors import BackendUnavailableError, ConfigError, IndexStateError
from index.search import Hit, SearchIndex
from index.settings import PROJECT_ROOT, Settings
from index.store import MANIFEST, open_index
from index.vectors import Rows, VectorStore, chunk_key, plan
from index.vectors_faiss import FaissStore
from index.vectors_milvus import MilvusStore
from tests.sample import sampled

DIM = 8
BACKENDS = ("faiss", "milvus")


def rows(ids: list[str], texts: dict[str, str] | None = None) -> Rows:
    """Unit vectors made from the ids (so a search for one id's vector finds it first)."""
    texts = texts or {}
    vectors = np.stack([_vector(texts.get(i, i)) for i in ids]) if ids else np.zeros((0, DIM), np.float32)
    keys = np.array([chunk_key(i) for i in ids], dtype=np.int64)
    return Rows(keys, tuple(texts.get(i, i)[:16] for i in ids), vectors, tuple(ids))


def _vector(text: str) -> np.ndarray:
    v = np.random.default_rng(abs(hash(text)) % 2**32).normal(size=DIM).astype(np.float32)
    return v / np.linalg.norm(v)


class Backend:
    """A store of one kind in ``folder``, and how to open it again as another process would."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind, self.folder = kind, folder

    def first(self) -> VectorStore:
        if self.kind == "faiss":
            return FaissStore.previous(self.folder)
        return MilvusStore.connect(str(self.folder / "vectors.db"), "test_vectors")

    def reopened(self, store: VectorStore) -> VectorStore:
        if self.kind == "faiss":
            store.save(self.folder)
            return FaissStore.read(self.folder)  # memory-mapped, read-only
        return MilvusStore.connect(str(self.folder / "vectors.db"), "test_vectors")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    return Backend(request.param, tmp_path)


def test_plan_upserts_new_and_changed_rows_and_deletes_removed_ones() -> None:
    held = {chunk_key("a"): "a", chunk_key("b"): "b", chunk_key("gone"): "gone"}
    wanted = rows(["a", "b", "new"], texts={"b": "b changed"})
    upsert, delete = plan(held, wanted)
    assert upsert.tolist() == [1, 2]  # b changed, new is new; a is as held
    assert delete == [chunk_key("gone")]


def test_sync_is_incremental_and_survives_reopening(backend: Backend) -> None:
    store = backend.first()
    assert (len(store), store.stamp()) == (0, None)
    report = store.sync(rows(["a", "b", "c"]), "build-1")
    assert (report.upserted, report.deleted) == (3, 0)
    assert store.sync(rows(["a", "b", "c"]), "build-1") == type(report)(0, 0)  # nothing changed, nothing written
    report = store.sync(rows(["a", "b", "d"], texts={"b": "b changed"}), "build-2")
    assert (report.upserted, report.deleted) == (2, 1)  # b changed, d new; c removed

    again = backend.reopened(store)
    assert (len(again), again.stamp()) == (3, "build-2")
    similarities, keys = again.search(_vector("b changed"), 3)
    assert keys[0] == chunk_key("b") and similarities[0] == pytest.approx(1.0, abs=1e-5)
    assert set(keys.tolist()) == {chunk_key(i) for i in ("a", "b", "d")}
    assert list(similarities) == sorted(similarities, reverse=True)


def test_another_embedder_dimension_replaces_every_row(backend: Backend) -> None:
    store = backend.first()
    store.sync(rows(["a", "b"]), "build-1")
    wide = Rows(np.array([chunk_key("a")]), ("a",), np.eye(1, DIM * 2, dtype=np.float32), ("a",))
    assert store.sync(wide, "build-2").upserted == 1
    assert len(backend.reopened(store)) == 1


def _ranking(hits: list[Hit]) -> list[str]:
    """Clause ids best first; clauses tied to the fourth decimal (two stores' float sums differ below it)
    in id order, as the two stores order exact ties differently."""
    return [h.clause_id for h in sorted(hits, key=lambda h: (-round(h.score, 4), h.clause_id))]


class SharedQueries:
    """One embedder whose query vectors both indexes share: each question is embedded once."""

    def __init__(self) -> None:
        self._embedder = make_embedder(Settings().embedder)  # the one the shared index was built with
        self.name, self.dim = self._embedder.name, self._embedder.dim
        self.passages = self._embedder.passages
        self.query = functools.lru_cache(maxsize=None)(self._embedder.query)


@pytest.fixture(scope="module")
def both_backends(built_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> list[SearchIndex]:
    """The corpus indexed on FAISS and on milvus-lite, sharing one embedder."""
    embedder = SharedQueries()
    indexes = []
    for spec in ("faiss", "milvus:vectors.db"):
        cache = tmp_path_factory.mktemp(spec.partition(":")[0])
        shutil.copytree(built_cache / "embeddings", cache / "embeddings")  # nothing embedded again
        indexes.append(open_index(Settings.make(cache_dir=cache, vector_store=spec), embedder=embedder))
    return indexes


@pytest.mark.parametrize("mode", ["dense", "hybrid"])
def test_both_backends_rank_public_questions_alike(both_backends: list[SearchIndex], mode: str) -> None:
    """A third of the public eval questions (tests/sample.py): the same top-5 clauses from FAISS and Milvus."""
    questions = [q for q in dict.fromkeys(c.question for p in case_files() for c in load_cases(p)) if sampled(q)]
    assert len(questions) > 500
    ranked = [[_ranking(i.search(q, k=5, mode=mode)) for q in questions] for i in both_backends]
    differ = [q for q, a, b in zip(questions, *ranked, strict=True) if a != b]
    assert differ == []


def test_a_dropped_milvus_collection_is_rebuilt(tmp_path: Path, built_cache: Path) -> None:
    shutil.copytree(built_cache / "embeddings", tmp_path / "embeddings")
    settings = Settings.make(cache_dir=tmp_path, vector_store="milvus:vectors.db")
    open_index(settings, log=lambda _: None)
    MilvusStore.connect(settings.milvus_uri or "", settings.milvus_collection)._client.drop_collection(
        settings.milvus_collection
    )
    messages: list[str] = []
    index = open_index(settings, log=messages.append)
    assert len(messages) == 1 and "与向量库不一致" in messages[0]
    assert index.search("鲁科贷贴息", k=1)[0].clause_id == "sd-2023-155#1"


def test_a_worker_never_builds(tmp_path: Path) -> None:
    with pytest.raises(IndexStateError, match="policy-assistant build"):
        open_index(Settings.make(cache_dir=tmp_path), build=False)
    assert not (tmp_path / "index").exists()


def test_the_manifest_names_the_vector_store(built_cache: Path, make_settings: Callable[..., Settings]) -> None:
    manifest = json.loads((built_cache / "index" / MANIFEST).read_text(encoding="utf-8"))
    settings = make_settings(cache_dir=built_cache)
    assert manifest["vector_store"] == (
        "faiss" if settings.milvus_uri is None else {"store": settings.vector_store, "collection": "policy_chunks"}
    )
    assert ("dense.faiss" in manifest["files"]) == (settings.milvus_uri is None)


@pytest.fixture
def lite_owner(tmp_path: Path) -> Iterator[Path]:
    """A milvus-lite folder with three rows, held open by this process."""
    store = MilvusStore.connect(str(tmp_path / "shared.db"), "test_vectors")
    store.sync(rows(["a", "b", "c"]), "build-1")
    yield tmp_path / "shared.db"


def test_another_process_reaches_a_milvus_lite_folder_this_one_holds(lite_owner: Path) -> None:
    code = (
        "from index.vectors_milvus import MilvusStore\n"
        f"s = MilvusStore.connect({str(lite_owner)!r}, 'test_vectors')\n"
        "print(len(s), s.stamp())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["3", "build-1"]


def test_when_the_process_serving_a_milvus_lite_folder_exits_another_takes_it_over(tmp_path: Path) -> None:
    folder = tmp_path / "shared.db"
    owner = subprocess.Popen(
        [sys.executable, "-c", _OWNER.format(folder=str(folder))],
        cwd=PROJECT_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert owner.stdout is not None and owner.stdout.readline().strip() == "ready"
        store = MilvusStore.connect(str(folder), "test_vectors")
        assert store.search(np.eye(1, DIM, dtype=np.float32)[0], 1)[1].tolist() == [7]
    finally:
        owner.kill()
        owner.wait()
    assert store.search(np.eye(1, DIM, dtype=np.float32)[0], 1)[1].tolist() == [7]  # now served by this process


_OWNER = """
import sys
import numpy as np
from index.vectors import Rows
from index.vectors_milvus import MilvusStore
store = MilvusStore.connect({folder!r}, "test_vectors")
store.sync(Rows(np.array([7, 8]), ("a", "b"), np.eye(2, 8, dtype=np.float32), ("a", "b")), "build-1")
print("ready", flush=True)
sys.stdin.read()  # serves until killed
"""


@pytest.mark.parametrize(
    "spec", ["elastic", "milvus:", "milvus:localhost:19530", "milvus:vectors", "faiss:x"]
)
def test_a_bad_vector_store_setting_is_a_config_error(spec: str) -> None:
    with pytest.raises(ConfigError, match="faiss"):
        Settings.make(vector_store=spec)


def test_a_relative_milvus_lite_path_lives_in_the_cache_folder(tmp_path: Path) -> None:
    assert Settings.make(cache_dir=tmp_path, vector_store="milvus:v.db").milvus_uri == str(tmp_path / "v.db")
    assert Settings.make(vector_store="milvus:http://db:19530").milvus_uri == "http://db:19530"
    assert Settings.make().milvus_uri is None


def test_missing_pymilvus_is_a_clear_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pymilvus", None)  # as if not installed
    with pytest.raises(ConfigError, match=r"pip install 'policy-assistant\[milvus\]'"):
        MilvusStore.connect(str(tmp_path / "v.db"), "c")


def test_an_unreachable_milvus_server_is_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors_milvus, "CONNECT_TIMEOUT_S", 1.0)
    with pytest.raises(BackendUnavailableError, match="无法连接向量库 Milvus"):
        MilvusStore.connect("http://127.0.0.1:9", "c")  # the discard port: nothing listens

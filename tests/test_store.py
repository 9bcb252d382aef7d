"""Index build and load: manifest, staleness, corruption, half-written builds, embedding cache."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from index.embed import make_embedder
from index.settings import Settings
from index.store import FORMAT_VERSION, MANIFEST, EmbeddingCache, build_index, index_dir, open_index

MakeSettings = Callable[..., Settings]
Reopen = Callable[..., Any]


@pytest.fixture
def reopen(make_settings: MakeSettings) -> Reopen:
    """Open the index of a cache folder on this run's vector store, collecting the log lines."""

    def reopen(cache: Path, messages: list[str], **settings: object) -> Any:
        return open_index(make_settings(cache_dir=cache, **settings), log=messages.append)

    return reopen


def test_manifest_records_build_settings(built_cache: Path) -> None:
    manifest = json.loads((built_cache / "index" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["embedder"] == "e5-onnx:multilingual-e5-small-q4"
    assert manifest["params"] == {"chunk_chars": 160}
    assert len(manifest["corpus_hash"]) == len(manifest["lexicon_hash"]) == 16
    assert {"chunks.json", "bm25/params.index.json"} <= set(manifest["files"])


def test_a_good_index_loads_without_rebuilding(fresh_cache: Path, reopen: Reopen) -> None:
    messages: list[str] = []
    index = reopen(fresh_cache, messages)
    assert messages == []
    assert index.search("鲁科贷贴息", k=1)[0].clause_id == "sd-2023-155#1"


def test_changed_parameters_make_the_index_stale(fresh_cache: Path, reopen: Reopen) -> None:
    messages: list[str] = []
    reopen(fresh_cache, messages, chunk_chars=120)
    assert len(messages) == 1 and "已过期" in messages[0]
    manifest = json.loads((fresh_cache / "index" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["params"] == {"chunk_chars": 120}


def test_changed_lexicon_makes_the_index_stale(fresh_cache: Path, corpus_copy: Path, reopen: Reopen) -> None:
    with (corpus_copy / "lexicon" / "terms.txt").open("a", encoding="utf-8") as f:
        f.write("科技金融\n")
    messages: list[str] = []
    reopen(fresh_cache, messages, corpus_dir=corpus_copy)
    assert len(messages) == 1 and "已过期" in messages[0]


@pytest.mark.parametrize("damage", ["truncate", "delete", "garble_manifest"])
def test_corrupted_index_is_rebuilt_with_one_line(fresh_cache: Path, damage: str, reopen: Reopen) -> None:
    folder = fresh_cache / "index"
    if damage == "truncate":  # the largest file: FAISS's vectors, or with Milvus a BM25 array
        largest = max((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.stat().st_size)
        largest.write_bytes(largest.read_bytes()[: largest.stat().st_size // 2])
    elif damage == "delete":
        (folder / "chunks.json").unlink()
    else:
        (folder / MANIFEST).write_text("{not json", encoding="utf-8")
    messages: list[str] = []
    index = reopen(fresh_cache, messages)
    assert len(messages) == 1 and "\n" not in messages[0] and "正在重建" in messages[0]
    assert index.search("鲁科担保费补贴", k=1)[0].clause_id == "sd-2023-155#3"


def test_half_written_build_leaves_the_old_index_in_place(fresh_cache: Path, reopen: Reopen) -> None:
    # A build killed midway leaves only its temporary folder behind.
    leftover = index_dir(Settings.make(cache_dir=fresh_cache)).with_name("index.tmp-99999")
    leftover.mkdir()
    (leftover / "chunks.json").write_text("[", encoding="utf-8")
    messages: list[str] = []
    reopen(fresh_cache, messages)
    assert messages == []


def test_missing_index_is_built(fresh_cache: Path, reopen: Reopen) -> None:
    shutil.rmtree(fresh_cache / "index")
    messages: list[str] = []
    index = reopen(fresh_cache, messages)
    assert messages == ["索引不存在，正在重建…"]
    assert index.search("科技创新专板挂牌奖补", k=1)[0].clause_id == "nm-2025-15#1"


def test_embedding_cache_embeds_only_new_texts(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, make_embedder(Settings().embedder))
    first = cache.vectors(["甲条款", "乙条款"])
    assert cache.embedded_last == 2
    again = cache.vectors(["甲条款", "乙条款", "丙条款"])
    assert cache.embedded_last == 1
    assert (again[:2] == first).all()


def test_adding_a_document_embeds_and_stores_only_its_chunks(
    fresh_cache: Path, corpus_copy: Path, make_settings: MakeSettings
) -> None:
    docs = corpus_copy / "documents"
    text = "新增测试文件\n一、总则\n（一）测试条款。对测试企业给予支持。（市财政局牵头）\n"
    (docs / "xx-2024-1.txt").write_text(text, encoding="utf-8")
    meta = (docs / "nm-2025-15.toml").read_text(encoding="utf-8").split("[[repairs]]")[0]
    meta = meta.replace('"nm-2025-15"', '"xx-2024-1"').replace("nm-2025-15.txt", "xx-2024-1.txt")
    (docs / "xx-2024-1.toml").write_text(meta.replace('title = "内蒙古', 'title = "新增测试文件" #'), encoding="utf-8")
    settings = make_settings(cache_dir=fresh_cache, corpus_dir=corpus_copy)
    embedder = make_embedder(settings.embedder)
    report = build_index(settings, embedder=embedder)
    before = len(open_index(make_settings(cache_dir=fresh_cache)).chunks)
    assert (report.chunks, report.embedded) == (before + 1, 1)  # the new document's one chunk
    assert (report.upserted, report.deleted) == (1, 0)  # the vector store gets that chunk alone
    assert open_index(settings).search("测试条款", k=1)[0].clause_id == "xx-2024-1#1"

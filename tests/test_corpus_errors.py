"""Bad corpus input fails loading with an error naming the file and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.corpus import load_corpus
from index.errors import CorpusError


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_metadata_missing_a_field(corpus_copy: Path) -> None:
    _edit(corpus_copy / "documents/sd-2023-155.toml", 'region = "山东省"\n', "")
    with pytest.raises(CorpusError, match=r"sd-2023-155\.toml: missing field 'region'"):
        load_corpus(corpus_copy)


def test_metadata_with_unknown_field(corpus_copy: Path) -> None:
    _edit(corpus_copy / "documents/sd-2023-155.toml", 'region = "山东省"', 'region = "山东省"\nregoin = "x"')
    with pytest.raises(CorpusError, match="unknown field"):
        load_corpus(corpus_copy)


def test_repair_that_matches_nothing(corpus_copy: Path) -> None:
    _edit(corpus_copy / "documents/sd-2023-155.toml", 'find = "孵化 投资"', 'find = "孵化 融资"')
    with pytest.raises(CorpusError, match=r"sd-2023-155\.toml: repair '孵化 融资' .* matches nothing"):
        load_corpus(corpus_copy)


def test_repair_with_a_wrong_count(corpus_copy: Path) -> None:
    _edit(corpus_copy / "documents/nm-2025-15.toml", "count = 66", "count = 67")
    with pytest.raises(CorpusError, match="matches 66 places, the metadata declares 67"):
        load_corpus(corpus_copy)


def test_duplicate_clause_id(corpus_copy: Path) -> None:
    _edit(corpus_copy / "documents/sd-2023-155.txt", "(四)建立科技保险服务体系", "(三)建立科技保险服务体系")
    with pytest.raises(CorpusError, match=r"sd-2023-155\.txt: duplicate clause id sd-2023-155#3"):
        load_corpus(corpus_copy)


def test_non_utf8_text(corpus_copy: Path) -> None:
    path = corpus_copy / "documents/nm-2025-15.txt"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    with pytest.raises(CorpusError, match=r"nm-2025-15\.txt: not UTF-8"):
        load_corpus(corpus_copy)


def test_missing_source_file(corpus_copy: Path) -> None:
    (corpus_copy / "documents/nm-2025-15.txt").unlink()
    with pytest.raises(CorpusError, match=r"nm-2025-15\.txt: cannot read"):
        load_corpus(corpus_copy)


def test_invalid_toml(corpus_copy: Path) -> None:
    (corpus_copy / "documents/nm-2025-15.toml").write_text("id = ", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"nm-2025-15\.toml: not valid TOML"):
        load_corpus(corpus_copy)

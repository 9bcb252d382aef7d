"""``policy-assistant add``: writes <id>.toml + .txt, refuses to overwrite, --dry-run writes nothing, and the
index then embeds only the new document's chunks."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.cli import main
from index.corpus import load_corpus
from index.settings import PROJECT_ROOT, Settings
from index.store import build_index

LAW = """某某市促进科技金融条例

2024年3月1日 某某市人民代表大会常务委员会第十次会议通过

第一章 总则

第一条 为了促进科技金融发展，根据《中华人民共和国中小企业促进法》，结合本市实际，制定本条例。

第二条 市人民政府设立科技信贷风险补偿资金，对合作银行发放的科技型企业贷款本金损失给予补偿。

补偿比例不超过本金损失的百分之五十。

第二章 附则

第三条 本条例自2024年5月1日起施行。
"""


@pytest.fixture
def corpus(corpus_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A corpus of the two policy documents alone: the library's laws are what these tests add."""
    monkeypatch.setenv("POLICY_ASSISTANT_CORPUS_DIR", str(corpus_copy))
    for path in (corpus_copy / "documents").iterdir():
        if not path.stem.startswith(("sd-2023-155", "nm-2025-15")):
            path.unlink()
    text = (corpus_copy / "regions.toml").read_text(encoding="utf-8")
    extra = '\n[[regions]]\nname = "某某市"\ncode = "mm"\nlevel = "市"\naliases = []\nprefixes = ["某政发"]\n'
    (corpus_copy / "regions.toml").write_text(text + extra, encoding="utf-8")
    return corpus_copy


@pytest.fixture
def law(tmp_path: Path) -> Path:
    path = tmp_path / "某某市促进科技金融条例.txt"
    path.write_text(LAW, encoding="utf-8")
    return path


def _documents(corpus: Path) -> list[str]:
    return sorted(p.name for p in (corpus / "documents").iterdir())


def test_add_prints_metadata_and_clauses_and_writes_both_files(
    corpus: Path, law: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", "--no-build", str(law)]) == 0
    out = capsys.readouterr().out
    for expected in (
        "编号：mm-cjkjjrtl-20240301",
        "标题：某某市促进科技金融条例",
        "文号：无",
        "类型：地方性法规　层级：市　地区：某某市",
        "发布机关：某某市人民代表大会常务委员会",
        "施行：自2024年5月1日起施行",
        "沿革：2024年3月1日通过",
        "关联：实施《中华人民共和国中小企业促进法》，文库中没有【待确认】",
        "结构：章→条，共 3 条",
        "mm-cjkjjrtl-20240301#2\t第二条\t第一章 总则\t市人民政府设立科技信贷风险补偿资金",
    ):
        assert expected in out, expected
    assert "mm-cjkjjrtl-20240301.toml" in _documents(corpus) and "mm-cjkjjrtl-20240301.txt" in _documents(corpus)
    assert (corpus / "documents" / "mm-cjkjjrtl-20240301.txt").read_text(encoding="utf-8") == LAW  # as received
    doc = load_corpus(corpus).document("mm-cjkjjrtl-20240301")
    assert doc.clauses[1].text == "第二条 市人民政府设立科技信贷风险补偿资金，对合作银行发放的科技型企业贷款本金损失给予补偿。\n补偿比例不超过本金损失的百分之五十。"  # noqa: E501
    assert doc.clauses[1].label == "《某某市促进科技金融条例》第二条"


def test_refuses_to_overwrite_without_replace(corpus: Path, law: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add", "--no-build", str(law)]) == 0
    before = (corpus / "documents" / "mm-cjkjjrtl-20240301.toml").read_bytes()
    law.write_text(LAW.replace("百分之五十", "百分之六十"), encoding="utf-8")
    assert main(["add", "--no-build", str(law)]) == 2
    assert "已有编号为 mm-cjkjjrtl-20240301 的文件" in capsys.readouterr().err
    assert (corpus / "documents" / "mm-cjkjjrtl-20240301.toml").read_bytes() == before
    assert main(["add", "--no-build", "--replace", str(law)]) == 0
    assert "百分之六十" in (corpus / "documents" / "mm-cjkjjrtl-20240301.txt").read_text(encoding="utf-8")


def test_dry_run_writes_nothing(corpus: Path, law: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _documents(corpus)
    assert main(["add", "--dry-run", str(law)]) == 0
    assert "未写入任何文件" in capsys.readouterr().out
    assert _documents(corpus) == before


def test_the_structure_names_chapters_only_when_the_text_has_them(
    corpus: Path, law: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", "--dry-run", str(law)]) == 0
    assert "结构：章→条，共 3 条" in capsys.readouterr().out
    law.write_text(LAW.replace("第一章 总则\n\n", "").replace("第二章 附则\n\n", ""), encoding="utf-8")
    assert main(["add", "--dry-run", str(law)]) == 0
    out = capsys.readouterr().out
    assert "结构：条，共 3 条" in out and "章" not in out


def test_bad_file_leaves_corpus_and_index_unchanged(
    corpus: Path, tmp_path: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("POLICY_ASSISTANT_CACHE_DIR", str(fresh_cache))
    manifest = (fresh_cache / "index" / "manifest.json").read_bytes()
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    before = _documents(corpus)
    assert main(["add", str(empty), str(tmp_path / "missing.pdf")]) == 2
    err = capsys.readouterr().err
    assert "文件是空的" in err and "找不到文件" in err and "2 个文件未添加" in err
    assert _documents(corpus) == before
    assert (fresh_cache / "index" / "manifest.json").read_bytes() == manifest


def test_index_embeds_only_the_new_chunks(
    corpus: Path, law: Path, fresh_cache: Path, make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings(corpus_dir=corpus, cache_dir=fresh_cache)
    before = build_index(settings)
    assert before.embedded == 0  # the built cache holds every chunk of the corpus already
    assert main(["add", "--no-build", str(law)]) == 0
    after = build_index(settings)
    new = [c for c in load_corpus(corpus).document("mm-cjkjjrtl-20240301").all_clauses]
    assert after.chunks - before.chunks == after.embedded == len(new) == 4  # 3 articles and the 题注
    assert build_index(settings).embedded == 0


def test_add_builds_the_index_by_default(
    corpus: Path, law: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POLICY_ASSISTANT_CACHE_DIR", str(fresh_cache))
    assert main(["add", str(law)]) == 0
    assert "新嵌入 4 个" in capsys.readouterr().out


def test_two_documents_of_one_library_are_linked(corpus: Path, law: Path, tmp_path: Path) -> None:
    national = tmp_path / "national.txt"
    shutil.copy(PROJECT_ROOT / "corpus/sources/library/中小企业促进法(2017-09-01).txt", national)
    assert main(["add", "--no-build", str(national), str(law)]) == 0
    library = load_corpus(corpus)
    city = library.document("mm-cjkjjrtl-20240301")
    assert [r.doc_id for r in city.relations] == ["cn-zxqycjf-20170901"]
    assert [r.doc_id for r in library.document("cn-zxqycjf-20170901").relations] == ["mm-cjkjjrtl-20240301"]

"""Document status on a date, relations resolved across the library, and the new metadata fields validated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from index.corpus import load_corpus
from index.errors import CorpusError
from index.model import RelationKind, Status

D = dt.date


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _copy_as(corpus: Path, doc_id: str, new_id: str, title: str, issued: str, start: str, extra: str = "") -> None:
    docs = corpus / "documents"
    (docs / f"{new_id}.txt").write_text(
        (docs / f"{doc_id}.txt").read_text(encoding="utf-8").replace(
            "关于加强科技财政金融协同服务企业创新发展的若干措施", title
        ),
        encoding="utf-8",
    )
    meta = (docs / f"{doc_id}.toml").read_text(encoding="utf-8")
    meta = meta.replace(f'"{doc_id}', f'"{new_id}').replace("关于加强科技财政金融协同服务企业创新发展的若干措施", title)
    meta = meta.replace("issued = 2023-09-28", f"issued = {issued}").replace("start = 2024-01-01", f"start = {start}")
    meta = meta.replace("end = 2028-12-31\n", "")
    meta = meta.replace('doc_number = "鲁政办字〔2023〕155号"', 'doc_number = "鲁政办字〔2027〕9号"')
    (docs / f"{new_id}.toml").write_text(meta.replace("[in_force]", extra + "\n[in_force]", 1), encoding="utf-8")


def test_status_of_a_policy_with_an_end_date(corpus) -> None:  # type: ignore[no-untyped-def]
    sd = corpus.document("sd-2023-155")
    assert sd.status(D(2023, 12, 31)).status is Status.NOT_YET_IN_FORCE
    assert sd.status(D(2028, 12, 31)).status is Status.IN_FORCE  # the last day in force
    expired = sd.status(D(2029, 1, 1))
    assert (expired.status, expired.since) == (Status.EXPIRED, D(2029, 1, 1))
    assert expired.describe() == "自2029年1月1日起已失效"
    assert corpus.document("nm-2025-15").status(D(2040, 1, 1)).status is Status.IN_FORCE  # no end stated


def test_existing_documents_metadata_and_relations(corpus) -> None:  # type: ignore[no-untyped-def]
    nm = corpus.document("nm-2025-15")
    assert (nm.level, nm.doc_type) == ("省", "规范性文件")
    assert nm.cited_as == f"《{nm.title}》（内党金办发〔2025〕15号）"
    [cites] = nm.relations
    assert (cites.kind, cites.target, cites.doc_id, cites.cited) == (
        RelationKind.CITES, "内财金规〔2023〕36号", None, "内财金规〔2023〕36号",
    )
    assert cites.basis in corpus.clause("nm-2025-15#4").text


def test_a_successor_replaces_the_document_it_repeals(corpus_copy: Path) -> None:
    extra = '[[relations]]\nkind = "replaces"\ntarget = "鲁政办字〔2023〕155号"\nbasis = "原措施同时废止。"\n'
    title = "关于进一步加强科技金融协同的若干措施"
    _copy_as(corpus_copy, "sd-2023-155", "sd-2027-9", title, "2027-06-01", "2027-07-01", extra)
    library = load_corpus(corpus_copy)
    old, new = library.document("sd-2023-155"), library.document("sd-2027-9")
    assert new.relations[0].doc_id == "sd-2023-155"
    [replaced_by] = old.related(RelationKind.REPLACED_BY)
    assert (replaced_by.doc_id, replaced_by.on) == ("sd-2027-9", D(2027, 7, 1))
    assert old.status(D(2027, 6, 30)).status is Status.IN_FORCE
    status = old.status(D(2027, 7, 1))
    assert (status.status, status.successor) == (Status.REPLACED, replaced_by)
    assert status.describe() == "自2027年7月1日起已被《关于进一步加强科技金融协同的若干措施》替代"


def test_a_newer_version_of_the_same_title_replaces_the_older(corpus_copy: Path) -> None:
    title = "关于加强科技财政金融协同服务企业创新发展的若干措施"
    _copy_as(corpus_copy, "sd-2023-155", "sd-2027-9", title, "2027-06-01", "2027-07-01")
    old = load_corpus(corpus_copy).document("sd-2023-155")
    assert old.status(D(2027, 7, 1)).status is Status.REPLACED
    assert old.related(RelationKind.REPLACED_BY)[0].doc_id == "sd-2027-9"


def test_replaced_by_declared_with_its_day(corpus_copy: Path) -> None:
    path = corpus_copy / "documents" / "nm-2025-15.toml"
    _edit(path, "[in_force]", '[[relations]]\nkind = "replaced_by"\ntarget = "某新文件"\non = 2026-01-01\n\n[in_force]')
    nm = load_corpus(corpus_copy).document("nm-2025-15")
    assert nm.status(D(2026, 1, 1)).status is Status.REPLACED
    assert nm.status(D(2025, 12, 31)).status is Status.IN_FORCE


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('level = "省"', 'level = "州"', "level '州' is not one of"),
        ('doc_type = "规范性文件"', 'doc_type = "通知"', "doc_type '通知' is not one of"),
        ('kind = "cites"', 'kind = "quotes"', "relation kind 'quotes' is not one of"),
        ('kind = "cites"', 'kind = "replaced_by"', "replaced_by relation, and only it, states the day"),
        ('target = "内财金规', 'note = "x"\ntarget = "内财金规', r"relations: unknown field\(s\) \['note'\]"),
        ('level = "省"', 'level = "省"\nto_confirm = ["regoin"]', "to_confirm 'regoin' is not one of"),
        ('doc_number = "内党金办发〔2025〕15号"', 'doc_number = ""', "doc_number is empty"),
        ('level = "省"', 'level = "省"\nhistory = [{date = 2025-03-26, event = "签", text = "x"}]', "event '签'"),
    ],
)
def test_new_fields_are_validated(corpus_copy: Path, old: str, new: str, message: str) -> None:
    _edit(corpus_copy / "documents" / "nm-2025-15.toml", old, new)
    with pytest.raises(CorpusError, match=rf"nm-2025-15\.toml.*{message}"):
        load_corpus(corpus_copy)


def test_doc_number_is_optional(corpus_copy: Path) -> None:
    _edit(corpus_copy / "documents" / "nm-2025-15.toml", 'doc_number = "内党金办发〔2025〕15号"\n', "")
    nm = load_corpus(corpus_copy).document("nm-2025-15")
    assert nm.doc_number is None
    assert nm.clauses[0].label == f"《{nm.title}》第（一）条"


def test_readme_status_example_runs() -> None:
    import re

    from index.settings import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Document status and relations \(Python\)\n```python\n(.*?)```", readme, re.S)
    assert block is not None
    namespace: dict[str, object] = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)
    assert namespace["s"].describe() == "自2029年1月1日起已失效"  # type: ignore[attr-defined]

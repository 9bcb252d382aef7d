"""The 文件库 tab's HTML (web.render_library): every document text shown as text, links only where the
library holds the other document, the preview marked as not yet written."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from index.corpus import Corpus
from index.ingest.add import plan
from index.settings import PROJECT_ROOT
from web import render_library
from web.library import DocumentDetail, document_detail, document_out, upload_result

SCRIPT = '<script>alert(1)</script><img src=x onerror="alert(2)">'
# Markup the loader keeps as it is (it makes ASCII quotes full-width): in a received file.
IN_FILE = "<img src=x onerror=window.x=1><script>window.y=2</script>"
DAY = dt.date(2026, 11, 23)
# The only elements the tab's HTML is made of: anything else came from a text.
ELEMENTS = {"div", "h3", "p", "b", "table", "thead", "tbody", "tr", "th", "td", "a", "span", "br", "ul", "li"}


def _tags(fragment: str) -> set[str]:
    return {t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", fragment)}


def _hostile(doc: DocumentDetail) -> DocumentDetail:
    """The document with markup in each text a damaged or hostile file could bring."""
    relations = [r.model_copy(update={"cited": f"《{SCRIPT}》", "basis": SCRIPT}) for r in doc.relations]
    history = [e.model_copy(update={"text": SCRIPT}) for e in doc.history]
    return doc.model_copy(
        update={
            "id": f'x"><b data-x="{SCRIPT}',
            "title": SCRIPT,
            "cited_as": f"《{SCRIPT}》",
            "doc_number": SCRIPT,
            "region": SCRIPT,
            "issuers": [SCRIPT],
            "relations": relations,
            "history": history,
        }
    )


def test_table_lists_each_document_with_status_and_linked_relations(corpus: Corpus) -> None:
    docs = [document_out(d, DAY) for d in corpus.documents]
    out = render_library.table_html(docs, DAY)
    assert out.count('<tr data-row="') == len(docs) == 12
    assert "状态按 2026年11月23日 计" in out
    row = re.search(r'<tr data-row="sd-cjkjcgzhtl-20171201">.*?</tr>', out)
    assert row is not None
    assert "现行有效" in row.group() and "自2018年1月1日起" in row.group()
    # The law it implements is in the library: a link that opens it in the tab.
    assert '<a class="pa-link" data-doc="cn-cjkjcgzhf-20150829">' in row.group()
    assert _tags(out) <= ELEMENTS


def test_a_relation_to_a_document_outside_the_library_is_not_a_link(corpus: Corpus) -> None:
    doc = document_out(corpus.document("nm-2025-15"), DAY)
    outside = [r for r in doc.relations if r.doc_id is None]
    assert outside, "nm-2025-15 cites documents the library does not hold"
    out = render_library.table_html([doc], DAY)
    assert f"{html.escape(outside[0].cited)}（文库中没有）" in out
    assert out.count("data-doc=") == 1 + sum(1 for r in doc.relations if r.doc_id)  # the title, the held ones


def test_table_and_card_escape_every_text(corpus: Corpus) -> None:
    doc = _hostile(document_detail(corpus.document("sd-cjkjcgzhtl-20171201"), DAY))
    for out in (render_library.table_html([doc], DAY), render_library.document_html(doc)):
        assert "<script" not in out and "<img" not in out and "<b " not in out
        assert html.escape(SCRIPT) in out
        assert html.escape(doc.id) in out  # the id too, in an attribute or as text
        assert _tags(out) <= ELEMENTS


def test_card_shows_metadata_history_and_relations(corpus: Corpus) -> None:
    out = render_library.document_html(document_detail(corpus.document("sd-cjkjcgzhtl-20171201"), DAY))
    assert "山东省人民代表大会常务委员会" in out and "2017年12月1日修订" in out
    assert "<th>状态（今天）</th>" in out and "现行有效" in out
    assert 'data-doc="cn-cjkjcgzhf-20150829"' in out


@pytest.fixture
def hostile_law(tmp_path: Path) -> Path:
    path = tmp_path / "青岛市科技金融促进办法.txt"
    path.write_text(
        "青岛市科技金融促进办法\n\n2024年3月1日 青岛市人民代表大会常务委员会通过\n\n"
        f"第一条 为了促进科技金融{IN_FILE}，根据《{IN_FILE}办法》，制定本办法。\n\n"
        "第二条 本办法自2024年5月1日起施行。\n",
        encoding="utf-8",
    )
    return path


def test_preview_is_marked_unwritten_and_escapes_the_file(hostile_law: Path) -> None:
    found = plan(hostile_law, PROJECT_ROOT / "corpus")
    out = render_library.preview_html(upload_result(found, DAY))
    assert "预览：尚未写入文件库" in out and "已添加" not in out
    assert "<script" not in out and "<img" not in out
    assert f"实施《{html.escape(IN_FILE)}办法》（从文中读出）" in out  # the relation read from the text, to confirm
    assert f"<td>{found.doc_id}#1</td>" in out and f"<td>{found.doc_id}#2</td>" in out
    assert _tags(out) <= ELEMENTS
    assert "data-clause" not in out  # the clauses are not in the library yet: nothing to open

"""Each file of the shared policy library is added with one command: article counts as its README says,
metadata as checked by reading the texts."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from index.ingest.add import Plan, plan
from index.model import RelationKind, Status
from index.settings import PROJECT_ROOT

LIBRARY = PROJECT_ROOT / "corpus" / "sources" / "library"  # the files as received (../shared/library)


def _readme_counts() -> dict[str, int]:
    """file → articles, from the README's table."""
    rows = re.findall(r"^\| (\S+\.(?:txt|docx|html)) \|.*\| (\d+) \|$", (LIBRARY / "README.md").read_text(), re.M)
    return {name: int(count) for name, count in rows}


# Checked by reading each text: id, title, issued (公布 or latest adoption), start, issuers, region, level, type.
EXPECTED = {
    "促进科技成果转化法(2015-08-29).txt": (
        "cn-cjkjcgzhf-20150829", "中华人民共和国促进科技成果转化法", "2015-08-29", "1996-10-01",
        "全国人民代表大会常务委员会", "全国", "全国", "法律",
    ),
    "科学技术进步法(2021-12-24).docx": (
        "cn-kxjsjbf-20211224", "中华人民共和国科学技术进步法", "2021-12-24", "2022-01-01",
        "全国人民代表大会常务委员会", "全国", "全国", "法律",
    ),
    "中小企业促进法(2017-09-01).txt": (
        "cn-zxqycjf-20170901", "中华人民共和国中小企业促进法", "2017-09-01", "2018-01-01",
        "全国人民代表大会常务委员会", "全国", "全国", "法律",
    ),
    "融资担保公司监督管理条例(2017-08-02).html": (
        "cn-rzdbgsjdgltl-20170802", "融资担保公司监督管理条例", "2017-08-02", "2017-10-01",
        "国务院", "全国", "全国", "行政法规",
    ),
    "山东省促进科技成果转化条例(2017-12-01).txt": (
        "sd-cjkjcgzhtl-20171201", "山东省促进科技成果转化条例", "2017-12-01", "2018-01-01",
        "山东省人民代表大会常务委员会", "山东省", "省", "地方性法规",
    ),
    "山东省地方金融条例(2016-03-30).docx": (
        "sd-dfjrtl-20160330", "山东省地方金融条例", "2016-03-30", "2016-07-01",
        "山东省人民代表大会常务委员会", "山东省", "省", "地方性法规",
    ),
    "青岛市科技创新促进条例(2011-07-29).txt": (
        "qd-kjcxcjtl-20110729", "青岛市科技创新促进条例", "2011-07-29", "2011-10-01",
        "青岛市人民代表大会常务委员会", "山东省青岛市", "市", "地方性法规",
    ),
    "青岛市金融发展促进条例(2012-09-27).txt": (
        "qd-jrfzcjtl-20120927", "青岛市金融发展促进条例", "2012-09-27", "2012-11-01",
        "青岛市人民代表大会常务委员会", "山东省青岛市", "市", "地方性法规",
    ),
    "上海市推进科技创新中心建设条例(2020-01-20).txt": (
        "sh-tjkjcxzxjstl-20200120", "上海市推进科技创新中心建设条例", "2020-01-20", "2020-05-01",
        "上海市人民代表大会", "上海市", "省", "地方性法规",
    ),
    # The file name says 2021-09-30; the text states the amendment of 2021年9月29日, which is what is kept.
    "浙江省促进科技成果转化条例(2021-09-30).txt": (
        "zj-cjkjcgzhtl-20210929", "浙江省促进科技成果转化条例", "2021-09-29", "2017-10-01",
        "浙江省人民代表大会常务委员会", "浙江省", "省", "地方性法规",
    ),
}


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Plan]:
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "regions.toml").write_text((PROJECT_ROOT / "corpus" / "regions.toml").read_text(encoding="utf-8"))
    return {name: plan(LIBRARY / name, corpus) for name in EXPECTED}


def test_readme_lists_every_file() -> None:
    assert set(_readme_counts()) == set(EXPECTED) == {p.name for p in LIBRARY.iterdir() if p.name != "README.md"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_article_count_equals_the_readme(plans: dict[str, Plan], name: str) -> None:
    found = plans[name]
    assert found.parsed.layout == "articles"
    assert len(found.document.clauses) == _readme_counts()[name]
    numbers = [c.number for c in found.document.clauses]
    assert numbers == list(range(1, len(numbers) + 1)) and found.parsed.problems == ()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_as_read(plans: dict[str, Plan], name: str) -> None:
    doc_id, title, issued, start, issuer, region, level, doc_type = EXPECTED[name]
    doc = plans[name].document
    assert (doc.id, doc.title, str(doc.issued), str(doc.in_force.start)) == (doc_id, title, issued, start)
    assert (doc.issuers, doc.region, doc.level, doc.doc_type) == ((issuer,), region, level, doc_type)
    assert doc.doc_number is None and doc.in_force.end is None and plans[name].to_confirm == ()
    assert doc.in_force.basis.endswith(f"自{start[:4]}年{int(start[5:7])}月{int(start[8:])}日起施行。")
    last = doc.clauses[-1]
    assert doc.in_force.basis in last.text  # 本法自…起施行 is the last article


def test_history_of_a_twice_revised_law(plans: dict[str, Plan]) -> None:
    doc = plans["科学技术进步法(2021-12-24).docx"].document
    assert [(str(e.date), e.kind) for e in doc.history] == [
        ("1993-07-02", "通过"), ("2007-12-29", "修订"), ("2021-12-24", "修订"),
    ]
    qingdao = plans["青岛市科技创新促进条例(2011-07-29).txt"].document
    assert [e.kind for e in qingdao.history] == ["通过", "批准", "公布", "施行"]
    zhejiang = plans["浙江省促进科技成果转化条例(2021-09-30).txt"].document
    assert [(str(e.date), e.kind) for e in zhejiang.history][-1] == ("2021-09-29", "修正")


def test_labels_sections_and_multi_paragraph_articles(plans: dict[str, Plan]) -> None:
    law = plans["促进科技成果转化法(2015-08-29).txt"].document
    article = next(c for c in law.clauses if c.id == "cn-cjkjcgzhf-20150829#16")
    assert article.label == "《中华人民共和国促进科技成果转化法》第十六条"
    assert article.section == "第二章 组织实施" and article.kind == "article"
    assert article.text.split("\n")[1:3] == ["（一）自行投资实施转化；", "（二）向他人转让该科技成果；"]
    assert all(s.text in article.text and not s.text.startswith("\n") for s in article.sentences)
    progress = plans["科学技术进步法(2021-12-24).docx"].document
    assert progress.clauses[0].section == "第一章 总则"  # written 总 则 in the text
    assert progress.clauses[-1].label == "《中华人民共和国科学技术进步法》第一百一十七条"
    shandong = plans["山东省促进科技成果转化条例(2017-12-01).txt"].document
    assert shandong.clauses[0].section == ""  # the first chapter has no heading in this text
    assert {c.section for c in shandong.clauses[7:9]} == {"组织实施"}  # a heading without 第X章
    assert shandong.clauses[-1].section == "第六章 附则"  # 附　则 with a full-width space


def test_relations_found_in_the_text(plans: dict[str, Plan]) -> None:
    shandong = plans["山东省促进科技成果转化条例(2017-12-01).txt"].document
    assert [(r.kind, r.target) for r in shandong.relations] == [
        (RelationKind.IMPLEMENTS, "中华人民共和国促进科技成果转化法")
    ]
    guarantee = plans["融资担保公司监督管理条例(2017-08-02).html"].document
    assert {(r.kind, r.target) for r in guarantee.relations} == {
        (RelationKind.CITES, "中华人民共和国公司法"),
        (RelationKind.CITES, "中华人民共和国治安管理处罚法"),  # 依照《…》予以处罚 cites, it does not implement
    }


def test_status(plans: dict[str, Plan]) -> None:
    doc = plans["中小企业促进法(2017-09-01).txt"].document
    assert doc.status(dt.date(2017, 12, 31)).status is Status.NOT_YET_IN_FORCE
    assert doc.status(dt.date(2018, 1, 1)).status is Status.IN_FORCE

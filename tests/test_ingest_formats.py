"""Readers per format: a PDF's broken lines and pages re-joined, web-page furniture dropped, Markdown and
Word read as paragraphs; bad files refused with a Chinese message."""

from __future__ import annotations

import datetime as dt
import html
import shutil
from pathlib import Path

import pytest

from index.errors import IngestError
from index.ingest import read
from index.ingest.add import Plan, plan
from index.ingest.detect import InfoTable
from index.ingest.read import read_file
from index.settings import PROJECT_ROOT

LIBRARY = PROJECT_ROOT / "corpus" / "sources" / "library"  # the files as received (../shared/library)
ZHEJIANG = LIBRARY / "浙江省促进科技成果转化条例(2021-09-30).txt"
SHANGHAI = LIBRARY / "上海市推进科技创新中心建设条例(2020-01-20).txt"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    (target / "documents").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "corpus" / "regions.toml", target / "regions.toml")
    return target


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def write_pdf(lines: list[str], target: Path) -> Path:
    """An A4 PDF as a word processor prints one: indented paragraphs wrapped at the margin, a page number below."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=18, wordWrap="CJK", firstLineIndent=24)

    def page_number(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, 20, f"- {doc.page} -")

    SimpleDocTemplate(str(target), pagesize=A4).build(
        [Paragraph(html.escape(line), style) for line in lines], onFirstPage=page_number, onLaterPages=page_number
    )
    return target


def _same_articles(a: Plan, b: Plan) -> None:
    assert [c.text for c in a.document.clauses] == [c.text for c in b.document.clauses]
    assert (a.document.title, a.document.history, a.document.in_force) == (
        b.document.title,
        b.document.history,
        b.document.in_force,
    )


def test_pdf_lines_and_pages_rejoined(corpus: Path, tmp_path: Path) -> None:
    import pdfplumber

    pdf = write_pdf(_lines(ZHEJIANG), tmp_path / "zj.pdf")
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) >= 3
        last_line = document.pages[0].extract_text_lines()[-2]["text"]  # the last is the page number
    assert not last_line.endswith(("。", "；", "：")), "the fixture must break a sentence across the page"
    found = plan(pdf, corpus)
    assert len(found.document.clauses) == 48 and found.parsed.problems == ()
    assert found.meta["received"] == "zj.pdf"
    assert not any(line.startswith("- ") for line in found.text.split("\n"))  # page numbers dropped
    _same_articles(found, plan(ZHEJIANG, corpus))


def test_pdf_title_broken_in_two_lines(corpus: Path, tmp_path: Path) -> None:
    lines = _lines(ZHEJIANG)
    pdf = write_pdf(["浙江省促进科技", "成果转化条例", *lines[1:]], tmp_path / "zj.pdf")
    found = plan(pdf, corpus)
    assert found.document.title == "浙江省促进科技成果转化条例"
    assert found.meta["repairs"][0]["find"] == "浙江省促进科技\n成果转化条例"


def test_library_html_furniture_dropped(corpus: Path) -> None:
    received = read_file(LIBRARY / "融资担保公司监督管理条例(2017-08-02).html")
    assert not any("首页" in line or "版权所有" in line for line in received.lines)
    assert received.title_hint == "融资担保公司监督管理条例"


def test_government_site_layout(corpus: Path, tmp_path: Path) -> None:
    lines = _lines(SHANGHAI)
    body = "<br>\n".join(html.escape(line) for line in lines[1:])
    page = tmp_path / "sh.html"
    page.write_text(
        f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{lines[0]}_上海人大</title></head><body>
<div class="header"><a href="/">首页</a> | <a href="/news">新闻中心</a> | <a href="/law">法规库</a></div>
<div class="crumb">当前位置：首页 &gt; 地方性法规 &gt; 正文</div>
<div class="side"><ul><li><a href="/a">常委会公报</a></li><li><a href="/b">立法动态</a></li></ul></div>
<div class="article"><h2>{lines[0]}</h2><div class="info">发布时间：2020-01-21 字号：大 中 小</div>
<div class="content"><p>{body}</p></div><div class="tools">【打印本页】【关闭窗口】</div></div>
<div class="footer"><p>版权所有：上海市人民代表大会常务委员会</p><p>沪ICP备05010325号 网站标识码 3100000000</p></div>
</body></html>""",
        encoding="utf-8",
    )
    found = plan(page, corpus)
    for furniture in ("首页", "版权所有", "ICP", "打印本页", "常委会公报", "字号"):
        assert furniture not in found.text
    _same_articles(found, plan(SHANGHAI, corpus))


def test_markdown_cut_of_a_law(corpus: Path, tmp_path: Path) -> None:
    text = (LIBRARY / "中小企业促进法(2017-09-01).txt").read_text(encoding="utf-8").split("第三章")[0]
    md = "\n".join(
        f"# {line}" if line.startswith("中华人民共和国") else f"## {line}" if line.startswith("第一章") else line
        for line in text.split("\n")
    )
    path = tmp_path / "cut.md"
    path.write_text(md.replace("第一条", "**第一条**"), encoding="utf-8")
    found = plan(path, corpus)
    assert found.document.title == "中华人民共和国中小企业促进法"
    assert len(found.document.clauses) == 12 and found.document.clauses[0].text.startswith("第一条 为了")
    assert found.to_confirm == ("in_force",)  # the cut lost 本法自…起施行: to be confirmed, not guessed


def test_docx_paragraphs(corpus: Path) -> None:
    received = read_file(LIBRARY / "山东省地方金融条例(2016-03-30).docx")
    assert received.lines[0] == "山东省地方金融条例" and received.format == ".docx"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("law.xls", b"x", "不支持的文件类型"),
        ("law.txt", b"", "文件是空的"),
        ("law.txt", b"\x00\x01\x02binary", "不是文本文件"),
        ("law.docx", b"PK not really a zip", "不是有效的 Word 文件"),
        ("law.pdf", b"%PDF-1.4 garbage", "PDF"),
        ("law.txt", "一段没有条款的文字。\n2024年1月1日\n又一段。".encode(), "未识别出条款结构"),
        ("law.txt", "第一条 只有日期缺失的条文。\n第二条 另一条。".encode(), "找不到印发、公布或施行日期"),
    ],
)
def test_bad_files_refused_in_chinese(corpus: Path, tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError, match=message):
        plan(path, corpus)
    assert list((corpus / "documents").iterdir()) == []


def test_missing_and_too_large_files(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(IngestError, match="找不到文件"):
        plan(tmp_path / "none.txt", corpus)
    monkeypatch.setattr(read, "MAX_BYTES", 1000)
    with pytest.raises(IngestError, match="文件太大"):
        plan(ZHEJIANG, corpus)


def test_gbk_text_is_read(corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(ZHEJIANG.read_text(encoding="utf-8").encode("gbk"))
    assert len(plan(path, corpus).document.clauses) == 48


def _law(tmp_path: Path, name: str, head: list[str], tail: list[str] = ()) -> Path:
    body = ["第一条　为了示例，制定本法。", "第二条　本法所称示例，是指示例。", "第三条　本法自2005年4月1日起施行。"]
    path = tmp_path / name
    path.write_text("\n".join([*head, *body, *tail]) + "\n", encoding="utf-8")
    return path


def test_bracketed_history_note_under_a_law_title(corpus: Path, tmp_path: Path) -> None:
    """The 题注 as the NPC publishes it: the whole history in one bracket, events joined by 根据."""
    note = (
        "（2004年8月28日第十届全国人民代表大会常务委员会第十一次会议通过　根据2015年4月24日第十二届全国人民代表大会"
        "常务委员会第十四次会议《关于修改〈中华人民共和国电力法〉等六部法律的决定》第一次修正　根据2019年4月23日"
        "第十三届全国人民代表大会常务委员会第十次会议《关于修改〈中华人民共和国建筑法〉等八部法律的决定》第二次修正）"
    )
    found = plan(_law(tmp_path, "law.txt", ["中华人民共和国示例法", note]), corpus)
    assert [(str(e["date"]), e["event"]) for e in found.meta["history"]] == [
        ("2004-08-28", "通过"),
        ("2015-04-24", "修正"),
        ("2019-04-23", "修正"),
    ]
    assert str(found.meta["issued"]) == "2019-04-23" and str(found.meta["in_force"]["start"]) == "2005-04-01"
    assert found.meta["issuers"] == ["全国人民代表大会常务委员会"] and found.meta["doc_type"] == "法律"
    assert found.to_confirm == ()
    # a bracket with a part that is not a dated event is read not at all: the gap is reported, not half-filled
    odd = note.replace("　根据2015年4月24日", "　另见2015年4月24日")
    found = plan(_law(tmp_path, "odd.txt", ["中华人民共和国示例法", odd]), corpus)
    assert "history" not in found.meta and "issuers" in found.to_confirm


def test_promulgation_order_above_a_regulation(corpus: Path, tmp_path: Path) -> None:
    """中华人民共和国国务院令 / 第N号 / 《…》已经…会议通过，现予公布 / 总理 … / date: adopted, then published."""
    head = [
        "示例暂行条例",
        "中华人民共和国国务院令",
        "第654号",
        "《示例暂行条例》已经2014年7月23日国务院第57次常务会议通过，现予公布，自2014年10月1日起施行。",
        "总理　某某",
        "2014年8月7日",
        "示例暂行条例",
    ]
    found = plan(_law(tmp_path, "reg.txt", head), corpus)
    assert [(str(e["date"]), e["event"]) for e in found.meta["history"]] == [
        ("2014-07-23", "通过"),
        ("2014-08-07", "公布"),
    ]
    assert found.meta["history"][1]["text"] == "2014年8月7日 中华人民共和国国务院令第654号公布"
    assert str(found.meta["issued"]) == "2014-08-07" and found.meta["issuers"] == ["国务院"]
    assert found.meta["doc_type"] == "行政法规" and found.to_confirm == ()
    assert [s.heading for s in found.parsed.statements] == ["公布令"]  # the order above the title, no 印发通知
    # a law's order: 已由…会议于DATE通过; the adopting body is the issuer, not the one who signs
    head = [
        "中华人民共和国示例法",
        "中华人民共和国主席令",
        "第七十一号",
        "《中华人民共和国示例法》已由中华人民共和国第九届全国人民代表大会常务委员会第二十八次会议于2002年6月29日通过，"
        "现予公布，自公布之日起施行。",
        "中华人民共和国主席　某某",
        "2002年6月29日",
    ]
    found = plan(_law(tmp_path, "law.txt", head), corpus)
    assert found.meta["issuers"] == ["全国人民代表大会常务委员会"] and found.meta["doc_type"] == "法律"
    assert str(found.meta["issued"]) == "2002-06-29"


def test_annex_line_after_the_last_article_is_not_part_of_it(corpus: Path, tmp_path: Path) -> None:
    path = _law(
        tmp_path,
        "law.txt",
        ["中华人民共和国示例法", "（2017年9月1日第十二届全国人民代表大会常务委员会第二十九次会议通过）"],
        ["附件：示例表（五线谱版本、简谱版本）"],
    )
    found = plan(path, corpus)
    assert found.document.clauses[-1].text == "第三条　本法自2005年4月1日起施行。"
    annex = next(s for s in found.parsed.statements if s.kind == "annex")
    assert annex.text == "附件：示例表（五线谱版本、简谱版本）"
    # 附则 is a chapter, and an 附件 named inside an article stays in it
    path = _law(tmp_path, "law2.txt", ["中华人民共和国示例法"], ["附件所列事项按照本法执行。"])
    assert plan(path, corpus).document.clauses[-1].text.endswith("附件所列事项按照本法执行。")


def test_a_work_title_is_no_cited_document(corpus: Path, tmp_path: Path) -> None:
    """《X》 is a document only by its form: a 文号 after it, or a title ending in a kind of document
    (办法, 目录 …, an edition in brackets after it); a song or a licence named in 《》 is no relation."""
    tail = [
        "中华人民共和国国歌是《义勇军进行曲》。领取《营业执照》的单位依照《示例管理办法（试行）》、"
        "《中国制造2025》（国发〔2015〕28号）和《示例产业指导目录》执行。"
    ]
    found = plan(_law(tmp_path, "law.txt", ["中华人民共和国示例法"], tail), corpus)
    targets = ["示例管理办法（试行）", "国发〔2015〕28号", "示例产业指导目录"]
    assert [r.target for r in found.document.relations] == targets
    assert [r["target"] for r in found.meta["relations"]] == [r.target for r in found.document.relations]
    # the same form finds a title with its edition in brackets
    path = _law(tmp_path, "trial.txt", ["浙江省示例管理办法（试行）", "2005年3月1日"])
    assert plan(path, corpus).document.title == "浙江省示例管理办法（试行）"


GOV_CN = PROJECT_ROOT / "tests" / "data" / "gov-cn-qyxxgszxtl.html"  # 企业信息公示暂行条例 as www.gov.cn prints it
_INFO_CELLS = ("索引号", "主题分类", "发文机关", "成文日期", "发文字号", "发布日期", "000014349")


def test_gov_cn_info_table_is_read_apart_from_the_text(corpus: Path) -> None:
    received = read_file(GOV_CN)
    assert received.info == InfoTable(
        "企业信息公示暂行条例", ("国务院",), "国务院令第654号", dt.date(2014, 8, 7), dt.date(2014, 8, 23)
    )
    found = plan(GOV_CN, corpus)
    assert not any(cell in found.text for cell in _INFO_CELLS)  # the cells glued into no line
    doc = found.document
    assert doc.title == "企业信息公示暂行条例" and doc.issuers == ("国务院",) and doc.doc_type == "行政法规"
    assert len(doc.clauses) == 6 and found.parsed.problems == ()  # each paragraph a line, not one table cell
    assert doc.clauses[0].text.startswith("第一条") and doc.clauses[0].text.endswith("扩大社会监督，制定本条例。")
    assert doc.clauses[5].text.endswith("前款规定的企业信息应当自产生之日起20个工作日内予以公示。")
    # the text's own order wins: adopted and published as it says, in force on the day it states
    assert [(e.date, e.kind) for e in doc.history] == [(dt.date(2014, 7, 23), "通过"), (dt.date(2014, 8, 7), "公布")]
    assert (doc.issued, doc.in_force.start, found.to_confirm) == (dt.date(2014, 8, 7), dt.date(2014, 10, 1), ())


def test_gov_cn_info_table_states_what_the_text_does_not(corpus: Path, tmp_path: Path) -> None:
    """The page without the promulgation order above the text: its 公布 and issuer come from the table.
    (And the whole page laid out in one more table of one cell, around the info table and the text's.)"""
    order = ("国务院令</p>", "第654号</p>", "现予公布", "总理", "2014年8月7日</p>")
    page = tmp_path / "gov.html"
    lines = GOV_CN.read_text(encoding="utf-8").split("\n")
    cut = "\n".join(line for line in lines if not any(o in line for o in order))
    page.write_text(cut.replace("<body>", "<body><table><tr><td>").replace("</body>", "</td></tr></table></body>"))
    found = plan(page, corpus)
    doc = found.document
    assert [e.text for e in doc.history] == ["2014年8月7日 国务院令第654号公布"]
    assert (doc.title, doc.issuers, doc.doc_type, doc.issued) == (
        "企业信息公示暂行条例", ("国务院",), "行政法规", dt.date(2014, 8, 7)
    )
    assert found.to_confirm == ("in_force",)  # this cut states no day in force: to be confirmed, not the table's
    assert len(doc.clauses) == 6


def test_info_table_of_a_notice_in_word(corpus: Path, tmp_path: Path) -> None:
    """A .docx holding the table: 文号, issuer and 成文日期 (as 印发) from it; its rows are no lines of the text."""
    import docx

    document = docx.Document()
    rows = [
        ("索 引 号：", "000014349/2014-00099", "主题分类：", "综合政务\\其他"),
        ("发文机关：", "国务院办公厅", "成文日期：", "2014年09月01日"),
        ("标　　题：", "国务院办公厅关于示例工作的通知", "", ""),
        ("发文字号：", "国办发〔2014〕99号", "发布日期：", "2014年09月05日"),
    ]
    table = document.add_table(rows=len(rows), cols=4)
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    body = ("各省、自治区、直辖市人民政府：", "一、总体要求", "（一）做好示例工作。", "（二）本通知自印发之日起施行。")
    for line in body:
        document.add_paragraph(line)
    path = tmp_path / "notice.docx"
    document.save(str(path))
    found = plan(path, corpus)
    doc = found.document
    assert (doc.title, doc.doc_number, doc.issuers) == (rows[2][1], "国办发〔2014〕99号", ("国务院办公厅",))
    assert doc.id == "cn-2014-99" and [e.text for e in doc.history] == ["2014年9月1日 国办发〔2014〕99号印发"]
    assert (doc.issued, doc.in_force.start, found.to_confirm) == (dt.date(2014, 9, 1), dt.date(2014, 9, 1), ())
    assert not any(cell in found.text for cell in _INFO_CELLS) and len(doc.clauses) == 2

"""The parser is general: other documents in the usual layouts need no code change."""

from __future__ import annotations

from index.parse import DocHeader, parse_document, parse_units

HEAD = DocHeader("xx-2024-1", "关于支持某事的通知", "某政发〔2024〕1号")


def test_arabic_items_without_cn_items() -> None:
    text = "\n".join(
        [
            "某政发〔2024〕1号",
            "各有关单位：",
            "关于支持某事的通知",
            "为支持某事，制定本通知。",
            "一、总体要求",
            "1.加大支持。对企业给予奖励10万元。（责任单位：市财政局）",
            "2.优化服务。提供便利。（责任单位：市科技局、市财政局）",
            "本通知自发布之日起施行。",
        ]
    )
    parsed = parse_document(text, HEAD, "x.txt")
    assert [c.id for c in parsed.clauses] == ["xx-2024-1#1", "xx-2024-1#2"]
    assert parsed.clauses[1].heading == "优化服务"
    assert [u.name for u in parsed.clauses[1].units] == ["市科技局", "市财政局"]
    assert [s.kind for s in parsed.statements] == ["notice", "preamble", "closing"]


def test_text_without_numbered_items_loads_as_paragraphs() -> None:
    parsed = parse_document("第一段话。\n第二段话，很短。", HEAD, "x.txt")
    assert [(c.id, c.kind) for c in parsed.clauses] == [("xx-2024-1#1", "paragraph"), ("xx-2024-1#2", "paragraph")]


def test_item_continued_on_next_line() -> None:
    parsed = parse_document("（一）标题。第一句，\n接着的句子。（市财政局牵头）\n附：说明。", HEAD, "x.txt")
    assert parsed.clauses[0].text == "（一）标题。第一句，接着的句子。（市财政局牵头）"
    assert parsed.statements[0].text == "附：说明。"


def test_units_forms() -> None:
    lead_and_other = parse_units("……。（省科技厅牵头，省财政厅、省地方金融监管局按职责分工负责）")
    assert [(u.name, u.lead) for u in lead_and_other] == [
        ("省科技厅", True),
        ("省财政厅", False),
        ("省地方金融监管局", False),
    ]
    listed = parse_units("……。（责任单位：科技厅、财政厅，各有关金融机构）")
    assert [u.name for u in listed] == ["科技厅", "财政厅", "各有关金融机构"]
    assert parse_units("没有括号的句子。") == ()

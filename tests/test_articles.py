"""Structure parsing in the common forms: 第X章 → 第X条, headings without 第X章, items per section, 一、 alone."""

from __future__ import annotations

import pytest

from index.errors import CorpusError
from index.parse import DocHeader, parse_document

LAW = DocHeader("xx-law", "某某促进条例", None)
POLICY = DocHeader("xx-2024-1", "关于支持某事的若干措施", "某政发〔2024〕1号")


def _law(*lines: str) -> str:
    return "\n".join(["某某促进条例", "2020年1月1日 某省人民代表大会常务委员会会议通过", *lines])


def test_chapters_with_and_without_numbers_and_spaces() -> None:
    parsed = parse_document(
        _law(
            "第一章 总 则",
            "第一条 为了促进某事，制定本条例。",
            "组织实施",
            "第二条 县级以上人民政府应当组织实施。",
            "第三章　附　则",
            "第三条 本条例自2020年5月1日起施行。",
        ),
        LAW,
        "x.txt",
    )
    assert parsed.layout == "articles"
    assert [(c.id, c.section) for c in parsed.clauses] == [
        ("xx-law#1", "第一章 总则"),
        ("xx-law#2", "组织实施"),
        ("xx-law#3", "第三章 附则"),
    ]
    assert parsed.statements[0].id == "xx-law#preamble" and "会议通过" in parsed.statements[0].text
    assert parsed.clauses[0].label == "《某某促进条例》第一条"  # no 文号: the title alone


def test_multi_paragraph_article_with_items() -> None:
    parsed = parse_document(
        _law(
            "第一条 为了促进某事，制定本条例。",
            "第二条 有下列情形之一的，给予支持：",
            "（一）首次认定的；",
            "（二）连续三年增长的。",
            "前款规定的支持标准由省人民政府制定。",
            "第三条 本条例自2020年5月1日起施行。",
        ),
        LAW,
        "x.txt",
    )
    second = parsed.clauses[1]
    assert second.text.split("\n") == [
        "第二条 有下列情形之一的，给予支持：",
        "（一）首次认定的；",
        "（二）连续三年增长的。",
        "前款规定的支持标准由省人民政府制定。",
    ]
    assert second.heading == "有下列情形之一的，给予支持："
    assert [c.number for c in parsed.clauses] == [1, 2, 3]


def test_a_paragraph_citing_an_earlier_article_is_not_a_new_article() -> None:
    parsed = parse_document(
        _law(
            "第一条 为了促进某事，制定本条例。",
            "第二条 违反本条例的，依法处理。",
            "第一条规定的事项，由省人民政府组织实施。",
            "第三条 本条例自2020年5月1日起施行。",
        ),
        LAW,
        "x.txt",
    )
    assert len(parsed.clauses) == 3
    assert parsed.clauses[1].text.endswith("第一条规定的事项，由省人民政府组织实施。")


def test_gaps_are_reported_and_inserted_articles_kept() -> None:
    parsed = parse_document(
        _law(
            "第一条 为了促进某事，制定本条例。",
            "第一条之一 本条例所称某事，是指某种活动。",
            "第三条 本条例自2020年5月1日起施行。",
        ),
        LAW,
        "x.txt",
    )
    assert [c.id for c in parsed.clauses] == ["xx-law#1", "xx-law#1-1", "xx-law#3"]
    assert parsed.clauses[1].label == "《某某促进条例》第一条之一"
    assert parsed.problems == ("第一条之后是第三条，中间的条文缺失",)


def test_table_of_contents_is_skipped() -> None:
    parsed = parse_document(
        _law(
            "目　录",
            "第一章 总则",
            "第二章 附则",
            "第一章 总则",
            "第一条 为了促进某事，制定本条例。",
            "第二章 附则",
            "第二条 本条例自2020年5月1日起施行。",
        ),
        LAW,
        "x.txt",
    )
    assert [c.section for c in parsed.clauses] == ["第一章 总则", "第二章 附则"]
    assert "目" not in parsed.statements[0].text


def test_items_restarting_in_each_section() -> None:
    text = "\n".join(
        [
            "关于支持某事的若干措施",
            "一、加大支持",
            "（一）支持甲。对甲给予奖励。",
            "（二）支持乙。对乙给予奖励。",
            "二、优化服务",
            "（一）服务丙。为丙提供便利。",
            "本措施自2024年1月1日起施行。",
        ]
    )
    parsed = parse_document(text, POLICY, "x.txt")
    assert [c.id for c in parsed.clauses] == ["xx-2024-1#1", "xx-2024-1#2", "xx-2024-1#3"]
    assert parsed.clauses[2].label == "《关于支持某事的若干措施》（某政发〔2024〕1号）第二部分第（一）条"
    assert parsed.clauses[2].section == "优化服务"


def test_a_repeated_item_in_one_section_is_still_an_error() -> None:
    text = "关于支持某事的若干措施\n一、加大支持\n（一）支持甲。\n（一）支持乙。"
    with pytest.raises(CorpusError, match="duplicate clause id xx-2024-1#1"):
        parse_document(text, POLICY, "x.txt")


def test_sections_alone_are_clauses() -> None:
    text = "\n".join(
        [
            "关于支持某事的通知",
            "各有关单位：",
            "一、支持范围。本市注册的企业。",
            "二、支持标准。",
            "按投入的10%给予补助，最高50万元。",
            "三、本通知自2024年1月1日起施行。",
        ]
    )
    parsed = parse_document(text, DocHeader("xx-2024-2", "关于支持某事的通知", None), "x.txt")
    assert parsed.layout == "sections"
    assert [c.id for c in parsed.clauses] == ["xx-2024-2#1", "xx-2024-2#2", "xx-2024-2#3"]
    assert parsed.clauses[1].text == "二、支持标准。\n按投入的10%给予补助，最高50万元。"
    assert parsed.clauses[1].label == "《关于支持某事的通知》第二条"
    assert parsed.statements[0].id == "xx-2024-2#preamble"

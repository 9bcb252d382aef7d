"""Loading, repairing and parsing the received documents."""

from __future__ import annotations

import re

import cn2an
import pytest

from index.corpus import Corpus

HEADINGS = {
    "sd-2023-155#1": "强化科技型企业信贷支持",
    "sd-2023-155#3": "创新科技担保运作模式",
    "sd-2023-155#8": "强化政府性引导基金引领作用",
    "sd-2023-155#14": "构建“政银担投”相结合的项目支持机制",
    "sd-2023-155#20": "健全评价和容错免责机制",
    "nm-2025-15#1": "落实科技型企业财政优惠政策",
    "nm-2025-15#2": "为科技型企业提供全生命周期金融服务",
    "nm-2025-15#14": "健全考核和尽职免责机制",
    "nm-2025-15#15": "健全风险防控机制",
}


POLICY_DOCS = ("nm-2025-15", "sd-2023-155")  # the two policy documents; the library's laws are tested apart


def test_clause_ids_are_numbered_straight_through(corpus: Corpus) -> None:
    ids = [c.id for c in corpus.clauses if c.doc_id in POLICY_DOCS]
    assert ids == [f"nm-2025-15#{n}" for n in range(1, 16)] + [f"sd-2023-155#{n}" for n in range(1, 21)]


@pytest.mark.parametrize(("clause_id", "heading"), HEADINGS.items())
def test_headings(corpus: Corpus, clause_id: str, heading: str) -> None:
    assert corpus.clause(clause_id).heading == heading


def test_every_clause_has_heading_units_label_and_sentences(corpus: Corpus) -> None:
    for clause in (c for c in corpus.clauses if c.doc_id in POLICY_DOCS):
        assert clause.heading and clause.units and clause.sentences, clause.id
        assert clause.text.startswith(f"（{cn2an.an2cn(clause.number)}）")
        assert "".join(s.text for s in clause.sentences) == clause.text


def test_labels(corpus: Corpus) -> None:
    assert corpus.clause("sd-2023-155#1").label == (
        "《关于加强科技财政金融协同服务企业创新发展的若干措施》（鲁政办字〔2023〕155号）第（一）条"
    )
    assert corpus.clause("nm-2025-15#14").label.endswith("（内党金办发〔2025〕15号）第（十四）条")


def test_sections(corpus: Corpus) -> None:
    assert corpus.clause("sd-2023-155#3").section == "构建全省科技担保和保险体系"
    assert corpus.clause("nm-2025-15#11").section == "构建科技金融良好生态"


def test_lead_and_responsible_units_are_told_apart(corpus: Corpus) -> None:
    first = corpus.clause("sd-2023-155#1")
    assert first.lead_units == ("省科技厅", "人民银行山东省分行")
    assert first.other_units == (
        "省发展改革委",
        "省财政厅",
        "国家金融监督管理总局山东监管局",
        "省地方金融监管局",
    )
    assert corpus.clause("sd-2023-155#20").lead_units == ()
    assert corpus.clause("nm-2025-15#4").other_units == ("财政厅", "党委金融办")
    assert corpus.clause("nm-2025-15#2").other_units[-1] == "各有关金融机构"


@pytest.mark.parametrize(
    ("clause_id", "official"),
    [
        ("nm-2025-15#13", "建立财政科技金融工作协调机制"),
        ("nm-2025-15#15", "。金融机构要落实风险防控主体责任"),
        ("nm-2025-15#3", "内蒙古金融监管局"),
        ("nm-2025-15#12", "积极推动数字赋能金融，鼓励金融机构入驻“蒙科聚”平台"),
        ("sd-2023-155#8", "“孵化+投资”"),
        ("sd-2023-155#16", "“产业认定+科技增信”"),
        ("sd-2023-155#18", "“金融辅导员+科技特派员”"),
        ("sd-2023-155#10", "首次公开发行股票（IPO）"),
        ("sd-2023-155#4", "首台（套）"),
    ],
)
def test_repaired_text_reads_as_official(corpus: Corpus, clause_id: str, official: str) -> None:
    assert official in corpus.clause(clause_id).text


def test_no_stray_spaces_or_ascii_punctuation(corpus: Corpus) -> None:
    for doc in (corpus.document(d) for d in POLICY_DOCS):
        assert not re.search(r"[ ,()\[\]:;]", doc.text), doc.id
    assert "财政金融协同服务" in corpus.document("nm-2025-15").text


def test_each_repair_is_recorded(corpus: Corpus) -> None:
    nm = corpus.document("nm-2025-15")
    dropped_words = [c for c in nm.changes if c.after == "金融"]
    assert len(dropped_words) == 66
    assert all(c.before == " " for c in dropped_words)
    repeated = [c for c in nm.changes if c.after == "" and "关于印发" in c.before]
    assert len(repeated) == 1
    sd = corpus.document("sd-2023-155")
    assert sorted(c.after for c in sd.changes) == ["(IPO)", "产业认定+科技增信", "孵化+投资", "金融辅导员+科技特派员"]
    source = (corpus.root / "documents" / "sd-2023-155.txt").read_text(encoding="utf-8")
    for change in sd.changes:
        assert source[change.offset : change.offset + len(change.before)] == change.before


def test_title_appears_once_and_document_statements_are_kept(corpus: Corpus) -> None:
    nm = corpus.document("nm-2025-15")
    assert nm.text.count("关于印发《") == 1
    closing = corpus.clause("sd-2023-155#closing")
    assert "本措施自2024年1月1日起实施，有效期至2028年12月31日。" in closing.text
    assert "2023年9月28日" in corpus.clause("sd-2023-155#notice").text
    assert "2025年3月26日" in corpus.clause("nm-2025-15#notice").text
    assert corpus.clause("nm-2025-15#preamble").text.startswith("为做好金融“五篇大文章”")


def test_metadata(corpus: Corpus) -> None:
    sd = corpus.document("sd-2023-155")
    assert (sd.doc_number, sd.region, str(sd.issued)) == ("鲁政办字〔2023〕155号", "山东省", "2023-09-28")
    assert (str(sd.in_force.start), str(sd.in_force.end)) == ("2024-01-01", "2028-12-31")
    nm = corpus.document("nm-2025-15")
    assert nm.in_force.end is None and len(nm.issuers) == 6


def test_the_two_policy_documents_parse_exactly_as_before_the_library(corpus: Corpus) -> None:
    """Ids, kinds, headings, texts, sections, units, labels and repairs, hashed as the parser made them before."""
    import hashlib
    import json

    docs = [corpus.document("sd-2023-155"), corpus.document("nm-2025-15")]
    rows: list[list[object]] = [
        [c.id, c.number, c.kind, c.heading, c.text, c.section, [[u.name, u.lead] for u in c.units], c.label]
        for d in sorted(docs, key=lambda d: d.id == "sd-2023-155")
        for c in d.all_clauses
    ]
    rows += [
        [d.id, d.title, d.text, [[x.offset, x.before, x.after, x.why] for x in d.changes]]
        for d in sorted(docs, key=lambda d: d.id == "sd-2023-155")
    ]
    digest = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
    assert digest == "16077a21bb65531e86bde45d5e64c8b5e6b2d6188a78df0f8fdfca5890efe25c"

"""Rendering for the page: user and document text shown as text, answers laid out with collapsible parts."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.rules import RuleBook, calculate, load_rules
from index.corpus import Corpus
from index.model import Clause
from index.search import Hit
from index.settings import PROJECT_ROOT
from web import render

SCRIPT = '<script>alert(1)</script><img src=x onerror="alert(2)">'


@pytest.fixture(scope="module")
def book(corpus: Corpus) -> RuleBook:
    return load_rules(PROJECT_ROOT / "corpus" / "rules", corpus)


@pytest.fixture
def hostile_clause(corpus: Corpus) -> Clause:
    """A real clause whose heading and text carry HTML, as a damaged document might."""
    clause = corpus.clause("sd-2023-155#3")
    return dataclasses.replace(clause, heading=f"担保{SCRIPT}", text=f"{SCRIPT}{clause.text}")


def _answer(**overrides: object) -> dict[str, object]:
    answer: dict[str, object] = {
        "question": "q",
        "in_scope": True,
        "answer": "**结论**：最高可获 **32万元**。\n\n**依据**：某条\n> 原文\n\n**测算过程**\n- 80万元 × 40% = 32万元"
        "\n\n**条件核对**\n- 【待确认】甲\n- 【已满足】乙\n\n**施行期**：某日",
        "citations": [{"clause_id": "sd-2023-155#1", "label": "《文》（号）第（一）条", "quote": "原文"}],
        "calculation": {"conditions": [{"text": "甲", "status": "unknown"}, {"text": "乙", "status": "met"}]},
    }
    answer.update(overrides)
    return answer


# ---------------------------------------------------------------- plain text


def test_text_md_shows_html_and_markdown_as_text() -> None:
    shown = render.text_md(f"{SCRIPT} **粗** [链接](javascript:alert(3)) $x$ 1. 项")
    assert "<" not in shown
    assert "&lt;script&gt;" in shown
    assert "\\*\\*粗\\*\\*" in shown
    assert "\\[链接\\]\\(javascript:alert\\(3\\)\\)" in shown
    assert "\\$x\\$" in shown
    assert "1\\. 项" in shown


def test_text_html_escapes_quotes_too() -> None:
    assert render.text_html('"><b>') == "&quot;&gt;&lt;b&gt;"


def test_neutralize_keeps_markdown_but_not_html() -> None:
    shown = render.neutralize(f"> 引文 {SCRIPT} A&B\n**粗**")
    assert shown.startswith("> 引文 &lt;script>")
    assert "<" not in shown
    assert "A&amp;B" in shown
    assert "**粗**" in shown


# ---------------------------------------------------------------- answers


def test_answer_markdown_folds_steps_and_conditions() -> None:
    shown = render.answer_markdown(_answer())
    assert "<details open><summary>测算过程</summary>\n\n- 80万元 × 40% = 32万元\n\n</details>" in shown
    assert "<details><summary>条件核对（已满足 1 项 · 待确认 1 项）</summary>" in shown
    assert shown.startswith("**结论**：最高可获 **32万元**。")
    assert "\n> 原文" in shown  # the quote stays a quote block
    assert "**施行期**：某日" in shown


def test_answer_markdown_opens_conditions_when_one_is_unmet() -> None:
    calc = {"conditions": [{"text": "甲", "status": "unmet"}]}
    assert "<details open><summary>条件核对（不满足 1 项）</summary>" in render.answer_markdown(
        _answer(calculation=calc)
    )


def test_answer_markdown_links_citations_to_the_lookup_tab() -> None:
    shown = render.answer_markdown(_answer())
    assert "**引用条款**：[《文》（号）第（一）条](?clause=sd-2023-155%231)" in shown


def test_answer_markdown_shows_html_in_an_answer_as_text() -> None:
    shown = render.answer_markdown(_answer(answer=f"**结论**：{SCRIPT}", citations=[], calculation=None))
    assert "<script" not in shown and "<img" not in shown
    assert "&lt;script>" in shown


def test_declined_answer_renders_plainly() -> None:
    shown = render.answer_markdown(_answer(answer="抱歉，超出范围。", in_scope=False, citations=[], calculation=None))
    assert shown == "抱歉，超出范围。"


def test_question_markdown_is_text() -> None:
    assert "<" not in render.question_markdown(SCRIPT)


# ---------------------------------------------------------------- lookup


def test_highlight_marks_words_and_escapes_the_rest() -> None:
    shown = render.highlight(f"鲁科担{SCRIPT}担保", ["担保", "鲁科担", "<script>"])
    assert shown.startswith("<mark>鲁科担</mark>")  # the longer word wins
    assert "<mark>&lt;script&gt;</mark>" in shown
    assert shown.endswith("<mark>担保</mark>")
    assert "<script>" not in shown and "<img" not in shown


def test_highlight_without_words_is_escaped_text() -> None:
    assert render.highlight("<b>x</b>", []) == "&lt;b&gt;x&lt;/b&gt;"


def test_results_show_document_html_as_text(hostile_clause: Clause) -> None:
    hit = Hit(hostile_clause.id, hostile_clause.doc_id, 0.9, f"{SCRIPT}鲁科担", (0, 10), ("鲁科担",))
    shown = render.results_html([hostile_clause], [(hit, hostile_clause)])
    assert "<script" not in shown and "<img" not in shown
    assert "&lt;script&gt;" in shown
    assert "<mark>鲁科担</mark>" in shown
    assert shown.count('data-clause="sd-2023-155#3"') == 2
    assert "编号匹配" in shown and "相关度 0.90" in shown


def test_results_say_when_nothing_was_found() -> None:
    assert "没有找到相关条款" in render.results_html([], [])


def test_shown_sentence_prefers_one_that_holds_a_matched_word(corpus: Corpus) -> None:
    clause = corpus.clause("sd-2023-155#3")
    heading = clause.sentences[0]
    hit = Hit(clause.id, clause.doc_id, 1.0, heading.text, (heading.start, heading.end), ("鲁科担",))
    assert "鲁科担" not in heading.text
    assert "鲁科担" in render.shown_sentence(clause, hit)


def test_clause_card_shows_document_html_as_text(corpus: Corpus, hostile_clause: Clause, book: RuleBook) -> None:
    doc = corpus.document(hostile_clause.doc_id)
    shown = render.clause_html(hostile_clause, doc, book.for_clause(hostile_clause.id))
    assert "<script" not in shown and "<img" not in shown
    assert "sd-2023-155#3" in shown and "牵头单位" in shown and "省科技厅" in shown
    assert "“鲁科担”保费补贴" in shown  # the calculators resting on this clause


def test_outline_lists_clauses_by_section(corpus: Corpus) -> None:
    doc = corpus.document("sd-2023-155")
    shown = render.outline_html(doc)
    assert shown.count('class="pa-link"') == len(doc.clauses)
    assert "构建全省科技担保和保险体系" in shown
    assert "第（三）条" in shown


def test_short_and_number_labels(corpus: Corpus) -> None:
    clause = corpus.clause("sd-2023-155#3")
    assert render.short_label(clause) == "（鲁政办字〔2023〕155号）第（三）条"
    assert render.number_label(clause) == "第（三）条"


# ---------------------------------------------------------------- calculators


def test_calc_markdown_shows_amount_steps_conditions_and_quote(book: RuleBook, corpus: Corpus) -> None:
    rule = book.get("sd-lukedai-interest")
    shown = render.calc_markdown(rule, calculate(rule, {"interest": 800000}), corpus.clause(rule.clause_id))
    assert "最高可获 **32万元**（须满足下列待确认条件）" in shown
    assert "80万元 × 40% = 32万元" in shown
    assert "【待确认】按时还本付息" in shown
    assert f"> {rule.quote}" in shown


def test_calc_conclusion_names_the_party_asked(book: RuleBook) -> None:
    rule = book.get("sd-lukedai-loss")
    result = calculate(rule, {"loss": 1_000_000}, party="市财政")
    assert "市财政承担 **35万元**" in render.calc_conclusion(rule, result, "市财政")
    total = calculate(rule, {"loss": 1_000_000})
    assert "省市财政合计承担 **70万元**" in render.calc_conclusion(rule, total)


def test_calc_conclusion_for_missing_and_ineligible(book: RuleBook) -> None:
    rule = book.get("sd-lukedai-interest")
    assert "请填写所选贷款实际支付利息" in render.calc_conclusion(rule, calculate(rule, {}))
    broken = calculate(rule, {"interest": 800000, "on_time": False})
    assert "**不符合**" in render.calc_conclusion(rule, broken)

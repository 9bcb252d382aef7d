"""Eval metric functions on small hand-made inputs, and the case loader."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.cases import Case, CaseFormatError, case_files, load_cases
from evals.metrics import (
    amount_matches,
    citation_precision,
    hit_at,
    percentile,
    reciprocal_rank,
    score,
    summarise,
)


def _case(**overrides: object) -> Case:
    fields: dict[str, object] = {
        "id": "c1",
        "question": "鲁科贷利息80万能贴多少",
        "expected_clauses": ("sd-2023-155#1",),
        "kind": "calc",
        "expected_amount_yuan": 320000,
        "expect_refusal": False,
        "answer_must_contain": ("32万元",),
    }
    fields.update(overrides)
    return Case(**fields)  # type: ignore[arg-type]


def _answer(in_scope: bool = True, amount: float | None = 320000, eligible: bool | None = True) -> dict:
    return {
        "in_scope": in_scope,
        "answer": "可贴息 **32万元**",
        "citations": [{"clause_id": "sd-2023-155#1", "quote": "最高贴息50万元"}] if in_scope else [],
        "calculation": {"amount": amount, "eligible": eligible} if in_scope else None,
    }


def _text(clause_id: str) -> str | None:
    return "单个企业最高贴息50万元。" if clause_id == "sd-2023-155#1" else None


def test_ranking_metrics() -> None:
    assert reciprocal_rank(["a", "b", "c"], ["c"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(["a"] * 11 + ["c"], ["c"]) == 0.0
    assert hit_at(["a", "b", "c"], ["c", "x"], 3) and not hit_at(["a", "b", "c"], ["c"], 2)
    assert citation_precision(["a", "b"], ["a"]) == 0.5
    assert citation_precision([], ["a"]) is None


def test_amount_tolerance_is_half_a_yuan() -> None:
    assert amount_matches(320000.4, 320000) and not amount_matches(320000.6, 320000)
    assert not amount_matches(None, 0)


def test_a_right_answer_scores_plus_one() -> None:
    outcome = score(_case(), _answer(), ["sd-2023-155#1"], _text, 0.01)
    assert (outcome.hit1, outcome.amount_ok, outcome.must_contain_ok, outcome.quotes_faithful) == (True,) * 4
    assert outcome.crag == 1


def test_a_wrong_amount_scores_minus_one_and_a_refusal_zero() -> None:
    assert score(_case(), _answer(amount=500000), ["sd-2023-155#1"], _text, 0.01).crag == -1
    assert score(_case(), _answer(in_scope=False), [], _text, 0.01).crag == 0


def test_an_amount_labelled_as_the_total_reads_the_answers_total() -> None:
    """A case whose amount is the total of several measures (the labelling guide) reads the answer's total,
    its first measure otherwise."""
    answer = {**_answer(amount=320000), "total": {"amount": 470000}}
    summed = _case(expected_amount_yuan=470000, expected_total_yuan=470000)
    assert score(summed, answer, ["sd-2023-155#1"], _text, 0.01).amount_ok
    first = _case(expected_amount_yuan=320000, expected_total_yuan=470000)
    assert score(first, answer, ["sd-2023-155#1"], _text, 0.01).amount_ok
    assert not score(summed, _answer(amount=320000), ["sd-2023-155#1"], _text, 0.01).amount_ok


def test_out_of_scope_cases() -> None:
    case = _case(kind="out_of_scope", expected_clauses=(), expected_amount_yuan=None, expect_refusal=True,
                 answer_must_contain=())
    assert score(case, _answer(in_scope=False), [], _text, 0.01).crag == 1
    assert score(case, _answer(), ["sd-2023-155#1"], _text, 0.01).crag == -1


def test_ineligible_detection_and_unfaithful_quote() -> None:
    case = _case(kind="ineligible", expected_amount_yuan=None, answer_must_contain=())
    answer = _answer(amount=0, eligible=False)
    answer["citations"] = [{"clause_id": "sd-2023-155#1", "quote": "最高贴息60万元"}]
    outcome = score(case, answer, ["sd-2023-155#1"], _text, 0.01)
    assert outcome.ineligible_ok is True and outcome.quotes_faithful is False


def test_summary_rates() -> None:
    out_case = _case(kind="out_of_scope", expected_clauses=(), expected_amount_yuan=None, expect_refusal=True,
                     answer_must_contain=())
    outcomes = [
        score(_case(), _answer(), ["sd-2023-155#1"], _text, 0.010),
        score(_case(), _answer(in_scope=False), [], _text, 0.030),
        score(out_case, _answer(in_scope=False), [], _text, 0.020),
    ]
    summary = summarise(outcomes)
    assert summary.refusal_rate == 1.0
    assert summary.false_refusal_rate == 0.5
    assert summary.hit1 == 0.5  # the refused in-scope case has no ranking
    assert summary.latency_p50_ms == 20.0 and summary.latency_p95_ms == 30.0
    assert percentile([], 50) != percentile([], 50)  # nan


def test_loader_rejects_a_malformed_line_with_its_number(tmp_path: Path) -> None:
    good = '{"question": "q", "expected_clauses": [], "kind": "lookup", "expected_amount_yuan": null, ' \
        '"expect_refusal": false, "answer_must_contain": []}'
    path = tmp_path / "cases.jsonl"
    path.write_text(good + "\n" + good.replace('"lookup"', '"guess"') + "\n", encoding="utf-8")
    with pytest.raises(CaseFormatError, match=r"cases\.jsonl:2: kind must be one of"):
        load_cases(path)
    path.write_text(good + "\n\n{broken\n", encoding="utf-8")
    with pytest.raises(CaseFormatError, match=r"cases\.jsonl:3: not valid JSON"):
        load_cases(path)
    path.write_text(good.replace('"kind": "lookup", ', ""), encoding="utf-8")
    with pytest.raises(CaseFormatError, match=r"cases\.jsonl:1: missing kind"):
        load_cases(path)


def test_public_cases_load() -> None:
    files = case_files(Path(__file__).parent.parent / "evals" / "cases")
    cases = [c for f in files for c in load_cases(f)]
    assert len(cases) >= 500
    assert {c.split for c in cases} == {"dev", "test"}
    repeated = [i for i, n in Counter(c.id for c in cases).items() if n > 1]
    assert not repeated, f"case ids name one case each across all files (reports and tests key on them): {repeated[:5]}"
    blind = [c for c in cases if c.id.startswith("b")]
    assert len(blind) >= 200 and {c.style for c in blind} >= {"colloquial", "plain", "noisy"}

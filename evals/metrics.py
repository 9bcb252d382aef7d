"""Metric functions over one answer (as ``Answer.to_dict()``) and the case it answers."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from evals.cases import Case

AMOUNT_TOLERANCE_YUAN = 0.5


@dataclass(frozen=True)
class Outcome:
    """What one case scored; None where a metric does not apply to the case."""

    case: Case
    ranking: tuple[str, ...]  # clause ids, best first
    refused: bool
    hit1: bool | None
    hit3: bool | None
    reciprocal_rank: float | None
    citation_precision: float | None
    quotes_faithful: bool | None
    amount_ok: bool | None
    ineligible_ok: bool | None
    must_contain_ok: bool | None
    amount_null_ok: bool | None  # no amount given where the right answer asks first
    all_cited_ok: bool | None  # every clause of expected_clauses_all cited
    total_ok: bool | None  # the total over several measures
    low_confidence: bool
    got_amount: float | None
    seconds: float

    @property
    def crag(self) -> int:
        """+1 right, 0 declined, -1 wrong (CRAG-style)."""
        if not self.case.in_scope:
            return 1 if self.refused else -1
        if self.refused:
            return 0
        checks = (
            self.hit1,
            self.amount_ok,
            self.ineligible_ok,
            self.must_contain_ok,
            self.amount_null_ok,
            self.all_cited_ok,
            self.total_ok,
        )
        return 1 if all(c is not False for c in checks) else -1


def reciprocal_rank(ranking: Sequence[str], expected: Sequence[str], depth: int = 10) -> float:
    for rank, clause_id in enumerate(ranking[:depth], start=1):
        if clause_id in expected:
            return 1.0 / rank
    return 0.0


def hit_at(ranking: Sequence[str], expected: Sequence[str], k: int) -> bool:
    return any(c in expected for c in ranking[:k])


def citation_precision(cited: Sequence[str], expected: Sequence[str]) -> float | None:
    if not cited:
        return None
    return sum(c in expected for c in cited) / len(cited)


def amount_matches(got: float | None, expected: float) -> bool:
    return got is not None and abs(got - expected) <= AMOUNT_TOLERANCE_YUAN


def score(
    case: Case, answer: dict, ranking: Sequence[str], clause_text: Callable[[str], str | None], seconds: float
) -> Outcome:
    """Score one answer. ``clause_text(id)`` gives the repaired clause text (None if unknown)."""
    refused = not answer["in_scope"]
    citations = answer["citations"]
    calculation = answer["calculation"] or {}
    expected = case.expected_clauses
    ranked = case.in_scope and bool(expected)
    got_amount = calculation.get("amount")
    total = (answer.get("total") or {}).get("amount")
    # A case labelling its amount as the total of several measures (the labelling guide's rule) reads the
    # answer's total, not its first measure.
    as_total = case.expected_total_yuan is not None and case.expected_amount_yuan == case.expected_total_yuan
    headline = total if as_total and answer.get("total") else got_amount
    cited = [c["clause_id"] for c in citations]
    return Outcome(
        case=case,
        ranking=tuple(ranking),
        refused=refused,
        hit1=hit_at(ranking, expected, 1) if ranked else None,
        hit3=hit_at(ranking, expected, 3) if ranked else None,
        reciprocal_rank=reciprocal_rank(ranking, expected) if ranked else None,
        citation_precision=citation_precision(cited, expected) if ranked else None,
        quotes_faithful=all(_faithful(c, clause_text) for c in citations) if citations else None,
        amount_ok=amount_matches(headline, case.expected_amount_yuan)
        if case.expected_amount_yuan is not None
        else None,
        ineligible_ok=(calculation.get("eligible") is False) if case.kind == "ineligible" else None,
        must_contain_ok=all(s in answer["answer"] for s in case.answer_must_contain)
        if case.answer_must_contain
        else None,
        amount_null_ok=(got_amount is None or calculation.get("eligible") is False)
        if case.expect_amount_null and case.in_scope
        else None,
        all_cited_ok=set(case.expected_clauses_all) <= set(cited) if case.expected_clauses_all else None,
        total_ok=amount_matches(total, case.expected_total_yuan)
        if case.expected_total_yuan is not None
        else None,
        low_confidence=answer.get("confidence") == "low",
        got_amount=got_amount,
        seconds=seconds,
    )


def _faithful(citation: dict, clause_text: Callable[[str], str | None]) -> bool:
    text = clause_text(citation["clause_id"])
    return text is not None and bool(citation["quote"]) and citation["quote"] in text


@dataclass(frozen=True)
class Summary:
    cases: int
    hit1: float
    hit1_colloquial: float
    hit3: float
    mrr10: float
    citation_precision: float
    quote_fidelity: float
    amount_exact: float
    ineligible_detected: float
    refusal_rate: float  # on out-of-scope cases: higher is better
    false_refusal_rate: float  # on in-scope cases: lower is better
    must_contain: float
    amount_withheld: float  # where the right answer asks first: no amount given
    all_cited: float
    total_exact: float
    low_confidence_rate: float  # in-scope answers offered as "possibly related"
    crag: float
    latency_p50_ms: float
    latency_p95_ms: float


def summarise(outcomes: Sequence[Outcome]) -> Summary:
    def mean(values: list[float | bool | None]) -> float:
        present = [float(v) for v in values if v is not None]
        return round(statistics.fmean(present), 4) if present else float("nan")

    in_scope = [o for o in outcomes if o.case.in_scope]
    out_scope = [o for o in outcomes if not o.case.in_scope]
    millis = sorted(o.seconds * 1000 for o in outcomes)
    return Summary(
        cases=len(outcomes),
        hit1=mean([o.hit1 for o in outcomes]),
        hit1_colloquial=mean([o.hit1 for o in outcomes if o.case.style == "colloquial"]),
        hit3=mean([o.hit3 for o in outcomes]),
        mrr10=mean([o.reciprocal_rank for o in outcomes]),
        citation_precision=mean([o.citation_precision for o in outcomes]),
        quote_fidelity=mean([o.quotes_faithful for o in outcomes]),
        amount_exact=mean([o.amount_ok for o in outcomes]),
        ineligible_detected=mean([o.ineligible_ok for o in outcomes]),
        refusal_rate=mean([o.refused for o in out_scope]),
        false_refusal_rate=mean([o.refused for o in in_scope]),
        must_contain=mean([o.must_contain_ok for o in outcomes]),
        amount_withheld=mean([o.amount_null_ok for o in outcomes]),
        all_cited=mean([o.all_cited_ok for o in outcomes]),
        total_exact=mean([o.total_ok for o in outcomes]),
        low_confidence_rate=mean([o.low_confidence for o in in_scope if not o.refused]),
        crag=mean([o.crag for o in outcomes]),
        latency_p50_ms=round(percentile(millis, 50), 1),
        latency_p95_ms=round(percentile(millis, 95), 1),
    )


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values (nan when empty)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]

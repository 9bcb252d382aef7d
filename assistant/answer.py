"""The answer contract: ``Answer.to_dict()`` is the JSON shape of DESIGN.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.rules import CalcResult, json_number


@dataclass(frozen=True)
class Citation:
    clause_id: str
    doc_id: str
    label: str
    quote: str  # verbatim part of the repaired clause text
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "clause_id": self.clause_id,
            "doc_id": self.doc_id,
            "label": self.label,
            "quote": self.quote,
            "score": self.score,
        }


@dataclass(frozen=True)
class Total:
    """The sum of several measures' amounts, and the measures left out of it with why."""

    amount: float | None
    unit: str
    rule_ids: tuple[str, ...]
    excluded: tuple[tuple[str, str], ...]  # (rule id, why)

    def to_dict(self) -> dict[str, Any]:
        return {
            "amount": json_number(self.amount),
            "unit": self.unit,
            "rule_ids": list(self.rule_ids),
            "excluded": [{"rule_id": r, "why": why} for r, why in self.excluded],
        }


@dataclass(frozen=True)
class Answer:
    question: str
    in_scope: bool
    answer: str  # markdown, in Chinese
    citations: tuple[Citation, ...]  # best first
    calculations: tuple[CalcResult, ...]  # one per measure computed, in the order the answer gives them
    follow_up: str | None  # the question back to the user when an input is missing
    confidence: str = "high"  # "low": the best clauses are offered as possibly related, not as the answer
    related: tuple[Citation, ...] = ()  # nearest clauses offered beside a declined or uncovered question
    total: Total | None = None
    guard_dropped: tuple[str, ...] = ()  # numbers the guard removed (not part of the JSON contract)

    @property
    def calculation(self) -> CalcResult | None:
        return self.calculations[0] if self.calculations else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "in_scope": self.in_scope,
            "confidence": self.confidence,
            "answer": self.answer,
            "citations": [c.to_dict() for c in self.citations],
            "related": [c.to_dict() for c in self.related],
            "calculation": self.calculation.to_dict() if self.calculation else None,
            "calculations": [c.to_dict() for c in self.calculations],
            "total": self.total.to_dict() if self.total else None,
            "follow_up": self.follow_up,
        }

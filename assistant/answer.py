"""The answer contract: ``Answer.to_dict()`` is the JSON shape of DESIGN.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.rules import CalcResult


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
class Answer:
    question: str
    in_scope: bool
    answer: str  # markdown, in Chinese
    citations: tuple[Citation, ...]  # best first
    calculation: CalcResult | None
    follow_up: str | None  # the question back to the user when an input is missing
    guard_dropped: tuple[str, ...] = ()  # numbers the guard removed (not part of the JSON contract)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "in_scope": self.in_scope,
            "answer": self.answer,
            "citations": [c.to_dict() for c in self.citations],
            "calculation": self.calculation.to_dict() if self.calculation else None,
            "follow_up": self.follow_up,
        }

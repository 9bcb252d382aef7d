"""Policy-matching cases (``evals/profiles/<split>/*.jsonl``): a profile in, the measures by status out.

A case: {"id", "profile": {"subject", "region", "stage", "facts": {said: value}, "on"}, "expected_eligible",
"expected_to_confirm", "expected_not_eligible", "expected_no_amount" (rule ids, or clause ids for measures
without a rule), "expected_total_yuan"}. The facts are written as a hotline fills a form; they reach
``Assistant.match`` as plain words ("是否按时还本付息：是" → "按时还本付息", "否" → "没有…").
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant import Assistant
from assistant.match import ELIGIBLE, NO_AMOUNT, NOT_ELIGIBLE, STATUSES, TO_CONFIRM
from evals.cases import SPLITS, CaseFormatError
from evals.metrics import AMOUNT_TOLERANCE_YUAN

_EXPECTED = {
    ELIGIBLE: "expected_eligible",
    TO_CONFIRM: "expected_to_confirm",
    NOT_ELIGIBLE: "expected_not_eligible",
    NO_AMOUNT: "expected_no_amount",
}
_YES, _NO = ("是", "有", "true", "True", "yes"), ("否", "没有", "无", "false", "False", "no")


@dataclass(frozen=True)
class ProfileCase:
    id: str
    split: str
    profile: Mapping[str, object]  # as Assistant.match takes it
    expected: Mapping[str, frozenset[str]]  # status → ids
    expected_total_yuan: float | None


@dataclass(frozen=True)
class ProfileOutcome:
    case: ProfileCase
    got: Mapping[str, frozenset[str]]
    got_total: float | None

    @property
    def recall(self) -> float | None:
        wanted = frozenset().union(*self.case.expected.values())
        return len(wanted & self._listed) / len(wanted) if wanted else None

    @property
    def precision(self) -> float | None:
        wanted = frozenset().union(*self.case.expected.values())
        return len(wanted & self._listed) / len(self._listed) if self._listed else None

    @property
    def status_agreement(self) -> float | None:
        """Of the measures both list, the share given the same status."""
        both = [i for s in STATUSES for i in self.case.expected[s] if i in self._listed]
        same = [i for s in STATUSES for i in self.case.expected[s] if i in self.got[s]]
        return len(same) / len(both) if both else None

    @property
    def broken_listed_eligible(self) -> bool:
        return bool(self.case.expected[NOT_ELIGIBLE] & self.got[ELIGIBLE])

    @property
    def total_ok(self) -> bool | None:
        expected = self.case.expected_total_yuan
        if expected is None:
            return None
        return self.got_total is not None and abs(self.got_total - expected) <= AMOUNT_TOLERANCE_YUAN

    @property
    def _listed(self) -> frozenset[str]:
        return frozenset().union(*self.got.values())


def profile_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.jsonl"))


def load_profile_cases(path: Path) -> list[ProfileCase]:
    split = path.parent.name if path.parent.name in SPLITS else ""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
            raw = data["profile"]
            expected = {s: frozenset(data.get(key, [])) for s, key in _EXPECTED.items()}
            total = data.get("expected_total_yuan")
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise CaseFormatError(f"{where}: not a profile case ({err})") from None
        profile = {
            "subject": raw.get("subject"),
            "region": raw.get("region"),
            "stage": raw.get("stage"),
            "description": facts_as_words(raw.get("facts") or {}),
            "on": raw.get("on"),
        }
        cases.append(ProfileCase(str(data.get("id") or where), split, profile, expected, total))
    return cases


def facts_as_words(facts: Mapping[str, object]) -> str:
    """Form answers as a sentence the assistant reads: yes/no answers become the fact or its denial."""
    said = []
    for key, value in facts.items():
        fact = str(key).removeprefix("是否")
        shown = str(value).strip()
        if shown in _YES:
            said.append(fact)
        elif shown in _NO:
            said.append(f"没有{fact}")
        else:
            said.append(f"{fact}{shown}")
    return "；".join(said)


def run_profiles(assistant: Assistant, cases: Sequence[ProfileCase]) -> list[ProfileOutcome]:
    outcomes = []
    for case in cases:
        result = assistant.match(case.profile)
        got = {s: frozenset(i.rule.id if i.rule else i.clause.id for i in result.group(s)) for s in STATUSES}
        outcomes.append(ProfileOutcome(case, got, result.total.amount))
    return outcomes


def summarise_profiles(outcomes: Sequence[ProfileOutcome]) -> dict[str, float | int]:
    def mean(values: list[float | bool | None]) -> float:
        present = [float(v) for v in values if v is not None]
        return round(statistics.fmean(present), 4) if present else float("nan")

    return {
        "profiles": len(outcomes),
        "measures recall": mean([o.recall for o in outcomes]),
        "measures precision": mean([o.precision for o in outcomes]),
        "same status": mean([o.status_agreement for o in outcomes]),
        "broken condition listed eligible": sum(o.broken_listed_eligible for o in outcomes),
        "total exact": mean([o.total_ok for o in outcomes]),
    }

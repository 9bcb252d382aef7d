"""Eval case files (JSON Lines, the format of DESIGN.md "Eval cases")."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

CASES_DIR = Path(__file__).resolve().parent / "cases"
KINDS = ("lookup", "calc", "ineligible", "out_of_scope", "validity", "followup")
_REQUIRED = ("question", "expected_clauses", "kind", "expected_amount_yuan", "expect_refusal", "answer_must_contain")


class CaseFormatError(ValueError):
    """A case line is malformed; the message names the file and the line."""


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    expected_clauses: tuple[str, ...]
    kind: str
    expected_amount_yuan: float | None
    expect_refusal: bool
    answer_must_contain: tuple[str, ...]
    turns: tuple[str, ...] = ()  # later user turns of a multi-turn case; the last answer is scored

    @property
    def in_scope(self) -> bool:
        return not self.expect_refusal


def case_files(folder: Path = CASES_DIR) -> list[Path]:
    """Every case file under ``folder``, subfolders included (dev/, test/ …)."""
    return sorted(folder.rglob("*.jsonl"))


def load_cases(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            cases.append(_parse(line, f"{path}:{number}"))
    return cases


def _parse(line: str, where: str) -> Case:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as err:
        raise CaseFormatError(f"{where}: not valid JSON ({err.msg})") from None
    if not isinstance(data, dict):
        raise CaseFormatError(f"{where}: a case must be a JSON object")
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise CaseFormatError(f"{where}: missing {', '.join(missing)}")
    checks = [
        (isinstance(data["question"], str) and data["question"].strip() != "", "question must be a non-empty string"),
        (_strings(data["expected_clauses"]), "expected_clauses must be a list of clause ids"),
        (data["kind"] in KINDS, f"kind must be one of {', '.join(KINDS)}"),
        (
            data["expected_amount_yuan"] is None
            or (
                isinstance(data["expected_amount_yuan"], int | float)
                and not isinstance(data["expected_amount_yuan"], bool)
            ),
            "expected_amount_yuan must be a number or null",
        ),
        (isinstance(data["expect_refusal"], bool), "expect_refusal must be true or false"),
        (_strings(data["answer_must_contain"]), "answer_must_contain must be a list of strings"),
        (_strings(data.get("turns", [])), "turns must be a list of strings"),
    ]
    for ok, message in checks:
        if not ok:
            raise CaseFormatError(f"{where}: {message}")
    return Case(
        id=str(data.get("id") or where),
        question=data["question"],
        expected_clauses=tuple(data["expected_clauses"]),
        kind=data["kind"],
        expected_amount_yuan=data["expected_amount_yuan"],
        expect_refusal=data["expect_refusal"],
        answer_must_contain=tuple(data["answer_must_contain"]),
        turns=tuple(data.get("turns", [])),
    )


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)

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
    expected_clauses_all: tuple[str, ...] = ()  # a complete answer cites every one of these
    expect_amount_null: bool = False  # a right answer gives no computed amount (an input missing or unclear)
    expected_total_yuan: float | None = None  # the total over several measures a right answer gives
    style: str = ""  # colloquial | plain | noisy, where the case file says
    split: str = ""  # dev | test: the folder the file is in

    @property
    def in_scope(self) -> bool:
        return not self.expect_refusal


SPLITS = ("dev", "test")


def load_cases(path: Path) -> list[Case]:
    """The cases of one file; a file under a ``dev`` or ``test`` folder gives its cases that split."""
    split = path.parent.name if path.parent.name in SPLITS else ""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            cases.append(_parse(line, f"{path}:{number}", split))
    return cases


def case_files(root: Path = CASES_DIR) -> list[Path]:
    """Every case file under ``root``, the dev and test folders included."""
    return sorted(root.rglob("*.jsonl"))


def _parse(line: str, where: str, split: str = "") -> Case:
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
            data["expected_amount_yuan"] is None or _number(data["expected_amount_yuan"]),
            "expected_amount_yuan must be a number or null",
        ),
        (isinstance(data["expect_refusal"], bool), "expect_refusal must be true or false"),
        (_strings(data["answer_must_contain"]), "answer_must_contain must be a list of strings"),
        (_strings(data.get("turns", [])), "turns must be a list of strings"),
        (_strings(data.get("expected_clauses_all", [])), "expected_clauses_all must be a list of clause ids"),
        (isinstance(data.get("expect_amount_null", False), bool), "expect_amount_null must be true or false"),
        (
            data.get("expected_total_yuan") is None or _number(data["expected_total_yuan"]),
            "expected_total_yuan must be a number or null",
        ),
        (isinstance(data.get("style", ""), str), "style must be a string"),
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
        expected_clauses_all=tuple(data.get("expected_clauses_all", [])),
        expect_amount_null=data.get("expect_amount_null", False),
        expected_total_yuan=data.get("expected_total_yuan"),
        style=data.get("style", ""),
        split=split,
    )


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)

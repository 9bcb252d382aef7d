"""The benchmark's REST part: unique questions for the uncached rows, and a failing exit on any error."""

from __future__ import annotations

import pytest

from bench.rest import LoadRow, unique_tag
from bench.run import rest_exit_code


def test_unique_tags_never_repeat_and_carry_no_number_or_term() -> None:
    tags = [unique_tag(n) for n in range(20_000)]
    assert len(set(tags)) == len(tags)
    assert all(t.startswith("（") and t.endswith("）") and t[1:-1].isascii() and t[1:-1].isalpha() for t in tags)


def test_any_rest_error_fails_the_benchmark(capsys: pytest.CaptureFixture[str]) -> None:
    clean = LoadRow("ask", 8, 100, 50.0, 0, {})
    assert rest_exit_code([clean]) == 0
    broken = LoadRow("ask-uncached", 32, 100, 40.0, 3, {"HTTP 500": 2, "ReadTimeout": 1})
    assert rest_exit_code([clean, broken]) == 1
    said = capsys.readouterr().err
    assert "ask-uncached at 32 clients: 3 of 100" in said and "HTTP 500: 2" in said and "ReadTimeout: 1" in said

"""The benchmark's REST part: unique questions for the uncached rows, and a failing exit on any error;
the rendering of the vector-store and worker sections."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from bench.rest import LoadRow, as_dicts, unique_tag
from bench.run import rest_exit_code, vector_stores_section, workers_section
from bench.vectors import StoreRow


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


def test_the_vector_store_and_workers_sections_render_every_row() -> None:
    store = StoreRow("milvus-lite", 1_000_000, "HNSW", 812.4, 3.1, 41.2, 60.5, 2210.0, 3500.2, 2600.0)
    lines = vector_stores_section([asdict(store)])
    assert lines[-1] == "| milvus-lite | 1000000 | HNSW | 812.4 | 3.1 | 41.2 | 60.5 | 2210.0 | 3500.2 | 2600.0 |"
    one = LoadRow("ask-uncached", 32, 400, 26.5, 0, {}, 1100.0, 2100.0, 15.1, workers=1)
    two = LoadRow("ask-uncached", 32, 420, 27.9, 2, {"HTTP 503": 2}, 1050.0, 2300.0, 15.0, workers=2)
    text = "\n".join(workers_section(as_dicts([one, two]), cpus=2))
    assert "on a fresh app with 1 and 2 worker processes sharing the port, on 2 CPUs" in text
    assert "| 1 | 32 | 15.1 | 400 | 26.5 | 1100.0 | 2100.0 | 0 |" in text
    assert "| 2 | 32 | 15.0 | 420 | 27.9 | 1050.0 | 2300.0 | 2 (HTTP 503: 2) |" in text


def test_an_error_on_several_workers_names_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert rest_exit_code([LoadRow("ask-uncached", 32, 90, 6.0, 1, {"ReadTimeout": 1}, workers=2)]) == 1
    assert "ask-uncached at 32 clients on 2 app processes: 1 of 90" in capsys.readouterr().err

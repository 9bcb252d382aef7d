"""Hostile input, random input, and an index build killed midway."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import Assistant, InputError
from assistant.understand import Reader
from index.settings import PROJECT_ROOT, Settings
from index.store import MANIFEST, open_index


@pytest.fixture(scope="module")
def assistant(built_cache: Path, make_settings: Callable[..., Settings]) -> Assistant:
    return Assistant.load(make_settings(cache_dir=built_cache))


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_understanding_never_fails(reader: Reader, text: str) -> None:
    u = reader.read(text)
    assert all(q.value >= 0 for q in u.quantities)


@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=200))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_question_is_answered_or_refused_cleanly(assistant: Assistant, text: str) -> None:
    try:
        answer = assistant.ask(text)
    except InputError:
        return
    assert isinstance(answer.to_dict()["answer"], str)


@pytest.mark.parametrize(
    "question",
    [
        "<script>alert('x')</script>鲁科贷利息80万能贴多少",
        "<img src=x onerror=alert(1)>担保费补贴",
        "鲁科贷😀😀利息８０万元能贴多少？",  # emoji and full-width digits
        "魯科貸實際支付利息80萬元，能貼息多少？",  # traditional characters
        "\x00\x01鲁科保\x7f保费",
        "'; DROP TABLE clauses; --",
        "鲁科贷" * 160,  # 480 characters, under the limit
    ],
)
def test_hostile_input_is_answered_or_refused(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert "<script" not in answer.answer and "onerror" not in answer.answer


def test_full_width_digits_are_read(assistant: Assistant) -> None:
    assert assistant.ask("鲁科贷利息８０万元能贴多少？").calculation.amount == 320000  # type: ignore[union-attr]


@pytest.mark.parametrize("question", ["贴" * 100_000, "鲁科贷\n" * 200])
def test_huge_input_is_a_clear_error(assistant: Assistant, question: str) -> None:
    with pytest.raises(InputError, match="问题过长"):
        assistant.ask(question)


def test_binary_input_is_a_clear_error(assistant: Assistant) -> None:
    with pytest.raises(InputError):
        assistant.ask(b"\x89PNG\r\n\x1a\n")  # type: ignore[arg-type]


@pytest.mark.slow
def test_build_killed_midway_then_next_start_recovers(
    fresh_cache: Path, make_settings: Callable[..., Settings]
) -> None:
    """Kill `policy-assistant build` while it embeds; the next start rebuilds and answers correctly."""
    (fresh_cache / "embeddings").rename(fresh_cache / "embeddings.away")  # force slow embedding
    env = {**os.environ, "POLICY_ASSISTANT_CACHE_DIR": str(fresh_cache)}
    build = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "build"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(4)  # loading done, embedding under way
    build.send_signal(signal.SIGKILL)
    build.wait()
    # Simulate the worst moment as well: the manifest of the old index gone.
    (fresh_cache / "index" / MANIFEST).unlink()
    messages: list[str] = []
    index = open_index(make_settings(cache_dir=fresh_cache), log=messages.append)
    assert len(messages) == 1 and "正在重建" in messages[0]
    assert index.search("鲁科贷贴息", k=1)[0].clause_id == "sd-2023-155#1"

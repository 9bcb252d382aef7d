"""The number guard: every number in an answer must come from a source the answer rests on.

Sources are the quoted clause sentences, the calculation (inputs, steps, amounts) and document
metadata (文号, dates, clause ids). A number anywhere else was invented: the line holding it is
dropped before the answer is returned.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@functools.lru_cache(maxsize=4096)  # the same clause texts are sources of every line checked
def numbers_in(text: str) -> frozenset[str]:
    return frozenset(_canonical(n) for n in _NUMBER.findall(text))


def unsupported_numbers(answer: str, sources: Iterable[str]) -> list[str]:
    """Numbers of ``answer`` that appear in none of ``sources`` (in order, without repeats)."""
    allowed: set[str] = set()
    for source in sources:
        allowed |= numbers_in(source)
    seen: list[str] = []
    for raw in _NUMBER.findall(answer):
        number = _canonical(raw)
        if number not in allowed and number not in seen:
            seen.append(number)
    return seen


def enforce(answer: str, sources: Iterable[str]) -> tuple[str, list[str]]:
    """Drop every line holding an unsupported number; returns the kept text and the numbers dropped."""
    sources = list(sources)
    kept, dropped = [], []
    for line in answer.split("\n"):
        bad = unsupported_numbers(line, sources)
        if bad:
            dropped += bad
        else:
            kept.append(line)
    return "\n".join(kept), dropped


def _canonical(number: str) -> str:
    """``30.0`` and ``30`` are the same number; ``0.50`` and ``0.5`` too."""
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return number.lstrip("0") or "0"

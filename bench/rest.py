"""REST throughput on loopback: answers/s and errors at each client count, on a fresh `python app.py`.

Each endpoint runs twice: with the eval questions repeated (the assistant caches query vectors, so a
repeat skips the embedding) and with every question made unique by a suffix of consonants in brackets
(``（tfvc）``: no number, no term, no region; on the public questions it changes 2 of 262 answers' amount,
first clause or scope), which measures the uncached cost a stream of new users pays.

``workers_load`` runs the uncached asks alone on `python app.py --workers N` for each N.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass

import httpx

from evals.metrics import percentile
from web.process import running_app

_LETTERS = "bcdfghjkmnpqrstvwxz"
ENDPOINTS = ("ask", "ask-uncached", "search", "search-uncached")


@dataclass(frozen=True)
class LoadRow:
    endpoint: str
    clients: int
    requests: int
    per_second: float  # answered with 200, per second of wall time
    errors: int
    error_kinds: dict[str, int]  # "HTTP 500", "ReadTimeout" … → count
    p50_ms: float = 0.0  # of the requests answered with 200
    p95_ms: float = 0.0
    seconds: float = 0.0  # wall time of the run
    workers: int = 1  # app processes serving the port


def unique_tag(n: int) -> str:
    """A distinct bracketed consonant tag for each n (19⁴ before any repeats)."""
    letters = []
    for _ in range(4):
        n, digit = divmod(n, len(_LETTERS))
        letters.append(_LETTERS[digit])
    return f"（{''.join(letters)}）"


def rest_load(levels: Sequence[int], seconds: float, max_requests: int, questions: Sequence[str]) -> list[LoadRow]:
    """Every endpoint at every client count, each run bounded in time and in requests."""
    tags = itertools.count()  # one counter for the whole run: no uncached question is ever asked twice
    with running_app() as base:
        _warm(base, questions)
        return [
            _level(base, endpoint, clients, seconds, max_requests, _questions(endpoint, questions, tags))
            for clients in levels
            for endpoint in ENDPOINTS
        ]


def workers_load(
    counts: Sequence[int], clients: int, seconds: float, max_requests: int, questions: Sequence[str]
) -> list[LoadRow]:
    """Uncached asks at ``clients`` clients on a fresh `python app.py --workers N` for each N in ``counts``.

    A short run first, not counted, so that every worker has answered before the clock starts.
    """
    tags = itertools.count(100_000)  # apart from rest_load's tags: no question of the whole bench repeats
    rows = []
    for n in counts:
        with running_app(args=["--workers", str(n)]) as base:
            ask = _questions("ask-uncached", questions, tags)
            _level(base, "ask-uncached", clients, min(3.0, seconds), max_requests, ask)
            row = _level(base, "ask-uncached", clients, seconds, max_requests, ask)
        rows.append(dataclasses.replace(row, workers=n))
    return rows


def _warm(base: str, questions: Sequence[str]) -> None:
    """Every question asked and searched once, so that the repeated rows measure what they say."""
    with httpx.Client(base_url=base, timeout=30) as http:
        for q in dict.fromkeys(q[:480] for q in questions):
            http.post("/api/ask", json={"question": q})
            http.get("/api/search", params={"q": q, "k": 5})


def _questions(endpoint: str, questions: Sequence[str], tags: Iterator[int]) -> Callable[[int], str]:
    if endpoint.endswith("-uncached"):
        return lambda i: questions[i % len(questions)][:480] + unique_tag(next(tags))
    return lambda i: questions[i % len(questions)][:480]


def _level(
    base: str, endpoint: str, clients: int, seconds: float, max_requests: int, question: Callable[[int], str]
) -> LoadRow:
    lock = threading.Lock()
    sent = Counter[str]()
    answered: list[float] = []  # ms
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            i = offset
            while time.perf_counter() < deadline:
                with lock:
                    if sent.total() >= max_requests:
                        return
                    q = question(i)  # under the lock: the tag counter is shared
                i += clients
                asked = time.perf_counter()
                try:
                    if endpoint.startswith("ask"):
                        r = http.post("/api/ask", json={"question": q})
                    else:
                        r = http.get("/api/search", params={"q": q, "k": 5})
                    outcome = "ok" if r.status_code == 200 else f"HTTP {r.status_code}"
                except httpx.HTTPError as err:
                    outcome = type(err).__name__
                with lock:
                    sent[outcome] += 1
                    if outcome == "ok":
                        answered.append((time.perf_counter() - asked) * 1000)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    errors = {kind: n for kind, n in sent.items() if kind != "ok"}
    return LoadRow(
        endpoint=endpoint,
        clients=clients,
        requests=sent.total(),
        per_second=round(sent["ok"] / elapsed, 1),
        errors=sum(errors.values()),
        error_kinds=errors,
        p50_ms=round(percentile(sorted(answered), 50), 1),
        p95_ms=round(percentile(sorted(answered), 95), 1),
        seconds=round(elapsed, 1),
    )


def as_dicts(rows: Sequence[LoadRow]) -> list[dict[str, object]]:
    return [asdict(r) for r in rows]

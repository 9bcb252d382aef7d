"""Several app processes on one cache folder, against real processes: a conversation started on one
continues on another and after a restart; `app.py --workers N` on an unbuilt index builds it once."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from web.process import running_app

REBUILD = "正在重建"  # open_index's one-line message when it builds


def _cache(built_cache: Path, tmp_path: Path, index: bool = True) -> dict[str, str]:
    """The environment of an app on a copy of the session's cache (its own conversations file)."""
    cache = tmp_path / "cache"
    shutil.copytree(built_cache, cache, ignore=shutil.ignore_patterns("conversations.sqlite3*"))
    if not index:
        shutil.rmtree(cache / "index")  # the embeddings stay cached: the build only chunks and indexes
    return {"POLICY_ASSISTANT_CACHE_DIR": str(cache)}


def _get(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.loads(r.read())  # type: ignore[no-any-return]


def _workers_answering(url: str, wanted: int, within: float = 90.0) -> set[int]:
    """The workers that answer health checks on new connections, asked until ``wanted`` have or ``within``
    seconds pass: a worker still loading on a busy machine answers later, not never."""
    seen: set[int] = set()
    deadline = time.monotonic() + within
    while len(seen) < wanted and time.monotonic() < deadline:
        seen |= {_get(f"{url}/api/health")["worker"] for _ in range(20)}  # a new connection each time
        time.sleep(0.2)
    return seen


def _ask(url: str, question: str, cid: str | None = None) -> dict[str, Any]:
    body = {"question": question} | ({"conversation_id": cid} if cid else {})
    request = urllib.request.Request(
        f"{url}/api/ask", json.dumps(body).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=120) as r:
        return json.loads(r.read())  # type: ignore[no-any-return]


def test_a_conversation_continues_on_another_app_process_and_after_a_restart(
    built_cache: Path, tmp_path: Path
) -> None:
    env = _cache(built_cache, tmp_path)
    with running_app(env) as a, running_app(env) as b:
        assert _get(f"{a}/api/health")["worker"] != _get(f"{b}/api/health")["worker"]
        first = _ask(a, "鲁科贷能贴息多少？")
        assert first["calculation"]["amount"] is None and first["follow_up"]
        second = _ask(b, "利息是80万元", first["conversation_id"])  # on the other process
        assert second["conversation_id"] == first["conversation_id"]
        assert second["calculation"]["amount"] == 320000  # 80万元 × 40%
        several = _ask(b, "鲁科贷和鲁科保能补多少？")  # two measures, both waiting for an amount
        assert len(several["calculations"]) == 2
    with running_app(env) as restarted:
        after = _ask(restarted, "利息80万，保费20万", several["conversation_id"])
    assert after["conversation_id"] == several["conversation_id"]
    assert sorted(c["amount"] for c in after["calculations"]) == [100000, 320000]  # both measures computed


def test_workers_started_on_an_unbuilt_index_build_it_once_and_share_conversations(
    built_cache: Path, tmp_path: Path
) -> None:
    env = _cache(built_cache, tmp_path, index=False)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        with running_app(env, args=["--workers", "2"], log=log) as url:
            workers = _workers_answering(url, 2)
            first = _ask(url, "鲁科贷能贴息多少？")
            turns = [_ask(url, "利息是80万元", first["conversation_id"]) for _ in range(4)]  # whichever worker
        log.seek(0)
        text = log.read()
    assert text.count(REBUILD) == 1, text  # the build step, before the workers: none of them builds
    assert len(workers) == 2, "both workers answer"
    assert all(t["calculation"]["amount"] == 320000 for t in turns)

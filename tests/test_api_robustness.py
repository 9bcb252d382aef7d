"""The REST API under generated requests (the schemathesis CLI, every check) and under concurrent load,
on a real server."""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

# Fixed, so that a failure replays; the examples per operation are enough to reach every input of every
# calculator and of the matching profile (29 operations, ~6,500 requests in about two minutes on 2 cores).
# The session's app has no admin token: the upload, POST /api/documents, answers 403 to every request (its
# OpenAPI says so), and the run checks that it does; tests/test_library_api.py covers the upload with a token.
SEED = 1
MAX_EXAMPLES = 150


def test_schemathesis_finds_nothing_with_every_check(live_app: str, tmp_path: Path) -> None:
    """Coverage, fuzzing and stateful phases, positive and negative data, `--checks all`: no failure at all."""
    schemathesis = Path(sys.executable).with_name("schemathesis")
    run = subprocess.run(
        [
            str(schemathesis),
            "run",
            f"{live_app}/openapi.json",
            "--checks",
            "all",
            "--seed",
            str(SEED),
            "--max-examples",
            str(MAX_EXAMPLES),
            "--generation-database",
            "none",
            "--no-color",
        ],
        cwd=tmp_path,  # its cache of past failures, which it would replay first, stays out of the project
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    operations = re.search(r"Tested: (\d+)", output)
    cases = re.search(r"(\d+) generated, (\d+) passed", output)
    assert operations and int(operations.group(1)) >= 29, output[-3000:]
    assert cases and cases.group(1) == cases.group(2) and int(cases.group(1)) >= 3000, output[-3000:]


@pytest.mark.slow
def test_fifty_clients_twenty_requests_each_without_errors(live_app: str) -> None:
    questions = ["鲁科贷利息80万能贴多少", "担保费补贴", "sd-2023-155#3", "内蒙古科技创新专板挂牌奖补多少"]

    def client(n: int) -> list[int]:
        codes = []
        with httpx.Client(base_url=live_app, timeout=60) as http:
            for i in range(20):
                q = questions[(n + i) % len(questions)]
                if i % 4 == 0:
                    r = http.post("/api/ask", json={"question": q})
                elif i % 4 == 1:
                    r = http.get("/api/search", params={"q": q, "k": 5})
                elif i % 4 == 2:
                    r = http.get("/api/clauses/sd-2023-155%231")
                else:
                    r = http.post("/api/calc/sd-lukedai-interest", json={"inputs": {"interest": 800000}})
                codes.append(r.status_code)
        return codes

    with ThreadPoolExecutor(max_workers=50) as pool:
        codes = [c for result in pool.map(client, range(50)) for c in result]
    assert len(codes) == 1000
    assert codes.count(200) == 1000, {c: codes.count(c) for c in set(codes)}

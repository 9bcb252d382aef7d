"""The REST API under generated input (schemathesis) and under concurrent load on a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from assistant import Assistant
from index.settings import PROJECT_ROOT, Settings
from web.server import create_app
from web.service import PolicyService


@pytest.fixture(scope="module")
def api_schema(built_cache: Path):  # type: ignore[no-untyped-def]
    app = create_app(PolicyService(Assistant.load(Settings.make(cache_dir=built_cache))))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_no_server_errors_for_any_schema_input(api_schema) -> None:  # type: ignore[no-untyped-def]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 6
    for operation in operations:
        _fuzz(operation)


def _fuzz(operation) -> None:  # type: ignore[no-untyped-def]
    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call()
        assert response.status_code < 500, (case.method, case.path, response.text[:300])
        if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
            assert "message" in response.json()  # a clear message, never a bare traceback

    check()


@pytest.mark.slow
def test_fifty_clients_twenty_requests_each_without_errors(built_cache: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "POLICY_ASSISTANT_CACHE_DIR": str(built_cache)}
    server = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        questions = ["鲁科贷利息80万能贴多少", "担保费补贴", "sd-2023-155#3", "内蒙古科技创新专板挂牌奖补多少"]

        def client(n: int) -> list[int]:
            codes = []
            with httpx.Client(base_url=base, timeout=60) as http:
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
    finally:
        server.terminate()
        server.wait(timeout=30)

"""`python app.py` in a child process on a port the system picks: for tests and the benchmark.

Ready means app.py has printed its address: by then the socket listens, so a request waits in the
backlog until the server takes it, and nobody needs to poll or sleep.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import IO

from index.settings import PROJECT_ROOT

_ADDRESS = re.compile(r"已启动：(http://\S+?)/")


class AppStartError(RuntimeError):
    """app.py exited or stayed silent before printing its address; the message holds its log."""


@contextmanager
def running_app(
    env: Mapping[str, str] | None = None,
    timeout: float = 180.0,
    args: Sequence[str] = (),
    log: IO[str] | None = None,
) -> Iterator[str]:
    """The base URL (``http://127.0.0.1:<port>``) of a fresh app process, stopped on exit.

    ``env`` is added to this process's environment (e.g. ``POLICY_ASSISTANT_CACHE_DIR``); ``args`` to
    its command line (``["--workers", "2"]``); its standard error goes to ``log`` when given.
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8") as own:
        log = log or own
        process = subprocess.Popen(
            [sys.executable, str(PROJECT_ROOT / "app.py"), "--port", "0", *args],
            cwd=PROJECT_ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            encoding="utf-8",
        )
        try:
            yield _address(process, log, timeout)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _address(process: subprocess.Popen[str], log: IO[str], timeout: float) -> str:
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:  # drains stdout to its end, so that the child never blocks on a full pipe
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            process.wait()
            raise AppStartError(f"app.py exited with {process.returncode}:\n{_text(log)}")
        if found := _ADDRESS.search(line):
            return found.group(1)
    raise AppStartError(f"app.py printed no address within {timeout:.0f} s:\n{_text(log)}")


def _text(log: IO[str]) -> str:
    log.seek(0)
    return log.read()[-4000:]

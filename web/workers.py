"""`python app.py --workers N`: one build step, then N worker processes serving one listening socket.

The index is built (when missing or stale) by one `policy-assistant build --if-needed` before any
worker starts, so workers never race to build it; each worker then maps the built files read-only.
The address is printed once every worker has loaded. A worker that dies is started again; a stop
signal stops them all. A worker whose parent dies stops too (its pipe to the parent closes).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from index.errors import PolicyAssistantError
from index.settings import PROJECT_ROOT, Settings

_spawn = multiprocessing.get_context("spawn")  # not fork: the model's and FAISS's threads do not survive a fork


class _Stop(Exception):
    """A stop signal reached the supervisor."""


class WorkerStartError(RuntimeError):
    """A worker exited, or reported an error, before it served; the message says why."""


def serve_workers(sock: socket.socket, count: int, announce: Callable[[], None]) -> int:
    """Build once, start ``count`` workers on ``sock``, call ``announce`` when all serve; 0 after a stop signal."""
    try:
        settings = Settings.from_env()
        if settings.milvus_uri and "://" not in settings.milvus_uri:
            from index.milvus_lite_host import lite_uri

            lite_uri(Path(settings.milvus_uri))  # this process serves the milvus-lite folder to the build and workers
    except PolicyAssistantError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 1
    built = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "build", "--if-needed"], cwd=PROJECT_ROOT, stdout=sys.stderr
    )
    if built.returncode:
        print("错误：索引构建失败，未启动。", file=sys.stderr)
        return 1
    workers: dict[int, tuple[BaseProcess, Connection]] = {}

    def stop(*_: object) -> None:
        raise _Stop

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        for slot in range(count):
            workers[slot] = _start(sock)
        announce()
        while True:
            sentinels = {w.sentinel: slot for slot, (w, _) in workers.items()}
            for ended in wait(list(sentinels)):
                slot = sentinels[ended]  # type: ignore[index]
                process, _ = workers[slot]
                print(f"工作进程 {process.pid} 已退出（{process.exitcode}），正在重启", file=sys.stderr, flush=True)
                workers[slot] = _start(sock)
    except _Stop:
        return 0
    except WorkerStartError as err:
        print(f"错误：无法加载政策库：{err}", file=sys.stderr)
        return 1
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        for process, _ in workers.values():
            process.terminate()
        for process, _ in workers.values():
            process.join(timeout=20)
            if process.exitcode is None:
                process.kill()
                process.join()


def _start(sock: socket.socket) -> tuple[BaseProcess, Connection]:
    """A worker process, once it has loaded the index and is about to serve."""
    ours, theirs = _spawn.Pipe()
    process = _spawn.Process(target=_worker, args=(sock, theirs), daemon=False)
    process.start()
    theirs.close()
    try:
        problem = ours.recv()
    except EOFError:
        process.join()
        raise WorkerStartError(f"工作进程退出（{process.exitcode}）") from None
    if problem is not None:
        process.join()
        raise WorkerStartError(problem)
    return process, ours  # the pipe stays open: its closing tells the worker that this process is gone


def _worker(sock: socket.socket, parent: Connection) -> None:
    from web.server import create_app, serve
    from web.service import PolicyService

    try:
        app = create_app(PolicyService.load(build=False))
    except PolicyAssistantError as err:
        parent.send(str(err))
        sys.exit(1)
    parent.send(None)
    threading.Thread(target=_stop_with_parent, args=(parent,), daemon=True).start()
    serve(app, sock)


def _stop_with_parent(parent: Connection) -> None:
    try:
        parent.recv()
    except EOFError:
        os.kill(os.getpid(), signal.SIGTERM)  # uvicorn stops gracefully

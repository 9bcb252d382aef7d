"""A milvus-lite folder is opened by one process at a time (milvus-lite holds a file lock on it).

The first process on this machine to open it serves it on a loopback port and writes that port
beside the folder (``<folder>.endpoint``); any other process (app workers, the CLI, a test runner
beside its app) connects to that port. The server stops, and the lock is released, when its
process exits; the next process to open the folder serves it then.
"""

from __future__ import annotations

import atexit
import json
import os
import time
from pathlib import Path

from index.errors import BackendUnavailableError, ConfigError

MISSING = (
    "向量库设为 milvus，但未安装 pymilvus / milvus-lite：请运行 pip install 'policy-assistant[milvus]'，"
    "或改用默认的 POLICY_ASSISTANT_VECTOR_STORE=faiss "
    "(the milvus vector store needs pymilvus and milvus-lite: pip install 'policy-assistant[milvus]')"
)
ENDPOINT_WAIT_S = 10.0  # for the process holding the lock to write its port (it does so right after)

_served: dict[Path, str] = {}


def lite_uri(folder: Path) -> str:
    """``http://127.0.0.1:<port>`` of the server for the milvus-lite ``folder``: this process's or another's."""
    folder = folder.resolve()
    if folder in _served:
        return _served[folder]
    try:
        from milvus_lite.adapter.grpc.server import start_server_in_thread
        from milvus_lite.exceptions import DataDirLockedError
    except ImportError:
        raise ConfigError(MISSING) from None
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        server, db, port = start_server_in_thread(str(folder))
    except DataDirLockedError:
        return _owner_uri(folder)
    endpoint = _endpoint(folder)
    tmp = endpoint.with_name(f"{endpoint.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps({"pid": os.getpid(), "port": port}), encoding="utf-8")
    os.replace(tmp, endpoint)

    def stop() -> None:
        server.stop(grace=1)
        db.close()
        endpoint.unlink(missing_ok=True)

    atexit.register(stop)
    _served[folder] = uri = f"http://127.0.0.1:{port}"
    return uri


def _owner_uri(folder: Path) -> str:
    """The port the process holding ``folder`` wrote; it writes it right after taking the lock."""
    deadline = time.monotonic() + ENDPOINT_WAIT_S
    while True:
        try:
            owner = json.loads(_endpoint(folder).read_text(encoding="utf-8"))
            if _alive(int(owner["pid"])):
                return f"http://127.0.0.1:{int(owner['port'])}"
        except (OSError, ValueError, KeyError, TypeError):
            pass
        if time.monotonic() > deadline:
            raise BackendUnavailableError(
                f"milvus-lite 数据目录 {folder} 已被另一个进程打开，且未公布其端口；请关闭该进程或改用 Milvus 服务 "
                f"(the milvus-lite folder {folder} is held by another process that serves no port)"
            )
        time.sleep(0.05)  # the holder is between taking the lock and writing the file


def _endpoint(folder: Path) -> Path:
    return folder.with_name(folder.name + ".endpoint")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

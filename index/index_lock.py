"""One lock file per cache folder: loaders share it, a build holds it alone.

Several processes on one cache (app workers, two app servers, the CLI) never build side by side,
and a loader never reads a folder while a build swaps it into place.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = "index.lock"


@contextmanager
def index_lock(cache_dir: Path, exclusive: bool) -> Iterator[None]:
    cache_dir.mkdir(parents=True, exist_ok=True)
    with (cache_dir / LOCK_FILE).open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)

"""Add one planned document and bring the index up to date, as one step that either happens whole or not at all.

``write`` already refuses to leave a half-written document; this adds the index: the index folder is kept
aside before the build, and whatever fails afterwards — the build, or what the caller does with the new
index inside the ``with`` block (loading the assistant over it) — the two files are removed and the
index folder put back as it was, byte for byte.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.ingest.add import Plan, write
from index.settings import Settings
from index.store import BuildReport, build_index, index_dir


@contextmanager
def adding(found: Plan, settings: Settings) -> Iterator[BuildReport]:
    """Write ``found`` (never over an existing document) and rebuild the index, embedding only the new chunks;
    yields the build's report. On any error, here or in the block, the corpus and index are restored."""
    folder = index_dir(settings)
    kept = folder.with_name(f"{folder.name}.before-add-{os.getpid()}")
    shutil.rmtree(kept, ignore_errors=True)
    if folder.exists():
        shutil.copytree(folder, kept)
    try:
        written = write(found, settings.corpus_dir, replace=False)  # rolls itself back if the corpus breaks
        try:
            yield build_index(settings)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            _put_back(kept, folder)
            raise
    finally:
        shutil.rmtree(kept, ignore_errors=True)


def _put_back(kept: Path, folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    if kept.exists():
        kept.rename(folder)

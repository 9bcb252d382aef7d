"""The README's Python quick start is itself a test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.settings import PROJECT_ROOT


def test_readme_quick_start_runs(built_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_ASSISTANT_CACHE_DIR", str(built_cache))
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, re.S)
    assert block is not None
    exec(compile(block.group(1), "README.md", "exec"), {"print": lambda *a: None})

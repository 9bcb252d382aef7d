"""The README's Python blocks are tests: the quick start, and the gradio_client example against a live app."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from index.settings import PROJECT_ROOT


def _block(containing: str) -> str:
    """The README's python code block that contains ``containing`` (indented ones, in a list, dedented)."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [
        textwrap.dedent(m.group(2))
        for m in re.finditer(r"^( *)```python\n(.*?)^\1```", readme, re.S | re.M)
        if containing in m.group(2)
    ]
    assert len(blocks) == 1, f"one README block with {containing!r}, found {len(blocks)}"
    return blocks[0]


def test_readme_quick_start_runs(built_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_ASSISTANT_CACHE_DIR", str(built_cache))
    exec(compile(_block("Assistant.load()"), "README.md", "exec"), {"print": lambda *a: None})


def test_readme_gradio_client_example_runs(live_app: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRADIO_ANALYTICS_ENABLED")  # the block itself must switch it off
    code = _block("gradio_client").replace("http://127.0.0.1:7860/", f"{live_app}/")
    assert f"{live_app}/" in code
    printed: list[str] = []
    scope = {"print": lambda *a: printed.append(" ".join(map(str, a)))}
    exec(compile(code, "README.md", "exec"), scope)
    assert "利息" in printed[0]  # the follow-up question
    assert scope["client"].analytics_enabled is False  # nothing reported to Hugging Face

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.corpus import Corpus, load_corpus
from index.settings import PROJECT_ROOT

CORPUS_DIR = PROJECT_ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(CORPUS_DIR)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the corpus, for tests that damage it."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, target)
    return target

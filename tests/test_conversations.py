"""Conversation stores shared by app processes: SQLite (default) and Redis; expiry, bounds, restarts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.errors import BackendUnavailableError, ConfigError, NotFoundError
from index.settings import Settings
from web.conversations import (
    REDIS_PREFIX,
    ConversationStore,
    RedisConversations,
    SqliteConversations,
    new_id,
    open_conversations,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ConversationStore]:
    if request.param == "sqlite":
        yield SqliteConversations(tmp_path / "c.sqlite3", ttl=60, capacity=100)
    else:
        yield RedisConversations(request.getfixturevalue("redis_url"), ttl=60)


def test_a_saved_conversation_loads_and_is_dropped(store: ConversationStore) -> None:
    cid = new_id()
    store.save(cid, '{"turn": 1}')
    store.save(cid, '{"turn": 2}')
    assert store.load(cid) == '{"turn": 2}'
    store.drop(cid)
    with pytest.raises(NotFoundError, match="不存在或已过期"):
        store.load(cid)


def test_an_unknown_conversation_is_not_found(store: ConversationStore) -> None:
    with pytest.raises(NotFoundError, match="重新提问"):
        store.load("0" * 32)


def test_a_second_store_on_the_same_backend_sees_the_conversation(
    store: ConversationStore, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Another worker, or the app after a restart: a new store object on the same file or server."""
    cid = new_id()
    store.save(cid, "状态")
    if isinstance(store, SqliteConversations):
        other: ConversationStore = SqliteConversations(tmp_path / "c.sqlite3", ttl=60, capacity=100)
    else:
        other = RedisConversations(request.getfixturevalue("redis_url"), ttl=60)
    assert other.load(cid) == "状态"


def test_sqlite_conversations_expire_after_the_idle_time(tmp_path: Path) -> None:
    clock = Clock()
    store = SqliteConversations(tmp_path / "c.sqlite3", ttl=10, capacity=100, clock=clock)
    a, b = new_id(), new_id()
    store.save(a, "a")
    store.save(b, "b")
    clock.now += 8
    store.load(a)  # used: its idle time starts again
    clock.now += 8
    assert store.load(a) == "a"
    with pytest.raises(NotFoundError):
        store.load(b)  # 16 s idle
    assert len(store) == 1


def test_sqlite_keeps_the_most_recently_used_up_to_its_capacity(tmp_path: Path) -> None:
    clock = Clock()
    store = SqliteConversations(tmp_path / "c.sqlite3", ttl=3600, capacity=2, clock=clock)
    a, b, c = new_id(), new_id(), new_id()
    for cid in (a, b):
        clock.now += 1
        store.save(cid, cid)
    clock.now += 1
    store.load(a)  # a is now more recently used than b
    clock.now += 1
    store.save(c, c)
    assert len(store) == 2
    with pytest.raises(NotFoundError):
        store.load(b)
    assert store.load(a) == a and store.load(c) == c


def test_redis_conversations_expire_after_the_idle_time_and_each_use_restarts_it(redis_url: str) -> None:
    import redis

    store = RedisConversations(redis_url, ttl=600)
    server = redis.Redis.from_url(redis_url)
    cid = new_id()
    store.save(cid, "x")
    server.expire(REDIS_PREFIX + cid, 5)  # as if unused for 595 s
    store.load(cid)
    assert 590 < server.ttl(REDIS_PREFIX + cid) <= 600


def test_an_unreachable_redis_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailableError, match=r"无法连接对话存储 Redis.*cannot reach Redis"):
        RedisConversations(f"unix://{tmp_path}/none.sock", ttl=60)


def test_the_password_of_a_redis_url_stays_out_of_messages() -> None:
    with pytest.raises(BackendUnavailableError) as caught:
        RedisConversations("redis://user:s3cret@127.0.0.1:9/0", ttl=60)  # the discard port: nothing listens
    assert "s3cret" not in str(caught.value) and "127.0.0.1:9" in str(caught.value)


def test_the_default_store_is_a_sqlite_file_in_the_cache_folder(tmp_path: Path) -> None:
    store = open_conversations(Settings.make(cache_dir=tmp_path))
    assert isinstance(store, SqliteConversations) and (tmp_path / "conversations.sqlite3").is_file()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("conversations", "mysql://x"),
        ("conversations", "sqlite:"),
        ("conversation_ttl", "0"),
        ("conversation_ttl", "soon"),
        ("conversation_capacity", "-1"),
    ],
)
def test_a_bad_conversation_setting_is_a_config_error(field: str, value: str) -> None:
    with pytest.raises(ConfigError, match=field.split("_")[0]):
        Settings.make(**{field: value})

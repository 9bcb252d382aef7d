"""Open conversations, kept outside the app process so that any worker or app server continues them.

Each conversation is its state as JSON (``assistant.conversation_state``) under a random id. SQLite
(a file under the cache folder) serves the processes of one machine; Redis serves several machines.
A conversation unused for ``ttl`` seconds is forgotten. Two turns of one conversation sent at the
same moment to two workers are both answered; the later one's state is kept.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from assistant.errors import BackendUnavailableError, ConfigError, NotFoundError
from index.settings import Settings

ID_PATTERN = r"^[0-9a-f]{32}$"
SQLITE_FILE = "conversations.sqlite3"
REDIS_PREFIX = "policy-assistant:conversation:"
Clock = Callable[[], float]


def new_id() -> str:
    return secrets.token_hex(16)


def expired(cid: str) -> NotFoundError:
    return NotFoundError(f"对话“{cid}”不存在或已过期，请不带对话编号重新提问以开始新对话")


class ConversationStore(Protocol):
    def load(self, cid: str) -> str:
        """The state of ``cid`` (its idle time starts again); ``NotFoundError`` when unknown or expired."""
        ...

    def save(self, cid: str, state: str) -> None: ...

    def drop(self, cid: str) -> None: ...


class SqliteConversations:
    """One table in a SQLite file (WAL: readers never wait for the writer); at most ``capacity`` rows,
    the least recently used dropped first. Wall-clock times, as several processes share the file."""

    def __init__(self, path: Path, ttl: float, capacity: int, clock: Clock = time.time) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._ttl, self._capacity, self._clock = ttl, capacity, clock
        self._lock = threading.Lock()  # one connection, shared by the server's threads
        try:
            self._db = sqlite3.connect(path, timeout=10, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL keeps it consistent; a power cut may lose a turn
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS conversations "
                "(id TEXT PRIMARY KEY, state TEXT NOT NULL, used REAL NOT NULL)"
            )
            self._db.execute("CREATE INDEX IF NOT EXISTS conversations_used ON conversations (used)")
        except sqlite3.Error as err:
            raise ConfigError(f"对话存储 {path} 无法打开：{err}（cannot open the conversation store {path}）") from None

    def load(self, cid: str) -> str:
        now = self._clock()
        with self._lock:
            row = self._run("SELECT state, used FROM conversations WHERE id = ?", (cid,)).fetchone()
            if row is None or now - row[1] > self._ttl:
                self._run("DELETE FROM conversations WHERE id = ?", (cid,))
                raise expired(cid)
            self._run("UPDATE conversations SET used = ? WHERE id = ?", (now, cid))
            return str(row[0])

    def save(self, cid: str, state: str) -> None:
        now = self._clock()
        with self._lock:
            self._run("BEGIN IMMEDIATE")
            try:
                self._run("DELETE FROM conversations WHERE used < ?", (now - self._ttl,))
                self._run("INSERT OR REPLACE INTO conversations VALUES (?, ?, ?)", (cid, state, now))
                self._run(
                    "DELETE FROM conversations WHERE id IN "
                    "(SELECT id FROM conversations ORDER BY used DESC LIMIT -1 OFFSET ?)",
                    (self._capacity,),
                )
                self._run("COMMIT")
            except BaseException:
                self._db.rollback()
                raise

    def drop(self, cid: str) -> None:
        with self._lock:
            self._run("DELETE FROM conversations WHERE id = ?", (cid,))

    def __len__(self) -> int:
        with self._lock:
            cutoff = self._clock() - self._ttl
            return int(self._run("SELECT COUNT(*) FROM conversations WHERE used >= ?", (cutoff,)).fetchone()[0])

    def _run(self, sql: str, args: tuple[object, ...] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, args)
        except sqlite3.OperationalError as err:  # locked beyond the timeout, disk full, file removed
            raise BackendUnavailableError(f"对话存储暂不可用：{err}（the conversation store failed）") from None


class RedisConversations:
    """One key per conversation, expiring ``ttl`` seconds after its last use (Redis ≥ 6.2 for GETEX)."""

    def __init__(self, url: str, ttl: float) -> None:
        try:
            import redis
        except ImportError:
            raise ConfigError(
                "对话存储设为 Redis，但未安装 redis：请运行 pip install 'policy-assistant[redis]' "
                "(the Redis conversation store needs the redis package)"
            ) from None
        self._errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)
        self._url = url
        self._ttl = max(1, round(ttl))
        self._client: Any = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._call(self._client.ping)  # unreachable at startup: a clear message, not a first failed request

    def load(self, cid: str) -> str:
        state = self._call(self._client.getex, REDIS_PREFIX + cid, ex=self._ttl)
        if state is None:
            raise expired(cid)
        return bytes(state).decode("utf-8")

    def save(self, cid: str, state: str) -> None:
        self._call(self._client.set, REDIS_PREFIX + cid, state.encode("utf-8"), ex=self._ttl)

    def drop(self, cid: str) -> None:
        self._call(self._client.delete, REDIS_PREFIX + cid)

    def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except self._errors as err:
            raise BackendUnavailableError(
                f"无法连接对话存储 Redis（{_safe(self._url)}）：{err}（cannot reach Redis at {_safe(self._url)}）"
            ) from None


def open_conversations(settings: Settings) -> ConversationStore:
    spec = settings.conversations
    if spec.startswith("sqlite"):
        path = Path(spec.removeprefix("sqlite:")) if spec != "sqlite" else Path(SQLITE_FILE)
        path = path if path.is_absolute() else settings.cache_dir / path
        return SqliteConversations(path, settings.conversation_ttl, settings.conversation_capacity)
    return RedisConversations(spec, settings.conversation_ttl)


def _safe(url: str) -> str:
    """The URL without a password, for messages."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme}{sep}{rest.rpartition('@')[2]}" if "@" in rest else url

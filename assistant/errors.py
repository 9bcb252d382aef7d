"""The exception tree users of the assistant catch (defined in ``index.errors``)."""

from index.errors import (
    ConfigError,
    CorpusError,
    IndexStateError,
    InputError,
    NotFoundError,
    PolicyAssistantError,
    RuleError,
)

__all__ = [
    "ConfigError",
    "CorpusError",
    "IndexStateError",
    "InputError",
    "NotFoundError",
    "PolicyAssistantError",
    "RuleError",
]

"""The exception tree users of the assistant catch (defined in ``index.errors``)."""

from index.errors import (
    BackendUnavailableError,
    ConfigError,
    CorpusError,
    IndexStateError,
    InputError,
    NotFoundError,
    PolicyAssistantError,
    RuleError,
)

__all__ = [
    "BackendUnavailableError",
    "ConfigError",
    "CorpusError",
    "IndexStateError",
    "InputError",
    "NotFoundError",
    "PolicyAssistantError",
    "RuleError",
]

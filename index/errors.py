"""The project's one exception tree (re-exported by ``assistant.errors``).

It lives in ``index`` because ``assistant`` imports ``index``; every error a user can
see is a ``PolicyAssistantError`` with a message that names the problem.
"""


class PolicyAssistantError(Exception):
    """Base of every error this project raises on purpose."""


class CorpusError(PolicyAssistantError):
    """A corpus file is missing, malformed or inconsistent; the message names the file."""


class RuleError(CorpusError):
    """A rule file is malformed or names a clause that does not exist."""


class IngestError(PolicyAssistantError):
    """A file given to ``add`` cannot become a corpus document; the message, in Chinese, says why."""


class UnsupportedFileError(IngestError):
    """A file of a type ``add`` cannot read."""


class FileTooLargeError(IngestError):
    """A file over the size limit."""


class DuplicateDocumentError(IngestError):
    """A document whose id the corpus already holds."""


class IndexStateError(PolicyAssistantError):
    """The built index is missing, stale or corrupted and could not be rebuilt."""


class BackendUnavailableError(PolicyAssistantError):
    """A shared backend (Milvus, Redis) cannot be reached or refused a request; the message names it."""


class ConfigError(PolicyAssistantError):
    """A setting is unknown or has a wrong value."""


class InputError(PolicyAssistantError, ValueError):
    """A question or a calculator input is empty, too long, or out of range."""


class NotFoundError(PolicyAssistantError, KeyError):
    """An id (clause, document, rule) that does not exist."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""

"""Multi-turn state: the measure being computed, what earlier turns established, what was asked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.answer import Answer
from assistant.bind import Carried

if TYPE_CHECKING:
    from assistant.core import Assistant


@dataclass(frozen=True)
class Pending:
    """The last calculation of a conversation: a later turn may add a missing input or a fact."""

    rule_id: str
    clause_id: str
    carried: Carried
    dates: tuple[dt.date, ...]
    party: str | None


@dataclass
class Conversation:
    """A follow-up can supply a missing input or a fact; a term naming another measure starts afresh."""

    assistant: Assistant
    pending: Pending | None = None
    history: list[Answer] = field(default_factory=list)

    def ask(self, question: str) -> Answer:
        answer, self.pending = self.assistant.respond(question, self.pending)
        self.history.append(answer)
        return answer

"""One assistant per process, shared by the page and the API: asking, lookup, clauses, rules, calculators."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from assistant import Answer, Assistant, Conversation, InputError, NotFoundError, validate_question
from assistant.conversation_state import StateError, dump_state, load_state
from assistant.rules import CalcResult, Rule, calculate
from index.model import Clause, Document
from index.search import Hit
from index.settings import Settings
from web.conversations import ConversationStore, expired, new_id, open_conversations


@dataclass(frozen=True)
class LookupResult:
    query: str
    exact: tuple[Clause, ...]  # clauses the query names by id or number (sd-2023-155#3, 第三条)
    hits: tuple[Hit, ...]  # ranked search hits, the exact ones left out


class PolicyService:
    """Thread-safe front of one ``Assistant``: calls into it are serialised by one lock.

    Conversations live in a store shared by every worker (``settings.conversations``)."""

    def __init__(self, assistant: Assistant, conversations: ConversationStore | None = None) -> None:
        self.assistant = assistant
        self.conversations = conversations or open_conversations(assistant.settings)
        self._lock = threading.Lock()
        corpus = assistant.index.corpus
        # Documents in order of issue; rules in document order, as the clauses run.
        self.documents: tuple[Document, ...] = tuple(sorted(corpus.documents, key=lambda d: (d.issued, d.id)))
        order = {c.id: i for i, c in enumerate(c for d in self.documents for c in d.all_clauses)}
        self.rules: tuple[Rule, ...] = tuple(
            sorted(assistant.rules.rules, key=lambda r: order.get(r.clause_id, len(order)))
        )
        self.units: tuple[str, ...] = tuple(
            sorted({u.name for d in self.documents for c in d.all_clauses for u in c.units})
        )
        self.regions: tuple[str, ...] = tuple(dict.fromkeys(d.region for d in self.documents))
        self._clause_count = sum(len(d.all_clauses) for d in self.documents)

    @classmethod
    def load(cls, settings: Settings | None = None, build: bool = True) -> PolicyService:
        """``build=False`` in an app worker: the index was built before the workers started."""
        settings = settings or Settings.from_env()
        conversations = open_conversations(settings)  # first: an unreachable store fails before the index loads
        return cls(Assistant.load(settings, build=build), conversations)

    # -- asking ------------------------------------------------------------------------------
    def ask(
        self, question: str, conversation_id: str | None = None, restart_expired: bool = False
    ) -> tuple[str, Answer]:
        """The answer, in the conversation ``conversation_id`` (a new one when None).

        An unknown or expired id is a ``NotFoundError``, or starts a new conversation with ``restart_expired``.
        """
        question = validate_question(question)  # before a conversation is started for it
        cid, conversation = None, None
        if conversation_id is not None:
            try:
                cid, conversation = conversation_id, self._restore(conversation_id)
            except NotFoundError:
                if not restart_expired:
                    raise
        if cid is None or conversation is None:
            cid, conversation = new_id(), self.assistant.conversation()
        with self._lock:
            answer = conversation.ask(question)
            state = dump_state(conversation)
        self.conversations.save(cid, state)
        return cid, answer

    def _restore(self, cid: str) -> Conversation:
        state = self.conversations.load(cid)
        try:
            return load_state(state, self.assistant)
        except StateError:  # written by another version, or its rule has left the corpus: cannot go on
            self.conversations.drop(cid)
            raise expired(cid) from None

    # -- clauses -----------------------------------------------------------------------------
    def clause(self, clause_id: str) -> Clause:
        corpus = self.assistant.index.corpus
        if not corpus.has_clause(clause_id):
            hint = "" if "#" in clause_id else "（条款编号形如 sd-2023-155#3；在网址中 # 须写作 %23）"
            raise NotFoundError(f"没有编号为“{clause_id}”的条款{hint}")
        return corpus.clause(clause_id)

    def document(self, doc_id: str) -> Document:
        return self.assistant.index.corpus.document(doc_id)

    def rules_for(self, clause_id: str) -> tuple[Rule, ...]:
        return self.assistant.rules.for_clause(clause_id)

    def lookup(
        self,
        query: str,
        k: int = 10,
        region: str | None = None,
        doc_id: str | None = None,
        unit: str | None = None,
    ) -> LookupResult:
        """Clauses the query names (by id or 第N条) first, then ranked search hits; filters apply to both."""
        text = validate_question(query)
        region, doc_id, unit = region or None, doc_id or None, unit or None
        if doc_id is not None:
            self.document(doc_id)
        if k < 1:
            raise InputError("结果条数应为正整数")
        exact = tuple(c for c in self._named(text, region, doc_id) if _has_unit(c, unit))
        with self._lock:
            wanted = self._clause_count if unit else k + len(exact)
            hits = self.assistant.search(text, k=wanted, region=region, doc_id=doc_id)
        named = {c.id for c in exact}
        kept = [h for h in hits if h.clause_id not in named and _has_unit(self.clause(h.clause_id), unit)]
        return LookupResult(text, exact, tuple(kept[:k]))

    def _named(self, text: str, region: str | None, doc_id: str | None) -> list[Clause]:
        order = {d.id: i for i, d in enumerate(self.documents)}  # documents in order of issue
        return sorted(self.assistant.named_clauses(text, region, doc_id), key=lambda c: order[c.doc_id])

    # -- calculators -------------------------------------------------------------------------
    def rule(self, rule_id: str) -> Rule:
        return self.assistant.rules.get(rule_id)

    def calc(
        self,
        rule_id: str,
        inputs: Mapping[str, object],
        on: dt.date | None = None,
        party: str | None = None,
    ) -> CalcResult:
        return calculate(self.rule(rule_id), inputs, on=on, party=party or None)


def _has_unit(clause: Clause, unit: str | None) -> bool:
    return unit is None or any(u.name == unit for u in clause.units)

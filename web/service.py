"""One assistant per process, shared by the page and the API: asking, lookup, clauses, rules, calculators."""

from __future__ import annotations

import datetime as dt
import hmac
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from assistant import Answer, Assistant, Conversation, InputError, NotFoundError, validate_question
from assistant.conversation_state import StateError, dump_state, load_state
from assistant.match import MatchResult
from assistant.rules import CalcResult, Rule, calculate
from index.errors import DuplicateDocumentError
from index.ingest.add import Plan, plan
from index.ingest.read import check_received
from index.ingest.transaction import adding
from index.model import POLICY_TYPE, Clause, Document, Status
from index.search import Filters, Hit
from index.settings import Settings
from index.store import BuildReport
from web.conversations import ConversationStore, expired, new_id, open_conversations
from web.match_request import MatchRequest, ProfileSchema, schema_for

# An upload's limit (the add command takes up to 20 MB): a law's text is well under 1 MB, even as a PDF.
MAX_UPLOAD_BYTES = 5 * 2**20


@dataclass(frozen=True)
class LookupResult:
    query: str
    exact: tuple[Clause, ...]  # clauses the query names by id or number (sd-2023-155#3, 第三条)
    hits: tuple[Hit, ...]  # ranked search hits, the exact ones left out


@dataclass(frozen=True)
class Added:
    plan: Plan  # what was added, as the preview showed it
    index: BuildReport  # the index update (only the new chunks embedded)


@dataclass(frozen=True)
class _Loaded:
    """What the service reads off one assistant; replaced whole (one assignment) when a document is added."""

    assistant: Assistant
    documents: tuple[Document, ...]  # in order of issue
    rules: tuple[Rule, ...]  # in document order, as the clauses run
    units: tuple[str, ...]
    regions: tuple[str, ...]
    clause_count: int

    @classmethod
    def of(cls, assistant: Assistant) -> _Loaded:
        assistant.warm_up()  # before the service answers from it: no user waits for the first-use costs
        documents = tuple(sorted(assistant.index.corpus.documents, key=lambda d: (d.issued, d.id)))
        order = {c.id: i for i, c in enumerate(c for d in documents for c in d.all_clauses)}
        # The policy measures' rules first (the calculator opens on 鲁科贷), then the laws', in reading order.
        policy = {d.id for d in documents if d.doc_type == POLICY_TYPE}
        return cls(
            assistant,
            documents,
            tuple(
                sorted(
                    assistant.rules.rules,
                    key=lambda r: (r.doc_id not in policy, order.get(r.clause_id, len(order))),
                )
            ),
            tuple(sorted({u.name for d in documents for c in d.all_clauses for u in c.units})),
            tuple(dict.fromkeys(d.region for d in documents)),
            len(order),
        )


class PolicyService:
    """Thread-safe front of one ``Assistant``: calls into it are serialised by one lock.

    Adding a document swaps in a new assistant under that lock; requests already running finish on the old
    one. The API's schemas (calculators, the matching profile) are made once, at start. Conversations live
    in a store shared by every worker (``settings.conversations``).
    """

    def __init__(self, assistant: Assistant, conversations: ConversationStore | None = None) -> None:
        self._loaded = _Loaded.of(assistant)
        self.conversations = conversations or open_conversations(assistant.settings)
        self._lock = threading.Lock()
        self._library_lock = threading.Lock()  # one add or preview at a time reads and writes the corpus folder
        self.profile_schema: ProfileSchema = schema_for(assistant)

    @classmethod
    def load(cls, settings: Settings | None = None, build: bool = True) -> PolicyService:
        """``build=False`` in an app worker: the index was built before the workers started."""
        settings = settings or Settings.from_env()
        conversations = open_conversations(settings)  # first: an unreachable store fails before the index loads
        return cls(Assistant.load(settings, build=build), conversations)

    @property
    def assistant(self) -> Assistant:
        return self._loaded.assistant

    @property
    def documents(self) -> tuple[Document, ...]:
        return self._loaded.documents

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self._loaded.rules

    @property
    def units(self) -> tuple[str, ...]:
        return self._loaded.units

    @property
    def regions(self) -> tuple[str, ...]:
        return self._loaded.regions

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
        level: str | None = None,
        status: Status | str | None = None,
        on: dt.date | str | None = None,
    ) -> LookupResult:
        """Clauses the query names (by id or 第N条) first, then ranked search hits; filters apply to both
        (``status`` on ``on``, default today)."""
        text = validate_question(query)
        filters = Filters.make(region, doc_id, level, status, on)
        unit = unit or None
        if filters.doc_id is not None:
            self.document(filters.doc_id)
        if k < 1:
            raise InputError("结果条数应为正整数")
        exact = tuple(c for c in self._named(text, filters) if _has_unit(c, unit))
        with self._lock:
            wanted = self._loaded.clause_count if unit else k + len(exact)
            hits = self.assistant.search(
                text,
                k=wanted,
                region=filters.region,
                doc_id=filters.doc_id,
                level=filters.level,
                status=filters.status,
                on=filters.on,
            )
        named = {c.id for c in exact}
        kept = [h for h in hits if h.clause_id not in named and _has_unit(self.clause(h.clause_id), unit)]
        return LookupResult(text, exact, tuple(kept[:k]))

    def _named(self, text: str, filters: Filters) -> list[Clause]:
        order = {d.id: i for i, d in enumerate(self.documents)}  # documents in order of issue
        named = self.assistant.named_clauses(text, filters.region, filters.doc_id)
        return sorted((c for c in named if filters.admits(self.document(c.doc_id))), key=lambda c: order[c.doc_id])

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

    # -- matching ----------------------------------------------------------------------------
    def match(self, request: MatchRequest) -> MatchResult:
        with self._lock:  # reads the description as a question is read
            return self.assistant.match(request.profile())

    # -- the library ---------------------------------------------------------------------------
    @property
    def uploads_enabled(self) -> bool:
        """Whether the app was started with an admin token (otherwise the library is read-only)."""
        return bool(self.assistant.settings.admin_token)

    def is_admin(self, token: str | None) -> bool:
        """Whether ``token`` is the admin token, compared in constant time; never when none was set."""
        expected = self.assistant.settings.admin_token
        return bool(expected and token) and hmac.compare_digest(str(token).encode(), expected.encode())

    def preview(self, path: Path) -> Plan:
        """What adding the file would add: metadata, fields to confirm, clauses. Nothing is written."""
        check_received(path.name, path.stat().st_size, MAX_UPLOAD_BYTES)
        with self._library_lock:
            return self._plan(path)

    def add(self, path: Path) -> Added:
        """Add the file to the corpus, update the index and answer from it at once: all of it, or nothing
        (an error restores the corpus folder and the index, and the assistant stays as it was)."""
        settings = self.assistant.settings
        check_received(path.name, path.stat().st_size, MAX_UPLOAD_BYTES)
        with self._library_lock:
            found = self._plan(path)
            # Under the assistant's lock: no question meets a half-built index, and the embedding cache,
            # which answering writes too, has one writer.
            with self._lock:
                with adding(found, settings) as report:
                    loaded = _Loaded.of(Assistant.load(settings))
                self._loaded = loaded
        return Added(found, report)

    def _plan(self, path: Path) -> Plan:
        found = plan(path, self.assistant.settings.corpus_dir)
        known = next((d for d in self.documents if d.id == found.doc_id), None)
        if known is not None:
            raise DuplicateDocumentError(
                f"文库中已有{known.cited_as}（编号 {known.id}），不能重复添加"
                "（替换已有文件请用命令行 policy-assistant add --replace）"
            )
        return found


def _has_unit(clause: Clause, unit: str | None) -> bool:
    return unit is None or any(u.name == unit for u in clause.units)

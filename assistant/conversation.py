"""Multi-turn state: the measure being computed, what earlier turns established, what was asked."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.answer import Answer
from assistant.bind import Binding, Carried
from assistant.match import Profile
from assistant.retrieve import NATIONAL
from assistant.rules import Rule, calculate

if TYPE_CHECKING:
    from assistant.core import Assistant

CONTEXT_CHARS = 300  # of earlier turns kept to read a follow-up against


@dataclass(frozen=True)
class Measure:
    """A rule being computed in a conversation, and what earlier turns gave it."""

    rule_id: str
    clause_id: str
    carried: Carried

    @classmethod
    def of(cls, rule: Rule, binding: Binding) -> Measure:
        """The rule as bound, with what it still asks for (missing inputs, unclear numbers)."""
        asked = (*calculate(rule, binding.values).missing, *binding.wanting)
        return cls(rule.id, rule.clause_id, Carried(dict(binding.values), dict(binding.roles), tuple(asked)))


@dataclass(frozen=True)
class Pending:
    """The last calculation(s) of a conversation: a later turn may add a missing input or a fact, ask for
    the total, or bring in one more measure ("再买个鲁科保呢…加起来多少")."""

    measures: tuple[Measure, ...]
    dates: tuple[dt.date, ...]
    party: str | None
    # Measures computed in earlier turns of the conversation: a later "总共多少" sums them too.
    earlier: tuple[Measure, ...] = ()
    # Who is asking, as an earlier turn said (我们创投…): a total counts what that subject receives.
    asker: str | None = None
    # The question that opened the calculation: what it asks (还能新增多少) holds when a later turn adds a number.
    opened: str = ""

    def after(self, before: Pending) -> Pending:
        """This calculation, remembering the measures of ``before`` it does not continue, and its asker."""
        mine = {m.rule_id for m in self.measures}
        kept = {m.rule_id: m for m in (*before.earlier, *before.measures) if m.rule_id not in mine}
        return dataclasses.replace(self, earlier=tuple(kept.values()), asker=self.asker or before.asker)


@dataclass(frozen=True)
class MatchPending:
    """The last policy matching: a later turn may add facts about the subject ("利息付了80万")."""

    profile: Profile


@dataclass
class Conversation:
    """A follow-up can supply a missing input or a fact; a term naming another measure starts afresh.

    A turn that finds nothing sure alone ("募资3亿", "赔付率高达150%") is read again after the earlier
    turns of the conversation, and that reading is kept when it answers.
    """

    assistant: Assistant
    pending: Pending | MatchPending | None = None
    history: list[Answer] = field(default_factory=list)
    context: str = ""  # the in-scope turns so far, most recent last

    def ask(self, question: str) -> Answer:
        answer, pending = self._within_last_document(question) or self.assistant.respond(question, self.pending)
        unsure = not answer.in_scope or answer.confidence == "low"
        if unsure and self.context and not answer.calculations:
            again, again_pending = self.assistant.respond(question, self.pending, self.context)
            if again.in_scope:
                answer, pending = again, again_pending
        elif self._region_left(question, answer):
            again, again_pending = self.assistant.respond(question, self.pending, self.context)
            if again.in_scope and not self._region_left(question, again):
                answer, pending = again, again_pending
        elif self._set_beside_earlier(question, answer):
            again, again_pending = self.assistant.respond(question, self.pending, self.context)
            cited = {c.clause_id for c in again.citations}
            if again.in_scope and {self.history[-1].citations[0].clause_id, answer.citations[0].clause_id} <= cited:
                answer, pending = again, again_pending
        elif self._not_for_earlier_asker(answer):
            again, again_pending = self.assistant.respond(question, self.pending, self.context)
            if again.calculations and not self._not_for_earlier_asker(again):  # the asker's own measure found
                answer, pending = again, again_pending
        if isinstance(pending, Pending) and isinstance(self.pending, Pending):
            pending = pending.after(self.pending)
        if isinstance(pending, Pending) and pending.asker is None:
            said = f"{self.context}，{question}" if self.context else question
            pending = dataclasses.replace(pending, asker=self.assistant.asker_in(said))
        self.pending = pending
        if answer.in_scope:
            self.context = f"{self.context}，{question}"[-CONTEXT_CHARS:] if self.context else question
        self.history.append(answer)
        return answer

    def _region_left(self, question: str, answer: Answer) -> bool:
        """A turn naming no region, answered from a document of another region than the one the earlier turns
        named (内蒙古企业上市有奖励吗 → 我们准备去港股上市，也算吗: not 山东's 境外首发上市)."""
        if not self.context or not answer.in_scope or not answer.citations:
            return False
        read = self.assistant.reader.read
        before = read(self.context).regions
        if read(question).regions or len(before) != 1:
            return False
        doc = self.assistant.index.corpus.document(answer.citations[0].doc_id)
        return doc.level != NATIONAL and before[0] not in doc.region

    def _set_beside_earlier(self, question: str, answer: Answer) -> bool:
        """A turn comparing or combining what it asks with what the last answer quoted (山东的尽职免责 — 那内蒙古
        …有什么不一样？; 落户奖励 — 我们同时投早投小，两个能一起拿吗？), answered without it: it is read after
        the earlier turns, and that reading kept when it quotes both."""
        last = self.history[-1] if self.history else None
        if last is None or not last.in_scope or not last.citations or not answer.in_scope or not answer.citations:
            return False
        if not self.assistant.reader.read(question).has("compare", "combine"):
            return False
        return last.citations[0].clause_id not in {c.clause_id for c in answer.citations}

    def _not_for_earlier_asker(self, answer: Answer) -> bool:
        """Whether the turn alone computed a measure whose money never reaches the asker the earlier turns
        named, from this turn's figures (我们是银行 — 损失了一千万能补多少: not the 创投's investment loss subsidy):
        it is read after them, and that reading kept when it finds the asker's own. A measure asked with no
        figure (担保费还能补吗) stays: whose money it is, is the answer."""
        computed = answer.calculations[0] if answer.calculations else None
        figures = computed is not None and any(type(v) in (int, float) for v in computed.inputs.values())
        asker = self.assistant.asker_in(self.context) if self.context and figures else None
        if computed is None or asker is None:
            return False
        rule = self.assistant.rules.get(computed.rule_id)
        return bool(rule.recipient) and not self.assistant.subjects.may_receive(asker, rule.recipient)

    def _within_last_document(self, question: str) -> tuple[Answer, Pending | MatchPending | None] | None:
        """A turn about the earlier one that names nothing of its own (融资担保公司能不能吸收存款？— 那要是违反了，
        会有什么处罚？) is asked of the document the last answer quoted first, by its title."""
        last = self.history[-1] if self.history else None
        if last is None or not last.citations or not self.assistant.refers_back(question):
            return None
        doc_id = self.assistant.clause(last.citations[0].clause_id).doc_id
        # 中华人民共和国 would find the clauses that say it (…政府发展同外国政府…合作).
        title = self.assistant.index.corpus.document(doc_id).title.removeprefix("中华人民共和国")
        # The earlier question says what is asked about, as a setting (its question marks would make it a
        # question of its own, answered again).
        earlier = re.sub(r"[？?]+", "，", last.question).strip("，")
        answer, pending = self.assistant.respond(question, self.pending, f"{title}，{earlier}")
        return (answer, pending) if answer.in_scope else None

"""A turn that continues the calculation(s) of earlier turns: a missing number, a fact, a date, a party, a
request for the total, one more measure asked with the total, or another provision of the same clause."""

from __future__ import annotations

from assistant.answer import Answer
from assistant.answers import Writer
from assistant.bind import Carried, bind, unit_fits
from assistant.conversation import Measure, Pending
from assistant.facts import FactMatcher
from assistant.measures import SeveralMeasures
from assistant.route import roles_taken
from assistant.understand import Reader, Understanding


class FollowUp:
    def __init__(self, several: SeveralMeasures, reader: Reader, writer: Writer, facts: FactMatcher) -> None:
        self.several = several
        self.askers = several.askers
        self.retriever = several.retriever
        self.rules = several.rules
        self.vocab = several.vocab
        self.reader = reader
        self.writer = writer
        self.facts = facts

    def answer(self, question: str, u: Understanding, pending: Pending) -> tuple[Answer, Pending] | None:
        """The answer when the turn adds to the pending calculation(s), else None (a new topic)."""
        texts = [self.retriever.clause(m.clause_id).text for m in pending.measures]
        others = [t for t in self.retriever.naming_terms if t in u.text and not any(t in text for text in texts)]
        if others and not u.has("total"):
            return None  # a term naming another measure (鲁科保 while computing 鲁科贷) starts a new topic
        sibling = None if others or u.has("total") else self._sibling_asked(question, u, pending)
        sibling = sibling or (None if others else self._other_region(question, u, pending))
        if sibling is not None:
            return sibling
        # Asked for the total, the measures of earlier turns count too (鲁科贷 computed, then 鲁科担: 总共多少).
        measures = (*pending.earlier, *pending.measures) if u.has("total") else pending.measures
        carried = {m.rule_id: self._corrected(u, m.rule_id, m.carried) for m in measures}
        bindings = {r: bind(self.rules.get(r), u, self.vocab, c, self.facts) for r, c in carried.items()}
        changed = any(
            b.unclear
            or any(carried[r].inputs.get(k) != v for k, v in b.values.items())
            or any(carried[r].roles.get(k) != v for k, v in b.roles.items())
            for r, b in bindings.items()
        )
        if not changed and not others and not (u.has("total") and len(carried) > 1):
            return None
        if len(carried) == 1 and not others:
            (rule_id, binding), = bindings.items()
            rule = self.rules.get(rule_id)
            dates, party = u.dates or pending.dates, u.party or pending.party
            # The turn may say who asks (那我们是私募证券基金，也能拿吗): the money may not reach it.
            excluded = self.askers.excluded(u, rule, computing=True)
            answer, _ = self.writer.calculation(
                question, u, rule, binding, dates, party, 1.0, excluded, opened=pending.opened
            )
            return answer, Pending((Measure.of(rule, binding),), dates, party, opened=pending.opened)
        added = self.several.named(u, self.retriever.hits(u)) if others else []
        return self.several.answer(question, u, added, carried, pending)

    def _corrected(self, u: Understanding, rule_id: str, carried: Carried) -> Carried:
        """A bare number said as a correction ("不对，是60万") replaces the one an earlier turn gave for the
        input of its unit, when the rule was given one such input."""
        bare = [q for q in u.quantities if q.role is None]
        if not u.has("correction") or len(bare) != 1:
            return carried
        given = [s for s in self.rules.get(rule_id).inputs if s.name in carried.inputs and unit_fits(s, bare[0])]
        if len(given) != 1:
            return carried
        (spec,) = given
        inputs = {k: v for k, v in carried.inputs.items() if k != spec.name}
        roles = {k: v for k, v in carried.roles.items() if k not in spec.roles}
        return Carried(inputs, roles, (spec.name,))

    def _other_region(self, question: str, u: Understanding, pending: Pending) -> tuple[Answer, Pending] | None:
        """The same provision asked of another region ("如果是浙江的高校呢" after 山东's transfer reward): the one
        rule of that region's documents of the same kind taking the same inputs, computed with what earlier
        turns gave."""
        if len(pending.measures) != 1:
            return None
        (measure,) = pending.measures
        current = self.rules.get(measure.rule_id)
        regions = self.reader.read(question).regions  # this turn's, not the earlier turns'
        if not regions or current.region in regions:
            return None
        names = {s.name for s in current.inputs}
        same = [
            r
            for r in self.rules.rules
            if r.region in regions and r.kind == current.kind and {s.name for s in r.inputs} == names
        ]
        if len(same) != 1:
            return None
        rule = same[0]
        binding = bind(rule, u, self.vocab, measure.carried, self.facts)
        dates, party = u.dates or pending.dates, u.party or pending.party
        excluded = self.askers.excluded(u, rule, computing=True)
        answer, _ = self.writer.calculation(question, u, rule, binding, dates, party, 1.0, excluded)
        return answer, Pending((Measure.of(rule, binding),), dates, party)

    def _sibling_asked(self, question: str, u: Understanding, pending: Pending) -> tuple[Answer, Pending] | None:
        """Another provision of the clause being computed, named by its trigger words ("如果代偿了呢" after the
        鲁科担 fee subsidy): computed with what earlier turns gave, the numbers and facts it shares."""
        if len(pending.measures) != 1:
            return None
        (measure,) = pending.measures
        own = self.reader.read(question)  # this turn's words, not the earlier turns it may be read with
        said = self.retriever.said(own)
        siblings = [r for r in self.rules.for_clause(measure.clause_id) if r.id != measure.rule_id]
        named = [r for r in siblings if any(w in said for w in r.triggers)]
        current = self.rules.get(measure.rule_id)
        if len(named) != 1 or any(w in said for w in current.triggers):
            return None
        if roles_taken(current, own, self.vocab.derived):  # 本金300万，月息0.35%: the interest's sources, not a loss
            return None
        rule = named[0]
        shared = {s.name for s in rule.inputs}
        inputs = {k: v for k, v in measure.carried.inputs.items() if k in shared}
        binding = bind(rule, u, self.vocab, Carried(inputs, measure.carried.roles), self.facts)
        dates, party = u.dates or pending.dates, u.party or pending.party
        excluded = self.askers.excluded(u, rule, computing=True)
        answer, _ = self.writer.calculation(question, u, rule, binding, dates, party, 1.0, excluded)
        return answer, Pending((Measure.of(rule, binding),), dates, party)

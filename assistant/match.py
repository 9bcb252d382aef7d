"""Policy matching: every measure for a subject, eligible / to confirm / not eligible, with the total.

A profile names the subject (科技型中小企业, 创业投资机构 …), optionally a region, a stage, a date and
the facts known, as rule inputs or as plain words ("去年付了80万利息，按时还款"), which are read the
way a question is. Each rule whose money goes to the subject (or a broader kind of it) is run on those
facts; each clause that serves the subject without a rule is listed with its evidence, 金额文件未明确.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.answer import Total
from assistant.bind import Binding, Carried
from assistant.money import dec, round_yuan
from assistant.rules import CalcResult, Rule, RuleBook, calculate, json_number
from assistant.subjects import Subjects
from assistant.understand import Understanding
from index.errors import InputError
from index.model import Clause, Document, cn_date

ELIGIBLE, TO_CONFIRM, NOT_ELIGIBLE, NO_AMOUNT = "eligible", "to_confirm", "not_eligible", "no_amount"
STATUSES = (ELIGIBLE, TO_CONFIRM, NOT_ELIGIBLE, NO_AMOUNT)


@dataclass(frozen=True)
class Profile:
    subject: str  # a subject type of corpus/lexicon/subjects.toml
    region: str | None = None  # part of a region name: "山东" matches 山东省
    stage: str | None = None  # 早期 / 初创期 / 成长期 / 成熟期 (of the enterprise, or of the investee)
    inputs: Mapping[str, object] = field(default_factory=dict)  # rule input → value
    description: str = ""  # facts in plain words, read as a question is
    on: dt.date | None = None  # the date the measures must be in force on (None: today)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], subjects: Subjects) -> Profile:
        """A profile from JSON/TOML, checked: unknown keys, an unknown subject or a bad date are InputErrors."""
        known = {"subject", "region", "stage", "inputs", "description", "on"}
        unknown = set(data) - known
        if unknown:
            raise InputError(f"画像中有未知字段：{'、'.join(sorted(unknown))}；可用字段：{'、'.join(sorted(known))}")
        subject = data.get("subject")
        if subject not in subjects.types:
            raise InputError(f"主体类型应为{'、'.join(subjects.types)}之一，收到“{subject}”")
        inputs = data.get("inputs") or {}
        if not isinstance(inputs, Mapping):
            raise InputError("inputs 应为“输入项: 值”的表")
        on = data.get("on")
        if isinstance(on, str):
            try:
                on = dt.date.fromisoformat(on)
            except ValueError:
                raise InputError(f"日期应写作 YYYY-MM-DD，收到“{on}”") from None
        if on is not None and not isinstance(on, dt.date):
            raise InputError(f"日期应写作 YYYY-MM-DD，收到“{on}”")
        region, stage, words = data.get("region") or None, data.get("stage") or None, data.get("description")
        return cls(subject, region, stage, dict(inputs), str(words or ""), on)


@dataclass(frozen=True)
class MatchItem:
    status: str  # one of STATUSES
    clause: Clause
    document: Document
    quote: str  # verbatim part of the clause
    rule: Rule | None
    result: CalcResult | None
    why: tuple[str, ...]  # the failing conditions, the facts to confirm, or why no amount

    @property
    def label(self) -> str:
        return self.rule.label if self.rule else self.clause.heading

    @property
    def amount(self) -> float | None:
        return self.result.amount if self.result and self.status in (ELIGIBLE, TO_CONFIRM) else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "label": self.label,
            "rule_id": self.rule.id if self.rule else None,
            "clause_id": self.clause.id,
            "doc_id": self.clause.doc_id,
            "citation": self.clause.label,
            "quote": self.quote,
            "amount": json_number(self.amount),
            "unit": self.result.unit if self.result else "元",
            "calculation": self.result.to_dict() if self.result else None,
            "why": list(self.why),
        }


@dataclass(frozen=True)
class MatchResult:
    profile: Profile
    on: dt.date
    items: tuple[MatchItem, ...]
    total: Total

    def group(self, status: str) -> tuple[MatchItem, ...]:
        return tuple(i for i in self.items if i.status == status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.profile.subject,
            "region": self.profile.region,
            "on": self.on.isoformat(),
            "groups": {status: [i.to_dict() for i in self.group(status)] for status in STATUSES},
            "total": self.total.to_dict(),
        }


Binder = Callable[[Rule, Understanding, Carried], Binding]


def match(
    profile: Profile,
    documents: tuple[Document, ...],
    rules: RuleBook,
    subjects: Subjects,
    facts: Understanding,
    binder: Binder,
) -> MatchResult:
    """Every measure of ``documents`` for the profile's subject. ``facts`` is the profile's words read,
    ``binder`` binds them to a rule (with the profile's typed inputs carried). The measures of a document
    not in force on the day are not eligible, with its period as why (listing nothing would not say why)."""
    on = profile.on or dt.date.today()
    chosen = [d for d in documents if profile.region is None or profile.region in d.region]
    items: list[MatchItem] = []
    for doc in chosen:
        found = _measures(doc, profile, rules, subjects, facts, binder, on)
        if not doc.in_force.contains(on):
            why = (f"{cn_date(on)}不在本文件施行期内（{doc.in_force.describe()}）",)
            found = [dataclasses.replace(i, status=NOT_ELIGIBLE, why=why) for i in found]
        items += found
    return MatchResult(profile, on, tuple(items), _total(items))


def _measures(
    doc: Document,
    profile: Profile,
    rules: RuleBook,
    subjects: Subjects,
    facts: Understanding,
    binder: Binder,
    on: dt.date,
) -> list[MatchItem]:
    """The document's measures for the profile's subject: with an amount (eligible, to confirm or not
    eligible by their conditions), and those serving the subject without one."""
    kinds = subjects.kinds_of(profile.subject)
    items: list[MatchItem] = []
    for clause in doc.clauses:
        own = [r for r in rules.for_clause(clause.id) if r.recipient in kinds]
        items += [_rule_item(r, clause, doc, profile, facts, binder, on) for r in own]
        # Money for a narrower kind (a 科技型企业 may be the 科技型中小企业 鲁科贷 names): to confirm.
        narrower = [
            r
            for r in rules.for_clause(clause.id)
            if r.recipient not in kinds and profile.subject in subjects.kinds_of(r.recipient)
        ]
        items += [_rule_item(r, clause, doc, profile, facts, binder, on, r.recipient) for r in narrower]
        served = subjects.serves(clause.id, profile.subject)
        if not own and not narrower and served is not None:
            quote = _sentence_with(clause, served.evidence)
            items.append(MatchItem(NO_AMOUNT, clause, doc, quote, None, None, ("金额文件未明确",)))
    return items


def _rule_item(
    rule: Rule,
    clause: Clause,
    doc: Document,
    profile: Profile,
    facts: Understanding,
    binder: Binder,
    on: dt.date,
    must_be: str | None = None,  # the narrower kind of subject the measure names, when the profile's is broader
) -> MatchItem:
    names = {s.name for s in rule.inputs}
    carried = Carried(inputs={k: v for k, v in profile.inputs.items() if k in names})
    binding = binder(rule, facts, carried)
    result = calculate(rule, binding.values, on=on)
    unmet = tuple(c.text for c in result.conditions if c.status == "unmet")
    if result.eligible is False:
        return MatchItem(NOT_ELIGIBLE, clause, doc, rule.quote, rule, result, unmet or result.steps)
    if result.amount is None and not result.missing:
        return MatchItem(NO_AMOUNT, clause, doc, rule.quote, rule, result, ("金额文件未明确",))
    labels = {s.name: s.label for s in rule.inputs}
    open_facts = (f"待确认：须为{must_be}",) if must_be else ()
    open_facts += tuple(f"需提供：{labels[m]}" for m in result.missing)
    # The narrower kind, already asked to confirm, is not listed again as the condition naming it.
    open_facts += tuple(f"待确认：{c.text}" for c in result.conditions if c.status == "unknown" and c.text != must_be)
    status = TO_CONFIRM if open_facts else ELIGIBLE
    return MatchItem(status, clause, doc, rule.quote, rule, result, open_facts)


def _total(items: list[MatchItem]) -> Total:
    """The sum of the eligible amounts; every other measure is listed with why it is left out."""
    summed = [i for i in items if i.status == ELIGIBLE and i.amount is not None and i.result and i.result.unit == "元"]
    left = [i for i in items if i not in summed]
    excluded = tuple((i.rule.id if i.rule else i.clause.id, "；".join(i.why) or i.status) for i in left)
    amount = round_yuan(sum((dec(i.amount) for i in summed if i.amount is not None), dec(0)))
    return Total(amount, "元", tuple(i.rule.id for i in summed if i.rule), excluded)


def confirmable(result: MatchResult) -> float:
    """What the measures awaiting confirmation would add, where their amount is known."""
    return round_yuan(sum((dec(i.amount) for i in result.group(TO_CONFIRM) if i.amount is not None), dec(0)))


def _sentence_with(clause: Clause, evidence: str) -> str:
    return next((s.text for s in clause.sentences if evidence in s.text), evidence)

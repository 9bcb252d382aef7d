"""Deciding, within a clause, which sentence or rule answers the question, and how.

A clause may hold several provisions (（一）: the re-discount quota, the 鲁科贷 interest subsidy, the
loan-loss split). The rule that answers is the one whose numbers the question gives (by role), else
the one whose quote holds the sentence that best matches the question, its trigger words breaking
ties; a question about a sentence no rule covers is a lookup of that sentence. A rule runs when the
question gives its inputs or asks for its amount; a question about a figure the rule states (比例,
上限, 标准) or its conditions is answered from the rule without asking for inputs.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.bind import Binding
from assistant.formulas import PROHIBITED
from assistant.rules import Rule
from assistant.understand import Understanding
from assistant.vocab import Derivation
from index.model import Clause, Sentence

CALCULATE, PARAMETER, LOOKUP = "calculate", "parameter", "lookup"
# A trigger character counts as much as a shared rare word (idf ~ 0.5–3) would; triggers name a
# provision more surely than the sentence it shares words with.
_TRIGGER_WEIGHT = 0.5
_ROLE_WEIGHT = 4


def pick_rule(
    clause: Clause,
    rules: Sequence[Rule],
    u: Understanding,
    scores: Sequence[float],
    said: str,
    derived: Sequence[Derivation],
) -> Rule | None:
    """The rule of ``clause`` the question is about, or None when it asks about another sentence.

    A rule taking the question's numbers (by role, or to derive an input) is the one; of several, the one
    filling more of its inputs with them, then the one more named (原担保费率1.2% and 少交 pick the fee saved
    over the fee subsidy, though both take the 担保金额). Otherwise only rules whose trigger words are in
    ``said`` (the question and the policy words its everyday words stand for) compete, rated by the best
    sentence their quote touches (``scores`` rate the clause's sentences against the question) plus their
    triggers; a sentence outside every rule competes alone.
    """
    if not rules:
        return None
    by_roles = [r for r in rules if roles_taken(r, u, derived)]
    if by_roles:
        # Then the one whose sentence the question matches best (对同一被担保人…最高不得超过多少: 第十六条's).
        def sentence(rule: Rule) -> float:
            return max((scores[n] for n in _touched(clause, rule)), default=0.0)

        return max(by_roles, key=lambda r: (_inputs_given(r, u, derived), _trigger_score(r, said), sentence(r)))
    covered: set[int] = set()
    best_rule: tuple[float, int, Rule] | None = None
    for i, rule in enumerate(rules):
        touched = _touched(clause, rule)
        covered.update(touched)
        fit = _remaining_fit(rule, u)
        if not _trigger_score(rule, said) + fit:
            continue  # a provision is picked by the words that name it, not by the clause it sits in
        # Among them, a word of the clause's heading names every provision alike (投早投小 for the reward
        # and for the loss subsidy of 投早投小有没有风险补偿).
        named = _trigger_score(rule, said, clause.heading)
        score = max((scores[n] for n in touched), default=0.0) + _TRIGGER_WEIGHT * (named + fit)
        if best_rule is None or (score, -i) > (best_rule[0], best_rule[1]):
            best_rule = (score, -i, rule)
    if best_rule is None:
        return None
    # The heading sentence (n = 0) and the units in parentheses name the clause, not one provision.
    others = [scores[n] for n in clause.body if n not in covered]
    if others and max(others) > best_rule[0]:
        return None
    return best_rule[2]


def fit(rules: Sequence[Rule], u: Understanding, said: str, derived: Sequence[Derivation]) -> int:
    """How well the best rule of these fits the question: the numbers it takes, and its trigger words
    (a number taken counts as much as a four-character trigger; one an input takes only as its fallback,
    a little less: a single investment fits 投早投小 better than the 落户 reward on totals)."""
    return max((_numbers_fit(r, u, derived) + _trigger_score(r, said) + _remaining_fit(r, u) for r in rules), default=0)


def _remaining_fit(rule: Rule, u: Understanding) -> int:
    """Asking what is left (还能新增多少) fits a limit that takes what is already used, as a number taken would."""
    return _ROLE_WEIGHT if tells_remaining(rule, u) else 0


def tells_remaining(rule: Rule, u: Understanding) -> bool:
    """The question asks what is left of a limit, and the rule's limit takes what is already used (of one
    party's limit, when the party is named or its balance said)."""
    used = next((s for s in rule.inputs if s.name == rule.args.get("used") and s.roles), None)
    if not u.has("remaining") or used is None:
        return False
    said = any(w in u.text for w in used.asked_with) or any(q.role in used.roles for q in u.quantities)
    return not used.asked_with or said


def _numbers_fit(rule: Rule, u: Understanding, derived: Sequence[Derivation]) -> int:
    # What is already taken of a limit (担保余额30亿) says how much remains, not which limit is asked.
    taken = roles_taken(rule, u, derived) - _used_roles(rule)
    first = {s.roles[0] for s in rule.inputs if s.roles}
    preferred = first | {source for d in derived if d.role in first for source in d.sources}
    return sum(_ROLE_WEIGHT if role in preferred else _ROLE_WEIGHT - 1 for role in taken)


def _used_roles(rule: Rule) -> set[str]:
    used = rule.args.get("used")
    return {role for s in rule.inputs if s.name == used for role in s.roles}


def accepted_roles(rules: Sequence[Rule], derived: Sequence[Derivation]) -> set[str]:
    """The roles the rules' inputs take, directly or as a source of a derived input (principal → interest)."""
    taken = _input_roles(rules)
    return taken | {source for d in derived if d.role in taken for source in d.sources}


def roles_complete(rule: Rule, u: Understanding, derived: Sequence[Derivation]) -> set[str]:
    """The roles of the question's numbers that fill the rule's inputs: taken directly, or all the sources of
    an input's derivation given (保额 and 费率 make a 保费; a 费率 alone makes nothing)."""
    given = _given_roles(u)
    taken = _input_roles([rule])
    complete = [d for d in derived if d.role in taken and set(d.sources) <= given]
    return (given & taken) | {source for d in complete for source in d.sources}


def roles_taken(rule: Rule, u: Understanding, derived: Sequence[Derivation]) -> set[str]:
    """The roles of the question's numbers that the rule takes, directly or to derive an input."""
    return _given_roles(u) & accepted_roles([rule], derived)


def _inputs_given(rule: Rule, u: Understanding, derived: Sequence[Derivation]) -> int:
    """How many of the rule's inputs the question's numbers fill, directly or as a source of a derivation
    with all its sources given (an input taking a total as its fallback is one input, however many of its
    roles are given)."""
    given = _given_roles(u)
    reachable = given | {d.role for d in derived if set(d.sources) <= given}
    return sum(1 for s in rule.inputs if reachable & set(s.roles))


def _input_roles(rules: Sequence[Rule]) -> set[str]:
    return {role for rule in rules for s in rule.inputs for role in s.roles}


def _given_roles(u: Understanding) -> set[str]:
    return {q.role for q in u.quantities if q.role}


def answer_mode(rule: Rule | None, u: Understanding, binding: Binding | None) -> str:
    if rule is None:
        return LOOKUP
    if rule.kind == PROHIBITED:  # no amount: an act said done is forbidden, else the clause is quoted
        return CALCULATE if binding is not None and breaks_a_condition(rule, binding) else LOOKUP
    given = binding is not None and (
        any(s.name in binding.values for s in rule.inputs if s.unit not in ("bool", "choice"))
        or bool(binding.unclear)
        or bool(binding.wanting)
    )
    if given:
        return CALCULATE
    if u.has("parameter", "conditions"):
        return PARAMETER
    if u.has("calc"):
        return CALCULATE
    if u.has("eligibility") and not u.has("validity"):
        return CALCULATE
    if binding is not None and breaks_a_condition(rule, binding):
        return CALCULATE  # "我们是做房地产的，也想沾鲁科贷的光": the answer is that a condition fails
    return LOOKUP


def breaks_a_condition(rule: Rule, binding: Binding) -> bool:
    return any(binding.values.get(s.name) is False for s in rule.inputs if s.unit == "bool")


def triggered(rules: Sequence[Rule], said: str) -> list[Rule]:
    """The rules whose trigger words are said, most said first."""
    return sorted((r for r in rules if _trigger_score(r, said)), key=lambda r: -_trigger_score(r, said))


def _touched(clause: Clause, rule: Rule) -> list[int]:
    """The clause's sentences the rule's quote touches."""
    return [n for n, s in enumerate(clause.sentences) if _overlaps(clause, rule, s)]


def _overlaps(clause: Clause, rule: Rule, sentence: Sentence) -> bool:
    start = clause.text.find(rule.quote)
    return start >= 0 and sentence.start < start + len(rule.quote) and start < sentence.end


def _trigger_score(rule: Rule, said: str, heading: str = "") -> int:
    """The length of the rule's trigger words found in ``said``, less those of ``heading``; one inside
    another found (责任余额 in 担保责任余额) adds nothing."""
    found = [t for t in rule.triggers if t in said and t not in heading]
    return sum(len(t) for t in found if not any(t != other and t in other for other in found))



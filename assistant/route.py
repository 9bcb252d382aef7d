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
from assistant.rules import Rule
from assistant.understand import Understanding
from index.model import Clause, Sentence

CALCULATE, PARAMETER, LOOKUP = "calculate", "parameter", "lookup"
# A trigger character counts as much as a shared rare word (idf ~ 0.5–3) would; triggers name a
# provision more surely than the sentence it shares words with.
_TRIGGER_WEIGHT = 0.5


def pick_rule(
    clause: Clause, rules: Sequence[Rule], u: Understanding, scores: Sequence[float], said: str
) -> Rule | None:
    """The rule of ``clause`` the question is about, or None when it asks about another sentence.

    ``scores`` rate each sentence of the clause against the question. A rule is rated by the best
    sentence its quote touches, plus its trigger words found in ``said`` (the question and the policy
    words its everyday words stand for); a sentence outside every rule competes alone.
    """
    if not rules:
        return None
    stated = {q.role for q in u.quantities if q.role}
    by_roles = [r for r in rules if stated & {role for s in r.inputs for role in s.roles}]
    if by_roles:
        return max(by_roles, key=lambda r: _trigger_score(r, said))
    covered: set[int] = set()
    best_rule: tuple[float, int, Rule] | None = None
    for i, rule in enumerate(rules):
        touched = [n for n, s in enumerate(clause.sentences) if _overlaps(clause, rule, s)]
        covered.update(touched)
        score = max((scores[n] for n in touched), default=0.0) + _TRIGGER_WEIGHT * _trigger_score(rule, said)
        if best_rule is None or (score, -i) > (best_rule[0], best_rule[1]):
            best_rule = (score, -i, rule)
    if best_rule is None or best_rule[0] <= 0:
        return None  # the question shares nothing with any provision of the clause
    # The heading sentence (n = 0) and the units in parentheses name the clause, not one provision.
    others = [
        scores[n] for n, s in enumerate(clause.sentences) if n not in covered and n > 0 and not s.text.startswith("（")
    ]
    if others and max(others) > best_rule[0]:
        return None
    return best_rule[2]


def applies(rules: Sequence[Rule], u: Understanding, said: str) -> bool:
    """Whether a rule of these is about the question: its numbers' roles, or its trigger words."""
    stated = {q.role for q in u.quantities if q.role}
    return any(stated & {role for s in r.inputs for role in s.roles} or _trigger_score(r, said) for r in rules)


def answer_mode(rule: Rule | None, u: Understanding, binding: Binding | None) -> str:
    if rule is None:
        return LOOKUP
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
    return LOOKUP


def _overlaps(clause: Clause, rule: Rule, sentence: Sentence) -> bool:
    start = clause.text.find(rule.quote)
    return start >= 0 and sentence.start < start + len(rule.quote) and start < sentence.end


def _trigger_score(rule: Rule, said: str) -> int:
    return sum(len(t) for t in rule.triggers if t in said)



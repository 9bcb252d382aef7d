"""Questions about several measures at once ("鲁科贷付了利息，又做了鲁科担，一共能省多少？"), and the total.

A measure is named by a term found in few clauses (鲁科贷, 鲁科担) or implied by a number only its rule
takes (利息 → the interest subsidy, 担保金额 → the guarantee fee subsidy). For an amount, a term goes
to the clause whose rule it names (鲁科贷 → （一）, not （十五） which lists it among others); for a
lookup, one clause holding every named term answers alone. The total adds what the asker receives:
a measure whose money goes to another subject (the 鲁科担 保费补贴 goes to the guarantor) is left out,
and so is one with no amount, each with why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from assistant.answer import Total
from assistant.formulas import CAP_ONLY, LIMITS, PROHIBITED, SAVING
from assistant.money import dec, round_yuan, yuan
from assistant.route import accepted_roles
from assistant.rules import CalcResult, Rule, RuleBook
from assistant.subjects import Subjects
from assistant.understand import Understanding
from assistant.vocab import Derivation
from index.search import Hit


def named_measures(
    u: Understanding,
    hits: Sequence[Hit],
    holds: Callable[[str, str], bool],
    rules: RuleBook,
    terms: Sequence[str],
    derived: Sequence[Derivation],
    role_words: Mapping[str, Sequence[str]],
    everyday: Sequence[str] = (),
) -> list[str]:
    """The clauses of the distinct measures a question names (by ``terms`` naming a measure) or implies,
    best ranked first; ``holds(clause, term)``: whether a clause names a term; ``role_words``: the words
    naming each role of a number (担保费); ``everyday``: terms the question names in everyday words
    (科技保险 → 鲁科保), after those it names itself."""
    ranked = [h.clause_id for h in hits]
    named = [t for t in terms if t in u.text]
    wants_amount = u.has("calc", "total", "parameter") or any(q.role for q in u.quantities)
    # Asked about each (鲁科贷、鲁科担分别是什么), each term goes to its own measure, as for an amount.
    # So is each measure of one's own situation, asked what it may use (拿了鲁科贷，还买了科技保险，能享受哪些).
    one_by_one = wants_amount or u.has("each", "combine", "match")
    holding_all = [c for c in ranked if named and all(holds(c, t) for t in [*named, *everyday])]
    if holding_all and not one_by_one:
        return holding_all[:1]
    chosen: list[str] = []
    if u.has("each", "combine", "total"):  # answered in the order they were asked (each, or the parts of a sum)
        named.sort(key=u.text.index)
    literal = len(named)
    for n, term in enumerate([*named, *(t for t in everyday if t not in named)]):
        holding = [c for c in ranked if holds(c, term)]
        with_rules = [c for c in holding if rules.for_clause(c)]
        pick = (with_rules or holding)[:1] if one_by_one else holding[:1]
        chosen += [c for c in pick if c not in chosen]
        literal = len(chosen) if n < len(named) else literal
    # A sum of money implies its measure; a period (3年后) or a rate only qualifies one named otherwise.
    # Beside one measure named in its own words and no total asked, a sum is background (基金规模10亿，
    # 投早投小奖励多少).
    implied = u.quantities if u.has("total") or literal != 1 else ()
    for q in implied:
        if q.role is None or q.unit != "元":
            continue
        if any(q.role in accepted_roles(rules.for_clause(c), derived) for c in chosen):
            continue
        taker = next((c for c in ranked if q.role in accepted_roles(rules.for_clause(c), derived)), None)
        taker = taker or _sole_taker(q.role, u, rules, derived) or _sole_namer(q.role, u, chosen, rules, role_words)
        if taker is not None and taker not in chosen:
            chosen.append(taker)
    if u.has("each", "combine", "total"):
        return chosen
    return sorted(chosen, key=lambda c: ranked.index(c) if c in ranked else len(ranked))


def _sole_taker(role: str, u: Understanding, rules: RuleBook, derived: Sequence[Derivation]) -> str | None:
    """The one clause of the question's regions whose rules take a number of ``role`` (贷了500万，年利率4%:
    the 鲁科贷 interest is derived from it), when retrieval ranked none of them; none when several might."""
    takers = {
        r.clause_id
        for r in rules.rules
        if (not u.regions or r.region in u.regions) and role in accepted_roles([r], derived)
    }
    return takers.pop() if len(takers) == 1 else None


def _sole_namer(
    role: str, u: Understanding, chosen: Sequence[str], rules: RuleBook, words: Mapping[str, Sequence[str]]
) -> str | None:
    """The one clause, of the question's region or else of the measures chosen, whose rule is named by
    what a sum no rule takes was paid for (担保费15万: the 鲁科担 fee subsidy, though it goes to the guarantor
    and takes the 担保金额): the answer says what becomes of it."""
    regions = set(u.regions) or {r.region for c in chosen for r in rules.for_clause(c)}
    namers = {
        r.clause_id
        for r in rules.rules
        if r.region in regions and any(w in r.triggers for w in words.get(role, ()))
    }
    return namers.pop() if len(namers) == 1 else None


def total(results: Sequence[tuple[Rule, CalcResult]], asker: str | None, subjects: Subjects) -> Total:
    """The sum of the amounts the asker receives, each measure within its own caps (already applied)."""
    summed: list[tuple[Rule, CalcResult]] = []
    excluded: list[tuple[str, str]] = []
    for rule, result in results:
        if rule.kind == PROHIBITED:  # a forbidden act: no money either way
            excluded.append((rule.id, f"{rule.label}不涉及金额"))
        elif asker and rule.recipient and not subjects.may_receive(asker, rule.recipient):
            excluded.append((rule.id, f"{rule.label}给予{rule.recipient}，不计入{asker}所得"))
        elif result.eligible is False:
            # An unmet condition says why; else the calculation does (不足一档: less than one step).
            unmet = "；".join(c.text for c in result.conditions if c.status == "unmet") or "；".join(result.steps[-1:])
            excluded.append((rule.id, f"不符合条件：{unmet}"))
        elif result.amount is None:
            labels = {s.name: s.label for s in rule.inputs}
            lacking = "、".join(labels.get(name, name) for name in result.missing)
            why = f"缺少{lacking}" if result.missing else "金额文件未明确"
            excluded.append((rule.id, f"{rule.label}{why}"))
        elif rule.kind == CAP_ONLY:  # the most the text allows, not an amount due: a sum would claim it
            excluded.append((rule.id, f"{rule.label}金额文件未明确（最高{yuan(result.amount)}）"))
        elif rule.kind in LIMITS:  # a limit the law sets, not money anyone receives
            excluded.append((rule.id, f"{rule.label}是法定限额，不是所得金额"))
        elif rule.kind == SAVING:  # a fee not paid, estimated: no one pays it out
            excluded.append((rule.id, f"{rule.label}是按费率上限估算的少交费用，不是补贴所得"))
        elif result.unit != "元":
            excluded.append((rule.id, "不是金额"))
        else:
            summed.append((rule, result))
    amount = round_yuan(sum((dec(r.amount) for _, r in summed if r.amount is not None), dec(0)))
    return Total(amount if summed else None, "元", tuple(rule.id for rule, _ in summed), tuple(excluded))

"""Rules: every quantitative provision as data tied to its clause, and ``calculate`` that runs one.

A rule file ``corpus/rules/<doc id>.toml`` holds the rules of one document (see its README). Loading
checks each rule against the corpus: its clause exists, its quote and condition texts are verbatim
parts of the clause, and every constant is written in the clause text (``0.4`` as ``40%``, ``500000``
as ``50万元``). Loading is all-or-nothing: any problem raises ``RuleError`` naming the file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import operator
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.formulas import CEILINGS, CONSTANT_ROLES, INPUT_ROLES, KINDS, Constant, Kind, Part, Quantity, Share, Tier
from assistant.money import Fewer, dec, fmt, round_yuan, written_forms, yuan
from index.corpus import Corpus
from index.errors import InputError, NotFoundError, RuleError
from index.model import Clause, InForce, cn_date

__all__ = [
    "CalcResult",
    "Condition",
    "ConditionResult",
    "Constant",
    "InputSpec",
    "Part",
    "Rule",
    "RuleBook",
    "calculate",
    "is_stated",
    "json_number",
    "load_rules",
]

CONSTANT_UNITS = ("元", "ratio", "年", "个百分点", "%", "倍")
INPUT_UNITS = ("元", "年", "ratio", "%", "倍", "bool", "choice")
# Beyond these an input is a typo (a unit slip), not a case the clauses were written for.
MAX_ITEMS = 50  # items one ``many`` input may list
INPUT_LIMITS = {"元": 1e13, "年": 100.0, "ratio": 1.0, "%": 100.0, "倍": 1000.0}
_OPS = {
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
    "==": operator.eq,
    "in": lambda value, allowed: value in allowed,
}
_UNMET = {"<=": "超过", "<": "未低于", ">=": "不足", ">": "未超过"}  # how a broken comparison reads
_NUMERIC = ("元", "年", "ratio", "%", "倍")
_TRUE, _FALSE = ("true", "是"), ("false", "否")
# Party words meaning the government's whole share (省财政 + 市财政), as questions say it.
GOVERNMENT = ("政府", "财政", "省市", "省市财政")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
# Cue words standing for a list: "@region", any word naming the rule's region (山东, 济南 …); as a
# no-cue "@outside_place", a place outside the corpus regions where the activity happens (投了一家江苏的
# 企业), "@registered_outside", a province other than the rule's that the asker is registered in,
# "@founded_before", a year the asker was set up in before the rule's period began (新设立 it is not), and
# "@invested_before", a year the investment was made in before it began (政策实施后 it is not); any other
# "@name", the words of that concept in corpus/lexicon/facts.toml.
REGION_CUE = "@region"
OUTSIDE_PLACE_CUE = "@outside_place"
REGISTERED_OUTSIDE_CUE = "@registered_outside"  # as a no-cue: the asker registered in another province
FOUNDED_BEFORE_CUE = "@founded_before"  # as a no-cue: the asker set up in a year before the rule's period
INVESTED_BEFORE_CUE = "@invested_before"  # as a no-cue: the investment made in a year before the rule's period
SINCE_INVESTED = ("ended", "running")
NO_CUE_LISTS = (OUTSIDE_PLACE_CUE, REGISTERED_OUTSIDE_CUE, FOUNDED_BEFORE_CUE, INVESTED_BEFORE_CUE)
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


@dataclass(frozen=True)
class InputSpec:
    name: str
    label: str  # how steps and follow-up questions name it
    unit: str  # one of INPUT_UNITS; "ratio" is a fraction (0.005 is 0.5%), "%" a percent number
    cues: tuple[str, ...]  # for a bool, words that state "yes"; for a choice, words that name it
    roles: tuple[str, ...] = ()  # for a number: the roles (corpus/lexicon/roles.toml) it takes, best first
    choices: tuple[str, ...] = ()  # for unit "choice"
    no_cues: tuple[str, ...] = ()  # for a bool: words that state "no" (逾期 for 按时还本付息)
    choice_cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # choice → words naming it
    many: bool = False  # a 元 input that may list several items (one loss per project)
    sums: bool = False  # a 元 input that is a total (累计): several items stated are added up
    # A fact of the firm invested in (早期、初创期): what the asker says of itself (我们创投成立十年了) is no
    # statement of it.
    of_investee: bool = False
    # A period from the investment, no figure given, read from the year it was made (去年投的): "ended" (to a
    # loss suffered: under the years since), "running" (a holding: a floor not yet reached is a wait).
    since_invested: str | None = None
    # What one party has taken of a limit (第十六条, 对同一被担保人): "还能新增多少" asks it only when one of these
    # words names the party, or a number of its role is said; else the limit asked is the company's.
    asked_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    text: str  # as the clause states it (a part of the rule's quote)
    input: str | None  # None: the text states no checkable fact, so it is always to be confirmed
    op: str
    value: float | str | bool | tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    clause_id: str
    doc_id: str
    kind: str
    constants: Mapping[str, Constant]
    inputs: tuple[InputSpec, ...]
    conditions: tuple[Condition, ...]
    unit: str  # of the amount: "元", or "%" for a rate
    region: str  # of its document
    recipient: str | None  # the subject the money goes to (corpus/lexicon/subjects.toml); None: not said
    triggers: tuple[str, ...]  # words that pick this rule among the rules of its clause
    parties: tuple[str, ...]  # of a split
    in_force: InForce
    note: str | None
    quote: str  # verbatim sentence(s) of the clause this rule rests on
    args: Mapping[str, Any]  # the formula's arguments: constants resolved, inputs by name
    # The clause stating what befalls a breach (a prohibition or a limit broken), and its verbatim part.
    penalty: tuple[str, str] | None = None


@dataclass(frozen=True)
class ConditionResult:
    text: str
    status: str  # "met" | "unmet" | "unknown"


@dataclass(frozen=True)
class CalcResult:
    rule_id: str
    clause_id: str
    inputs: Mapping[str, object]
    amount: float | None
    unit: str
    eligible: bool | None
    steps: tuple[str, ...]
    conditions: tuple[ConditionResult, ...]
    parts: tuple[Part, ...]
    missing: tuple[str, ...]
    notes: tuple[str, ...]
    left: float | None = None  # what remains of a limit after what is taken (尚可新增), where that is given
    # The amount is ``left``, not the limit: the question asks what remains (还能再做多少).
    amount_is_left: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "clause_id": self.clause_id,
            "inputs": {k: json_number(v) for k, v in self.inputs.items()},
            "amount": json_number(self.amount),
            "unit": self.unit,
            "eligible": self.eligible,
            "steps": list(self.steps),
            "conditions": [{"text": c.text, "status": c.status} for c in self.conditions],
            "parts": [{"party": p.party, "amount": json_number(p.amount)} for p in self.parts],
            "missing": list(self.missing),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class RuleBook:
    rules: tuple[Rule, ...]

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise NotFoundError(f"没有编号为“{rule_id}”的计算规则")

    def for_clause(self, clause_id: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.clause_id == clause_id)


# ---------------------------------------------------------------- calculating


def calculate(
    rule: Rule, inputs: Mapping[str, object], on: dt.date | None = None, party: str | None = None
) -> CalcResult:
    """The most ``rule`` allows for ``inputs``; bad inputs raise ``InputError`` with a Chinese message."""
    values = _values(rule, inputs)
    who = _party(rule, party) if rule.parties else None
    checked = [_check(c, rule, values) for c in rule.conditions]
    outcome = KINDS[rule.kind].function(**_bind(rule, values))
    notes = [*outcome.notes, *([rule.note] if rule.note else []), *_period(rule, on)]
    if party is not None and not rule.parties:  # a payer named in the question does not change the sum
        notes.append(f"本项不按分担方计算，所问“{party}”不影响金额")
    reasons = tuple(reason for _, reason in checked if reason)
    amount, parts, steps = outcome.amount, outcome.parts, outcome.steps
    if reasons and rule.kind in CEILINGS:  # a limit stands whatever is already taken of it: passing it breaks it
        steps = (*steps, *reasons)
    elif reasons:  # a stated fact breaks a condition: nothing is due, and the steps say why
        amount, parts, steps = 0.0, (), reasons
    elif rule.parties and amount is not None:
        amount, step, note = _share_of(parts, who)
        steps, notes = steps + step, notes + note
    eligible = False if reasons or not outcome.eligible else (None if amount is None else True)
    return CalcResult(
        rule_id=rule.id,
        clause_id=rule.clause_id,
        inputs=values,
        amount=amount,
        unit=rule.unit,
        eligible=eligible,
        steps=steps,
        conditions=tuple(result for result, _ in checked),
        parts=parts,
        missing=() if reasons else outcome.missing,
        notes=tuple(notes),
        left=None if reasons else outcome.left,
    )


def _values(rule: Rule, inputs: Mapping[str, object]) -> dict[str, object]:
    specs = {s.name: s for s in rule.inputs}
    unknown = [str(name) for name in inputs if name not in specs]
    if unknown:
        known = "、".join(specs) or "（无）"
        raise InputError(f"“{rule.label}”没有输入项{'、'.join(unknown)}；可用的输入项：{known}")
    return {name: _value(specs[name], raw) for name, raw in inputs.items() if raw is not None}


def _value(spec: InputSpec, raw: object) -> float | bool | str:
    if spec.unit == "bool":
        if isinstance(raw, bool):
            return raw
        word = raw.strip().lower() if isinstance(raw, str) else None
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise InputError(f"{spec.label}应为“是”或“否”，收到“{raw}”")
    if spec.unit == "choice":
        if isinstance(raw, str) and raw.strip() in spec.choices:
            return raw.strip()
        raise InputError(f"{spec.label}应为{'、'.join(spec.choices)}之一，收到“{raw}”")
    if spec.many and (isinstance(raw, list | tuple) or _listed(spec, raw)):
        items = raw.split(",") if isinstance(raw, str) else raw
        if not 1 <= len(items) <= MAX_ITEMS:
            raise InputError(f"{spec.label}应列出1至{MAX_ITEMS}项，收到{len(items)}项")
        return tuple(_number(spec, item) for item in items)
    return _number(spec, raw)


def _listed(spec: InputSpec, raw: object) -> bool:
    """``"20000000,15000000"``: several items of a ``many`` input written as one text."""
    return spec.many and isinstance(raw, str) and "," in raw


def _number(spec: InputSpec, raw: object) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise InputError(f"{spec.label}应为数字，收到“{raw}”")
    try:
        value = float(raw.strip() if isinstance(raw, str) else raw)
    except (ValueError, OverflowError):
        raise InputError(f"{spec.label}应为数字，收到“{raw}”") from None
    if not math.isfinite(value):
        raise InputError(f"{spec.label}不是有效数字（{raw}）")
    if value < 0:
        raise InputError(f"{spec.label}不能为负数（{raw}）")
    limit = INPUT_LIMITS[spec.unit]
    if value > limit:
        hint = "；比例请按小数填写，如0.005表示0.5%" if spec.unit == "ratio" else "，请检查单位"
        raise InputError(f"{spec.label}数值过大（{raw}），不能超过{fmt(limit, spec.unit)}{hint}")
    value = round_yuan(value) if spec.unit == "元" else value
    return Fewer(value) if isinstance(raw, Fewer) else value


def _party(rule: Rule, party: str | None) -> str | None:
    """The party of a split whose share is asked; None for the government's total."""
    if party is None or party in GOVERNMENT:
        return None
    if party in rule.parties:
        return party
    found = [p for p in rule.parties if party in p]  # "银行" → "贷款银行"
    if len(found) == 1:
        return found[0]
    raise InputError(f"分担方应为{'、'.join(rule.parties)}或“政府”（省市合计），收到“{party}”")


def _share_of(parts: tuple[Part, ...], who: str | None) -> tuple[float | None, tuple[str, ...], list[str]]:
    """The asked party's share (None: the government's total), a step for a total, a note if not stated."""
    if who is None:
        public = [p for p in parts if "财政" in p.party]
        total = round_yuan(sum(dec(p.amount) for p in public))
        if len(public) < 2:
            return total, (), []
        names, terms = "、".join(p.party for p in public), " + ".join(yuan(p.amount) for p in public)
        return total, (f"{names}合计：{terms} = {yuan(total)}",), []
    for p in parts:
        if p.party == who:
            return p.amount, (), []
    stated = "、".join(p.party for p in parts)
    return None, (), [f"本情形下文件只规定了{stated}的比例，未明确{who}的分担金额"]


def _check(cond: Condition, rule: Rule, values: Mapping[str, object]) -> tuple[ConditionResult, str | None]:
    if cond.input is None or cond.input not in values:
        return ConditionResult(cond.text, "unknown"), None
    value = values[cond.input]
    met = _OPS[cond.op](value, cond.value)
    if isinstance(value, Fewer) and cond.op in _UNMET:
        # Below a figure at or under the threshold: short of a floor, within a cap; above it, either may be.
        if value > cond.value:
            return ConditionResult(cond.text, "unknown"), None
        met = cond.op in ("<=", "<")
    if met:
        return ConditionResult(cond.text, "met"), None
    spec = next(s for s in rule.inputs if s.name == cond.input)
    if spec.unit in _NUMERIC:
        fact = f"{spec.label}{fmt(value, spec.unit)}"
        fact += "" if isinstance(value, Fewer) else f"{_UNMET[cond.op]}{fmt(cond.value, spec.unit)}"
    else:
        fact = f"{spec.label}：{'是' if value is True else '否' if value is False else value}"
    return ConditionResult(cond.text, "unmet"), f"{fact}，不符合条件（{cond.text}）"


def _bind(rule: Rule, values: Mapping[str, object]) -> dict[str, Any]:
    """The formula's arguments, with each input given as a Quantity (value None when not given)."""
    args = dict(rule.args)
    specs = {s.name: s for s in rule.inputs}
    for name, param in KINDS[rule.kind].params.items():
        if param.role in INPUT_ROLES and name in args:
            spec = specs[args[name]]
            args[name] = Quantity(spec.name, spec.label, values.get(spec.name))
    return args


def _period(rule: Rule, on: dt.date | None) -> list[str]:
    span = rule.in_force
    if on is None or span.contains(on):
        return []
    if span.end is None:
        return [f"所问日期{cn_date(on)}早于本条施行日期{cn_date(span.start)}"]
    return [f"所问日期{cn_date(on)}不在本条施行期（{span.describe()}）内"]


def json_number(value: object) -> object:
    if isinstance(value, tuple):
        return [json_number(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# ---------------------------------------------------------------- loading

_RULE_FIELDS = {"id": str, "label": str, "clause": str, "kind": str, "triggers": list, "quote": str}
_RULE_OPTIONAL = {
    "recipient": str,
    "formula": dict,
    "constants": dict,
    "inputs": list,
    "conditions": list,
    "note": str,
    "in_force": dict,
    "penalty": dict,
}


def load_rules(
    rules_dir: Path,
    corpus: Corpus,
    roles: Collection[str] | None = None,
    concepts: Collection[str] | None = None,
    subjects: Collection[str] | None = None,
) -> RuleBook:
    """All rule files of ``rules_dir``. ``roles``, ``concepts`` and ``subjects``: the number roles and
    fact concepts inputs may name, and the subject types a recipient may be (None: not checked)."""
    files = sorted(rules_dir.glob("*.toml"))
    if not files:
        raise RuleError(f"{rules_dir}: no rule files (*.toml) found")
    seen: dict[str, Path] = {}
    rules: list[Rule] = []
    for path in files:
        for rule in _load_file(path, corpus):
            unknown = {r for s in rule.inputs for r in s.roles} - set(roles) if roles is not None else set()
            if unknown:
                raise RuleError(f"{path}: rule '{rule.id}' names unknown number role(s) {sorted(unknown)}")
            if subjects is not None and rule.recipient is not None and rule.recipient not in subjects:
                raise RuleError(f"{path}: rule '{rule.id}' names unknown recipient '{rule.recipient}'")
            named = {w[1:] for s in rule.inputs for w in (*s.cues, *s.no_cues) if w.startswith("@")}
            unknown = named - {c[1:] for c in (REGION_CUE, *NO_CUE_LISTS)}
            unknown -= set(concepts or named)
            if unknown:
                raise RuleError(f"{path}: rule '{rule.id}' names unknown fact concept(s) {sorted(unknown)}")
            if rule.id in seen:
                raise RuleError(f"{path}: rule id '{rule.id}' is already used in {seen[rule.id].name}")
            seen[rule.id] = path
            rules.append(rule)
    return RuleBook(tuple(rules))


_NUMERAL = "[0-9零〇一二两三四五六七八九十百千]"


def is_stated(constant: Constant, text: str) -> bool:
    """Whether ``text`` writes the constant in one of its usual forms, not as part of a longer number."""
    forms = written_forms(constant.value, constant.unit)
    # Nor the head of one: 百分之五 is not written in 百分之五十.
    return any(re.search(rf"(?<![0-9.]){re.escape(form)}(?!{_NUMERAL})", text) for form in forms)


def _load_file(path: Path, corpus: Corpus) -> list[Rule]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise RuleError(f"{path}: cannot read ({err})") from None
    except tomllib.TOMLDecodeError as err:
        raise RuleError(f"{path}: not valid TOML ({err})") from None
    _fields(data, {"rules": list}, {}, str(path))
    if not any(d.id == path.stem for d in corpus.documents):
        raise RuleError(f"{path}: no document '{path.stem}' in the corpus (name the file after a doc id)")
    return [_rule(entry, path, corpus, n) for n, entry in enumerate(data["rules"], 1)]


def _rule(entry: object, path: Path, corpus: Corpus, n: int) -> Rule:
    where = f"{path}: rule #{n}"
    if not isinstance(entry, dict):
        raise RuleError(f"{where}: must be a table")
    if isinstance(entry.get("id"), str):
        where = f"{path}: rule '{entry['id']}'"
    _fields(entry, _RULE_FIELDS, _RULE_OPTIONAL, where)
    if not _ID.match(entry["id"]):
        raise RuleError(f"{where}: id must be lowercase ascii words joined by '-'")
    if not corpus.has_clause(entry["clause"]):
        raise RuleError(f"{where}: no clause '{entry['clause']}' in the corpus")
    clause = corpus.clause(entry["clause"])
    if clause.doc_id != path.stem:
        raise RuleError(f"{where}: clause '{clause.id}' is not in document '{path.stem}'")
    kind = KINDS.get(entry["kind"])
    if kind is None:
        raise RuleError(f"{where}: unknown kind '{entry['kind']}' (kinds: {', '.join(KINDS)})")
    quote = entry["quote"]
    if not quote or quote not in clause.text:
        raise RuleError(f"{where}: quote is not a verbatim part of clause {clause.id}")
    constants = {k: _constant(k, v, clause, where) for k, v in entry.get("constants", {}).items()}
    inputs = tuple(_input(t, f"{where}: input #{i}") for i, t in enumerate(entry.get("inputs", []), 1))
    names = [s.name for s in inputs]
    if len(set(names)) != len(names):
        raise RuleError(f"{where}: two inputs share a name")
    specs = {s.name: s for s in inputs}
    conditions = tuple(
        _condition(t, specs, constants, quote, f"{where}: condition #{i}")
        for i, t in enumerate(entry.get("conditions", []), 1)
    )
    formula = entry.get("formula", {})
    args = _args(formula, kind, specs, constants, where)
    _all_used(formula, entry.get("conditions", []), constants, specs, where)
    triggers = entry["triggers"]
    if not triggers or not _words_list(triggers):
        raise RuleError(f"{where}: triggers must be a non-empty list of words")
    shares = [*args.get("shares", ()), *args.get("shares_if", ())]
    doc_in_force = corpus.document(clause.doc_id).in_force
    return Rule(
        id=entry["id"],
        label=entry["label"],
        clause_id=clause.id,
        doc_id=clause.doc_id,
        kind=entry["kind"],
        constants=constants,
        inputs=inputs,
        conditions=conditions,
        unit=kind.unit,
        region=corpus.document(clause.doc_id).region,
        recipient=entry.get("recipient"),
        triggers=tuple(triggers),
        parties=tuple(dict.fromkeys(s.party for s in shares)),
        in_force=_in_force(entry["in_force"], where) if "in_force" in entry else doc_in_force,
        note=entry.get("note"),
        quote=quote,
        args=args,
        penalty=_penalty(entry["penalty"], corpus, where) if "penalty" in entry else None,
    )


def _penalty(table: dict[str, Any], corpus: Corpus, where: str) -> tuple[str, str]:
    """``penalty = { clause = "…#36", quote = "…" }``: the clause stating what befalls a breach, and its
    verbatim part that applies (a list's lead-in up to the item broken)."""
    clause_id, quote = table.get("clause"), table.get("quote")
    if set(table) != {"clause", "quote"} or not isinstance(clause_id, str) or not isinstance(quote, str) or not quote:
        raise RuleError(f"{where}: penalty is {{ clause = \"<clause id>\", quote = \"<verbatim part>\" }}")
    if not corpus.has_clause(clause_id):
        raise RuleError(f"{where}: penalty: no clause '{clause_id}' in the corpus")
    if quote not in corpus.clause(clause_id).text:
        raise RuleError(f"{where}: penalty: quote is not a verbatim part of clause {clause_id}")
    return clause_id, quote


def _fields(table: dict[str, Any], required: dict[str, type], optional: dict[str, type], where: str) -> None:
    for key in required:
        if key not in table:
            raise RuleError(f"{where}: missing field '{key}'")
    for key, value in table.items():
        kind = required.get(key) or optional.get(key)
        if kind is None:
            known = ", ".join([*required, *optional])
            raise RuleError(f"{where}: unknown field '{key}' (fields: {known})")
        if kind is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise RuleError(f"{where}: field '{key}' must be a number")
        elif not isinstance(value, kind):
            raise RuleError(f"{where}: field '{key}' must be {kind.__name__}")


def _constant(name: str, table: object, clause: Clause, where: str) -> Constant:
    where = f"{where}: constant '{name}'"
    if not isinstance(table, dict):
        raise RuleError(f"{where}: must be a table {{ value = …, unit = … }}")
    _fields(table, {"value": float, "unit": str}, {}, where)
    value, unit = float(table["value"]), table["unit"]
    if unit not in CONSTANT_UNITS:
        raise RuleError(f"{where}: unit must be one of {', '.join(CONSTANT_UNITS)}")
    if not math.isfinite(value) or value < 0 or (unit == "ratio" and value > 1):
        raise RuleError(f"{where}: value {value} is out of range for unit {unit}")
    constant = Constant(value, unit)
    if not is_stated(constant, clause.text):
        forms = " / ".join(written_forms(value, unit))
        raise RuleError(f"{where}: {forms} is not stated in clause {clause.id}")
    return constant


def _input(table: object, where: str) -> InputSpec:
    if not isinstance(table, dict):
        raise RuleError(f"{where}: must be a table")
    optional = {
        "cues": list,
        "roles": list,
        "choices": list,
        "no_cues": list,
        "choice_cues": dict,
        "many": bool,
        "sums": bool,
        "of_investee": bool,
        "since_invested": str,
        "asked_with": list,
    }
    _fields(table, {"name": str, "label": str, "unit": str}, optional, where)
    if not _NAME.match(table["name"]):
        raise RuleError(f"{where}: name must be a lowercase identifier")
    unit, choices = table["unit"], tuple(table.get("choices", ()))
    if unit not in INPUT_UNITS:
        raise RuleError(f"{where}: unit must be one of {', '.join(INPUT_UNITS)}")
    numeric = unit in _NUMERIC
    if numeric != ("roles" in table) or numeric == ("cues" in table) or not _words_list(table.get("roles", ["-"])):
        raise RuleError(f"{where}: a number input lists the 'roles' it takes, a yes/no or choice input its 'cues'")
    if (unit == "choice") != bool(choices) or not _words_list(choices):
        raise RuleError(f"{where}: choices (a list of words) are given exactly when unit is 'choice'")
    if not _words_list(table.get("cues", ["-"])) or not _words_list(table.get("no_cues", [])):
        raise RuleError(f"{where}: cues and no_cues must be lists of words")
    misplaced = [w for w in table.get("cues", []) if w in NO_CUE_LISTS]
    misplaced += [w for w in table.get("no_cues", []) if w == REGION_CUE]
    if misplaced:
        raise RuleError(
            f"{where}: {REGION_CUE} is a cue, {'、'.join(NO_CUE_LISTS)} are no-cues, not the reverse"
        )
    if "no_cues" in table and unit != "bool":
        raise RuleError(f"{where}: no_cues are for a bool input")
    if (table.get("many") or table.get("sums")) and unit != "元":
        raise RuleError(f"{where}: many and sums are for a 元 input")
    if table.get("since_invested", "ended") not in SINCE_INVESTED or ("since_invested" in table and unit != "年"):
        raise RuleError(f"{where}: since_invested is one of {', '.join(SINCE_INVESTED)}, for a 年 input")
    if not _words_list(table.get("asked_with", [])) or ("asked_with" in table and not numeric):
        raise RuleError(f"{where}: asked_with (a list of words) is for a number input")
    if table.get("many") and table.get("sums"):
        raise RuleError(f"{where}: an input lists items (many) or adds them up (sums), not both")
    choice_cues = table.get("choice_cues", {})
    if set(choice_cues) - set(choices) or not all(_words_list(w) for w in choice_cues.values()):
        raise RuleError(f"{where}: choice_cues map choices to lists of words")
    return InputSpec(
        name=table["name"],
        label=table["label"],
        unit=unit,
        cues=tuple(table.get("cues", ())),
        roles=tuple(table.get("roles", ())),
        choices=choices,
        no_cues=tuple(table.get("no_cues", ())),
        choice_cues={c: tuple(choice_cues.get(c, [c])) for c in choices},
        many=table.get("many", False),
        sums=table.get("sums", False),
        of_investee=table.get("of_investee", False),
        since_invested=table.get("since_invested"),
        asked_with=tuple(table.get("asked_with", ())),
    )


def _words_list(value: object) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(w, str) and w for w in value)


def _condition(
    table: object, specs: Mapping[str, InputSpec], constants: Mapping[str, Constant], quote: str, where: str
) -> Condition:
    if not isinstance(table, dict):
        raise RuleError(f"{where}: must be a table")
    optional = {"input": str, "op": str, "value": object, "constant": str}
    _fields(table, {"text": str}, optional, where)
    text = table["text"]
    if not text or text not in quote:
        raise RuleError(f"{where}: text '{text}' is not a verbatim part of the rule's quote")
    if "input" not in table:
        if set(table) != {"text"}:
            raise RuleError(f"{where}: a condition without an input has only a text")
        return Condition(text, None, "==", True)
    spec = specs.get(table["input"])
    if spec is None:
        raise RuleError(f"{where}: unknown input '{table['input']}'")
    op = table.get("op")
    if op not in _OPS:
        raise RuleError(f"{where}: op must be one of {' '.join(_OPS)}")
    if op in _UNMET:  # a comparison: the threshold is a constant, so it is checked against the clause
        const = constants.get(table.get("constant", ""))
        if spec.unit not in _NUMERIC or const is None or const.unit != spec.unit or "value" in table:
            raise RuleError(f"{where}: '{op}' compares a numeric input with a constant of the same unit")
        return Condition(text, spec.name, op, const.value)
    value = table.get("value")
    if "constant" in table:
        raise RuleError(f"{where}: '{op}' takes a value, not a constant")
    if spec.unit == "bool" and op == "==" and isinstance(value, bool):
        return Condition(text, spec.name, op, value)
    if spec.unit == "choice" and op == "==" and value in spec.choices:
        return Condition(text, spec.name, op, value)
    if spec.unit == "choice" and op == "in" and isinstance(value, list) and set(value) <= set(spec.choices):
        return Condition(text, spec.name, op, tuple(value))
    raise RuleError(f"{where}: value {value!r} does not fit input '{spec.name}' ({spec.unit}) with '{op}'")


def _args(
    table: dict[str, Any],
    kind: Kind,
    specs: Mapping[str, InputSpec],
    constants: Mapping[str, Constant],
    where: str,
) -> dict[str, Any]:
    where = f"{where}: formula"
    unknown = set(table) - set(kind.params)
    if unknown:
        raise RuleError(f"{where}: unknown argument(s) {sorted(unknown)} (arguments: {', '.join(kind.params)})")
    for group in {p.group for p in kind.params.values() if not p.required}:
        optional = [name for name, p in kind.params.items() if not p.required and p.group == group]
        if any(name in table for name in optional) and not all(name in table for name in optional):
            raise RuleError(f"{where}: {', '.join(optional)} are given together or not at all")
    args: dict[str, Any] = {}
    for name, param in kind.params.items():
        if name not in table:
            if param.required:
                raise RuleError(f"{where}: missing argument '{name}'")
            continue
        args[name] = _arg(table[name], param.role, specs, constants, f"{where}: '{name}'")
    return args


def _arg(raw: object, role: str, specs: Mapping[str, InputSpec], constants: Mapping[str, Constant], where: str) -> Any:
    if role in INPUT_ROLES:
        spec = specs.get(raw) if isinstance(raw, str) else None
        if spec is None or spec.unit != INPUT_ROLES[role]:
            raise RuleError(f"{where}: must name an input of unit {INPUT_ROLES[role]}")
        return spec.name
    if role in CONSTANT_ROLES:
        return _const(raw, CONSTANT_ROLES[role], constants, where)
    if role == "caps":
        if not isinstance(raw, list):
            raise RuleError(f"{where}: must be a list of constant names")
        return tuple(_const(c, "元", constants, where) for c in raw)
    if role == "text":
        if not isinstance(raw, str) or not raw:
            raise RuleError(f"{where}: must be a text")
        return raw
    if not isinstance(raw, list) or not raw or not all(isinstance(t, dict) for t in raw):
        raise RuleError(f"{where}: must be a non-empty list of tables")
    if role == "shares":
        return tuple(_share(t, constants, where) for t in raw)
    tiers = tuple(_tier(t, constants, where) for t in raw)
    _check_tiers(tiers, where)
    return tiers


def _const(name: object, unit: str, constants: Mapping[str, Constant], where: str) -> float:
    const = constants.get(name) if isinstance(name, str) else None
    if const is None or const.unit != unit:
        raise RuleError(f"{where}: {name!r} must name a constant of unit {unit}")
    return const.value


def _share(table: dict[str, Any], constants: Mapping[str, Constant], where: str) -> Share:
    _fields(table, {"party": str, "share": str}, {}, where)
    return Share(table["party"], _const(table["share"], "ratio", constants, where))


def _tier(table: dict[str, Any], constants: Mapping[str, Constant], where: str) -> Tier:
    _fields(table, {"amount": str}, {"min": str, "above": str, "max": str}, where)
    if ("min" in table) == ("above" in table):
        raise RuleError(f"{where}: a tier has either 'min' (inclusive) or 'above' (exclusive)")
    high = _const(table["max"], "元", constants, where) if "max" in table else None
    low = _const(table.get("min", table.get("above")), "元", constants, where)
    return Tier(low, "min" in table, high, _const(table["amount"], "元", constants, where))


def _check_tiers(tiers: tuple[Tier, ...], where: str) -> None:
    """Tiers go up without gaps or overlaps: each starts just above where the last one ended."""
    for prev, t in itertools.pairwise(tiers):
        if prev.high is None or t.low != prev.high or t.low_inclusive:
            raise RuleError(f"{where}: each tier must start 'above' the 'max' of the one before")
    for t in tiers:
        if t.high is not None and t.high <= t.low:
            raise RuleError(f"{where}: a tier's max must exceed its min")


def _all_used(
    formula: dict[str, Any],
    conditions: list[Any],
    constants: Mapping[str, Constant],
    specs: Mapping[str, InputSpec],
    where: str,
) -> None:
    """Every constant and input is used by the formula or a condition: no number rides along unchecked."""
    used = set(_words(formula)) | {w for c in conditions for w in _words(c)}
    for name in [*constants, *specs]:
        if name not in used:
            raise RuleError(f"{where}: '{name}' is declared but not used")


def _words(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [w for v in value.values() for w in _words(v)]
    if isinstance(value, list):
        return [w for v in value for w in _words(v)]
    return []


def _in_force(table: object, where: str) -> InForce:
    if not isinstance(table, dict):
        raise RuleError(f"{where}: in_force must be a table")
    _fields(table, {"start": dt.date, "basis": str}, {"end": dt.date}, f"{where}: in_force")
    start, end = table["start"], table.get("end")
    if end is not None and end < start:
        raise RuleError(f"{where}: in_force ends before it starts")
    return InForce(start, end, table["basis"])

"""A conversation's state as JSON, so that any app process can continue it after any other, or a restart.

The state is ``Conversation``'s fields: the pending calculation(s) or policy matching, the context of
the earlier turns and the answers so far. Every value comes back with its Python type: rule inputs
may be numbers, yes/no, choices or tuples of numbers, so tuples and dates are tagged in the JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from assistant.answer import Answer, Citation, Total
from assistant.bind import Carried
from assistant.conversation import Conversation, MatchPending, Measure, Pending
from assistant.formulas import Part
from assistant.match import Profile
from assistant.rules import CalcResult, ConditionResult

if TYPE_CHECKING:
    from assistant.core import Assistant

STATE_VERSION = 1


class StateError(ValueError):
    """A stored state that this version cannot continue (another format, or a rule no longer in the corpus)."""


def dump_state(conversation: Conversation) -> str:
    state = {
        "version": STATE_VERSION,
        "pending": _pending(conversation.pending),
        "context": conversation.context,
        "history": [_answer(a) for a in conversation.history],
    }
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"))


def load_state(text: str, assistant: Assistant) -> Conversation:
    """The conversation ``text`` holds, bound to ``assistant``; ``StateError`` when it cannot be continued."""
    try:
        state = json.loads(text)
        if state.get("version") != STATE_VERSION:
            raise StateError(f"state version {state.get('version')!r}, this version reads {STATE_VERSION}")
        pending = _read_pending(state["pending"])
        history = [_read_answer(a) for a in state["history"]]
        context = str(state["context"])
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise StateError(f"unreadable conversation state ({err})") from None
    if isinstance(pending, Pending):
        known = {r.id for r in assistant.rules.rules}
        gone = [m.rule_id for m in (*pending.measures, *pending.earlier) if m.rule_id not in known]
        if gone:
            raise StateError(f"rule(s) no longer in the corpus: {', '.join(gone)}")
    return Conversation(assistant, pending, history, context)


# -- values of any type (rule inputs, roles) ------------------------------------------------------
def _value(v: object) -> Any:
    if isinstance(v, tuple):
        return {"tuple": [_value(x) for x in v]}
    if isinstance(v, dt.date):
        return {"date": v.isoformat()}
    if isinstance(v, Mapping):
        return {"map": {str(k): _value(x) for k, x in v.items()}}
    if v is None or isinstance(v, bool | int | float | str):
        return v
    raise TypeError(f"a conversation value of type {type(v).__name__} cannot be stored")


def _read_value(v: Any) -> object:
    if isinstance(v, dict):
        (tag, inner), *rest = v.items()
        if rest or tag not in ("tuple", "date", "map"):
            raise ValueError(f"unknown tagged value {v!r}")
        if tag == "tuple":
            return tuple(_read_value(x) for x in inner)
        if tag == "date":
            return dt.date.fromisoformat(inner)
        return _read_map(inner)
    if isinstance(v, list):
        raise ValueError("untagged list")
    return v


def _read_map(m: Mapping[str, Any]) -> dict[str, object]:
    return {k: _read_value(x) for k, x in m.items()}


def _date(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def _read_date(d: str | None) -> dt.date | None:
    return None if d is None else dt.date.fromisoformat(d)


# -- pending -----------------------------------------------------------------------------------
def _pending(p: Pending | MatchPending | None) -> dict[str, Any] | None:
    if p is None:
        return None
    if isinstance(p, MatchPending):
        profile = p.profile
        return {
            "matching": {
                "subject": profile.subject,
                "region": profile.region,
                "stage": profile.stage,
                "inputs": _value(profile.inputs),
                "description": profile.description,
                "on": _date(profile.on),
            }
        }
    return {
        "calculation": {
            "measures": [_measure(m) for m in p.measures],
            "dates": [_date(d) for d in p.dates],
            "party": p.party,
            "earlier": [_measure(m) for m in p.earlier],
            "asker": p.asker,
            "opened": p.opened,
        }
    }


def _measure(m: Measure) -> dict[str, Any]:
    return {
        "rule_id": m.rule_id,
        "clause_id": m.clause_id,
        "inputs": _value(m.carried.inputs),
        "roles": _value(m.carried.roles),
        "asked": list(m.carried.asked),
    }


def _read_measure(m: dict[str, Any]) -> Measure:
    carried = Carried(_read_value(m["inputs"]), _read_value(m["roles"]), tuple(m["asked"]))  # type: ignore[arg-type]
    return Measure(m["rule_id"], m["clause_id"], carried)


def _read_pending(p: dict[str, Any] | None) -> Pending | MatchPending | None:
    if p is None:
        return None
    if "matching" in p:
        m = p["matching"]
        inputs = _read_value(m["inputs"])
        return MatchPending(
            Profile(m["subject"], m["region"], m["stage"], inputs, m["description"], _read_date(m["on"]))  # type: ignore[arg-type]
        )
    c = p["calculation"]
    return Pending(
        tuple(_read_measure(m) for m in c["measures"]),
        tuple(dt.date.fromisoformat(d) for d in c["dates"]),
        c["party"],
        tuple(_read_measure(m) for m in c.get("earlier", ())),
        c.get("asker"),
        c.get("opened", ""),
    )


# -- answers -----------------------------------------------------------------------------------
def _answer(a: Answer) -> dict[str, Any]:
    return {
        "question": a.question,
        "in_scope": a.in_scope,
        "answer": a.answer,
        "citations": [c.to_dict() for c in a.citations],
        "calculations": [_calc(c) for c in a.calculations],
        "follow_up": a.follow_up,
        "confidence": a.confidence,
        "related": [c.to_dict() for c in a.related],
        "total": None if a.total is None else _value(dataclasses.asdict(a.total)),
        "guard_dropped": list(a.guard_dropped),
    }


def _read_answer(a: dict[str, Any]) -> Answer:
    total = None if a["total"] is None else Total(**_read_value(a["total"]))  # type: ignore[arg-type]
    return Answer(
        question=a["question"],
        in_scope=a["in_scope"],
        answer=a["answer"],
        citations=tuple(Citation(**c) for c in a["citations"]),
        calculations=tuple(_read_calc(c) for c in a["calculations"]),
        follow_up=a["follow_up"],
        confidence=a["confidence"],
        related=tuple(Citation(**c) for c in a["related"]),
        total=total,
        guard_dropped=tuple(a["guard_dropped"]),
    )


def _calc(c: CalcResult) -> dict[str, Any]:
    return {
        "rule_id": c.rule_id,
        "clause_id": c.clause_id,
        "inputs": _value(c.inputs),
        "amount": c.amount,
        "unit": c.unit,
        "eligible": c.eligible,
        "steps": list(c.steps),
        "conditions": [[x.text, x.status] for x in c.conditions],
        "parts": [[x.party, x.amount] for x in c.parts],
        "missing": list(c.missing),
        "notes": list(c.notes),
    }


def _read_calc(c: dict[str, Any]) -> CalcResult:
    return CalcResult(
        rule_id=c["rule_id"],
        clause_id=c["clause_id"],
        inputs=_read_value(c["inputs"]),  # type: ignore[arg-type]
        amount=c["amount"],
        unit=c["unit"],
        eligible=c["eligible"],
        steps=tuple(c["steps"]),
        conditions=tuple(ConditionResult(text, status) for text, status in c["conditions"]),
        parts=tuple(Part(party, amount) for party, amount in c["parts"]),
        missing=tuple(c["missing"]),
        notes=tuple(c["notes"]),
    )

"""Bind what a question states to a rule's inputs, using the inputs' units and cue words.

A number is bound to the input whose cue word is nearest to it; with a single input of a unit
and a single number of that unit, no cue is needed. Yes/no inputs are true when a cue word is
stated and false when it is negated (没/未/不/无 just before it) or a ``no_cues`` word is stated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.money import dec
from assistant.numbers import Found
from assistant.rules import InputSpec, Rule
from assistant.understand import Understanding

_NEGATION = re.compile(r"(?:没有|没|从没|从未|未|不是|不属于|不算|不|无|非|并非)[过了有]?$")
_CUE_WINDOW = 14  # characters between a cue word and its number


def bind(rule: Rule, u: Understanding) -> dict[str, object]:
    values: dict[str, object] = {}
    by_unit: dict[str, list[InputSpec]] = {}
    for spec in rule.inputs:
        by_unit.setdefault(spec.unit, []).append(spec)
    numbers_by_unit: dict[str, Sequence[Found]] = {
        "元": u.amounts,
        "年": u.periods,
        "ratio": u.percents,
        "%": tuple(Found(float(dec(f.value) * 100), f.text, f.start, f.end) for f in u.percents),
    }
    for unit, specs in by_unit.items():
        if unit in numbers_by_unit:
            values.update(_bind_numbers(specs, numbers_by_unit[unit], u.text))
        elif unit == "bool":
            values.update({s.name: v for s in specs if (v := _bool(s, u.text)) is not None})
        elif unit == "choice":
            values.update({s.name: v for s in specs if (v := _choice(s, u.text)) is not None})
    return values


def _bind_numbers(specs: list[InputSpec], found: Sequence[Found], text: str) -> dict[str, object]:
    if not found:
        return {}
    values: dict[str, object] = {}
    taken: set[int] = set()
    for spec in specs:
        listed = _listed_after_cue(spec, found, text) if spec.many else []
        if len(listed) > 1:  # "损失分别是2000万、1500万和1000万"
            values[spec.name] = tuple(found[i].value for i in listed)
            taken.update(listed)
            continue
        best = _nearest(spec, found, text, taken)
        if best is not None:
            values[spec.name] = found[best].value
            taken.add(best)
    untaken = [i for i in range(len(found)) if i not in taken]
    unbound = [s for s in specs if s.name not in values]
    if len(unbound) == 1 and len(untaken) == 1 and len(specs) == 1:
        values[unbound[0].name] = found[untaken[0]].value
    return values


def _listed_after_cue(spec: InputSpec, found: Sequence[Found], text: str) -> list[int]:
    """Indexes of the numbers listed after a cue with 分别 (each item of a ``many`` input)."""
    if "分别" not in text:
        return []
    starts = [m.end() for cue in spec.cues for m in re.finditer(re.escape(cue), text)]
    if not starts:
        return []
    after = [i for i, f in enumerate(found) if f.start >= min(starts)]
    # The list ends where the text between two numbers is more than a separator (、，和及与).
    listed = after[:1]
    for i in after[1:]:
        if not re.fullmatch(r"[、，,和及与\s]*", text[found[listed[-1]].end : found[i].start]):
            break
        listed.append(i)
    return listed


def _nearest(spec: InputSpec, found: Sequence[Found], text: str, taken: set[int]) -> int | None:
    best: tuple[int, int] | None = None  # (distance, index)
    for cue in spec.cues:
        for m in re.finditer(re.escape(cue), text):
            for i, f in enumerate(found):
                if i in taken:
                    continue
                distance = f.start - m.end() if f.start >= m.end() else m.start() - f.end
                if 0 <= distance <= _CUE_WINDOW and (best is None or distance < best[0]):
                    best = (distance, i)
    return best[1] if best else None


def _bool(spec: InputSpec, text: str) -> bool | None:
    """Yes when a cue is stated, no when it is negated or a no-cue is stated (a negated no-cue is a yes)."""
    votes = [_stated(text, m.start()) for cue in spec.cues for m in re.finditer(re.escape(cue), text)]
    votes += [not _stated(text, m.start()) for cue in spec.no_cues for m in re.finditer(re.escape(cue), text)]
    if not votes:
        return None
    return all(votes)


def _stated(text: str, at: int) -> bool:
    """False when the words just before ``at`` negate what follows (没有逾期, 不属于中小企业)."""
    return not _NEGATION.search(text[max(0, at - 4) : at])


def _choice(spec: InputSpec, text: str) -> str | None:
    for choice, words in spec.choice_cues.items():
        if any(w in text for w in words):
            return choice
    return None

"""Declared repairs of received texts, and punctuation normalisation.

The received files are never edited: each repair is declared in the document's metadata
(``find`` / ``replace`` / expected ``count``) and applied here, with a record of each change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.errors import CorpusError
from index.model import Change


@dataclass(frozen=True)
class Repair:
    find: str
    replace: str
    count: int
    why: str


# ASCII punctuation that official Chinese texts write full-width. A comma between digits
# (1,250,000) or a colon in a time (9:30) is left alone.
_FULL_WIDTH = {",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "?": "？", "!": "！"}
_ASCII_PUNCT = re.compile(r"(?<!\d)[,:](?!\d)|[();?!]")


def apply_repairs(text: str, repairs: list[Repair], file: str) -> tuple[str, list[Change]]:
    """Apply each repair in order; a repair whose match count differs from its declaration fails."""
    changes: list[Change] = []
    for repair in repairs:
        offsets = [m.start() for m in re.finditer(re.escape(repair.find), text)]
        if not offsets:
            raise CorpusError(f"{file}: repair {repair.find!r} → {repair.replace!r} matches nothing")
        if len(offsets) != repair.count:
            raise CorpusError(
                f"{file}: repair {repair.find!r} matches {len(offsets)} places, the metadata declares {repair.count}"
            )
        changes += [Change(o, repair.find, repair.replace, repair.why) for o in offsets]
        text = text.replace(repair.find, repair.replace)
    return text, changes


def drop_repeated_lines(text: str) -> tuple[str, list[Change]]:
    """Drop a line that repeats the line just before it (a duplicated title, say)."""
    kept: list[str] = []
    changes: list[Change] = []
    offset = 0
    for line in text.split("\n"):
        if kept and line.strip() and line == kept[-1]:
            changes.append(Change(offset, line + "\n", "", "repeated line dropped"))
        else:
            kept.append(line)
        offset += len(line) + 1
    return "\n".join(kept), changes


def normalise_punctuation(text: str) -> str:
    return _ASCII_PUNCT.sub(lambda m: _FULL_WIDTH[m.group()], text)

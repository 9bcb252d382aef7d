"""Typed structure of a parsed policy document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Change:
    """One repair applied to the received text."""

    offset: int  # where, in the text before this repair
    before: str
    after: str
    why: str


@dataclass(frozen=True)
class Unit:
    """A unit responsible for a clause; ``lead`` for 牵头, otherwise 负责."""

    name: str
    lead: bool


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # span in the clause text
    end: int


@dataclass(frozen=True)
class Clause:
    """A numbered item ``（n）`` (or a paragraph, or a document-level statement)."""

    id: str
    doc_id: str
    number: int | None  # None for document-level statements
    kind: str  # "item" | "paragraph" | "notice" | "preamble" | "closing"
    heading: str
    text: str  # the repaired text, as the official document reads
    section: str
    units: tuple[Unit, ...]
    label: str
    sentences: tuple[Sentence, ...]

    @property
    def lead_units(self) -> tuple[str, ...]:
        return tuple(u.name for u in self.units if u.lead)

    @property
    def other_units(self) -> tuple[str, ...]:
        return tuple(u.name for u in self.units if not u.lead)


@dataclass(frozen=True)
class InForce:
    start: dt.date
    end: dt.date | None
    basis: str  # the sentence of the text that states the period

    def contains(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def describe(self) -> str:
        if self.end is None:
            return f"自{cn_date(self.start)}起施行（文件未规定截止日期）"
        return f"{cn_date(self.start)}至{cn_date(self.end)}"


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Document:
    id: str
    doc_number: str
    title: str
    short_title: str
    issuers: tuple[str, ...]
    region: str
    issued: dt.date
    in_force: InForce
    text: str  # the whole repaired text
    changes: tuple[Change, ...]
    clauses: tuple[Clause, ...]  # numbered items (or paragraphs)
    statements: tuple[Clause, ...] = field(default=())  # notice, preamble, closing

    @property
    def all_clauses(self) -> tuple[Clause, ...]:
        return self.clauses + self.statements

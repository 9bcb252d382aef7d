"""Typed structure of a parsed policy document, its history, relations and status on a date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

from index.errors import InputError

LEVELS = ("全国", "省", "市", "县")  # 直辖市 and 自治区 count as 省
DOC_TYPES = ("法律", "行政法规", "地方性法规", "规章", "规范性文件")
POLICY_TYPE = "规范性文件"  # policy measures, as against laws and regulations
EVENTS = ("通过", "修订", "修正", "批准", "公布", "印发", "施行")


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
    kind: str  # "item" | "article" | "section" | "paragraph" | "notice" | "preamble" | "closing" | "annex"
    heading: str
    text: str  # the repaired text, as the official document reads
    section: str
    units: tuple[Unit, ...]
    label: str
    sentences: tuple[Sentence, ...]

    @property
    def body(self) -> tuple[int, ...]:
        """Indexes of the sentences that carry its provisions: a policy item's heading sentence and its
        trailing units in parentheses name it rather than provide anything (an article's items stay)."""
        n = len(self.sentences)
        first = 1 if self.kind == "item" and n > 1 else 0
        last = n - 1 if self.units and n - 1 > first and self.sentences[-1].text.startswith("（") else n
        return tuple(range(first, last))

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


def cite(title: str, doc_number: str | None) -> str:
    """《title》 followed by （文号） when there is one: how labels and answers name a document."""
    return f"《{title}》（{doc_number}）" if doc_number else f"《{title}》"


@dataclass(frozen=True)
class Event:
    """One dated step of the document's history, as its text states it (e.g. 2015年8月29日 …修正)."""

    date: dt.date
    kind: str  # one of EVENTS
    text: str


class RelationKind(StrEnum):
    IMPLEMENTS = "implements"  # 根据《X》… / 为贯彻落实《X》…: this document carries X out
    CITES = "cites"  # names X (a title or a 文号) otherwise
    AMENDS = "amends"  # 关于修改《X》的决定
    REPLACES = "replaces"  # 《X》同时废止: X stops when this document starts
    REPLACED_BY = "replaced_by"  # declared in the old document's metadata, or derived from a REPLACES
    # Derived at load time from the other documents' relations; never written in metadata.
    IMPLEMENTED_BY = "implemented_by"
    CITED_BY = "cited_by"
    AMENDED_BY = "amended_by"


DECLARED_RELATIONS = frozenset(
    {RelationKind.IMPLEMENTS, RelationKind.CITES, RelationKind.AMENDS, RelationKind.REPLACES, RelationKind.REPLACED_BY}
)
INVERSE = {
    RelationKind.IMPLEMENTS: RelationKind.IMPLEMENTED_BY,
    RelationKind.CITES: RelationKind.CITED_BY,
    RelationKind.AMENDS: RelationKind.AMENDED_BY,
    RelationKind.REPLACES: RelationKind.REPLACED_BY,
}


@dataclass(frozen=True)
class Relation:
    kind: RelationKind
    target: str  # the other document as the text names it: a title (without 《》) or a 文号
    doc_id: str | None = None  # that document's id when the corpus holds it
    on: dt.date | None = None  # replaces / replaced_by: the day the successor takes over
    basis: str = ""  # the sentence stating it ("" when derived from the other document)

    @property
    def cited(self) -> str:
        """The target as a reader writes it: 《title》, or the 文号 alone."""
        return self.target if re.search(r"〔\d{4}〕.*号$", self.target) else f"《{self.target}》"


# How a reader names each relation of a document to another (the add command, the 文件库 tab, the API).
RELATION_NAMES = {
    RelationKind.IMPLEMENTS: "实施",
    RelationKind.CITES: "引用",
    RelationKind.AMENDS: "修改",
    RelationKind.REPLACES: "替代（废止）",
    RelationKind.REPLACED_BY: "被替代",
    RelationKind.IMPLEMENTED_BY: "被实施",
    RelationKind.CITED_BY: "被引用",
    RelationKind.AMENDED_BY: "被修改",
}


class Status(StrEnum):
    NOT_YET_IN_FORCE = "not_yet_in_force"
    IN_FORCE = "in_force"
    EXPIRED = "expired"
    REPLACED = "replaced"

    @property
    def label(self) -> str:
        """The status as filters and tables name it: 现行有效, 已失效, 已被替代 or 尚未施行."""
        return STATUS_LABELS[self]

    @classmethod
    def named(cls, name: str) -> Status:
        """The status its label (现行有效) or its value (in_force) names; ``InputError`` listing the labels."""
        for status in cls:
            if name in (status.label, status.value):
                return status
        raise InputError(f"状态“{name}”无效，可选：{'、'.join(STATUS_LABELS.values())}")


STATUS_LABELS = {
    Status.IN_FORCE: "现行有效",
    Status.EXPIRED: "已失效",
    Status.REPLACED: "已被替代",
    Status.NOT_YET_IN_FORCE: "尚未施行",
}


def parse_date(text: str) -> dt.date:
    """A date typed by a person, as ``YYYY-MM-DD``; ``InputError`` in Chinese otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"日期“{text.strip()}”格式不正确，请写作 2025-06-30") from None


@dataclass(frozen=True)
class DocStatus:
    """What a document is on a given day, since when, and what replaced it."""

    status: Status
    since: dt.date  # the first day of this status
    successor: Relation | None = None  # for REPLACED: the replacing document

    def describe(self) -> str:
        """One Chinese phrase, e.g. 自2029年1月1日起已失效."""
        since = cn_date(self.since)
        if self.status is Status.NOT_YET_IN_FORCE:
            return f"尚未施行（{since}起施行）"
        if self.status is Status.IN_FORCE:
            return f"现行有效（{since}起施行）"
        if self.status is Status.EXPIRED:
            return f"自{since}起已失效"
        assert self.successor is not None
        return f"自{since}起已被{self.successor.cited}替代"


@dataclass(frozen=True)
class Document:
    id: str
    doc_number: str | None  # 文号; None for laws and regulations, which are cited by title and date
    title: str
    short_title: str
    issuers: tuple[str, ...]
    region: str  # 全国, 山东省, 山东省青岛市 …
    level: str  # one of LEVELS
    doc_type: str  # one of DOC_TYPES
    issued: dt.date
    in_force: InForce
    text: str  # the whole repaired text
    changes: tuple[Change, ...]
    clauses: tuple[Clause, ...]  # numbered items (or articles, sections, paragraphs)
    statements: tuple[Clause, ...] = field(default=())  # notice, preamble, closing
    history: tuple[Event, ...] = ()
    relations: tuple[Relation, ...] = ()  # declared ones and those derived from the rest of the corpus
    to_confirm: tuple[str, ...] = ()  # metadata fields that ``add`` could not find and a person should check

    @property
    def all_clauses(self) -> tuple[Clause, ...]:
        return self.clauses + self.statements

    @property
    def cited_as(self) -> str:
        return cite(self.title, self.doc_number)

    def related(self, kind: RelationKind) -> tuple[Relation, ...]:
        return tuple(r for r in self.relations if r.kind is kind)

    def status(self, on: dt.date) -> DocStatus:
        """In force, not yet in force, expired or replaced on ``on`` (a replacement wins over the dates)."""
        replaced = [r for r in self.related(RelationKind.REPLACED_BY) if r.on is not None and r.on <= on]
        if replaced:
            first = min(replaced, key=lambda r: r.on or on)
            return DocStatus(Status.REPLACED, first.on or on, first)
        if on < self.in_force.start:
            return DocStatus(Status.NOT_YET_IN_FORCE, self.in_force.start)
        if self.in_force.end is not None and on > self.in_force.end:
            return DocStatus(Status.EXPIRED, self.in_force.end + dt.timedelta(days=1))
        return DocStatus(Status.IN_FORCE, self.in_force.start)

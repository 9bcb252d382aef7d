"""Parse a repaired policy text into notice → sections → clauses → sentences.

Three layouts are recognised:
- laws and regulations: 第X章 (or a bare chapter heading) → 第X条, see ``index.articles``;
- policy documents: optional cover notice, the title line, a preamble, sections ``一、``, items
  ``（一）`` numbered straight through or restarting in each section (or ``1.`` items where a document
  has no ``（一）``), each item often ending with the units responsible in parentheses, then closing
  statements (validity, source);
- sections ``一、`` alone: each section is a clause.
A text with none of these loads as paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cn2an

from index.errors import CorpusError
from index.model import Clause, Sentence, Unit, cite

SECTION = re.compile(r"^([一二三四五六七八九十]+)、(.*)$")
_ITEM_CN = re.compile(r"^（([一二三四五六七八九十百]+)）(.*)$")
_ITEM_ARABIC = re.compile(r"^(\d{1,3})[.．、](?!\d)(.*)$")
# The trailing parentheses naming the units responsible.
_UNITS = re.compile(r"（((?:责任单位：)?[^（）]*(?:牵头|负责|责任单位：)[^（）]*)）$")
# A sentence never starts with the line breaks between two paragraphs.
_SENTENCE_END = re.compile(r"[^。！？；\n][^。！？；]*[。！？；]|[。！？；]|[^。！？；\n][^。！？；]*$")
_HEADING_END = re.compile(r"[。！？；]")
# Each layout as a reader names it: with its chapters or parts, and without (a law of articles alone).
_STRUCTURES = {
    "articles": ("章→条", "条"),
    "items": ("部分→（一）项", "（一）项"),
    "sections": ("一、部分", "一、部分"),
}


@dataclass(frozen=True)
class DocHeader:
    """What the parser needs of the metadata."""

    doc_id: str
    title: str
    doc_number: str | None

    @property
    def cited_as(self) -> str:
        return cite(self.title, self.doc_number)


@dataclass(frozen=True)
class Parsed:
    clauses: tuple[Clause, ...]
    statements: tuple[Clause, ...]
    layout: str  # "articles" | "items" | "sections" | "paragraphs"
    problems: tuple[str, ...] = field(default=())  # numbering gaps and the like, in Chinese, for a person to check

    @property
    def structure(self) -> str:
        """The layout as a reader names it; a chapter or part level only when the text has one (第X章, 一、)."""
        sectioned, flat = _STRUCTURES.get(self.layout, ("段落", "段落"))
        return sectioned if any(c.section for c in self.clauses) else flat


def parse_document(text: str, head: DocHeader, file: str) -> Parsed:
    from index.articles import is_article_layout, parse_articles  # articles imports this module's helpers

    lines = [line.strip() for line in text.split("\n") if line.strip()]
    title_at = _title_line(lines, head.title)
    front, body = (lines[:title_at], lines[title_at + 1 :]) if title_at is not None else ([], lines)
    if is_article_layout(body):
        return parse_articles(front, body, head, file)
    item_pattern = _item_pattern(body)
    if item_pattern is None:
        if sum(bool(SECTION.match(line)) for line in body) >= 2:
            return _as_sections(front, body, head)
        return _as_paragraphs(front, body, head)

    restarts = _numbering_restarts(body, item_pattern)
    statements: list[Clause] = []
    clauses: list[Clause] = []
    problems: list[str] = []
    preamble: list[str] = []
    closing: list[str] = []
    section, section_numeral = "", ""
    current: list[str] | None = None  # lines of the item being read
    current_number = 0
    seen: set[int] = set()

    def close_item() -> None:
        if current is None:
            return
        number = len(clauses) + 1 if restarts else current_number
        part = f"第{section_numeral}部分" if restarts else ""
        clauses.append(_make_item(number, "".join(current), section, head, part))

    for line in body:
        if m := SECTION.match(line):
            close_item()
            current = None
            section_numeral, section = m.group(1), m.group(2).strip()
            seen = set() if restarts else seen
            continue
        if m := item_pattern.match(line):
            close_item()
            number = numeral(m.group(1))
            if number in seen:
                raise CorpusError(f"{file}: duplicate clause id {head.doc_id}#{number}")
            if number != max(seen, default=0) + 1:
                problems.append(f"第（{cn2an.an2cn(max(seen, default=0))}）项之后是第（{cn2an.an2cn(number)}）项")
            seen.add(number)
            current_number, current = number, [line]
            continue
        if current is None:
            (closing if clauses else preamble).append(line)
        elif _UNITS.search(current[-1]):  # the item is complete: what follows is closing text
            close_item()
            current = None
            closing.append(line)
        else:
            current.append(line)
    close_item()

    if front:
        statements.append(statement("notice", "印发通知", "\n".join(front), head))
    if preamble:
        statements.append(statement("preamble", "前言", "\n".join(preamble), head))
    if closing:
        statements.append(statement("closing", "附则", "\n".join(closing), head))
    return Parsed(tuple(clauses), tuple(statements), "items", tuple(problems))


def _title_line(lines: list[str], title: str) -> int | None:
    """Index of the last line, before the first item, that is the document's title."""
    found = None
    for i, line in enumerate(lines):
        if SECTION.match(line) or _ITEM_CN.match(line):
            break
        if line == title:
            found = i
    return found


def _item_pattern(body: list[str]) -> re.Pattern[str] | None:
    if any(_ITEM_CN.match(line) for line in body):
        return _ITEM_CN
    if any(_ITEM_ARABIC.match(line) for line in body):
        return _ITEM_ARABIC
    return None


def _numbering_restarts(body: list[str], item_pattern: re.Pattern[str]) -> bool:
    """True when the items start again at one in a later section (一、（一）（二） 二、（一）…)."""
    items_before, new_section = 0, False
    for line in body:
        if SECTION.match(line):
            new_section = True
        elif m := item_pattern.match(line):
            if new_section and items_before and numeral(m.group(1)) == 1:
                return True
            items_before, new_section = items_before + 1, False
    return False


def numeral(text: str) -> int:
    """``四十五`` → 45, ``12`` → 12."""
    return int(text) if text.isdigit() else int(cn2an.cn2an(text, "smart"))



def heading_of(text: str, limit: int = 40) -> str:
    """The first sentence (up to 。！？；), at most ``limit`` characters."""
    return _HEADING_END.split(text, maxsplit=1)[0][:limit]


def _make_item(number: int, text: str, section: str, head: DocHeader, part: str) -> Clause:
    m = _ITEM_CN.match(text) or _ITEM_ARABIC.match(text)
    assert m is not None  # only called on lines that matched
    return Clause(
        id=f"{head.doc_id}#{number}",
        doc_id=head.doc_id,
        number=number,
        kind="item",
        heading=_HEADING_END.split(m.group(2), maxsplit=1)[0],
        text=text,
        section=section,
        units=parse_units(text),
        label=f"{head.cited_as}{part}第（{cn2an.an2cn(numeral(m.group(1)))}）条",
        sentences=split_sentences(text),
    )


def statement(kind: str, heading: str, text: str, head: DocHeader) -> Clause:
    """A document-level statement: ``#notice``, ``#preamble`` or ``#closing``."""
    return Clause(
        id=f"{head.doc_id}#{kind}",
        doc_id=head.doc_id,
        number=None,
        kind=kind,
        heading=heading,
        text=text,
        section="",
        units=(),
        label=f"{head.cited_as}{heading}",
        sentences=split_sentences(text),
    )


def _as_sections(front: list[str], body: list[str], head: DocHeader) -> Parsed:
    """Sections ``一、`` with their paragraphs, each a clause; lines before the first are the preamble."""
    groups: list[list[str]] = []
    preamble: list[str] = []
    for line in body:
        if SECTION.match(line):
            groups.append([line])
        elif groups:
            groups[-1].append(line)
        else:
            preamble.append(line)
    clauses: list[Clause] = []
    problems: list[str] = []
    for lines in groups:
        m = SECTION.match(lines[0])
        assert m is not None
        number = numeral(m.group(1))
        if number != len(clauses) + 1:
            problems.append(f"第{cn2an.an2cn(len(clauses))}部分之后是“{m.group(1)}、”")
        text = "\n".join(lines)
        clauses.append(
            Clause(
                id=f"{head.doc_id}#{len(clauses) + 1}",
                doc_id=head.doc_id,
                number=number,
                kind="section",
                heading=heading_of(m.group(2)),
                text=text,
                section=heading_of(m.group(2)),
                units=parse_units(text),
                label=f"{head.cited_as}第{m.group(1)}条",
                sentences=split_sentences(text),
            )
        )
    statements = [statement("notice", "印发通知", "\n".join(front), head)] if front else []
    if preamble:
        statements.append(statement("preamble", "前言", "\n".join(preamble), head))
    return Parsed(tuple(clauses), tuple(statements), "sections", tuple(problems))


def _as_paragraphs(front: list[str], body: list[str], head: DocHeader) -> Parsed:
    clauses = tuple(
        Clause(
            id=f"{head.doc_id}#{n}",
            doc_id=head.doc_id,
            number=n,
            kind="paragraph",
            heading=heading_of(line, 30),
            text=line,
            section="",
            units=parse_units(line),
            label=f"{head.cited_as}第{n}段",
            sentences=split_sentences(line),
        )
        for n, line in enumerate(body, start=1)
    )
    notice = (statement("notice", "印发通知", "\n".join(front), head),) if front else ()
    return Parsed(clauses, notice, "paragraphs")


def parse_units(text: str) -> tuple[Unit, ...]:
    """Units from the trailing parentheses: ``（A、B牵头，C、D按职责分工负责）`` or ``（责任单位：A、B）``."""
    m = _UNITS.search(text)
    if not m:
        return ()
    inner = m.group(1)
    if inner.startswith("责任单位："):
        names = re.split(r"[、，]", inner.removeprefix("责任单位："))
        return tuple(Unit(n.strip(), lead=False) for n in names if n.strip())
    units: list[Unit] = []
    for part in inner.split("，"):
        lead = part.endswith("牵头")
        part = re.sub(r"(牵头|按职责分工负责|负责)$", "", part)
        units += [Unit(n.strip(), lead) for n in part.split("、") if n.strip()]
    return tuple(units)


def split_sentences(text: str) -> tuple[Sentence, ...]:
    return tuple(Sentence(m.group(), m.start(), m.end()) for m in _SENTENCE_END.finditer(text) if m.group().strip())

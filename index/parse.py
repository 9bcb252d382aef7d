"""Parse a repaired policy text into notice → sections → clauses → sentences.

Layout handled (the usual one of Chinese policy documents): optional cover notice, the
title line, a preamble, sections ``一、``, items ``（一）`` numbered straight through (or
``1.`` items where a document has no ``（一）``), each item ending with the units
responsible in parentheses, then closing statements (validity, source). A text with no
numbered items loads as paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

from index.errors import CorpusError
from index.model import Clause, Sentence, Unit

_SECTION = re.compile(r"^([一二三四五六七八九十]+)、(.*)$")
_ITEM_CN = re.compile(r"^（([一二三四五六七八九十百]+)）(.*)$")
_ITEM_ARABIC = re.compile(r"^(\d{1,3})[.．、](?!\d)(.*)$")
# The trailing parentheses naming the units responsible.
_UNITS = re.compile(r"（((?:责任单位：)?[^（）]*(?:牵头|负责|责任单位：)[^（）]*)）$")
_SENTENCE_END = re.compile(r"[^。！？；]*[。！？；]|[^。！？；]+$")


@dataclass(frozen=True)
class DocHeader:
    """What the parser needs of the metadata."""

    doc_id: str
    title: str
    doc_number: str


@dataclass(frozen=True)
class Parsed:
    clauses: tuple[Clause, ...]
    statements: tuple[Clause, ...]


def parse_document(text: str, head: DocHeader, file: str) -> Parsed:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    title_at = _title_line(lines, head.title)
    front, body = (lines[:title_at], lines[title_at + 1 :]) if title_at is not None else ([], lines)
    item_pattern = _item_pattern(body)
    if item_pattern is None:
        return _as_paragraphs(front, body, head)

    statements: list[Clause] = []
    clauses: list[Clause] = []
    preamble: list[str] = []
    closing: list[str] = []
    section = ""
    current: list[str] | None = None  # lines of the item being read
    current_number = 0
    seen: set[int] = set()

    def close_item() -> None:
        if current is None:
            return
        item = _make_item(current_number, "".join(current), section, head)
        clauses.append(item)

    for line in body:
        if m := _SECTION.match(line):
            close_item()
            current = None
            section = m.group(2).strip()
            continue
        if m := item_pattern.match(line):
            close_item()
            current_number = _number(m.group(1))
            if current_number in seen:
                raise CorpusError(f"{file}: duplicate clause id {head.doc_id}#{current_number}")
            seen.add(current_number)
            current = [line]
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
        statements.append(_statement("notice", "印发通知", "\n".join(front), head))
    if preamble:
        statements.append(_statement("preamble", "前言", "\n".join(preamble), head))
    if closing:
        statements.append(_statement("closing", "附则", "\n".join(closing), head))
    return Parsed(tuple(clauses), tuple(statements))


def _title_line(lines: list[str], title: str) -> int | None:
    """Index of the last line, before the first item, that is the document's title."""
    found = None
    for i, line in enumerate(lines):
        if _SECTION.match(line) or _ITEM_CN.match(line):
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


def _number(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else int(cn2an.cn2an(numeral, "smart"))


def _make_item(number: int, text: str, section: str, head: DocHeader) -> Clause:
    m = _ITEM_CN.match(text) or _ITEM_ARABIC.match(text)
    assert m is not None  # only called on lines that matched
    rest = m.group(2)
    heading = re.split(r"[。！？；]", rest, maxsplit=1)[0]
    return Clause(
        id=f"{head.doc_id}#{number}",
        doc_id=head.doc_id,
        number=number,
        kind="item",
        heading=heading,
        text=text,
        section=section,
        units=parse_units(text),
        label=f"《{head.title}》（{head.doc_number}）第（{cn2an.an2cn(number)}）条",
        sentences=split_sentences(text),
    )


def _statement(kind: str, heading: str, text: str, head: DocHeader) -> Clause:
    return Clause(
        id=f"{head.doc_id}#{kind}",
        doc_id=head.doc_id,
        number=None,
        kind=kind,
        heading=heading,
        text=text,
        section="",
        units=(),
        label=f"《{head.title}》（{head.doc_number}）{heading}",
        sentences=split_sentences(text),
    )


def _as_paragraphs(front: list[str], body: list[str], head: DocHeader) -> Parsed:
    clauses = tuple(
        Clause(
            id=f"{head.doc_id}#{n}",
            doc_id=head.doc_id,
            number=n,
            kind="paragraph",
            heading=re.split(r"[。！？；]", line, maxsplit=1)[0][:30],
            text=line,
            section="",
            units=parse_units(line),
            label=f"《{head.title}》（{head.doc_number}）第{n}段",
            sentences=split_sentences(line),
        )
        for n, line in enumerate(body, start=1)
    )
    notice = (_statement("notice", "印发通知", "\n".join(front), head),) if front else ()
    return Parsed(clauses, notice)


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

"""The layout of laws and regulations: 第X章 (or a bare heading such as 组织实施) → 第X条.

An article runs from its ``第X条`` line to the next article or heading and keeps its paragraphs
(款) and items (（一）…) as separate lines. Clause ids are the article numbers (第四十五条 → #45,
第十条之一 → #10-1), so they stay put when a text is re-read. Numbers must run 1, 2, 3 …: a gap or
a repeat is reported, never silently renumbered.
"""

from __future__ import annotations

import re

import cn2an

from index.model import Clause
from index.parse import DocHeader, Parsed, heading_of, numeral, split_sentences, statement

_CN = "零〇一二三四五六七八九十百千"
ARTICLE = re.compile(rf"^第([{_CN}]+)条(?:之([一二三四五六七八九十]+))?([\s　]*)(.*)$")
CHAPTER = re.compile(rf"^第([{_CN}]+)([编章节])[\s　]*(.*)$")
# A bare chapter heading (组织实施, 附　则): short, no punctuation, and an article follows it.
_BARE_HEADING = re.compile(r"^[\u4e00-\u9fff\s　]{2,20}$")
_TOC = re.compile(r"^目[\s　]*录$")
# What a law prints after its last article: 附件：…, 附件1 …, 附表, 附录 (not 附则, a chapter).
_ANNEX = re.compile(r"^附(?:件|表|录)[\s　]*[\d一二三四五六七八九十]*(?:[：:\s　]|$)")
_SPACES = re.compile(r"[\s　]+")
# The first line of an order promulgating a law or regulation (中华人民共和国国务院令 / 第654号 / …现予公布).
ORDER_NAME = re.compile(r"^[\u4e00-\u9fff]{1,20}令$")


def is_article_layout(body: list[str]) -> bool:
    """At least two articles, the first being 第一条."""
    numbers = [m.group(1) for line in body if (m := ARTICLE.match(line)) and m.group(3) and not m.group(2)]
    return len(numbers) >= 2 and "一" in numbers


def parse_articles(front: list[str], body: list[str], head: DocHeader, file: str) -> Parsed:
    articles: list[tuple[int, int, list[str], str]] = []  # number, 之N, lines, section
    headings: dict[str, str] = {}  # 编, 章, 节 → heading in force
    preamble: list[str] = []
    annex: list[str] = []  # from an 附件 line after the last article on: not part of that article
    problems: list[str] = []
    last = 0
    last_article = max((i for i, line in enumerate(body) if ARTICLE.match(line)), default=len(body))
    for i, line in enumerate(body):
        if annex or (i > last_article and _ANNEX.match(line)):
            annex.append(line)
            continue
        if m := ARTICLE.match(line):
            number, sub = numeral(m.group(1)), numeral(m.group(2)) if m.group(2) else 0
            # A paragraph may start by citing an earlier article (第七条规定的…): only a
            # larger number, or the next one, starts an article.
            if (m.group(3) or number == last + 1) and (number > last or (number == last and sub)):
                if number > last + 1:
                    problems.append(f"第{cn2an.an2cn(last)}条之后是第{m.group(1)}条，中间的条文缺失")
                articles.append((number, sub, [line], _section(headings)))
                last = number
                continue
        if m := CHAPTER.match(line):
            level = m.group(2)
            headings = {k: v for k, v in headings.items() if "编章节".index(k) < "编章节".index(level)}
            headings[level] = f"第{m.group(1)}{level} {_SPACES.sub('', m.group(3))}".strip()
            continue
        if _is_bare_heading(line, body[i + 1 : i + 2]):
            headings = {"章": _SPACES.sub("", line)}
            continue
        if _TOC.match(line) and not articles:
            continue
        if articles:
            articles[-1][2].append(line)
        else:
            preamble.append(line)

    clauses = tuple(_article(number, sub, lines, section, head) for number, sub, lines, section in articles)
    statements = []
    if front:  # above the title: the order that promulgated it, or a notice that issued it
        order = any(ORDER_NAME.match(line) for line in front)
        statements.append(statement("notice", "公布令" if order else "印发通知", "\n".join(front), head))
    if preamble:
        statements.append(statement("preamble", "题注", "\n".join(preamble), head))
    if annex:
        statements.append(statement("annex", "附件", "\n".join(annex), head))
    return Parsed(clauses, tuple(statements), "articles", tuple(problems))


def _section(headings: dict[str, str]) -> str:
    return " ".join(headings[k] for k in "编章节" if k in headings)


def _is_bare_heading(line: str, following: list[str]) -> bool:
    starts = following and (ARTICLE.match(following[0]) or CHAPTER.match(following[0]))
    return bool(_BARE_HEADING.match(line) and starts)


def _article(number: int, sub: int, lines: list[str], section: str, head: DocHeader) -> Clause:
    m = ARTICLE.match(lines[0])
    assert m is not None  # only called on article lines
    text = "\n".join(lines)
    suffix = f"-{sub}" if sub else ""
    name = f"第{m.group(1)}条" + (f"之{m.group(2)}" if sub else "")
    return Clause(
        id=f"{head.doc_id}#{number}{suffix}",
        doc_id=head.doc_id,
        number=number,
        kind="article",
        heading=heading_of(m.group(4)),
        text=text,
        section=section,
        units=(),  # laws name no units responsible in parentheses
        label=f"{head.cited_as}{name}",
        sentences=split_sentences(text),
    )

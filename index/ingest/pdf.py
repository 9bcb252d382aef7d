"""PDF text through pdfplumber, with the page layout undone.

A PDF breaks paragraphs into lines at the right margin and into pages; headers, footers and page
numbers repeat on every page. The lines are re-joined into paragraphs: a line continues the one before
when that one reached the right margin and this one is neither indented nor the start of a numbered
unit (第X条, 第X章, （一）, 一、) nor a dated history line. Lines repeated on most pages (headers,
footers) and page numbers are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from index.errors import IngestError
from index.ingest.read import drop_furniture

_STARTS_UNIT = re.compile(
    r"^(?:第[零〇一二三四五六七八九十百千]+[条章节编]|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d{4}年\d{1,2}月\d{1,2}日)"
)
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class _Line:
    text: str
    x0: float
    x1: float
    page: int


def read_pdf(path: Path) -> list[str]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [
                [_Line(t["text"].strip(), t["x0"], t["x1"], n) for t in page.extract_text_lines() if t["text"].strip()]
                for n, page in enumerate(pdf.pages)
            ]
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError) as err:
        raise IngestError(f"不是有效的 PDF 文件：{path.name}（{err}）") from None
    if not any(pages):
        raise IngestError(f"PDF 中没有可提取的文字（可能是扫描件，请先做文字识别）：{path.name}")
    return join_lines(_drop_running_lines(pages))


def _drop_running_lines(pages: list[list[_Line]]) -> list[_Line]:
    """Drop page numbers, and headers/footers: the first or last lines repeated (digits aside) on most pages."""
    edges = Counter(
        key for page in pages for key in {_DIGITS.sub("#", line.text) for line in page[:2] + page[-2:]}
    )
    running = {key for key, count in edges.items() if len(pages) >= 3 and count >= 0.6 * len(pages)}
    kept = [line for page in pages for line in page if _DIGITS.sub("#", line.text) not in running]
    texts = set(drop_furniture([line.text for line in kept]))
    return [line for line in kept if line.text in texts]


def _repeated(values: Iterable[float]) -> list[int]:
    return [x for x, count in Counter(round(v) for v in values).items() if count >= 2]


def join_lines(lines: list[_Line]) -> list[str]:
    if not lines:
        return []
    char = median((line.x1 - line.x0) / max(len(line.text), 1) for line in lines)
    # The margins are where several lines begin and end (one odd line does not move them).
    left = min(_repeated(line.x0 for line in lines), default=min(line.x0 for line in lines))
    right = max(_repeated(line.x1 for line in lines), default=max(line.x1 for line in lines))
    paragraphs: list[str] = []
    previous: _Line | None = None
    for line in lines:
        continues = (
            previous is not None
            and previous.x1 >= right - 1.5 * char  # the line before ran to the margin
            and line.x0 <= left + 0.5 * char  # this one is not indented or centred
            and not _STARTS_UNIT.match(line.text)
        )
        if continues:
            paragraphs[-1] += line.text
        else:
            paragraphs.append(line.text)
        previous = line
    return paragraphs

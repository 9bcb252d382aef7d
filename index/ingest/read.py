"""Read a received file into lines of text, one paragraph a line, through a well-kept parser per format.

.txt and .md (markdown-it-py), .docx (python-docx), .pdf (pdfplumber, lines re-joined in
``index.ingest.pdf``), .html (trafilatura, which drops navigation, sidebars and footers). A site's info
table (www.gov.cn: 发文机关, 发文字号, 成文日期 …) in a web page or a Word file is taken out of the text and
kept apart, and a table of one cell that only lays a page out is read as the paragraphs it holds. What a
reader cannot turn into text is an ``IngestError`` with a Chinese message.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.errors import FileTooLargeError, IngestError, UnsupportedFileError
from index.ingest.detect import TITLE_END, InfoTable, info_table

MAX_BYTES = 20 * 1024 * 1024  # a policy text is well under 1 MB; a larger file is not one document
FORMATS = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
# Page furniture that web pages and PDFs put around the text.
_FURNITURE = re.compile(
    r"^(?:[-—–\s]*\d+[-—–\s]*|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+"
    r"|【?(?:打印本页|关闭窗口|打印|关闭|返回顶部)】?(?:\s*【?(?:打印本页|关闭窗口|打印|关闭)】?)*"
    r"|字号[：:].*|分享到[：:]?.*|(?:上|下)一篇[：:].*|首页\s*[>＞].*|当前位置[：:].*|版权所有.*|网站标识码.*|.*ICP备.*)$"
)


@dataclass(frozen=True)
class Received:
    text: str  # what the corpus keeps: a .txt as received (in UTF-8), else the extracted paragraphs
    lines: tuple[str, ...]  # paragraphs, stripped, none empty
    title_hint: str | None  # a title the format states apart from the text (info table, docx properties, html <h1>)
    format: str  # the suffix, e.g. ".pdf"
    info: InfoTable | None = None  # the site's info table that came with the text


def read_file(path: Path) -> Received:
    if not path.is_file():
        raise IngestError(f"找不到文件：{path}")
    check_received(path.name, path.stat().st_size, MAX_BYTES)
    suffix = path.suffix.lower()
    reader = _READERS[suffix]
    lines, hint, info = reader(path)
    kept = tuple(line for line in (_clean(x) for x in lines) if line)
    if not kept:
        raise IngestError(f"文件中没有可读的文字：{path.name}")
    verbatim = suffix == ".txt"  # markdown is stored as the text it renders, without its markup
    text = decode(path.read_bytes(), path.name) if verbatim else "\n".join(kept) + "\n"
    hint = info.title if info and info.title else hint
    return Received(text, kept, _clean(hint) if hint else None, suffix, info)


def check_received(name: str, size: int, limit: int) -> None:
    """What refuses a file before it is read: its type, or its size (empty, or over ``limit`` bytes)."""
    suffix = Path(name).suffix.lower()
    if suffix not in _READERS:
        raise UnsupportedFileError(f"不支持的文件类型“{suffix or '无扩展名'}”：{name}（支持 {'、'.join(FORMATS)}）")
    if size == 0:
        raise IngestError(f"文件是空的：{name}")
    if size > limit:
        raise FileTooLargeError(f"文件太大（{size / 2**20:.2f} MB，上限 {limit / 2**20:g} MB）：{name}")


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else GB18030, the two encodings Chinese texts come in."""
    if b"\x00" in data[:4096]:
        raise IngestError(f"不是文本文件（含二进制内容）：{name}")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError(f"无法识别文本编码（应为 UTF-8 或 GBK）：{name}")


def drop_furniture(lines: list[str]) -> list[str]:
    return [line for line in lines if not _FURNITURE.match(line.strip())]


def _clean(line: str) -> str:
    return line.replace("\u00a0", " ").replace("\u200b", "").strip()


# What a reader returns: the paragraphs, a title stated apart from them, a site's info table.
_Read = tuple[list[str], str | None, InfoTable | None]


def _read_txt(path: Path) -> _Read:
    return decode(path.read_bytes(), path.name).splitlines(), None, None


def _read_md(path: Path) -> _Read:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(decode(path.read_bytes(), path.name))
    lines: list[str] = []
    marker = ""
    for token in tokens:
        if token.type == "list_item_open" and token.info:  # keep "1." of ordered lists: it numbers items
            marker = token.info + token.markup
        elif token.type == "inline":
            words = [c.content if c.type != "softbreak" else "\n" for c in token.children or []]
            lines += (marker + "".join(words)).split("\n")
            marker = ""
    return lines, None, None


def _read_docx(path: Path) -> _Read:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise IngestError(f"不是有效的 Word 文件（.docx）：{path.name}（{err}）") from None
    lines: list[str] = []
    info = None
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            cells = [cell.text for row in block.rows for cell in row.cells]
            table = info_table(cells) if info is None else None
            if len(cells) == 1:  # laying the page out: its paragraphs are the text
                lines += cells[0].split("\n")
            elif table is None:
                lines += ["　".join(cell.text.strip() for cell in row.cells) for row in block.rows]
            info = info or table
        else:
            lines += block.text.split("\n")
    return lines, document.core_properties.title or None, info


def _read_pdf(path: Path) -> _Read:
    from index.ingest.pdf import read_pdf

    return read_pdf(path), None, None


def _read_html(path: Path) -> _Read:
    import lxml.html
    import trafilatura

    page = lxml.html.fromstring(decode(path.read_bytes(), path.name))
    # trafilatura keeps the page's title apart from the text: take the first heading that reads as a title.
    headings = [h.text_content().strip() for h in page.xpath("//h1|//h2|//h3")]
    info = None
    for table in reversed(page.xpath("//table")):  # the inner tables first: a layout table may hold the others
        cells = [cell for cell in table.xpath(".//td|.//th") if next(cell.iterancestors("table")) is table]
        if len(cells) == 1:  # laying the page out: its paragraphs are the text, not one row of a table
            cells[0].tag = "div"
            table.getparent().replace(table, cells[0])
        elif info is None:
            info = info_table([cell.text_content() for cell in cells])
            if info is not None:
                table.drop_tree()
    text = trafilatura.extract(page, output_format="txt", favor_recall=True, include_tables=True)
    if not text:
        raise IngestError(f"网页中没有找到正文：{path.name}")
    return drop_furniture(text.split("\n")), next((h for h in headings if TITLE_END.search(h)), None), info


_READERS: dict[str, Callable[[Path], _Read]] = {
    ".txt": _read_txt,
    ".md": _read_md,
    ".docx": _read_docx,
    ".pdf": _read_pdf,
    ".html": _read_html,
    ".htm": _read_html,
}

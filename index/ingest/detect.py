"""Find a document's metadata in its text: title, 文号, issuers, dated history, period in force, relations.

Each finder reads the lines as a person would: the title is the first line that is not a 文号 or a
date (joined with the next line when a long title was broken in two); the history is the dated lines
under the title (``2015年8月29日 …会议…修正``); the period in force comes from ``自…起施行``,
``自发布之日起施行``, a ``YYYY年M月D日 施行`` line and ``有效期至…`` / ``有效期X年``. What is not
found is listed in ``Detected.missing`` for ``add`` to mark as to be confirmed, never guessed silently.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from index.articles import ARTICLE, CHAPTER, ORDER_NAME
from index.model import EVENTS, Event, Relation, RelationKind, cn_date
from index.parse import SECTION, numeral
from index.relations import title_key

# The kinds of document a title ends with (an edition or status in brackets may follow: 办法（试行）);
# a title ending otherwise (《义勇军进行曲》, 《营业执照》) names a work or a form, no document.
_KINDS = (
    "法|条例|规定|办法|细则|规则|决定|意见|通知|通告|公告|措施|方案|规划|计划|纲要|要点|目录|名录|清单"
    "|标准|准则|规范|规程|守则|章程|指引|指南|解释|批复|函|修正案"
)
TITLE_END = re.compile(rf"(?:{_KINDS})(?:[（(][^（）()]{{1,12}}[）)])?$")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【(（]\d{4}[〕\]］】)）]第?\d{1,5}号")
_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
_DATE_LINE = re.compile(rf"^{_DATE}$")
_HISTORY = re.compile(rf"^{_DATE}[\s　]*(.*?)((?:第[一二三四五六七八九十]+次)?(?:{'|'.join(EVENTS)}|发布))$")
_ADOPTION = ("通过", "修订", "修正")
_NOTE = re.compile(r"[（(](.+)[）)]")
# Where a bracketed history passes to its next event: a space or 根据 before a date.
_NOTE_SPLIT = re.compile(r"(?:[\s　，,；;]+(?:根据)?|根据)(?=\d{4}年\d{1,2}月\d{1,2}日)")
_PROMULGATED = re.compile(r"已(?:经|由)([^，。]+?)通过，现予(?:公布|发布)")
_ORDER_NUMBER = re.compile(r"^第[一二三四五六七八九十百千零〇\d]+号$")
_CN_NUM = "一二三四五六七八九十百零〇"
# The body that met, once its term (第十二届) is taken out:
# 全国人民代表大会常务委员会第二十九次会议 → 全国人民代表大会常务委员会; 国务院第177次常务会议 → 国务院
_BODY = re.compile(rf"^(.+?)第[{_CN_NUM}\d]+次(?:常务)?会议")
_TERM = re.compile(rf"第[{_CN_NUM}]+届")
_ORDER = re.compile(r"^(.+?)令第?\d+号")
_START = re.compile(rf"自{_DATE}起(?:施行|实施|执行|生效)")
_START_ON_ISSUE = re.compile(r"自(?:公布|发布|印发|颁布)之日起(?:施行|实施|执行|生效)")
_END = re.compile(rf"有效期至{_DATE}|至{_DATE}(?:止|废止|失效)")
_YEARS = re.compile(r"有效期(?:为)?([一二三四五六七八九十\d]+)年")
_SENTENCE = re.compile(r"[^。；！？\n]*[。；！？]|[^。；！？\n]+$")
_QUOTED = re.compile(r"《([^《》]{2,60})》(?:[（(]([^（）()]*?〔\d{4}〕[^（）()]*?号)[）)])?")
# The info table government sites print above a text (www.gov.cn: 索引号, 主题分类, 发文机关, 成文日期, 标题,
# 发文字号, 发布日期, 主题词), a label in a cell, its value in the next cell or after the colon.
_INFO_LABELS = ("索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期", "主题词")
_SPACED_LABELS = "|".join(r"\s*".join(label) for label in _INFO_LABELS)  # 索 引 号, 标　　题
_INFO_LABEL = re.compile(rf"^\s*({_SPACED_LABELS})\s*[：:]?\s*(.*?)\s*$", re.S)
_INFO_DATE = re.compile(r"^(\d{4})(?:年|-)(\d{1,2})(?:月|-)(\d{1,2})日?$")
_ISSUER_LINE = re.compile(
    r"^[\u4e00-\u9fff（）]{2,30}(?:办公厅|办公室|委员会|人民政府|政府|厅|局|委|部|分行|银行|中心|院|会|室)$"
)


@dataclass(frozen=True)
class InfoTable:
    """What a site's info table states about the document it carries."""

    title: str | None
    issuers: tuple[str, ...]  # 发文机关
    number: str | None  # 发文字号: a 文号 (国发〔2024〕7号) or an order's number (国务院令第654号)
    written: dt.date | None  # 成文日期
    published: dt.date | None  # 发布日期


@dataclass(frozen=True)
class Detected:
    title: str
    title_break: str | None  # the title as broken over two lines in the text, when it was
    doc_number: str | None
    issuers: tuple[str, ...]
    history: tuple[Event, ...]
    issued: dt.date | None
    start: dt.date | None
    end: dt.date | None
    in_force_basis: str
    relations: tuple[Relation, ...]
    missing: tuple[str, ...] = field(default=())  # metadata fields not found in the text


def detect(lines: list[str], info: InfoTable | None = None) -> Detected:
    """The metadata the text states; what it leaves unsaid is taken from a site's info table, if one came with it."""
    header, body = _split_header(lines)
    title, title_break = find_title(header)
    number = next((m.group() for line in header for m in [DOC_NUMBER.search(line)] if m and len(line) < 40), None)
    if number is None and info and info.number and DOC_NUMBER.fullmatch(info.number):
        number = info.number
    history = _history(header, info)
    issued = _issued(history, header + body[-4:]) or (info.published if info else None)
    start, end, basis = _in_force(lines, history, issued)
    issuers = _issuers(history, header + body[-8:]) or (info.issuers if info else ())
    missing = [name for name, value in (("issued", issued), ("in_force", start), ("issuers", issuers)) if not value]
    return Detected(
        title=title,
        title_break=title_break,
        doc_number=number,
        issuers=issuers,
        history=history,
        issued=issued,
        start=start,
        end=end,
        in_force_basis=basis,
        relations=find_relations(body, title, number),
        missing=tuple(missing),
    )


def _split_header(lines: list[str]) -> tuple[list[str], list[str]]:
    """The lines before the first chapter, article or section, and the rest."""
    for i, line in enumerate(lines):
        if ARTICLE.match(line) or CHAPTER.match(line) or SECTION.match(line) or line.startswith("（一）"):
            return lines[:i], lines[i:]
    return lines, []


def find_title(header: list[str]) -> tuple[str, str | None]:
    """The title line, and the two-line form it was broken into, if it was ("" when none is found)."""
    notice = next((line for line in header if line.startswith("关于印发《")), None)
    if notice:  # a cover notice: the document is the one it prints, when the text holds its title
        inner = re.sub(r"^关于印发《(.*)》的通知$", r"\1", notice)
        if inner in header:
            return inner, None
    for at, line in enumerate(header):
        if _is_furniture_of_title(line):
            continue
        if TITLE_END.search(line):
            return line, None
        following = header[at + 1] if at + 1 < len(header) else ""
        if following and not _is_furniture_of_title(following) and TITLE_END.search(line + following):
            return line + following, f"{line}\n{following}"
    return "", None


def _is_furniture_of_title(line: str) -> bool:
    return bool(
        DOC_NUMBER.fullmatch(line)
        or _DATE_LINE.match(line)
        or _HISTORY.match(line)
        or len(line) > 60
        or re.search(r"[。；：:]", line)
        or line.startswith(("（", "("))
    )


def _history(header: list[str], info: InfoTable | None) -> tuple[Event, ...]:
    """The dated events of the header: one per line, a bracketed 题注, and a promulgation order; then the
    info table's 成文日期, as the order's 公布 or the notice's 印发, unless the text dates that event itself."""
    events = [e for line in header for e in _events(line)]
    seen = {(e.date, e.kind) for e in events}
    events += [e for e in _promulgation(header) if (e.date, e.kind) not in seen]
    if info and info.written:
        ordered = bool(info.number and _ORDER.match(info.number))
        kind, by = ("公布", info.number) if ordered else ("印发", info.number or "、".join(info.issuers))
        if kind not in {e.kind for e in events}:
            events.append(Event(info.written, kind, f"{cn_date(info.written)} {by}{kind}"))
    return tuple(sorted(events, key=lambda e: e.date))


def info_table(cells: list[str]) -> InfoTable | None:
    """A site's info table read from its cells in reading order, when at least three of them are its labels."""
    fields: dict[str, str] = {}
    labels = [_INFO_LABEL.match(cell) for cell in cells]
    for at, label in enumerate(labels):
        name = re.sub(r"\s", "", label.group(1)) if label else ""
        if label is None or name in fields:
            continue
        following = cells[at + 1].strip() if at + 1 < len(cells) and labels[at + 1] is None else ""
        fields[name] = label.group(2) or following
    if len(fields) < 3:
        return None

    def day(name: str) -> dt.date | None:
        m = _INFO_DATE.match(fields.get(name, ""))
        return _date(*m.groups()) if m else None

    return InfoTable(
        title=fields.get("标题") or None,
        issuers=tuple(re.split(r"[\s、，,；;]+", fields["发文机关"].strip())) if fields.get("发文机关") else (),
        number=fields.get("发文字号") or None,
        written=day("成文日期"),
        published=day("发布日期"),
    )


def _events(line: str) -> list[Event]:
    """A history line, or the 题注 under a law's title that holds its whole history in brackets:
    （2004年8月28日…会议通过　根据2015年4月24日…《关于修改…的决定》第一次修正　根据…第二次修正）.
    All of the bracket is read or none of it, so a version is never silently left out."""
    if (event := _event(line)) is not None:
        return [event]
    m = _NOTE.fullmatch(line)
    if not m:
        return []
    parts = [p.strip() for p in _NOTE_SPLIT.split(m.group(1)) if p.strip()]
    # each part one dated event: a part holding two dates was not split where it should have been
    events = [_event(p) if len(re.findall(_DATE, p)) == 1 else None for p in parts]
    return [e for e in events if e is not None] if events and all(events) else []


def _promulgation(header: list[str]) -> list[Event]:
    """The order that promulgated a law or regulation, as printed above its text:
    中华人民共和国国务院令 / 第654号 / 《…》已经2014年7月23日国务院第57次常务会议通过，现予公布… / 总理 … / 2014年8月7日
    (or 已由…会议于2002年6月29日通过): its adoption, and its publication on the date that closes the order."""
    events = []
    for at, line in enumerate(header):
        if m := _PROMULGATED.search(line):
            said = m.group(1)
            if d := re.search(_DATE, said):
                body = re.sub(rf"于?{_DATE}", "", said).strip()
                events.append(Event(_date(*d.groups()), "通过", f"{d.group()} {body}通过"))
        following = header[at + 1] if at + 1 < len(header) else ""
        if ORDER_NAME.match(line) and _ORDER_NUMBER.match(following):
            dated = next((d for d in header[at + 2 :] if _DATE_LINE.match(d)), None)
            if dated:
                events.append(Event(_date(*_DATE_LINE.match(dated).groups()), "公布", f"{dated} {line}{following}公布"))
    return events


def _event(line: str) -> Event | None:
    m = _HISTORY.match(line)
    if not m:
        return None
    word = m.group(5)
    kind = next(e for e in (*EVENTS, "发布") if word.endswith(e))
    return Event(_date(m.group(1), m.group(2), m.group(3)), "公布" if kind == "发布" else kind, line)


def _issued(history: tuple[Event, ...], lines: list[str]) -> dt.date | None:
    """Publication of the current version: its 公布, else its adoption, else a date alone on a line."""
    adopted = [e for e in history if e.kind in _ADOPTION]
    if adopted:
        last = max(e.date for e in adopted)
        published = [e.date for e in history if e.kind == "公布" and e.date >= last]
        return min(published) if published else last
    published = [e.date for e in history if e.kind in ("公布", "印发")]
    if published:
        return max(published)
    dates = [_date(*m.groups()) for line in lines if (m := _DATE_LINE.match(line))]
    return dates[0] if dates else None


def _in_force(
    lines: list[str], history: tuple[Event, ...], issued: dt.date | None
) -> tuple[dt.date | None, dt.date | None, str]:
    """Start, end and the sentence(s) stating them; read from the end, where texts state their period."""
    start = end = None
    years = 0  # 有效期X年: X years from the start
    start_basis = end_basis = ""
    for line in reversed(lines):
        for sentence in _SENTENCE.findall(line):
            if start is None and (m := _START.search(sentence)):
                start, start_basis = _date(*m.groups()), sentence
            elif start is None and issued and _START_ON_ISSUE.search(sentence):
                start, start_basis = issued, sentence
            if end is None and (m := _END.search(sentence)):
                end, end_basis = _date(*[g for g in m.groups() if g]), sentence
            elif end is None and not years and (m := _YEARS.search(sentence)):
                years, end_basis = numeral(m.group(1)), sentence
    if start is None:
        effective = [e for e in history if e.kind == "施行"]
        if effective:
            start, start_basis = effective[-1].date, effective[-1].text
    if end is None and years and start is not None:
        end = dt.date(start.year + years, start.month, start.day) - dt.timedelta(days=1)
    basis = start_basis if end_basis in ("", start_basis) else start_basis + end_basis
    return start, end, basis.strip()


def _issuers(history: tuple[Event, ...], lines: list[str]) -> tuple[str, ...]:
    """The body that adopted the current version (laws), else the signature lines before a date (notices)."""
    adopted = [e for e in history if e.kind in _ADOPTION]
    if adopted:
        text = max(adopted, key=lambda e: e.date).text
        text = _TERM.sub("", re.sub(rf"^{_DATE}[\s　]*", "", text))
        if m := _BODY.match(text):
            return (m.group(1).removeprefix("中华人民共和国"),)
    published = [e for e in history if e.kind == "公布"]
    if published and (m := _ORDER.match(re.sub(rf"^{_DATE}[\s　]*", "", published[-1].text))):
        return (m.group(1).removeprefix("中华人民共和国"),)
    for i, line in enumerate(lines):
        if _DATE_LINE.match(line):
            names = []
            for before in reversed(lines[:i]):
                if not _ISSUER_LINE.match(before):
                    break
                names.insert(0, before)
            if names:
                return tuple(names)
    return ()


def find_relations(body: list[str], title: str, doc_number: str | None) -> tuple[Relation, ...]:
    """Documents the text names by title or 文号, and how: implements, amends, replaces, or only cites."""
    own = {title_key(title), doc_number}
    found: dict[str, Relation] = {}
    strength = [RelationKind.CITES, RelationKind.IMPLEMENTS, RelationKind.AMENDS, RelationKind.REPLACES]
    for line in body:
        for sentence in _SENTENCE.findall(line):
            quotes = list(_QUOTED.finditer(sentence))
            targets = [(m.group(2) or m.group(1), m.start(), m.end()) for m in quotes if _names_document(m)]
            quoted = "".join(m.group() for m in quotes)
            numbers = [m for m in DOC_NUMBER.finditer(sentence) if m.group() not in quoted]
            targets += [(m.group(), m.start(), m.end()) for m in numbers]
            for target, start, end in targets:
                if title_key(target) in own or target in own:
                    continue
                kind = _relation_kind(sentence[:start], sentence[end:])
                old = found.get(target)
                if old is None or strength.index(kind) > strength.index(old.kind):
                    found[target] = Relation(kind, target.strip(), basis=sentence.strip())
    return tuple(found.values())


def _names_document(quote: re.Match[str]) -> bool:
    """《X》 names a document when a 文号 follows it or X ends in a kind of document, from the title's form alone."""
    return bool(quote.group(2) or TITLE_END.search(quote.group(1)))


def _relation_kind(before: str, after: str) -> RelationKind:
    if re.match(r"^[^。；]{0,20}(?:同时)?(?:废止|停止执行|不再执行)", after):
        return RelationKind.REPLACES
    if re.search(r"关于修改$|对$", before) and re.match(r"^(?:的决定|作如下修改|进行修改)", after):
        return RelationKind.AMENDS
    # 根据《X》…制定本条例 / 为贯彻落实《X》: carrying X out; 依照《X》予以处罚 only cites it.
    if (re.search(r"(?:根据|依据)$", before) and "制定" in after) or re.search(r"贯彻(?:落实)?$|为实施$", before):
        return RelationKind.IMPLEMENTS
    return RelationKind.CITES


def _date(year: str, month: str, day: str) -> dt.date:
    return dt.date(int(year), int(month), int(day))


def doc_type(title: str, issuers: tuple[str, ...], level: str, history: tuple[Event, ...]) -> str:
    """法律 / 行政法规 / 地方性法规 / 规章 / 规范性文件, from the title's last word and who adopted it."""
    by = "".join(issuers)
    ordered = any("令" in e.text for e in history if e.kind == "公布")
    if "人民代表大会" in by:
        return "法律" if level == "全国" and title.endswith("法") else "地方性法规"
    if by == "国务院" and title.endswith("条例"):
        return "行政法规"
    if ordered and re.search(r"(?:办法|规定|细则)$", title):
        return "规章"
    return "规范性文件"

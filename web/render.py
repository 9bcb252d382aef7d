"""Answers, clauses and calculator results as markdown or HTML that shows every user or document text as text.

Two ways in: ``text_md`` / ``text_html`` for plain text (a question, a clause), which escape everything;
``neutralize`` for the assistant's markdown, which keeps its markdown but turns any HTML in it into text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from assistant import compose, money
from assistant.match_report import NOTHING, MatchReport, ReportItem
from assistant.rules import CalcResult, Rule
from index.model import Clause, Document
from index.search import Hit

# ASCII punctuation with a meaning in markdown; "<", ">" and "&" are left to html.escape.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$=])")
_STATUS_WORDS = {"met": "已满足", "unmet": "不满足", "unknown": "待确认"}


def text_html(text: str) -> str:
    """Plain text for an HTML fragment."""
    return html.escape(text, quote=True)


def text_md(text: str) -> str:
    """Plain text for markdown: no markup, no HTML, no math; shows exactly the characters given."""
    return html.escape(_MD_SPECIAL.sub(r"\\\1", text), quote=False)


def neutralize(markdown: str) -> str:
    """The assistant's markdown with any HTML in it shown as text (markdown syntax such as ``>`` kept)."""
    return markdown.replace("&", "&amp;").replace("<", "&lt;")


def clause_link(clause_id: str) -> str:
    """A link that opens the clause in the 条款查询 tab."""
    return f"?clause={quote(clause_id, safe='')}"


def question_markdown(question: str) -> str:
    return text_md(question)


def answer_markdown(answer: Mapping[str, Any]) -> str:
    """``Answer.to_dict()`` for the chat: steps and the conditions checklist collapsible, citations as links."""
    calculation = answer.get("calculation") or {}
    conditions = calculation.get("conditions") or []
    blocks = []
    for block in neutralize(str(answer["answer"])).split("\n\n"):
        head, _, body = block.partition("\n")
        if head == "**测算过程**" and body:
            blocks.append(_details("测算过程", body, is_open=True))
        elif head == "**条件核对**" and body:
            unmet = any(c["status"] == "unmet" for c in conditions)
            blocks.append(_details(f"条件核对（{_count(conditions)}）", body, is_open=unmet))
        else:
            blocks.append(block)
    citations = answer.get("citations") or []
    if citations:
        links = "；".join(f"[{text_md(c['label'])}]({clause_link(c['clause_id'])})" for c in citations)
        blocks.append(f"**引用条款**：{links}")
    return "\n\n".join(blocks)


def calc_markdown(rule: Rule, result: CalcResult, clause: Clause, party: str | None = None) -> str:
    """A calculator's result: conclusion with the amount, steps, conditions, and the clause quote."""
    lines = [
        calc_conclusion(rule, result, party),
        *compose.steps_block(result),
        *compose.conditions_block(result),
        "",
        f"**依据**：{clause.label}",
        f"> {rule.quote}",
    ]
    return neutralize("\n".join(lines))


def calc_conclusion(rule: Rule, result: CalcResult, party: str | None = None) -> str:
    """The first line of a calculator's result; ``party`` is the share asked for (None: the most allowed)."""
    if result.eligible is False:
        unmet = "；".join(c.text for c in result.conditions if c.status == "unmet")
        return f"**结论**：按所填情况，**不符合**{rule.label}的条件（{unmet}），本项不能享受。"
    if result.missing:
        labels = "、".join(s.label for s in rule.inputs if s.name in result.missing)
        return f"**结论**：请填写{labels}后再计算。"
    if result.amount is None:
        return f"**结论**：{rule.label}的具体金额文件未明确。"
    if party:
        who = f"{party}承担"
    elif rule.parties:
        who = "省市财政合计承担"
    else:
        who = "最高可获"
    tail = "（须满足下列待确认条件）" if any(c.status == "unknown" for c in result.conditions) else ""
    return f"**结论**：{rule.label}按本条规定，{who} **{money.fmt(result.amount, result.unit)}**{tail}。"


def error_markdown(message: str) -> str:
    return f"【注意】{text_md(message)}"


def error_html(message: str) -> str:
    return f'<div class="pa-empty">【注意】{text_html(message)}</div>'


def match_html(report: MatchReport) -> str:
    """A match for the 政策匹配 tab: the profile, each group's measures with amount, quote, citation (a
    link that opens the clause) and why, then the total; every text escaped."""
    profile = "　".join(f"{text_html(what)}：{text_html(value)}" for what, value in report.profile)
    parts = [f'<div class="pa-match-profile">{profile}</div>']
    for group in report.groups:
        items = "".join(_match_item(item) for item in group.items)
        title = f"{group.title}（{len(group.items)}项）"
        parts.append(f'<section class="pa-group pa-group-{group.status}"><h4>{text_html(title)}</h4>{items}</section>')
    if not report.groups:
        parts.append(f'<div class="pa-empty">{text_html(NOTHING)}</div>')
    total = f"合计（符合条件各项）：<b>{text_html(report.total)}</b>"
    if report.confirmable:
        total += f"；待确认各项如均满足条件，还可获最高 {text_html(report.confirmable)}"
    parts += [f'<div class="pa-total">{total}</div>', f'<div class="pa-hint">{text_html(report.disclaimer)}</div>']
    return f'<div class="pa-match">{"".join(parts)}</div>'


def _match_item(item: ReportItem) -> str:
    amount = f'<span class="pa-amount">最高 {text_html(item.amount)}</span>' if item.amount else ""
    why = "".join(f"<li>{text_html(w)}</li>" for w in item.why)
    units = f"　责任单位：{text_html('、'.join(item.units))}" if item.units else ""
    return (
        f'<div class="pa-item"><div class="pa-hit-head"><b>{text_html(item.label)}</b>{amount}</div>'
        f"<blockquote>{text_html(item.quote)}</blockquote>"
        f'<div class="pa-cite">依据：<a href="{text_html(clause_link(item.clause_id))}">{text_html(item.citation)}</a>'
        f'<span class="pa-cid">{text_html(item.clause_id)}</span>{units}</div>'
        + (f"<ul>{why}</ul>" if why else "")
        + "</div>"
    )


def highlight(text: str, words: Iterable[str]) -> str:
    """``text`` as HTML with each of ``words`` marked; everything else escaped."""
    wanted = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    if not wanted:
        return text_html(text)
    pattern = re.compile("|".join(re.escape(w) for w in wanted))
    out, pos = [], 0
    for match in pattern.finditer(text):
        out += [text_html(text[pos : match.start()]), f"<mark>{text_html(match.group())}</mark>"]
        pos = match.end()
    out.append(text_html(text[pos:]))
    return "".join(out)


def results_html(exact: Sequence[Clause], hits: Sequence[tuple[Hit, Clause]]) -> str:
    """Ranked lookup results: clauses named by number first, then search hits with matched words marked."""
    if not exact and not hits:
        return '<div class="pa-empty">没有找到相关条款，请换个说法或放宽筛选条件。</div>'
    cards = [_card("编号匹配", clause, _lead_sentence(clause), ()) for clause in exact]
    for rank, (hit, clause) in enumerate(hits, 1):
        cards.append(_card(f"{rank}", clause, shown_sentence(clause, hit), hit.matched, score=hit.score))
    hint = '<div class="pa-hint">点击结果查看条款全文</div>'
    return f'<div class="pa-results">{hint}{"".join(cards)}</div>'


def shown_sentence(clause: Clause, hit: Hit) -> str:
    """The hit's sentence, or, when it holds none of the matched words as written (a synonym matched),
    the first sentence of the clause that does."""
    if not hit.matched or any(w in hit.sentence for w in hit.matched):
        return hit.sentence
    return next((s.text for s in clause.sentences if any(w in s.text for w in hit.matched)), hit.sentence)


def clause_html(clause: Clause, doc: Document, rules: Sequence[Rule]) -> str:
    """The head of a clause card: label, id, section, document, period in force, units, calculators."""
    rows = [
        ("条款编号", clause.id),
        ("所属文件", f"{doc.cited_as}，{doc.region}"),
        ("章节", clause.section or "—"),
        ("施行期", doc.in_force.describe()),
    ]
    if clause.lead_units:
        rows.append(("牵头单位", "、".join(clause.lead_units)))
    if clause.other_units:
        rows.append(("配合单位" if clause.lead_units else "责任单位", "、".join(clause.other_units)))
    if rules:
        rows.append(("可测算", "、".join(r.label for r in rules) + "（见“补贴测算”）"))
    table = "".join(f"<tr><th>{text_html(k)}</th><td>{text_html(v)}</td></tr>" for k, v in rows)
    title = f"{clause.label}　{clause.heading}" if clause.heading else clause.label
    return f'<div class="pa-clause"><h3>{text_html(title)}</h3><table>{table}</table></div>'


def outline_html(doc: Document) -> str:
    """A document's clauses by section, for browsing."""
    parts = [f"<h4>{text_html(doc.cited_as)}</h4>"]
    section = None
    for clause in doc.clauses:
        if clause.section != section:
            if section is not None:
                parts.append("</ul>")
            section = clause.section
            parts.append(f"<p><b>{text_html(section or '正文')}</b></p><ul>")
        parts.append(
            f'<li class="pa-link" data-clause="{text_html(clause.id)}">'
            f"{text_html(number_label(clause))}　{text_html(clause.heading)}</li>"
        )
    parts.append("</ul>")
    return f'<div class="pa-outline">{"".join(parts)}</div>'


def short_label(clause: Clause) -> str:
    """``（鲁政办字〔2023〕155号）第（一）条`` from the full label."""
    return clause.label.rsplit("》", 1)[-1]


def number_label(clause: Clause) -> str:
    """``第（一）条`` / ``第四十五条`` from the full label: what follows the cited document's name."""
    return clause.label.rsplit("》", 1)[-1].rsplit("号）", 1)[-1]


def _card(rank: str, clause: Clause, sentence: str, matched: Iterable[str], score: float | None = None) -> str:
    score_html = f'<span class="pa-score">相关度 {score:.2f}</span>' if score is not None else ""
    return (
        f'<div class="pa-hit" data-clause="{text_html(clause.id)}">'
        f'<div class="pa-hit-head"><span class="pa-rank">{text_html(rank)}</span>'
        f"<b>{text_html(short_label(clause))}</b>　{text_html(clause.heading)}"
        f'<span class="pa-cid">{text_html(clause.id)}</span>{score_html}</div>'
        f'<div class="pa-hit-text">{highlight(sentence, matched)}</div></div>'
    )


def _lead_sentence(clause: Clause) -> str:
    body = [s.text for s in clause.sentences[1:]] or [s.text for s in clause.sentences]
    return body[0] if body else clause.text


def _details(title: str, body: str, is_open: bool) -> str:
    return f"<details{' open' if is_open else ''}><summary>{title}</summary>\n\n{body}\n\n</details>"


def _count(conditions: Sequence[Mapping[str, str]]) -> str:
    counts = {s: sum(c["status"] == s for c in conditions) for s in _STATUS_WORDS}
    return " · ".join(f"{_STATUS_WORDS[s]} {n} 项" for s, n in counts.items() if n)

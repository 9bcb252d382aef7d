"""Compose the Chinese markdown answer: conclusion first, then the clause, steps, conditions,
period in force, units responsible, and the line that the department's interpretation prevails.

Every number written here comes from a quoted sentence, the calculation or document metadata;
``assistant.guard`` checks that before the answer leaves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from assistant import money
from assistant.answer import Citation, Total
from assistant.formulas import CEILINGS, FLOOR, LIMITS, MINIMUM, PROHIBITED, SAVING
from assistant.match import ELIGIBLE, NO_AMOUNT, NOT_ELIGIBLE, STATUSES, TO_CONFIRM, MatchItem, MatchResult
from assistant.rules import CalcResult, Rule
from assistant.understand import Understanding
from index.model import Clause, Document, Status, cn_date

NEWLINE = chr(10)
DISCLAIMER_TEXT = "以上依据文件原文整理，具体以责任部门的解释为准。"
DISCLAIMER = f"*{DISCLAIMER_TEXT}*"
UNCERTAIN = "**结论**：没有找到与问题完全对应的条款，以下条款可能相关（匹配不确定，请对照原文判断，或换个说法再问）："
_UNIT_LABEL = {"ratio": "%", "bool": "是/否", "choice": "请说明"}
# Text marks, not emoji: they show in any font (emoji came out as boxes in the browser test).
_STATUS = {"met": "【已满足】", "unmet": "【不满足】", "unknown": "【待确认】"}
_FORBIDDEN = {"met": "【所述未涉及】", "unmet": "【所述属于，不得从事】", "unknown": "【未提及】"}


def conclusion_for_calc(rule: Rule, result: CalcResult, party: str | None = None) -> str:
    if rule.kind == PROHIBITED:  # an act forbidden, not a benefit: done or not, there is no amount
        done = "；".join(c.text for c in result.conditions if c.status == "unmet")
        if done:
            return f"**结论**：按您所述情况，所述做法属于本条禁止的情形（{done}），**不可以**。"
        return f"**结论**：本条规定了{rule.label}，请对照下列各项。"
    if result.eligible is False:
        # No condition broken, the computation itself fell short (已超过上限): its last step says why.
        reasons = "；".join(c.text for c in result.conditions if c.status == "unmet") or result.steps[-1]
        if rule.kind in LIMITS:  # a requirement of the law, not a benefit
            return f"**结论**：按您所述情况，**不符合**{rule.label}的要求（{reasons}）。"
        return f"**结论**：按您所述情况，**不符合**{rule.label}的条件（{reasons}），本项不能享受。"
    if result.missing:
        return (
            f"**结论**：{rule.label}的标准是：{result.steps[0]}。"
            f"还需要{_labels(rule, result.missing)}才能算出金额，请补充后我再为您计算。"
        )
    if result.amount is None:
        return f"**结论**：{rule.label}的具体金额文件未明确。"
    shown = money.fmt(result.amount, result.unit)
    who, to = _amount_words(rule, result)
    if len(result.parts) > 1:
        named = next((p.party for p in result.parts if party and p.party == party), None)
        who = f"{named}承担" if named else "省市财政合计承担"
    unknown = [c for c in result.conditions if c.status == "unknown"]
    tail = "，须满足下列待确认条件" if unknown else ""
    if result.amount_is_left or (rule.kind in CEILINGS and rule.args.get("used") in result.inputs):
        tail = f"（{result.steps[-1]}）{tail}"  # what is already taken of a limit, and what remains
    return f"**结论**：{rule.label}按本条规定，{who} **{shown}**{to}{tail}。"


def _amount_words(rule: Rule, result: CalcResult) -> tuple[str, str]:
    """What the amount is (最高可获, 至少可获, 上限为, 尚可新增…), and whom the money goes to, said each time:
    the 鲁科贷 loss sharing is the lending bank's, not the borrower's; a limit or a fee saved goes to nobody."""
    if result.amount_is_left:  # 还能再做多少: what remains of the limit
        return "尚可新增", ""
    who = {FLOOR: "至少可获", MINIMUM: "最低限额为", SAVING: "估算至少少交"}.get(
        rule.kind, "上限为" if rule.kind in CEILINGS else "最高可获"
    )
    return who, f"（给予{rule.recipient}）" if rule.recipient and rule.kind not in (*LIMITS, SAVING) else ""


def conclusion_for_parameter(rule: Rule, description: str) -> str:
    """A figure the rule states (rate, cap, tiers), answered without the asker's numbers."""
    return f"**结论**：{rule.label}的标准是：{description}。"


def offer_to_compute(rule: Rule, missing: Sequence[str]) -> list[str]:
    if not missing:
        return []
    return ["", f"如提供{_labels(rule, missing)}，我可以按本条为您算出具体金额。"]


def unclear_numbers(texts: Sequence[str], rule: Rule, missing: Sequence[str]) -> str:
    """The follow-up when a number's role is not known: which one, and what the rule needs."""
    said = "、".join(texts)
    wanted = _labels(rule, missing) if missing else "计算所需的金额"
    return f"您提到的{said}是指什么？{rule.label}需要{wanted}，请说明后我再为您计算。"


def ask_for_sources(rule: Rule, missing: Sequence[str], sources: Sequence[str]) -> str:
    """The follow-up when an input could be estimated from others, one of which is missing."""
    return (
        f"请提供{_labels(rule, missing)}；如不清楚，也可以提供{'、'.join(sources)}，"
        f"我先按{rule.label}的规定为您估算。"
    )


def uncertain_block(picks: Sequence[tuple[Clause, str]]) -> list[str]:
    lines = [UNCERTAIN, ""]
    for clause, quote in picks:
        lines += [*clause_block(clause, [quote]), ""]
    return lines


def related_block(picks: Sequence[tuple[Clause, str]]) -> list[str]:
    if not picks:
        return []
    lines = ["", "收录文件中与此最接近的规定如下，仅供参考，并非对所问事项的答复："]
    for clause, quote in picks:
        lines += clause_block(clause, [quote])
    return lines


def corrections_line(corrections: Sequence[tuple[str, str]]) -> list[str]:
    if not corrections:
        return []
    read = "，".join(f"“{typed}”按“{term}”理解" for typed, term in corrections)
    return [f"（已将{read}。）", ""]


def measure_outcome(result: CalcResult, rule: Rule) -> str:
    """One measure's outcome in a line, for answers covering several."""
    if result.eligible is False:  # why: the conditions unmet, else the calculation's last step (不满2亿元)
        why = "；".join(c.text for c in result.conditions if c.status == "unmet") or "；".join(result.steps[-1:])
        return f"**不符合条件**（{why}）"
    if result.missing:
        return f"还需要{_labels(rule, result.missing)}；标准：{result.steps[0]}"
    if result.amount is None:
        return "金额文件未明确"
    who, to = _amount_words(rule, result)
    return f"{who} **{money.fmt(result.amount, result.unit)}**{to}"


def total_block(total: Total, labels: Mapping[str, str], asker: str | None) -> list[str]:
    who = f"（{asker}所得）" if asker else ""
    lines = ["**合计**" + who + "："]
    if total.amount is None:
        lines[0] += "所列各项均无法确定金额，暂不能合计。"
    else:
        summed = " + ".join(labels[r] for r in total.rule_ids)
        lines[0] += f"{summed}，共 **{money.yuan(total.amount)}**（各项已按本项上限计）。"
    lines += [f"- 未计入：{why}" for _, why in total.excluded]
    return [*lines, ""]


# The groups of a match, as every interface titles them (chat, page tab, printable page, CLI).
MATCH_TITLES = {
    ELIGIBLE: "符合条件",
    TO_CONFIRM: "待确认（需补充或核实下列事项）",
    NOT_ELIGIBLE: "不符合条件",
    NO_AMOUNT: "相关支持（金额文件未明确）",
}


def match_amount(item: MatchItem) -> str | None:
    """The most a matched measure gives (``32万元``), where it is eligible or to confirm and computed."""
    return money.fmt(item.amount, item.result.unit) if item.amount is not None and item.result else None


def match_why(item: MatchItem) -> tuple[str, ...]:
    """What to show under a measure: a measure without an amount is already said so by its group's title."""
    return () if item.status == NO_AMOUNT else item.why


def match_blocks(result: MatchResult, confirmable: float) -> list[str]:
    """A profile's measures, grouped, each with its quote and amount, then the total."""
    profile = result.profile
    where = f"{profile.region}、" if profile.region else ""
    if not result.items:
        return [
            f"**结论**：按所填情况（{where}{profile.subject}，{cn_date(result.on)}），收录文件中没有以{profile.subject}"
            "为对象的措施。",
            "",
            "可以换一个主体类型再查（如创业投资机构、科技型中小企业），或直接问具体措施。",
        ]
    lines = [f"**结论**：按所填情况（{where}{profile.subject}，{cn_date(result.on)}），可适用的措施如下。", ""]
    for status in STATUSES:
        items = result.group(status)
        if not items:
            continue
        lines += [f"### {MATCH_TITLES[status]}（{len(items)}项）"]
        for item in items:
            shown = match_amount(item)
            amount = f"：最高 **{shown}**" if shown else ""
            lines += [f"- **{item.label}**{amount}（{item.clause.label}）", f"  > {item.quote}"]
            lines += [f"  - {why}" for why in match_why(item)]
        lines.append("")
    total = result.total
    lines.append(f"**合计（符合条件各项）**：**{money.yuan(total.amount or 0)}**。")
    if confirmable:
        lines.append(f"- 待确认各项如均满足条件，还可获最高 {money.yuan(confirmable)}。")
    return lines


def document_card(doc: Document, u: Understanding) -> list[str]:
    """Conclusion about a whole document, from its metadata."""
    lines = [
        f"**结论**：{doc.region}{doc.cited_as}，{cn_date(doc.issued)}{'印发' if doc.doc_number else '公布'}，"
        f"施行期：{doc.in_force.describe()}。",
        f"- 发文单位：{'、'.join(doc.issuers)}",
    ]
    return [*lines, *_date_flags(doc, u.dates), ""]


def document_evidence(doc: Document, u: Understanding) -> tuple[Clause | None, str]:
    """The clause and the verbatim line of it that supports the card: the period in force (a closing line,
    or a law's last article), a review line, a dated event of a law's history, or the cover notice."""
    by_kind = {s.kind: s for s in doc.statements}
    closing, notice, preamble = by_kind.get("closing"), by_kind.get("notice"), by_kind.get("preamble")
    basis = next((c for c in doc.all_clauses if doc.in_force.basis and doc.in_force.basis in c.text), None)
    if u.has("review") and closing is not None:
        lines = [line for line in closing.text.split(NEWLINE) if line != doc.in_force.basis]
        return closing, lines[0] if lines else closing.text
    if u.has("validity") and not u.has("issued") and basis is not None:
        return basis, doc.in_force.basis
    events = [e.kind for e in doc.history if e.kind in u.text]
    if preamble is not None and events:  # 经过谁批准 → the history line that says 批准
        return preamble, _line_with(preamble.text, events)
    if notice is not None:
        words = tuple(doc.issuers) if u.has("issuers") else (cn_date(doc.issued),)
        return notice, _line_with(notice.text, words)
    if preamble is not None:
        return preamble, _line_with(preamble.text, (cn_date(doc.issued),))
    return basis, doc.in_force.basis if basis else ""


def _line_with(text: str, words: Sequence[str]) -> str:
    """The lines of ``text`` from the first to the last one naming any of ``words`` (verbatim)."""
    lines = text.split(NEWLINE)
    found = [i for i, line in enumerate(lines) if any(w in line for w in words)] or [0]
    return NEWLINE.join(lines[found[0] : found[-1] + 1])


def conclusion_for_lookup(clause: Clause, u: Understanding, doc: Document) -> str:
    outside = [day for day in u.dates if not doc.in_force.contains(day)]
    if outside and clause.kind == "closing":  # asked of a day the document does not cover
        return f"**结论**：所问时间{cn_date(outside[0])}不在本文件施行期（{doc.in_force.describe()}）内。"
    if u.dates and clause.kind == "closing":  # 到2026年文件还管用吗
        return f"**结论**：所问时间{cn_date(u.dates[0])}在本文件施行期（{doc.in_force.describe()}）内。"
    if "validity" in u.intents and clause.kind == "closing":
        return f"**结论**：本文件施行期为{doc.in_force.describe()}。"
    if ("validity" in u.intents or u.dates) and not u.wants_amount:  # 鲁科贷的政策到哪年结束: its document's period
        named = f"“{clause.heading}”" if clause.kind == "item" else clause.label
        period = f"{named}所在文件的施行期为{doc.in_force.describe()}"
        if u.dates:  # 2026年6月的鲁科担业务在不在政策期内
            within = "在" if doc.in_force.contains(u.dates[0]) else "不在"
            return f"**结论**：所问时间{cn_date(u.dates[0])}{within}施行期内：{period}，条文见下。"
        return f"**结论**：{period}，条文见下。"
    if "units" in u.intents and clause.units:
        if clause.lead_units:
            others = f"，{'、'.join(clause.other_units)}按职责分工负责" if clause.other_units else ""
            return f"**结论**：“{clause.heading}”由{'、'.join(clause.lead_units)}牵头{others}。"
        return f"**结论**：“{clause.heading}”的责任单位是{'、'.join(clause.other_units)}。"
    if clause.kind == "item":
        return f"**结论**：相关规定见下列条款“{clause.heading}”。"
    return f"**结论**：相关规定见{clause.label}。"  # an article's heading is only its opening words


def ask_for(rule: Rule, missing: Sequence[str], not_taken: Sequence[str] = ()) -> str:
    """``not_taken``: numbers the asker gave that the rule does not take (转让价300万元 for a 净收入), named."""
    aside = f"您提到的{'、'.join(not_taken)}不是本条的计算基数。" if not_taken else ""
    return f"{aside}请提供{_labels(rule, missing)}，我来按{rule.label}的规定为您计算。"


def amount_text(result: CalcResult) -> str:
    return money.fmt(result.amount, result.unit) if result.amount is not None else ""


def clause_block(clause: Clause | None, quotes: Sequence[str]) -> list[str]:
    if clause is None:
        return []
    lines = [f"**依据**：{clause.label}"]
    lines += [f"> {line}" for q in quotes for line in q.split(NEWLINE)]
    return lines


def steps_block(result: CalcResult) -> list[str]:
    if not result.steps:
        return []
    return ["", "**测算过程**", *[f"- {s}" for s in result.steps], *[f"- 注：{n}" for n in result.notes]]


def conditions_block(result: CalcResult, rule: Rule | None = None) -> list[str]:
    if not result.conditions:
        return []
    if rule is not None and rule.kind == PROHIBITED:  # each act forbidden: said done, or not said
        return ["", "**禁止事项核对**", *[f"- {_FORBIDDEN[c.status]}{c.text}" for c in result.conditions]]
    lines = [f"- {_STATUS[c.status]}{c.text}{_what_it_asks(c.text, rule)}" for c in result.conditions]
    return ["", "**条件核对**", *lines]


def _what_it_asks(text: str, rule: Rule | None) -> str:
    """The fact a condition checks, where the clause's words alone leave it unclear whose or which (科技型企业:
    被投企业为科技型企业; 一次性贴息支持: 此前未享受过贴息). A number's label only names it (投资持有年限)."""
    inputs = {s.name: s.label for s in rule.inputs if s.unit == "bool"} if rule else {}
    label = next((inputs.get(c.input or "", "") for c in rule.conditions if c.text == text), "") if rule else ""
    return f" —— {label}" if label and label not in text else ""


def period_block(doc: Document, asked: Sequence[dt.date], today: dt.date | None = None) -> list[str]:
    """The period in force, the document's kind and jurisdiction, and a warning when it has expired or
    been replaced (naming the successor) on the day asked, or today."""
    lines = ["", f"**施行期**：{doc.in_force.describe()}（{doc.cited_as}，{doc.region}{doc.doc_type}）。"]
    day = asked[0] if asked else today or dt.date.today()
    status = doc.status(day)
    if status.status is not Status.IN_FORCE:
        # On a day asked, said as of that day: 2021年 the document was not yet in force, though it is today.
        when = f"{cn_date(day)}时，" if asked else ""
        lines.append(f"- 【注意】{when}本文件{status.describe()}，请以现行文件为准。")
    return [*lines, *_date_flags(doc, asked)]


def status_text(doc: Document, asked: Sequence[dt.date], today: dt.date | None = None) -> str:
    """What ``period_block`` may say of the document's status (a source for the number guard)."""
    return doc.status(asked[0] if asked else today or dt.date.today()).describe()


def cited_block(clause: Clause, documents: Sequence[Document]) -> list[str]:
    """Other documents of the library the clause names (by title or 文号)."""
    named = [
        d
        for d in documents
        if d.id != clause.doc_id and (f"《{d.title}》" in clause.text or (d.doc_number and d.doc_number in clause.text))
    ]
    return [f"- 本条提及的{d.cited_as}已收录于文库（{d.id}）。" for d in named]


def _date_flags(doc: Document, asked: Sequence[dt.date]) -> list[str]:
    return [
        f"- 所问时间{cn_date(day)}在本文件施行期内。"
        if doc.in_force.contains(day)
        else f"- 【注意】所问时间{cn_date(day)}不在本文件施行期内，届时是否仍有效请以最新文件为准。"
        for day in asked
    ]


def units_block(clause: Clause) -> list[str]:
    parts = []
    if clause.lead_units:
        parts.append("牵头：" + "、".join(clause.lead_units))
    if clause.other_units:
        parts.append(("配合：" if clause.lead_units else "") + "、".join(clause.other_units))
    return ["", "**责任单位**：" + "；".join(parts)] if parts else []


def units_line(clause: Clause) -> str:
    """The sentence of a clause naming its responsible units (its last, in parentheses), else its first."""
    last = clause.sentences[-1].text
    return last if clause.units and last.startswith("（") else clause.sentences[0].text


def citation(clause: Clause, quote: str, score: float) -> Citation:
    return Citation(clause.id, clause.doc_id, clause.label, quote, round(score, 4))


def _labels(rule: Rule, names: Sequence[str]) -> str:
    specs = {s.name: s for s in rule.inputs}
    return "、".join(
        f"{specs[n].label}（{_UNIT_LABEL.get(specs[n].unit, specs[n].unit)}）" for n in names if n in specs
    )

"""A match result laid out for people: the profile, the measures by group, the total, the date.

One layout for the CLI's text, the printable page (``assistant.match_page``) and the page's 政策匹配 tab;
the chat says the same in markdown (``compose.match_blocks``), with the same titles and amounts.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant import money
from assistant.compose import DISCLAIMER_TEXT, MATCH_TITLES, match_amount, match_why
from assistant.match import STATUSES, MatchItem, MatchResult, confirmable
from assistant.rules import InputSpec
from index.model import cn_date

TITLE = "政策匹配结果"
NOTHING = "按所填情况，没有找到适用于该主体的措施（可换个地区或日期再试）。"


@dataclass(frozen=True)
class ReportItem:
    label: str
    amount: str | None  # "32万元": the most it gives, where eligible or to confirm and computed
    citation: str  # document, 文号, clause number
    clause_id: str
    quote: str  # verbatim
    why: tuple[str, ...]  # conditions broken, facts to provide or confirm
    units: tuple[str, ...]  # the units responsible (lead units where the clause names them)


@dataclass(frozen=True)
class ReportGroup:
    status: str
    title: str
    items: tuple[ReportItem, ...]


@dataclass(frozen=True)
class MatchReport:
    profile: tuple[tuple[str, str], ...]  # (what, value) as filled in
    on: str  # the date the measures are in force on
    groups: tuple[ReportGroup, ...]  # the groups that hold a measure, in STATUSES order
    total: str  # the eligible measures' sum
    confirmable: str | None  # what the measures to confirm would add
    disclaimer: str = DISCLAIMER_TEXT
    title: str = TITLE


def match_report(result: MatchResult) -> MatchReport:
    groups = tuple(
        ReportGroup(status, MATCH_TITLES[status], tuple(_item(i) for i in result.group(status)))
        for status in STATUSES
        if result.group(status)
    )
    more = confirmable(result)
    return MatchReport(
        profile=_profile(result),
        on=cn_date(result.on),
        groups=groups,
        total=money.yuan(result.total.amount or 0),
        confirmable=money.yuan(more) if more else None,
    )


def report_text(report: MatchReport) -> str:
    """The report as plain text, for a terminal or a message."""
    lines = [report.title, *(f"{what}：{value}" for what, value in report.profile), ""]
    for group in report.groups:
        lines.append(f"【{group.title}】（{len(group.items)}项）")
        for n, item in enumerate(group.items, 1):
            amount = f"：最高 {item.amount}" if item.amount else ""
            lines += [f"{n}. {item.label}{amount}", f"   依据：{item.citation}（{item.clause_id}）"]
            lines += [f"   原文：{item.quote}", *(f"   - {why}" for why in item.why)]
            if item.units:
                lines.append(f"   责任单位：{'、'.join(item.units)}")
        lines.append("")
    if not report.groups:
        lines += [NOTHING, ""]
    lines.append(f"合计（符合条件各项）：{report.total}")
    if report.confirmable:
        lines.append(f"待确认各项如均满足条件，还可获最高 {report.confirmable}")
    return "\n".join([*lines, "", report.disclaimer])


def _item(item: MatchItem) -> ReportItem:
    clause = item.clause
    units = clause.lead_units or tuple(u.name for u in clause.units)
    return ReportItem(item.label, match_amount(item), clause.label, clause.id, item.quote, match_why(item), units)


def _profile(result: MatchResult) -> tuple[tuple[str, str], ...]:
    profile = result.profile
    rows = [("主体类型", profile.subject), ("地区", profile.region or "全部地区")]
    if profile.stage:
        rows.append(("发展阶段", profile.stage))
    if profile.description:
        rows.append(("已知情况", profile.description))
    specs = {s.name: s for i in result.items if i.rule for s in i.rule.inputs}
    rows += [_input(name, value, specs.get(name)) for name, value in profile.inputs.items()]
    rows.append(("所依据日期", cn_date(result.on)))
    return tuple(rows)


def _input(name: str, value: object, spec: InputSpec | None) -> tuple[str, str]:
    """A filled-in input under its label, its value in its unit (as given where no rule here takes it)."""
    if spec is None:
        return name, str(value)
    values = value if isinstance(value, list | tuple) else [value]
    shown = [_value(v, spec.unit) for v in values]
    return spec.label, "、".join(shown)


def _value(value: object, unit: str) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float) and unit not in ("bool", "choice"):
        return money.fmt(value, unit)
    return str(value)

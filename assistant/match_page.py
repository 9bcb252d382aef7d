"""The printable page of a match result, for a hotline to send to the enterprise: one self-contained
HTML file (inline CSS, system fonts, no script, nothing fetched), rendered with Jinja2.

Autoescaping is on for the whole template: every profile and document text is shown as text.
"""

from __future__ import annotations

import datetime as dt

import jinja2

from assistant.match import MatchResult
from assistant.match_report import NOTHING, match_report
from index.model import cn_date

# Also sent as a header where the page is served: the page may load nothing and run nothing.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("assistant", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def match_page(result: MatchResult, made: dt.date | None = None) -> str:
    """The page: profile, measures by group with quotes and citations, total, date, and that the
    responsible department's interpretation prevails. ``made``: the date printed (today)."""
    template = _ENV.get_template("match_print.html")
    report = match_report(result)
    return template.render(report=report, made=cn_date(made or dt.date.today()), csp=CSP, nothing=NOTHING)

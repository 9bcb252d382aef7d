"""``policy-assistant match --profile profile.toml [--json] [--html out.html]``: policy matching for a
profile written as TOML, with the keys of the POST /api/match body and checked by the same model.

    subject = "科技型中小企业"
    region = "山东省"
    stage = "成长期"
    description = "去年实际支付鲁科贷利息80万元，按时还本付息"
    on = 2025-06-30
    [inputs]
    premium = 400000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import tomllib
from pathlib import Path
from typing import Any

from assistant.core import Assistant
from assistant.match_page import match_page
from assistant.match_report import match_report, report_text
from index.errors import InputError
from web.match_request import schema_for  # the REST body's model, so that a profile file is checked as a body is

_WHERE = re.compile(r"at line (\d+), column (\d+)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", required=True, type=Path, help="profile file (TOML): subject, region, …")
    parser.add_argument("--json", action="store_true", help="print the result JSON (MatchResult.to_dict())")
    parser.add_argument("--html", type=Path, metavar="OUT.html", help="also write the printable page there")


def run(args: argparse.Namespace) -> None:
    data = read_profile(args.profile)
    assistant = Assistant.load()
    result = assistant.match(schema_for(assistant).parse(data).profile())
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(report_text(match_report(result)))
    if args.html:
        try:
            args.html.write_text(match_page(result), encoding="utf-8")
        except OSError as err:
            raise InputError(f"无法写入打印页 {args.html}：{err.strerror}") from None


def read_profile(path: Path) -> dict[str, Any]:
    """The profile file as the REST body: a TOML date becomes the "YYYY-MM-DD" text JSON would carry."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"找不到画像文件：{path}") from None
    except UnicodeDecodeError:
        raise InputError(f"画像文件 {path} 不是 UTF-8 编码的文本") from None
    except OSError as err:
        raise InputError(f"无法读取画像文件 {path}：{err.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        where = _WHERE.search(str(err))
        at = f"（第{where.group(1)}行第{where.group(2)}列附近）" if where else ""
        raise InputError(f"画像文件 {path} 不是有效的 TOML{at}：请检查引号、等号和方括号") from None
    on = data.get("on")
    if isinstance(on, dt.date) and not isinstance(on, dt.datetime):
        data["on"] = on.isoformat()
    return data

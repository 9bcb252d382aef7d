"""The ``policy-assistant`` command line."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Callable, Sequence

from assistant import cli_match, money
from assistant.core import Assistant
from assistant.rules import calculate, load_rules
from index.corpus import Corpus, load_corpus
from index.errors import InputError, PolicyAssistantError
from index.ingest import command as add_command
from index.model import LEVELS, STATUS_LABELS, Clause, Document
from index.search import MODES, Filters
from index.settings import Settings
from index.store import build_index, index_dir, open_index


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.run is not _calc:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.inputs = extra
    try:
        args.run(args)
    except PolicyAssistantError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head`: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stdout must stay open until exit
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policy-assistant", description="科技金融政策问答与条款查询")
    sub = parser.add_subparsers(required=True, metavar="command")

    def command(name: str, run: Callable[[argparse.Namespace], None], help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_)
        p.set_defaults(run=run)
        return p

    p = command("clauses", _clauses, "list clauses (id and heading)")
    p.add_argument("--doc", help="document id, e.g. sd-2023-155")
    p.add_argument("--unit", help="a responsible unit, e.g. 科技厅 (matches part of a name)")
    _document_filters(p)

    p = command("show", _show, "print one clause: label, units, full text")
    p.add_argument("clause_id")

    p = command("add", add_command.run, "add documents (.txt .md .docx .pdf .html) to the corpus")
    add_command.add_arguments(p)

    p = command("build", _build, "build the search index (also done on first use)")
    p.add_argument("--if-needed", action="store_true", help="only when missing, stale or corrupted")

    p = command("search", _search, "ranked clauses for a query, the matching sentence highlighted")
    p.add_argument("query")
    p.add_argument("--mode", choices=MODES, default="hybrid")
    p.add_argument("--doc", help="document id")
    _document_filters(p)
    p.add_argument("-k", type=int, default=5)

    p = command("ask", _ask, "answer one question (grounded, with the clause and any calculation)")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the answer JSON (Answer.to_dict())")

    command("chat", _chat, "multi-turn chat in the terminal (empty line or Ctrl-D ends)")

    command("rules", _rules, "list the rules (quantitative provisions) and their inputs")

    p = command("calc", _calc, "run one rule: calc <rule id> --<input> <value> …")
    p.add_argument("rule_id")
    p.add_argument("--on", type=dt.date.fromisoformat, help="the date asked about, YYYY-MM-DD")
    p.add_argument("--party", help="for a split: 省财政, 市财政, 贷款银行")
    p.add_argument("--json", action="store_true")

    p = command("match", cli_match.run, "policy matching for a profile: match --profile profile.toml [--json] [--html]")
    cli_match.add_arguments(p)
    return parser


def _document_filters(parser: argparse.ArgumentParser) -> None:
    """The documents' filters (index.search.Filters); their values are checked there, with a Chinese message."""
    parser.add_argument("--region", help="e.g. 山东 or 内蒙古 (matches part of a region name)")
    parser.add_argument("--level", help=f"{' / '.join(LEVELS)}")
    parser.add_argument("--status", help=f"{' / '.join(STATUS_LABELS.values())}, on --on (default today)")
    parser.add_argument("--on", help="the day the status is read on, YYYY-MM-DD (default today)")


def _filters(args: argparse.Namespace) -> Filters:
    return Filters.make(args.region, args.doc, args.level, args.status, args.on)


def _corpus() -> Corpus:
    return load_corpus(Settings.from_env().corpus_dir)


def _clauses(args: argparse.Namespace) -> None:
    corpus = _corpus()
    filters = _filters(args)
    if args.doc:
        corpus.document(args.doc)  # unknown id → NotFoundError
    for doc in (d for d in corpus.documents if filters.admits(d)):
        for clause in _in_reading_order(doc):
            if not args.unit or any(args.unit in u.name for u in clause.units):
                print(f"{clause.id}\t{clause.heading}")


def _in_reading_order(doc: Document) -> list[Clause]:
    """The cover notice and preamble, the numbered clauses, then the closing lines (附则: the period in
    force) and annexes: a hotline looks those up as often as a measure."""
    before = [s for s in doc.statements if s.kind in ("notice", "preamble")]
    after = [s for s in doc.statements if s.kind not in ("notice", "preamble")]
    return [*before, *doc.clauses, *after]


def _show(args: argparse.Namespace) -> None:
    print(format_clause(_corpus().clause(args.clause_id)))


def _build(args: argparse.Namespace) -> None:
    settings = Settings.from_env()
    if args.if_needed:
        open_index(settings)  # checks the manifest; rebuilds, with a one-line message, only when needed
        print(f"索引可用：{index_dir(settings)}")
        return
    report = build_index(settings)
    print(
        f"索引已建成：{report.folder}（{report.chunks} 个片段，新嵌入 {report.embedded} 个，{report.seconds:.1f} 秒）"
    )


def _search(args: argparse.Namespace) -> None:
    index = open_index(Settings.from_env())
    hits = index.search(args.query, k=args.k, mode=args.mode, filters=_filters(args))
    if not hits:
        print("没有找到相关条款。")
    for rank, hit in enumerate(hits, start=1):
        clause = index.corpus.clause(hit.clause_id)
        print(f"{rank}. {hit.clause_id}  {clause.heading}  (score {hit.score:.3f})")
        print(f"   {highlight(hit.sentence, hit.matched, sys.stdout.isatty())}")


def highlight(text: str, words: Sequence[str], ansi: bool) -> str:
    """Mark the matched words: bold on a terminal, 【】 otherwise."""
    if not words:
        return text
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    mark = (lambda m: f"\033[1;31m{m.group()}\033[0m") if ansi else (lambda m: f"【{m.group()}】")
    return pattern.sub(mark, text)


def _assistant() -> Assistant:
    return Assistant.load()


def _ask(args: argparse.Namespace) -> None:
    answer = _assistant().ask(args.question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(answer.answer)


def _chat(args: argparse.Namespace) -> None:
    conversation = _assistant().conversation()
    print("科技金融政策助手：请提问（空行结束）。")
    for line in sys.stdin:
        if not line.strip():
            break
        try:
            answer = conversation.ask(line)
        except InputError as err:
            print(f"错误：{err}")
            continue
        print(answer.answer)
        if answer.follow_up:
            print(f"\n→ {answer.follow_up}")
        print()


def _rules(args: argparse.Namespace) -> None:
    corpus = _corpus()
    book = load_rules(Settings.from_env().corpus_dir / "rules", corpus)
    for rule in book.rules:
        inputs = " ".join(f"--{i.name} <{i.label}，{i.unit}>" for i in rule.inputs)
        print(f"{rule.id}\t{rule.label}\t{rule.clause_id}\t{rule.kind}\t{inputs}")


def _calc(args: argparse.Namespace) -> None:
    corpus = _corpus()
    rule = load_rules(Settings.from_env().corpus_dir / "rules", corpus).get(args.rule_id)
    result = calculate(rule, _input_pairs(args.inputs), on=args.on, party=args.party)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
        return
    print(rule.label)
    print(f"依据：{corpus.clause(rule.clause_id).label}")
    print(f"> {rule.quote}")
    amount = "金额文件未明确" if result.amount is None else money.fmt(result.amount, result.unit)
    print(f"结果：{amount}" + ("（不符合条件）" if result.eligible is False else ""))
    for step in result.steps:
        print(f"- {step}")
    for condition in result.conditions:
        print(f"- [{condition.status}] {condition.text}")
    for note in result.notes:
        print(f"- 注：{note}")
    if result.missing:
        print("缺少输入：" + " ".join(f"--{name}" for name in result.missing))


def _input_pairs(tokens: Sequence[str]) -> dict[str, str]:
    """``--interest 800000 --on_time true`` → {"interest": "800000", "on_time": "true"}."""
    if len(tokens) % 2 or not all(t.startswith("--") for t in tokens[::2]):
        raise InputError("输入应成对给出：--名称 值，例如 --interest 800000")
    return {name[2:]: value for name, value in zip(tokens[::2], tokens[1::2], strict=True)}


def format_clause(clause: Clause) -> str:
    lines = [clause.label, f"条款编号：{clause.id}"]
    if clause.lead_units:
        lines.append("牵头单位：" + "、".join(clause.lead_units))
    if clause.other_units:
        lines.append("负责单位：" + "、".join(clause.other_units))
    lines += ["", clause.text]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())

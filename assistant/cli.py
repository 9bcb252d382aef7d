"""The ``policy-assistant`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from index.corpus import Corpus, load_corpus
from index.errors import PolicyAssistantError
from index.model import Clause
from index.settings import Settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except PolicyAssistantError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 2
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

    p = command("show", _show, "print one clause: label, units, full text")
    p.add_argument("clause_id")
    return parser


def _corpus() -> Corpus:
    return load_corpus(Settings.from_env().corpus_dir)


def _clauses(args: argparse.Namespace) -> None:
    corpus = _corpus()
    if args.doc:
        corpus.document(args.doc)  # unknown id → NotFoundError
    for clause in corpus.clauses:
        if args.doc and clause.doc_id != args.doc:
            continue
        if args.unit and not any(args.unit in u.name for u in clause.units):
            continue
        print(f"{clause.id}\t{clause.heading}")


def _show(args: argparse.Namespace) -> None:
    print(format_clause(_corpus().clause(args.clause_id)))


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

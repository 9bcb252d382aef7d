"""The ``policy-assistant`` command line."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence

from index.corpus import Corpus, load_corpus
from index.errors import PolicyAssistantError
from index.model import Clause
from index.search import MODES, Filters
from index.settings import Settings
from index.store import build_index, open_index


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

    command("build", _build, "build the search index (also done on first use)")

    p = command("search", _search, "ranked clauses for a query, the matching sentence highlighted")
    p.add_argument("query")
    p.add_argument("--mode", choices=MODES, default="hybrid")
    p.add_argument("--region", help="e.g. 山东 or 内蒙古")
    p.add_argument("--doc", help="document id")
    p.add_argument("-k", type=int, default=5)
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


def _build(args: argparse.Namespace) -> None:
    report = build_index(Settings.from_env())
    print(
        f"索引已建成：{report.folder}（{report.chunks} 个片段，新嵌入 {report.embedded} 个，{report.seconds:.1f} 秒）"
    )


def _search(args: argparse.Namespace) -> None:
    index = open_index(Settings.from_env())
    hits = index.search(args.query, k=args.k, mode=args.mode, filters=Filters(args.region, args.doc))
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

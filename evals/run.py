"""Run eval case files through the public ``Assistant`` API and report accuracy per retrieval mode.

    python -m evals.run [--cases FILE ...] [--mode bm25|dense|hybrid|all] [--split dev|test|all] [--out evals]

Writes ``report.md``, ``report.json`` and ``report.png`` (modes side by side) under ``--out`` and
prints the table, one column per mode and split (dev: tuned on; test: never tuned on). Any case file
in the DESIGN.md format works; files under ``dev/`` or ``test/`` folders give their cases that split.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from assistant import Assistant
from assistant.errors import PolicyAssistantError
from evals.cases import SPLITS, Case, case_files, load_cases
from evals.metrics import Outcome, Summary, score, summarise
from evals.profiles import ProfileOutcome, load_profile_cases, profile_files, run_profiles, summarise_profiles
from index.search import MODES

HERE = Path(__file__).resolve().parent
DEFAULT_CASES = case_files(HERE / "cases")
DEFAULT_PROFILES = profile_files(HERE / "profiles")
_TABLE_ROWS = [
    ("cases", "cases"),
    ("hit1", "clause hit@1"),
    ("hit1_colloquial", "clause hit@1, colloquial"),
    ("hit3", "clause hit@3"),
    ("mrr10", "MRR@10"),
    ("citation_precision", "citation precision"),
    ("quote_fidelity", "quote fidelity"),
    ("amount_exact", "amount exact match"),
    ("ineligible_detected", "ineligible detected"),
    ("refusal_rate", "refusal rate (out of scope)"),
    ("false_refusal_rate", "false-refusal rate (in scope)"),
    ("must_contain", "must-contain rate"),
    ("amount_withheld", "amount withheld where unclear"),
    ("all_cited", "all expected clauses cited"),
    ("total_exact", "total exact (several measures)"),
    ("low_confidence_rate", "low-confidence rate (in scope)"),
    ("crag", "CRAG score (+1/0/-1)"),
    ("latency_p50_ms", "latency p50 (ms)"),
    ("latency_p95_ms", "latency p95 (ms)"),
]


def run_case(assistant: Assistant, case: Case) -> Outcome:
    started = time.perf_counter()
    conversation = assistant.conversation()
    answer = conversation.ask(case.question)
    for turn in case.turns:
        answer = conversation.ask(turn)
    seconds = time.perf_counter() - started
    result = answer.to_dict()
    cited = [c["clause_id"] for c in result["citations"]]
    searched = [h.clause_id for h in assistant.search(" ".join((case.question, *case.turns))[:500], k=10)]
    ranking = list(dict.fromkeys(cited + searched)) if result["in_scope"] else []
    return score(case, result, ranking, lambda cid: _clause_text(assistant, cid), seconds)


def _clause_text(assistant: Assistant, clause_id: str) -> str | None:
    try:
        return assistant.clause(clause_id).text
    except PolicyAssistantError:
        return None


def run(assistant: Assistant, cases: Sequence[Case], modes: Sequence[str]) -> dict[str, list[Outcome]]:
    results = {}
    for mode in modes:
        variant = assistant.with_mode(mode)
        variant.ask(cases[0].question)  # first-load costs (jieba, model) are not per-question latency
        variant.clear_caches()  # nor are query vectors cached by the previous mode
        results[mode] = [run_case(variant, case) for case in cases]
    return results


def by_column(results: dict[str, list[Outcome]]) -> dict[str, list[Outcome]]:
    """One column per mode and split ("hybrid · dev"); cases of no split form the mode's own column."""
    columns: dict[str, list[Outcome]] = {}
    for mode, outcomes in results.items():
        for split in (*SPLITS, ""):
            chosen = [o for o in outcomes if o.case.split == split]
            if chosen:
                columns[f"{mode} · {split}" if split else mode] = chosen
    return columns


def table(summaries: dict[str, Summary]) -> str:
    columns = list(summaries)
    lines = ["| metric | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for key, label in _TABLE_ROWS:
        cells = [_cell(getattr(summaries[c], key)) for c in columns]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(value: float | int) -> str:
    return str(value) if isinstance(value, int) else f"{value:.3f}" if value == value else "n/a"


def failures(outcomes: Sequence[Outcome]) -> list[dict[str, object]]:
    rows = []
    for o in outcomes:
        if o.crag == 1:
            continue
        rows.append(
            {
                "id": o.case.id,
                "kind": o.case.kind,
                "question": o.case.question + "".join(f" → {t}" for t in o.case.turns),
                "expected": {
                    "clauses": list(o.case.expected_clauses),
                    "amount": o.case.expected_amount_yuan,
                    "refusal": o.case.expect_refusal,
                },
                "got": {"clauses": list(o.ranking[:3]), "amount": o.got_amount, "refused": o.refused},
                "failed": [
                    name
                    for name, ok in (
                        ("hit@1", o.hit1),
                        ("amount", o.amount_ok),
                        ("ineligible", o.ineligible_ok),
                        ("must_contain", o.must_contain_ok),
                        ("amount_withheld", o.amount_null_ok),
                        ("all_cited", o.all_cited_ok),
                        ("total", o.total_ok),
                        ("refusal", o.refused == o.case.expect_refusal),
                    )
                    if ok is False
                ],
            }
        )
    return rows


def write_reports(
    out: Path, files: Sequence[Path], results: dict[str, list[Outcome]], profiles: Sequence[ProfileOutcome] = ()
) -> None:
    summaries = {column: summarise(outcomes) for column, outcomes in by_column(results).items()}
    matching = {split: summarise_profiles([o for o in profiles if o.case.split == split]) for split in SPLITS}
    matching = {split: figures for split, figures in matching.items() if figures["profiles"]}
    out.mkdir(parents=True, exist_ok=True)
    data = {
        "case_files": [_shown(p) for p in files],
        "summaries": {m: asdict(s) for m, s in summaries.items()},
        "matching": matching,
        "failures": {m: failures(o) for m, o in results.items()},
    }
    (out / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    md = [
        "# Eval report",
        "",
        "Generated by `python -m evals.run`; do not edit by hand.",
        f"Case files: {', '.join(_shown(p) for p in files)}.",
        "Columns: retrieval mode · split (dev is tuned on; test is never tuned on).",
        "",
        table(summaries),
        "",
        *profile_table(matching),
    ]
    for mode, rows in data["failures"].items():
        if mode != "hybrid" and "hybrid" in data["failures"]:
            continue  # the other modes' failures are in report.json
        md += [f"## Failing cases: {mode} ({len(rows)})", ""]
        if rows:
            md += ["| id | question | expected | got | failed |", "|---|---|---|---|---|"]
            md += [
                f"| {r['id']} | {_md(r['question'])} | {_md(json.dumps(r['expected'], ensure_ascii=False))} | "
                f"{_md(json.dumps(r['got'], ensure_ascii=False))} | {', '.join(r['failed'])} |"
                for r in rows
            ]
        md.append("")
    (out / "report.md").write_text("\n".join(md), encoding="utf-8")
    chart(summaries, out / "report.png")


def chart(summaries: dict[str, Summary], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = ["hit1", "hit3", "mrr10", "citation_precision", "amount_exact", "refusal_rate", "must_contain", "crag"]
    fig, ax = plt.subplots(figsize=(10, 4))
    width = 0.8 / max(1, len(summaries))
    for i, (mode, summary) in enumerate(summaries.items()):
        values = [getattr(summary, k) for k in keys]
        ax.bar([x + i * width for x in range(len(keys))], values, width, label=mode)
    ax.set_xticks([x + width * (len(summaries) - 1) / 2 for x in range(len(keys))], keys, rotation=20)
    ax.set_ylim(-0.1, 1.05)
    ax.set_title("Answer accuracy by retrieval mode")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def profile_table(matching: dict[str, dict[str, float | int]]) -> list[str]:
    """Policy matching over the profile cases (evals/profiles), one column per split."""
    if not matching:
        return []
    splits = list(matching)
    rows = ["## Policy matching (evals/profiles)", "", "| metric | " + " | ".join(splits) + " |"]
    rows.append("|---|" + "---|" * len(splits))
    for key in next(iter(matching.values())):
        rows.append(f"| {key} | " + " | ".join(_cell(matching[s][key]) for s in splits) + " |")
    return [*rows, ""]


def _shown(path: Path) -> str:
    return f"{path.parent.name}/{path.name}" if path.parent.name in SPLITS else path.name


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="evals.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, nargs="+", default=DEFAULT_CASES)
    parser.add_argument("--mode", choices=[*MODES, "all"], default="all")
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    parser.add_argument("--profiles", type=Path, nargs="*", default=DEFAULT_PROFILES, help="policy-matching cases")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    cases = [c for path in args.cases for c in load_cases(path) if args.split in ("all", c.split)]
    if not cases:
        parser.error("no cases to run")
    modes = list(MODES) if args.mode == "all" else [args.mode]
    assistant = Assistant.load()
    results = run(assistant, cases, modes)
    chosen = [c for p in args.profiles for c in load_profile_cases(p) if args.split in ("all", c.split)]
    profiles = run_profiles(assistant, chosen)
    write_reports(args.out, args.cases, results, profiles)
    print(table({c: summarise(o) for c, o in by_column(results).items()}))
    print("\n".join(profile_table({s: summarise_profiles([o for o in profiles if o.case.split == s]) for s in SPLITS})))
    print(f"\nreport: {args.out / 'report.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

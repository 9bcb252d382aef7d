"""Retrieval alone over eval cases (``index`` search, no assistant): clause hit@1, hit@3 and MRR@10 per mode.

    python -m evals.library.retrieval --cases evals/cases/dev/library.jsonl [...]

Measures the index over the library while the assistant does not yet answer from documents without 文号.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from evals.cases import load_cases
from index.search import MODES
from index.settings import Settings
from index.store import open_index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=Path, nargs="+", required=True)
    args = parser.parse_args()
    cases = [c for path in args.cases for c in load_cases(path) if c.expected_clauses]
    index = open_index(Settings.from_env())
    print(f"{len(cases)} cases with expected clauses, {len(index.corpus.documents)} documents")
    for mode in MODES:
        ranks = []
        for case in cases:
            found = [h.clause_id for h in index.search(case.question, k=10, mode=mode)]
            ranks.append(min((found.index(c) + 1 for c in case.expected_clauses if c in found), default=None))
        hit1 = sum(r == 1 for r in ranks) / len(ranks)
        hit3 = sum(r is not None and r <= 3 for r in ranks) / len(ranks)
        mrr = sum(1 / r for r in ranks if r) / len(ranks)
        print(f"{mode}: hit@1 {hit1:.2f}  hit@3 {hit3:.2f}  MRR@10 {mrr:.2f}")


if __name__ == "__main__":
    main()

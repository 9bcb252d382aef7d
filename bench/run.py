"""One benchmark run: cold start, ask/search latency per mode, index builds, memory, scaling, REST load.

    python -m bench.run [--quick] [--out bench]

Every figure is measured in this run, beside its baselines (bm25 only, dense only). ``--quick``
skips the 100k-chunk corpus and shortens the REST load (for a smoke run).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from assistant import Assistant
from bench import embedding
from bench.rest import LoadRow, as_dicts, rest_load
from bench.scaling import ScalingRow, measure
from evals.cases import case_files, load_cases
from evals.metrics import percentile
from index.search import MODES
from index.settings import Settings
from index.store import build_index

HERE = Path(__file__).resolve().parent
_COLD = """
import json, resource, time
t0 = time.perf_counter()
from assistant import Assistant
a = Assistant.load()
t1 = time.perf_counter()
a.ask("鲁科贷实际支付利息80万元，能贴息多少？")
t2 = time.perf_counter()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"load_s": t1 - t0, "first_answer_s": t2 - t0, "rss_mb": rss}))
"""


def questions() -> list[str]:
    return [c.question for p in case_files() for c in load_cases(p)]


def cold_start(cache_dir: Path, runs: int) -> dict[str, float]:
    """New process → first answer, as a user's first request after `make run` would see it."""
    env = {**os.environ, "POLICY_ASSISTANT_CACHE_DIR": str(cache_dir)}
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _COLD], env=env, capture_output=True, text=True, check=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        figures["wall_s"] = time.perf_counter() - started
        samples.append(figures)
    return {k: round(statistics.median(s[k] for s in samples), 2) for k in samples[0]}


def latencies(fn: Callable[[str], object], items: Sequence[str]) -> dict[str, float]:
    millis = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        millis.append((time.perf_counter() - started) * 1000)
    millis.sort()
    return {f"p{p}_ms": round(percentile(millis, p), 2) for p in (50, 95, 99)} | {"n": len(millis)}


def builds(settings: Settings) -> dict[str, float]:
    """A full build from nothing (no embedding cache), then a rebuild after adding one document."""
    with tempfile.TemporaryDirectory() as tmp:
        cache, corpus = Path(tmp) / "cache", Path(tmp) / "corpus"
        shutil.copytree(settings.corpus_dir, corpus)
        fresh = Settings.make(corpus_dir=corpus, cache_dir=cache, embedder=settings.embedder)
        full = build_index(fresh)
        _add_document(corpus)
        incremental = build_index(fresh)
    return {
        "full_build_s": round(full.seconds, 2),
        "full_chunks": full.chunks,
        "incremental_build_s": round(incremental.seconds, 2),
        "incremental_embedded_chunks": incremental.embedded,
    }


def _add_document(corpus: Path) -> None:
    """A copy of sd-2023-155 under another id: the build must embed only what is new (its context)."""
    docs = corpus / "documents"
    text = (docs / "sd-2023-155.txt").read_text(encoding="utf-8")
    first_items = text.split("(三)")[0] + "本措施自2024年1月1日起实施。"
    (docs / "xx-2024-1.txt").write_text(first_items, encoding="utf-8")
    meta = (docs / "sd-2023-155.toml").read_text(encoding="utf-8")
    meta = meta.replace('"sd-2023-155"', '"xx-2024-1"').replace("sd-2023-155.txt", "xx-2024-1.txt")
    meta = meta.replace('short_title = "山东科技财政金融协同若干措施"', 'short_title = "基准测试新增文件"')
    meta = meta.split("# The received text dropped")[0]
    (docs / "xx-2024-1.toml").write_text(meta, encoding="utf-8")


def scaling(assistant: Assistant, sizes: Sequence[int], queries: list[str]) -> list[ScalingRow]:
    clauses = [c for d in assistant.index.corpus.documents for c in d.all_clauses]
    sentences = [s.text for c in clauses for s in c.sentences if len(s.text) > 8]
    vectors = assistant.index.embedder.passages(sentences)
    return [measure(n, sentences, vectors, assistant.index.analyzer, assistant.index.embedder, queries) for n in sizes]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    report: dict[str, object] = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}

    print("builds …", flush=True)
    report["builds"] = builds(settings)
    build_index(settings)  # the project's own cache, built, for the cold start with an index
    print("cold start …", flush=True)
    report["cold_start_built"] = cold_start(settings.cache_dir, runs=3)
    with tempfile.TemporaryDirectory() as tmp:
        report["cold_start_unbuilt"] = cold_start(Path(tmp), runs=1)

    assistant = Assistant.load(settings)
    qs = questions()
    print("ask and search latency …", flush=True)
    ask, search = {}, {}
    for mode in MODES:
        variant = assistant.with_mode(mode)
        assistant.clear_caches()
        search[mode] = latencies(lambda q, m=mode: assistant.search(q, k=5, mode=m), qs)
        variant.clear_caches()
        ask[mode] = latencies(variant.ask, qs)
    ask["hybrid_repeated"] = latencies(assistant.ask, qs)  # the same questions again: cached query vectors
    report["ask_latency"] = ask
    report["search_latency"] = search
    print("query embedding per OpenMP setting …", flush=True)
    report["embedding"] = [asdict(r) for r in embedding.measure(qs[:60] if args.quick else qs[:200])]

    print("scaling …", flush=True)
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    report["scaling"] = [asdict(r) for r in scaling(assistant, sizes, qs[:100])]
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    print("REST load …", flush=True)
    seconds = 5.0 if args.quick else 15.0
    rest = rest_load([1, 8, 32], seconds, max_requests=3000, questions=qs)
    report["rest"] = as_dicts(rest)

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    (args.out / "report.md").write_text(render(report), encoding="utf-8")
    print(render(report))
    return rest_exit_code(rest)


def rest_exit_code(rest: Sequence[LoadRow]) -> int:
    """1, saying which, when any REST request erred: a benchmark that hides errors measures the wrong thing."""
    bad = [r for r in rest if r.errors]
    for r in bad:
        print(
            f"error: {r.endpoint} at {r.clients} clients: {r.errors} of {r.requests} requests failed "
            f"({', '.join(f'{k}: {n}' for k, n in r.error_kinds.items())})",
            file=sys.stderr,
        )
    return 1 if bad else 0


def render(r: dict) -> str:  # type: ignore[type-arg]
    lines = [
        "# Benchmark report",
        "",
        "Generated by `make bench` (`python -m bench.run`); do not edit by hand.",
        f"Machine: {r['machine']['cpus']} CPUs, Python {r['machine']['python']}.",
        "",
    ]
    b = r["builds"]
    lines += [
        "## Index builds",
        "",
        "| build | seconds | chunks embedded |",
        "|---|---|---|",
        f"| full, empty cache | {b['full_build_s']} | {b['full_chunks']} |",
        f"| after adding one document | {b['incremental_build_s']} | {b['incremental_embedded_chunks']} |",
        "",
    ]
    lines += [
        "## Cold start (new process → first answer)",
        "",
        "| index | load s | first answer s | wall s | RSS MB |",
        "|---|---|---|---|---|",
    ]
    for key, label in (("cold_start_built", "built"), ("cold_start_unbuilt", "not built (build included)")):
        c = r[key]
        lines.append(f"| {label} | {c['load_s']} | {c['first_answer_s']} | {c['wall_s']} | {c['rss_mb']:.0f} |")
    lines += [
        "",
        "## Latency over the public eval questions (ms)",
        "",
        "| call | mode | p50 | p95 | p99 | n |",
        "|---|---|---|---|---|---|",
    ]
    for call in ("ask_latency", "search_latency"):
        for mode, f in r[call].items():
            lines.append(
                f"| {call.split('_')[0]}() | {mode} | {f['p50_ms']} | {f['p95_ms']} | {f['p99_ms']} | {f['n']} |"
            )
    lines += [
        "",
        "`hybrid` embeds every question not seen before (the query-vector cache cleared first), except where",
        "BM25 alone is decisive; `hybrid_repeated` asks the same questions again (vectors cached).",
        "",
        "## The dense query per OpenMP setting (ms, one new process each)",
        "",
        "The embedder's threads wait passively by default. Asleep, every parallel step of an embedding pays a",
        "wake-up; spinning, even briefly, they are faster on an idle machine, but beside one busy process per",
        "core (other requests, other workers) a spinner preempted at a barrier stalls the whole query.",
        "",
        "| setting | machine | query p50 | query p95 | ask() p50 | ask() p95 | n |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {e['setting']} | {e['load']} | {e['p50_ms']} | {e['p95_ms']} | {e['ask_p50_ms']} | {e['ask_p95_ms']} "
            f"| {e['n']} |"
            for e in r["embedding"]
        ),
        "",
        f"Peak RSS of the benchmark process: {r['peak_rss_mb']} MB.",
        "",
        "## Scaling (synthetic chunks recombined from real sentences)",
        "",
        "| chunks | FAISS index | BM25 p50/p95 ms | dense p50/p95 ms | BM25 build s | dense build s | BM25 MB "
        "| FAISS MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in r["scaling"]:
        lines.append(
            f"| {s['chunks']} | {s['faiss_type']} | {s['bm25_p50_ms']} / {s['bm25_p95_ms']} | "
            f"{s['dense_p50_ms']} / {s['dense_p95_ms']} | {s['bm25_build_s']} | {s['dense_build_s']} | "
            f"{s['bm25_mb']} | {s['dense_mb']} |"
        )
    lines += [
        "",
        "## REST on loopback",
        "",
        "`ask` and `search` repeat the public eval questions (query vectors cached after the first time);",
        "the `-uncached` rows make every question unique with a bracketed suffix, so each one is embedded.",
        "`make bench` fails when any request errs.",
        "",
        "| endpoint | clients | requests | answers/s | errors |",
        "|---|---|---|---|---|",
    ]
    for x in r["rest"]:
        kinds = ", ".join(f"{k}: {n}" for k, n in x["error_kinds"].items())
        errors = f"{x['errors']} ({kinds})" if x["errors"] else "0"
        lines.append(f"| {x['endpoint']} | {x['clients']} | {x['requests']} | {x['per_second']} | {errors} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())

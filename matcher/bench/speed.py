"""Speed figures: index build, warm and batch latency, and cold process start.

Absolute times vary between machines; the ratios (matcher against the raw encoder, cold
`matcher ask` against a minimal sentence-transformers script) are what to compare.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from matcher.embedding.encoder import SentenceTransformerEncoder
from matcher.embedding.models import model_path
from matcher.index import store as index_store
from matcher.index.views import strip_boilerplate
from matcher.search.matching import Matcher

REPO = Path(__file__).resolve().parents[2]
BATCH_SIZE = 1000
COLD_RUNS = 3


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _run_seconds(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {done.stderr.strip()[-300:]}")
    return time.perf_counter() - started


def measure(
    matcher: Matcher,
    corpus: Sequence[Path],
    questions: Sequence[str],
    step: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """All speed figures, medians where a figure is repeated."""
    step("index build")
    started = time.perf_counter()
    fresh = index_store.build(corpus, matcher.encoder)
    build_seconds = time.perf_counter() - started

    step("warm latency")
    warm = []
    for question in questions:
        t = time.perf_counter()
        matcher.ask(question)
        warm.append((time.perf_counter() - t) * 1000)

    step(f"batch of {BATCH_SIZE}")
    batch = [questions[i % len(questions)] for i in range(BATCH_SIZE)]
    t = time.perf_counter()
    matcher.ask_many(batch)
    matcher_qps = BATCH_SIZE / (time.perf_counter() - t)
    stripped = [strip_boilerplate(q) for q in batch]
    t = time.perf_counter()
    matcher.encoder.encode(stripped)
    encoder_qps = BATCH_SIZE / (time.perf_counter() - t)

    step("cold start")
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        index_store.save(fresh, index_dir)
        # As after any first question.
        index_store.make_export(index_dir, fresh.manifest["model"], SentenceTransformerEncoder(fresh.model))
        build_dir = index_dir / index_store.read_manifest(index_dir)["build"]
        question = questions[0]
        cli = str(Path(sys.executable).with_name("matcher"))
        corpus_args = [a for p in corpus for a in ("--corpus", str(p))]
        ask = [cli, "ask", question, "--index-dir", str(index_dir), *corpus_args]
        minimal = [
            sys.executable,
            str(REPO / "benchmarks" / "minimal_query.py"),
            str(model_path(matcher.index.model)),
            str(build_dir / "views.faiss"),
            question,
        ]
        help_runs = [_run_seconds([cli, "--help"]) for _ in range(COLD_RUNS)]
        ask_runs = [_run_seconds(ask) for _ in range(COLD_RUNS)]
        minimal_runs = [_run_seconds(minimal) for _ in range(COLD_RUNS)]

    step("parity")
    parity = None
    if not isinstance(matcher.encoder, SentenceTransformerEncoder):
        reference = SentenceTransformerEncoder(matcher.index.model).encode(stripped)
        parity = round(float((reference * matcher.encoder.encode(stripped)).sum(axis=1).min()), 7)

    cold_ask, cold_minimal = statistics.median(ask_runs), statistics.median(minimal_runs)
    return {
        "model": matcher.index.model,
        "query_encoder": type(matcher.encoder).__name__,
        "parity_min_cosine": parity,
        "index_build_seconds": round(build_seconds, 2),
        "stories": len(fresh.bank.stories),
        "views": len(fresh.views),
        "warm_ms_p50": round(statistics.median(warm), 1),
        "warm_ms_p95": round(_percentile(warm, 0.95), 1),
        "warm_questions": len(warm),
        "batch_questions": BATCH_SIZE,
        "batch_questions_per_second": round(matcher_qps, 1),
        "encoder_questions_per_second": round(encoder_qps, 1),
        "batch_overhead_ratio": round(encoder_qps / matcher_qps, 2),
        "cold_runs": COLD_RUNS,
        "cold_help_seconds": round(statistics.median(help_runs), 2),
        "cold_ask_seconds": round(cold_ask, 2),
        "cold_minimal_script_seconds": round(cold_minimal, 2),
        "cold_ratio": round(cold_ask / cold_minimal, 2),
    }

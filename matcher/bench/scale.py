"""``matcher bench --scale``: what an index costs as the story bank grows.

For each bank size a synthetic bank is written (:mod:`matcher.bench.synthetic`), its index
built in a child process, and measured:

- build: the index's own build time (parse, duplicates, embedding, save) and the peak
  memory of the build process, and the size of the build on disk;
- rebuild after editing one document: time and how many views were reused;
- cold ``matcher ask`` as a whole process: median wall and CPU time and peak memory
  over ``COLD_RUNS`` runs, after one unmeasured run that warms the file cache;
- warm: median latency (wall and CPU) of ``WARM_QUESTIONS`` questions asked one by one
  in one process, and throughput (and CPU per question) of a batch of ``BATCH_QUESTIONS``.

Every process's peak memory is its own maximum resident set (``os.wait4``). Absolute
times depend on the machine and its load; compare sizes within one run.

Embedding 48,000 views (8,000 stories) with MiniLM takes over an hour on a busy
two-core machine, so ``stand_in=True`` builds the story vectors with
:class:`StandInEncoder` instead: everything else about the build (parsing, duplicates,
the lexical index, writing) is measured as is, and questions are still encoded by the
real model, so cold and warm figures are unchanged by it; build times then exclude
embedding, which costs the same per view whatever the bank size.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matcher.bench.synthetic import questions, write_bank
from matcher.index import store as index_store

SIZES = (80, 800, 8_000, 40_000)
MODEL = "minilm"
COLD_RUNS = 3
WARM_QUESTIONS = 50
BATCH_QUESTIONS = 500


class StandInEncoder:
    """Unit vectors drawn from a hash of each text, named as the real model (see module)."""

    def __init__(self, model: str = MODEL, dimension: int = 384) -> None:
        self.model = model
        self.dimension = dimension

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """One deterministic pseudo-random unit vector per text."""
        rows = np.empty((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")
            rows[i] = np.random.default_rng(seed).standard_normal(self.dimension)
        if progress:
            progress(len(texts))
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def build_index(corpus: Path, index_dir: Path, stand_in: bool, rebuild: bool) -> None:
    """Build (or rebuild) the index of ``corpus``, as ``matcher index build`` does."""
    from matcher.embedding.encoder import SentenceTransformerEncoder
    from matcher.search.matching import Matcher

    encoder = StandInEncoder() if stand_in else SentenceTransformerEncoder(MODEL)
    Matcher.open([corpus], index_dir, MODEL, notify=lambda _: None, rebuild=rebuild, encoder=encoder)


def _run(command: list[str]) -> tuple[float, float, float]:
    """Run ``command``; (wall seconds, CPU seconds, peak resident memory in MB).

    CPU time (user + system) is the work the process did: on a shared machine its wall
    time also counts the time it waited for a core. Raises on failure.
    """
    started = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        child = subprocess.Popen(command, stdout=devnull, stderr=subprocess.PIPE)
        # wait4 gives this child's own peak memory; RUSAGE_CHILDREN would give the
        # largest of all children so far.
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        error = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
        if child.stderr:
            child.stderr.close()
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} failed: {error.strip()[-400:]}")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def measure_size(stories: int, folder: Path, stand_in: bool, step: Callable[[str], None]) -> dict[str, Any]:
    """Every figure for one bank size; the bank and its index are written under ``folder``."""
    from matcher.search.matching import Matcher

    corpus, index_dir = folder / "corpus", folder / "index"
    step(f"{stories} stories: writing the bank")
    documents = write_bank(corpus, stories)
    cli = str(Path(sys.executable).with_name("matcher"))
    where = ["--corpus", str(corpus), "--index-dir", str(index_dir)]
    builder = [sys.executable, "-m", "matcher.bench.scale", str(corpus), str(index_dir)]
    builder += ["--stand-in"] if stand_in else []

    step(f"{stories} stories: building the index")
    _, _, build_peak = _run(builder)
    manifest = index_store.read_manifest(index_dir)
    build_disk = _disk_mb(index_dir / manifest["build"])

    step(f"{stories} stories: cold ask")
    asked = questions(WARM_QUESTIONS)
    ask = [cli, "ask", asked[0], *where]
    _run(ask)  # also exports the model for fast questions, once
    cold = [_run(ask) for _ in range(COLD_RUNS)]

    step(f"{stories} stories: warm questions")
    matcher = Matcher.open([corpus], index_dir, notify=lambda _: None)
    warm, warm_cpu = [], []
    for question in asked:
        t, cpu = time.perf_counter(), time.process_time()
        matcher.ask(question)
        warm.append((time.perf_counter() - t) * 1000)
        warm_cpu.append((time.process_time() - cpu) * 1000)
    batch = [asked[i % len(asked)] for i in range(BATCH_QUESTIONS)]
    t, cpu = time.perf_counter(), time.process_time()
    matcher.ask_many(batch)
    batch_qps = BATCH_QUESTIONS / (time.perf_counter() - t)
    batch_cpu = (time.process_time() - cpu) * 1000 / BATCH_QUESTIONS
    del matcher

    step(f"{stories} stories: rebuild after editing one document")
    edited = documents[len(documents) // 2]
    original = edited.read_bytes()
    edited.write_bytes(original + b"\nThe team still uses the dashboard I built for it.\n")
    try:
        rebuild_seconds, _, _ = _run([*builder, "--rebuild"])
    finally:
        edited.write_bytes(original)
    rebuilt = index_store.read_manifest(index_dir)
    return {
        "stories": manifest["counts"]["stories"],
        "documents": len(documents),
        "views": manifest["counts"]["views"],
        "build_seconds": manifest["build_seconds"],
        "build_peak_mb": round(build_peak),
        "disk_mb": round(build_disk, 1),
        "rebuild_one_edit_seconds": round(rebuild_seconds, 1),
        "rebuild_views_reused": rebuilt["counts"].get("reused"),
        "cold_ask_seconds": round(statistics.median(s for s, _, _ in cold), 2),
        "cold_ask_cpu_seconds": round(statistics.median(c for _, c, _ in cold), 2),
        "cold_ask_peak_mb": round(max(m for _, _, m in cold)),
        "warm_ms_p50": round(statistics.median(warm), 1),
        "warm_cpu_ms_p50": round(statistics.median(warm_cpu), 1),
        "batch_questions_per_second": round(batch_qps, 1),
        "batch_cpu_ms_per_question": round(batch_cpu, 2),
    }


def run(
    sizes: Sequence[int], work: Path, stand_in: bool = False, step: Callable[[str], None] = lambda _: None
) -> dict[str, Any]:
    """The scale table for ``sizes``, with banks and indexes kept under ``work``."""
    rows = [measure_size(n, work / f"bank-{n}", stand_in, step) for n in sizes]
    base = rows[0]
    for row in rows:
        row["cold_ask_ratio"] = round(row["cold_ask_seconds"] / base["cold_ask_seconds"], 2)
        row["cold_ask_cpu_ratio"] = round(row["cold_ask_cpu_seconds"] / base["cold_ask_cpu_seconds"], 2)
        row["warm_p50_ratio"] = round(row["warm_ms_p50"] / base["warm_ms_p50"], 2)
        row["batch_ratio"] = round(base["batch_questions_per_second"] / row["batch_questions_per_second"], 2)
        row["warm_cpu_ratio"] = round(row["warm_cpu_ms_p50"] / base["warm_cpu_ms_p50"], 2)
        row["batch_cpu_ratio"] = round(row["batch_cpu_ms_per_question"] / base["batch_cpu_ms_per_question"], 2)
    return {
        "model": MODEL,
        "story_vectors": "stand-in (hash of the text)" if stand_in else MODEL,
        "command": "matcher bench --scale --scale-sizes " + ",".join(str(n) for n in sizes)
        + (" --scale-stand-in" if stand_in else ""),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cold_runs": COLD_RUNS,
        "warm_questions": WARM_QUESTIONS,
        "batch_questions": BATCH_QUESTIONS,
        "rows": rows,
    }


COLUMNS = (
    ("stories", "stories"), ("views", "views"), ("build s", "build_seconds"),
    ("build peak MB", "build_peak_mb"), ("disk MB", "disk_mb"),
    ("rebuild, 1 doc edited, s", "rebuild_one_edit_seconds"), ("views reused", "rebuild_views_reused"),
    ("cold ask s", "cold_ask_seconds"), ("cold ask ×", "cold_ask_ratio"),
    ("cold ask CPU s", "cold_ask_cpu_seconds"), ("cold CPU ×", "cold_ask_cpu_ratio"),
    ("cold ask peak MB", "cold_ask_peak_mb"), ("warm p50 ms", "warm_ms_p50"),
    ("warm ×", "warm_p50_ratio"), ("warm CPU ms", "warm_cpu_ms_p50"), ("warm CPU ×", "warm_cpu_ratio"),
    ("batch q/s", "batch_questions_per_second"), ("batch ×", "batch_ratio"),
    ("batch CPU ms/q", "batch_cpu_ms_per_question"), ("batch CPU ×", "batch_cpu_ratio"),
)


def markdown(report: dict[str, Any]) -> str:
    """The scale table as Markdown, ratios against the smallest bank."""
    lines = [
        f"# matcher at scale (model: {report['model']}, synthetic banks)",
        "",
        f"Story vectors: {report['story_vectors']}; questions encoded by {report['model']}.",
        "",
        f"`{report['command']}`, {report['measured_at']}. Cold ask: median of "
        f"{report['cold_runs']} whole `matcher ask` processes; warm p50 over "
        f"{report['warm_questions']} questions in one process; batch of "
        f"{report['batch_questions']}. × columns: against the smallest bank (for batch, "
        "how many times slower). CPU figures are the work done; wall figures also count "
        "waiting for a core on a shared machine.",
        "",
        "| " + " | ".join(name for name, _ in COLUMNS) + " |",
        "|" + " ---: |" * len(COLUMNS),
    ]
    for row in report["rows"]:
        lines.append("| " + " | ".join("–" if row.get(key) is None else str(row[key]) for _, key in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def write(report: dict[str, Any], folder: Path) -> list[Path]:
    """Write ``scale.json`` and ``scale.md`` into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "scale.json", folder / "scale.md"]
    paths[0].write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    paths[1].write_text(markdown(report), encoding="utf-8")
    return paths


if __name__ == "__main__":
    # The build child of measure_size: CORPUS INDEX_DIR [--stand-in] [--rebuild]
    build_index(Path(sys.argv[1]), Path(sys.argv[2]), "--stand-in" in sys.argv, "--rebuild" in sys.argv)

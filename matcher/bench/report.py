"""Benchmark results -> files: results.json, report.md, misses.md and plot.png."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

COLUMNS = ("recall@1", "recall@3", "recall@5", "mrr@10", "ndcg@10")


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown tables."""
    lines = [f"# matcher benchmark (model: {report['model']})", ""]
    for name, split in report["splits"].items():
        lines += [
            f"## {name}: {split['questions']} questions, {split['answerable']} answerable",
            "",
            "| retriever | " + " | ".join(COLUMNS) + " | what it is |",
            "| --- |" + " ---: |" * len(COLUMNS) + " --- |",
        ]
        for row in split["retrievers"]:
            cells = " | ".join(f"{row[c]:.3f}" for c in COLUMNS)
            lines.append(f"| {row['retriever']} | {cells} | {row['description']} |")
        p, r, n = split["principles"], split["rejection"], split["not_behavioural"]
        lines += [
            "",
            f"- Principles ({p['questions']} labelled questions): top-1 {p['top1']:.3f}, top-3 {p['top3']:.3f}",
            f"- \"No prepared story fits\": precision {r['precision']:.3f}, recall {r['recall']:.3f}; "
            f"answerable questions wrongly rejected {r['answerable_wrongly_rejected']:.3f}",
            f"- Not behavioural: precision {n['precision']:.3f}, recall {n['recall']:.3f}",
            f"- Right story not first: {len(split['misses'])} questions (misses.md)",
            "",
        ]
    if "speed" in report:
        s = report["speed"]
        lines += [
            "## Speed",
            "",
            "| figure | value |",
            "| --- | ---: |",
            f"| index build ({s['stories']} stories, {s['views']} views) | {s['index_build_seconds']} s |",
            f"| warm ask, p50 / p95 ({s['warm_questions']} questions) | {s['warm_ms_p50']} / {s['warm_ms_p95']} ms |",
            f"| batch of {s['batch_questions']}: matcher | {s['batch_questions_per_second']} questions/s |",
            f"| batch of {s['batch_questions']}: raw encoder | {s['encoder_questions_per_second']} questions/s |",
            f"| encoder / matcher throughput | {s['batch_overhead_ratio']}× |",
            f"| cold `matcher --help` (median of {s['cold_runs']}) | {s['cold_help_seconds']} s |",
            f"| cold `matcher ask` (median of {s['cold_runs']}) | {s['cold_ask_seconds']} s |",
            f"| cold minimal sentence-transformers + FAISS script | {s['cold_minimal_script_seconds']} s |",
            f"| cold ask / minimal script | {s['cold_ratio']}× |",
            f"| question encoder | {s['query_encoder']} |",
            f"| min cosine, question encoder vs sentence-transformers | {s['parity_min_cosine']} |",
            "",
        ]
    return "\n".join(lines)


def misses_markdown(report: dict[str, Any]) -> str:
    """Every answerable question whose right story was not first."""
    lines = ["# Questions whose right story was not first", ""]
    for name, split in report["splits"].items():
        lines += [f"## {name}", ""]
        for m in split["misses"]:
            got = f"“{m['got']}” ({m['score']}, {m['verdict']})" if m["got"] else "nothing"
            lines.append(
                f"- line {m['line']} ({m['kind']}): {m['question']}\n"
                f"  - expected: {'; '.join(m['expected'])}\n  - first: {got}"
            )
        lines.append("")
    return "\n".join(lines)


def plot(report: dict[str, Any], path: Path) -> None:
    """Recall@k curves per retriever for each split, and the speed bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    splits = list(report["splits"].items())
    panels = len(splits) + (1 if "speed" in report else 0)
    fig, axes = plt.subplots(1, panels, figsize=(5.5 * panels, 4.5), squeeze=False)
    for ax, (name, split) in zip(axes[0], splits):
        for row in split["retrievers"]:
            curve = row["recall_curve"]
            ax.plot(range(1, len(curve) + 1), curve, marker="o", label=row["retriever"],
                    linewidth=2.5 if row["retriever"] == "matcher" else 1.2)
        ax.set(title=f"{name}: Recall@k ({split['answerable']} questions)", xlabel="k",
               ylabel="recall", ylim=(0, 1.02))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    if "speed" in report:
        s = report["speed"]
        ax = axes[0][-1]
        labels = ["matcher ask\n(cold)", "minimal ST\nscript (cold)", "matcher --help\n(cold)"]
        values = [s["cold_ask_seconds"], s["cold_minimal_script_seconds"], s["cold_help_seconds"]]
        ax.bar(labels, values, color=["tab:blue", "tab:gray", "tab:green"])
        ax.set(title=f"cold start, seconds (warm ask p50 {s['warm_ms_p50']} ms)", ylabel="seconds")
        for i, v in enumerate(values):
            ax.text(i, v, f"{v:.2f}", ha="center", va="bottom")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write(report: dict[str, Any], folder: Path) -> list[Path]:
    """Write every result file into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / n for n in ("results.json", "report.md", "misses.md", "plot.png")]
    files[0].write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    files[1].write_text(markdown(report), encoding="utf-8")
    files[2].write_text(misses_markdown(report), encoding="utf-8")
    plot(report, files[3])
    return files

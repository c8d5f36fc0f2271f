"""Results -> files for scripts and notes: CSV, JSON or Markdown, chosen by extension.

- batch answers: one CSV row per question, JSON with the ``ask --json`` schema per
  question, or a Markdown table;
- coverage: the principle × story matrix (CSV: 1 where a story carries the principle),
  JSON with stories, planned and unanswered questions per principle, or Markdown.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matcher.principles import Catalogue
from matcher.report.coverage import BatchSummary, PrincipleCoverage
from matcher.results import Answer
from matcher.stories import StoryBank

FORMATS = ("csv", "json", "md")
CSV_COLUMNS = (
    "question", "verdict", "match", "principles", "story_id", "story_title", "score", "sources",
)


class OutputError(ValueError):
    """An ``--out`` destination refused before any work is done; the message says why."""


def format_for(path: Path, fmt: str | None) -> str:
    """The output format: ``fmt`` if given, else from the extension; OutputError if unknown."""
    if fmt is not None:
        if fmt.casefold() not in FORMATS:
            raise OutputError(f"unknown --format {fmt!r}; use csv, json or md")
        return fmt.casefold()
    chosen = {".csv": "csv", ".json": "json", ".md": "md", ".markdown": "md"}.get(path.suffix.casefold())
    if chosen is None:
        raise OutputError(f"cannot tell the format of {path.name}; use --format csv, json or md")
    return chosen


def check_destination(path: Path, inputs: Sequence[Path], force: bool) -> None:
    """Refuse an output path that would touch the user's inputs or an existing file.

    ``inputs`` are the corpus paths and the index folder: results are never written
    over or among them, even with ``force``. Checked before any work starts, so a long
    batch is not thrown away for a typo in the folder name.
    """
    target = path.expanduser().absolute().resolve()
    for source in inputs:
        source = source.expanduser().absolute().resolve()
        if target == source or source in target.parents:
            raise OutputError(f"{path} is inside {source}, among your documents or the index; write it elsewhere")
    if target.is_dir():
        raise OutputError(f"{path} is a folder; give a file name")
    if target.exists() and not force:
        raise OutputError(f"{path} already exists; use --force to replace it")
    if not target.parent.is_dir():
        raise OutputError(f"the folder {target.parent} does not exist")
    if not os.access(target.parent, os.W_OK):
        raise OutputError(f"cannot write in {target.parent}")


def row(answer: Answer) -> dict[str, Any]:
    """One question's answer flattened to the CSV columns (first story only)."""
    first = answer.results[0] if answer.results and answer.match else None
    return {
        "question": answer.question,
        "verdict": answer.verdict,
        "match": answer.match,
        "principles": "; ".join(p.name for p in answer.principles),
        "story_id": first.story.id if first else "",
        "story_title": first.story.title if first else "",
        "score": round(first.score, 4) if first else "",
        "sources": "; ".join(str(s) for s in first.sources) if first else "",
    }


def summary_dict(summary: BatchSummary) -> dict[str, Any]:
    """The batch summary as JSON-ready data."""
    return {
        "confident": summary.confident,
        "principle_only": summary.principle_only,
        "not_behavioural": summary.not_behavioural,
        "principles": [{"name": n, "questions": c} for n, c in summary.principles],
        "stories": [{"id": s.id, "title": s.title, "questions": c} for s, c in summary.stories],
    }


def write_batch(path: Path, fmt: str, answers: list[Answer], summary: BatchSummary) -> None:
    """Write the answers to ``path`` in ``fmt`` (csv, json or md)."""
    if fmt == "csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            writer.writerows(row(a) for a in answers)
    elif fmt == "json":
        data = {"answers": [a.to_dict() for a in answers], "summary": summary_dict(summary)}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    else:
        path.write_text(markdown(answers, summary), encoding="utf-8")


def markdown(answers: list[Answer], summary: BatchSummary) -> str:
    """A Markdown table of the answers and the summary."""
    def cell(text: Any) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| # | question | verdict | story | score | principles |", "| ---: | --- | --- | --- | ---: | --- |"]
    for n, answer in enumerate(answers, start=1):
        r = row(answer)
        lines.append(
            f"| {n} | {cell(r['question'])} | {r['verdict']} | {cell(r['story_title'])} | "
            f"{r['score']} | {cell(r['principles'])} |"
        )
    lines += [
        "",
        f"- confident story: {summary.confident}; principle only: {summary.principle_only}; "
        f"not behavioural: {summary.not_behavioural}",
        "- principles tested most: " + ", ".join(f"{n} ({c})" for n, c in summary.principles[:5]),
        "- stories used most: " + ", ".join(f"{s.title} ({c})" for s, c in summary.stories[:5]),
        "",
    ]
    return "\n".join(lines)


def coverage_dict(
    rows: list[PrincipleCoverage], advice: list[PrincipleCoverage], catalogue: Catalogue, *, inferred: bool
) -> dict[str, Any]:
    """Coverage as JSON-ready data; ``inferred``: the documents name no principle, so the
    stories' principles were inferred (``Matcher.principles_inferred``)."""
    return {
        "principles_inferred": inferred,
        "principles": [
            {
                "name": r.name,
                "in_catalogue": r.name in catalogue.names,
                "stories": [{"id": s.id, "title": s.title} for s in r.stories],
                "planned": [p.title for p in r.planned],
                "unanswered_questions": r.unanswered,
            }
            for r in rows
        ],
        "without_story": [r.name for r in rows if not r.stories and r.name in catalogue.names],
        "write_next": [r.name for r in advice],
    }


def write_coverage(
    path: Path,
    fmt: str,
    bank: StoryBank,
    rows: list[PrincipleCoverage],
    advice: list[PrincipleCoverage],
    catalogue: Catalogue,
    *,
    inferred: bool,
) -> None:
    """Write coverage to ``path`` in ``fmt`` (csv: the matrix; json; md)."""
    # newline="": the CSV keeps its own \r\n row ends, as the csv module asks.
    text = coverage_text(fmt, bank, rows, advice, catalogue, inferred=inferred)
    path.write_text(text, encoding="utf-8", newline="")


def coverage_text(
    fmt: str,
    bank: StoryBank,
    rows: list[PrincipleCoverage],
    advice: list[PrincipleCoverage],
    catalogue: Catalogue,
    *,
    inferred: bool,
) -> str:
    """Coverage as the text of a ``fmt`` file (csv: the matrix; json; md)."""
    stories = [group[0] for group in bank.groups().values()]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["principle", *(s.id for s in stories)])
        for r in rows:
            tagged = {s.id for s in r.stories}
            writer.writerow([r.name, *(int(s.id in tagged) for s in stories)])
        return out.getvalue()
    data = coverage_dict(rows, advice, catalogue, inferred=inferred)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    lines = ["| principle | stories | planned | unanswered questions |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {r.name} | {len(r.stories)} | {len(r.planned)} | {len(r.unanswered)} |" for r in rows]
    lines += [
        "",
        "- no written story: " + (", ".join(data["without_story"]) or "none"),
        "- write next: " + (", ".join(data["write_next"]) or "nothing urgent"),
        *(["- the documents name no principle: each story's were inferred from its text"] if inferred else []),
        "",
    ]
    return "\n".join(lines)

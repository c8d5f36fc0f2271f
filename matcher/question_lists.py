"""Lists of questions as candidates collect them -> clean, de-duplicated questions.

Accepted: plain text (one question per line), Markdown (questions in list items or
headings), CSV (a question column), from a file or stdin. Numbering ("1.", "2)", "Q3:")
and bullets are stripped, blank lines skipped, repeats reported once. Lines that cannot be
used (not UTF-8, too long) are skipped with a note naming the line; the rest is kept.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from matcher.search.matching import MAX_QUESTION_CHARS
from matcher.terminal import CONTROL

FORMATS = ("text", "markdown", "csv")
_BULLET = re.compile(r"^\s*(?:[-*+•·]\s+|(?:q(?:uestion)?\s*)?\d{1,3}\s*[.):]\s*|\d{1,3}\t|#{1,6}\s+)", re.I)
_MD_ITEM = re.compile(r"^\s*(?:[-*+]\s+|\d{1,3}[.)]\s+)")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(.*)$")
# A heading is a question only if it reads like one; "## Leadership questions" is a title.
_PROMPT_START = re.compile(
    r"^(?:tell|describe|give|share|walk|talk|what|how|why|when|where|which|who|have|has|"
    r"did|do|can|could|would|are|is)\b",
    re.I,
)


class QuestionListError(ValueError):
    """The input as a whole cannot be used (missing, binary, empty, no such column)."""


@dataclass
class QuestionList:
    """The questions of one input, and what was left out of it."""

    questions: list[str]
    duplicates: dict[str, int] = field(default_factory=dict)  # question -> times it appeared
    skipped: list[str] = field(default_factory=list)  # "line N: why"


def read_question_list(
    source: Path | None, data: bytes | None = None, fmt: str | None = None, column: str | None = None
) -> QuestionList:
    """Questions from ``source`` (a file) or ``data`` (stdin bytes).

    ``fmt`` is one of FORMATS; by default it follows the file extension (``.md``,
    ``.csv``), else text. ``column`` names the CSV column (default: "question").
    """
    if data is None:
        if source is None or not source.is_file():
            raise QuestionListError(f"question list not found: {source}")
        data = source.read_bytes()
    name = source.name if source else "stdin"
    if b"\x00" in data[:8192]:
        raise QuestionListError(f"{name} is a binary file, not a list of questions")
    fmt = fmt or _format_from_name(source)
    skipped: list[str] = []
    lines = _decode_lines(data, skipped)
    if fmt == "csv":
        raw = _csv_questions(lines, column or "question", name)
    elif fmt == "markdown":
        raw = [(n, _strip_marks(line)) for n, line in lines if _is_markdown_question(line)]
    else:
        raw = [(n, _strip_marks(line)) for n, line in lines]
    counts: Counter[str] = Counter()
    questions: list[str] = []
    for n, text in raw:
        text = " ".join(CONTROL.sub(" ", text.replace("**", "")).split())
        if not text:
            continue
        if len(text) > MAX_QUESTION_CHARS:
            skipped.append(f"line {n}: {len(text):,} characters, longer than a question")
            continue
        key = text.casefold()
        if not counts[key]:
            questions.append(text)
        counts[key] += 1
    if not questions:
        raise QuestionListError(f"no questions found in {name}")
    duplicates = {q: counts[q.casefold()] for q in questions if counts[q.casefold()] > 1}
    return QuestionList(questions, duplicates, skipped)


def _strip_marks(line: str) -> str:
    """``line`` without leading bullets and numbering ("- Q3: …" -> "…")."""
    while (mark := _BULLET.match(line)) and mark.end():
        line = line[mark.end():]
    return line


def _is_markdown_question(line: str) -> bool:
    if _MD_ITEM.match(line):
        return True
    heading = _MD_HEADING.match(line)
    if not heading:
        return False
    text = _strip_marks(heading.group(1).replace("**", "")).strip()
    return "?" in text or bool(_PROMPT_START.match(text))


def _format_from_name(source: Path | None) -> str:
    suffix = source.suffix.casefold() if source else ""
    return {".csv": "csv", ".md": "markdown", ".markdown": "markdown"}.get(suffix, "text")


def _decode_lines(data: bytes, skipped: list[str]) -> list[tuple[int, str]]:
    lines = []
    for n, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").splitlines(), start=1):
        try:
            lines.append((n, raw.decode("utf-8")))
        except UnicodeDecodeError:
            skipped.append(f"line {n}: not UTF-8 text")
    return lines


def _csv_questions(lines: list[tuple[int, str]], column: str, name: str) -> list[tuple[int, str]]:
    # csv rather than splitting on commas: questions contain commas and quotes.
    reader = csv.reader(io.StringIO("\n".join(text for _, text in lines)))
    rows = list(reader)
    if not rows:
        return []
    header = [h.strip().casefold() for h in rows[0]]
    if column.casefold() not in header:
        raise QuestionListError(
            f"{name} has no column {column!r} (columns: {', '.join(rows[0])}); pass --column"
        )
    at = header.index(column.casefold())
    # Reported as "line" = CSV row number counting the header as 1.
    return [(i, row[at]) for i, row in enumerate(rows[1:], start=2) if len(row) > at]

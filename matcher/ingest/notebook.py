"""Jupyter notebooks (.ipynb) -> the lines of their Markdown cells, numbered as the file's lines.

A notebook is JSON: a list of cells, each with its ``source`` as a list of lines (or one
string). Only Markdown cells are notes; code cells and their saved outputs (which may
print a story's title again) are not. Each cell's lines are found in the file in order,
as Jupyter writes one JSON string per line, so ``notes.ipynb:30`` is the line an editor
shows; a notebook saved on one line gives every cell line that one number.
"""

from __future__ import annotations

import json

from matcher.ingest.lines import Line

NOTEBOOK_SUFFIX = ".ipynb"


class NotebookError(ValueError):
    """The text is not a readable Jupyter notebook."""


def notebook_lines(text: str) -> list[Line]:
    """The lines of a notebook's Markdown cells, a blank line between cells."""
    try:
        cells = json.loads(text).get("cells")
    except (json.JSONDecodeError, AttributeError):
        cells = None
    if not isinstance(cells, list):
        raise NotebookError("not a readable Jupyter notebook (no list of cells)")
    file_lines = text.splitlines()
    at = 0  # index in ``file_lines`` where the search for the next cell line starts
    lines: list[Line] = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        for part in source.splitlines():
            if part.strip():  # a blank line's JSON string ("\n") is on every other line
                at = _find(file_lines, part, at + 1, at)
            lines.append(Line(at + 1, part))
        lines.append(Line(at + 1, ""))
    return lines


def _find(file_lines: list[str], part: str, start: int, default: int) -> int:
    """The index of the first file line from ``start`` holding ``part`` as a JSON string,
    else ``default``."""
    encoded = (json.dumps(part, ensure_ascii=False)[:-1], json.dumps(part)[:-1])
    for i in range(start, len(file_lines)):
        if any(form in file_lines[i] for form in encoded):
            return i
    return default

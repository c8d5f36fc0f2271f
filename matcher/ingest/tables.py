"""Markdown tables of stories -> the lines the outline reader knows.

People who like to see every story on one screen keep them in a table, in one of two
shapes (HTML tables reach here as Markdown rows too, see :mod:`matcher.ingest.html`):

- **A row per story**, the header naming STAR parts: ``| Story | LPs | Situation | Task |
  Action | Result |``. Each row becomes a separator, a title line (the first column that
  is neither a part nor principles), a ``LP:`` line and one label line per part; the
  text of any other column follows, so nothing written is lost.
- **A row per part**, the first cell a STAR label: ``| Situation | We had… |``. Each such
  row becomes a label line; a header of column names (``| Part | Notes |``) is
  dropped, and any other row, such as a header holding the story's question, is kept as text.

- **A grid of stories against principles**, a column per principle (named or
  abbreviated) and a mark (✓) where a story fits one: each row becomes a
  ``Story grid: <story> :: <columns>`` line, and the outline reader tags the story of
  that title, written elsewhere in the document, with those principles.

A table with no such shape is left as it was written. Every line keeps its row's number.
A CSV or TSV file (a spreadsheet of stories saved as such) is read as one table.
"""

from __future__ import annotations

import csv
import io
import re

from matcher.ingest import labels
from matcher.ingest.document import is_placeholder
from matcher.ingest.lines import Line

_DELIMITER_CELL = re.compile(r":?-+:?")
GRID_PREFIX = "Story grid: "  # the line a grid's row becomes, read by the outline reader
_MARK = re.compile(r"[✓✔☑✅xX×•●*+]|yes|y", re.IGNORECASE)
_ROW_NUMBER_CELL = re.compile(r"#?\d{1,4}\.?")
# An "id" or "#" column numbering the rows is no title.
_ROW_NUMBER = re.compile(r"(?:id|#|no\.?|number)[ \t]+\d{1,5}", re.IGNORECASE)
_TITLE_HEADER = re.compile(r"(?:story|story name|story title|title|name)", re.IGNORECASE)
_QUESTION_HEADER = re.compile(r"(?:(?:interview|sample|example)[ \t])?questions?", re.IGNORECASE)
_PRINCIPLES_HEADER = re.compile(r"(?:leadership[ \t])?(?:lps?|principles?|tags?|lp\(s\)|principle\(s\))", re.IGNORECASE)


def rewrite(lines: list[Line]) -> list[Line]:
    """``lines`` with every table of stories written out as titles and labelled lines."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _is_row(lines[j].text):
            j += 1
        if j == i:
            out.append(lines[i])
            i += 1
        else:
            out += _table(lines[i:j])
            i = j
    return out


def csv_lines(text: str, delimiter: str = ",") -> list[Line]:
    """The rows of a CSV file (or, with ``delimiter="\\t"``, a TSV one) as Markdown table
    rows, each at the line it starts on."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[Line] = []
    start = 1
    for cells in reader:
        row = "| " + " | ".join(" ".join(c.replace("|", "/").split()) for c in cells) + " |"
        rows.append(Line(start, row))
        if len(rows) == 1:
            rows.append(Line(start, "|" + "---|" * len(cells)))
        start = reader.line_num + 1
    return rows


def _is_row(text: str) -> bool:
    stripped = text.strip()
    return len(stripped) > 1 and stripped.startswith("|") and stripped.count("|") >= 2


def _cells(text: str) -> list[str]:
    inner = text.strip().removeprefix("|")
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip() for cell in inner.split("|")]


def _is_delimiter(cells: list[str]) -> bool:
    return all(_DELIMITER_CELL.fullmatch(cell.replace(" ", "")) for cell in cells)


def _label(cell: str) -> str | None:
    return labels.canonical_label(cell.replace("**", "").replace("__", "").strip(" :："))


def _labelled(label: str, text: str) -> str | None:
    """``label: text`` as a line the outline reader takes for that label, or None."""
    line = f"{label.replace('**', '').replace('__', '').strip(' :：')}: {text}"
    return line if labels.match_label(line) else None


def _table(rows: list[Line]) -> list[Line]:
    cells = [_cells(row.text) for row in rows]
    header = cells[0] if len(rows) > 1 and _is_delimiter(cells[1]) else None
    body = [(row, c) for row, c in zip(rows, cells) if not _is_delimiter(c)]
    if header is not None and _is_grid(body[1:]):
        return [line for row, c in body[1:] if (line := _grid_row(row.number, header, c))]
    if header is not None and sum(_label(h) is not None for h in header) >= 2:
        # The closing separator: text after the table is not the last row's story.
        stories = [line for row, c in body[1:] for line in _story_row(row.number, header, c)]
        return stories + [Line(rows[-1].number, "---")]
    body = _pair_label_rows(body)
    if any(labels.match_label(c[0]) for _, c in body if c and c[0]):
        # Cells that carry their own label ("Situation: …" | "Task: …"): a part each.
        return [Line(row.number, line) for row, c in body for line in _own_parts(c)]
    parts = [_part_row(c) for _, c in body]
    if not any(parts):
        return rows  # no table of stories: leave it as written
    if header is not None and parts[0] is None and len(" ".join(header).split()) < 5:
        body, parts = body[1:], parts[1:]  # "| Part | Notes |": column names, no content
    return [
        Line(row.number, part or " ".join(x for x in c if x))
        for (row, c), part in zip(body, parts)
        if part or any(c)
    ]


def _own_parts(cells: list[str]) -> list[str]:
    """The lines of a row whose cells carry their own labels; a principles row is a tag line."""
    tag = _part_row(cells)
    return [tag] if tag and tag.startswith("LP: ") else [cell for cell in cells if cell]


def _part_row(cells: list[str]) -> str | None:
    """A row per part as a labelled line ("Situation: …"), or a principles row as a tag line."""
    rest = " ".join(x for x in cells[1:] if x)
    if _PRINCIPLES_HEADER.fullmatch(cells[0].replace("**", "").strip(" :：")):
        return f"LP: {rest}"
    return _labelled(cells[0], rest)


def _pair_label_rows(body: list[tuple[Line, list[str]]]) -> list[tuple[Line, list[str]]]:
    """A row of labels alone (``| Situation | Task | Action | Result |``) over a row of
    text: each text cell under its label, as cells that carry their own label."""
    out: list[tuple[Line, list[str]]] = []
    i = 0
    while i < len(body):
        row, cells = body[i]
        named = [_label(c) for c in cells]
        if len(cells) >= 2 and all(named) and i + 1 < len(body):
            below = body[i + 1][1]
            out.append((body[i + 1][0], [f"{c}: {t}" for c, t in zip(cells, below) if t]))
            i += 2
            continue
        out.append((row, cells))
        i += 1
    return out


def _is_grid(rows: list[tuple[Line, list[str]]]) -> bool:
    """Rows whose cells, but for one or two titles and numbers, are marks or empty."""
    if not rows or len(rows[0][1]) < 5:
        return False
    marks = [c for _, cells in rows for c in cells if _MARK.fullmatch(c)]
    filled = [c for _, cells in rows for c in cells if c and not _ROW_NUMBER_CELL.fullmatch(c)]
    return len(marks) >= len(rows) and len(filled) - len(marks) <= len(rows)


def _grid_row(number: int, header: list[str], cells: list[str]) -> Line | None:
    title = next((c for c in cells if c and not _MARK.fullmatch(c) and not _ROW_NUMBER_CELL.fullmatch(c)), None)
    columns = [name.strip() for name, cell in zip(header, cells) if _MARK.fullmatch(cell) and name.strip()]
    return Line(number, f"{GRID_PREFIX}{title} :: {', '.join(columns)}") if title and columns else None


def _story_row(number: int, header: list[str], cells: list[str]) -> list[Line]:
    """One story from a row of a table whose header names STAR parts."""
    title, principles, parts, others = None, [], [], []
    bodies, asked = [], []
    # "| Question | Story name | S |…": the story's own name titles it, and the question it
    # was written for is a question it answers, matched as one.
    named = any(_TITLE_HEADER.fullmatch(n.strip()) and not is_placeholder(c) for n, c in zip(header, cells))
    for name, cell in zip(header, cells):
        if is_placeholder(cell) or _ROW_NUMBER.fullmatch(name.strip() + " " + cell):
            continue
        if _label(name):
            # "Situation:;regional grocery chain…": a cell that repeats its column's label.
            own = labels.match_label(cell)
            text = own[1].lstrip(";, ") if own and own[0] == _label(name) else cell
            bodies.append(text)
            parts.append(_labelled(name, text) or text)
        elif _PRINCIPLES_HEADER.fullmatch(name.replace("**", "").strip()):
            principles.append(cell)
        elif named and _QUESTION_HEADER.fullmatch(name.strip()):
            asked.append(f"Example questions: {cell}")
        elif title is None and (not named or _TITLE_HEADER.fullmatch(name.strip())):
            # Bold, so a question in it reads as a question; a title line has no final stop.
            title = "**" + cell.rstrip(" .,;") + "**"
        else:
            others.append(f"{name.strip()}: {cell}" if name.strip() else cell)
    if title and len(bodies) > 1 and len(set(bodies)) == 1:
        parts, others = [], []  # the same text in every part: a template row not filled in
    if title and not parts and not others:
        # A row with a title and nothing written yet is a question still to prepare.
        return [Line(number, "---"), Line(number, "Q: " + title.strip("*"))]
    if parts and others:
        # Other columns ("Metric: $90k -> $240k") end the last part: on a line of its own a
        # short cell would read as the title of a story.
        parts[-1] = " ".join([parts[-1], *others])
        others = []
    parts += asked if parts or others else []
    out = [Line(number, "---")]
    out += [Line(number, title)] if title else []
    out += [Line(number, "LP: " + ", ".join(principles))] if principles else []
    return out + [Line(number, text) for text in parts + others]

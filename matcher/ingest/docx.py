"""Word files (.docx), read with python-docx and turned into Markdown-like lines.

Word and Google Docs keep structure in paragraph styles and run formatting rather than
in characters, so each paragraph becomes one line the outline reader understands:
"Heading N" and "Title" styles become ``#`` headings, list paragraphs become list
items (``1.`` when numbered), a paragraph in bold becomes ``**…**`` and a bold lead
("**Situation:** we…") keeps its bold. A table becomes Markdown rows (its first row the
header), which :mod:`matcher.ingest.tables` reads as it reads a Markdown table.

Line numbers count the body's paragraphs and table rows in order (1-based, empty
paragraphs included), which is what ``file.docx:12`` means in a source.
"""

from __future__ import annotations

import io
import re
import zipfile

from matcher.ingest import labels
from matcher.ingest.lines import Line
from matcher.terminal import visible

_HEADING_STYLE = re.compile(r"heading (\d)", re.IGNORECASE)


class DocxError(ValueError):
    """The bytes are not a readable Word document."""


def docx_lines(data: bytes) -> list[Line]:
    """One line per paragraph of a .docx (more where a paragraph holds line breaks)."""
    import docx  # here, not at the top: only .docx files need it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DocxError("not a readable Word file (damaged, or not really a .docx)") from None
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise DocxError(f"not a readable Word file ({exc.__class__.__name__})") from None
    except SyntaxError:  # lxml's XMLSyntaxError: a damaged document.xml inside the zip
        raise DocxError("not a readable Word file (its text is damaged)") from None
    from docx.table import Table

    lines: list[Line] = []
    number = 0
    for block in _blocks(document):
        if isinstance(block, Table):
            for row, cells in enumerate(_rows(block)):
                number += 1
                lines.append(Line(number, visible("| " + " | ".join(cells) + " |")))
                if row == 0:  # the delimiter that makes the first row a header
                    lines.append(Line(number, "|" + "---|" * len(cells)))
            # The table's end is a boundary Word keeps and Markdown rows lose: a note
            # after it is not part of the last row's story.
            lines.append(Line(number, "---"))
            continue
        number += 1
        text = _markdown(block)
        lines += [Line(number, visible(part)) for part in text.split("\n")]
    return lines


def _blocks(document) -> list:
    """The body's paragraphs and tables in order, including those inside block content
    controls (``w:sdt``), which templates wrap around whole stories and python-docx's
    ``iter_inner_content`` passes over."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(parent) -> list:
        found = []
        for child in parent.iterchildren():
            if child.tag == qn("w:p"):
                found.append(Paragraph(child, document._body))
            elif child.tag == qn("w:tbl"):
                found.append(Table(child, document._body))
            elif child.tag == qn("w:sdt") and (content := child.find(qn("w:sdtContent"))) is not None:
                found += walk(content)
        return found

    return walk(document.element.body)


def _rows(table) -> list[list[str]]:
    """The text of each row's cells; a cell merged across columns counts once."""
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            # A bar inside a cell would split it in the Markdown row.
            cells.append(_cell_text(cell).replace("|", "/"))
        rows.append(cells)
    return rows


def _cell_text(cell) -> str:
    """A cell's text on one line; a label alone on the cell's first line ("Situation", then
    the text below it) keeps a colon after it, so the cell reads as that part."""
    lines = [" ".join(part.split()) for p in cell.paragraphs for part in p.text.split("\n") if part.strip()]
    if len(lines) > 1 and labels.label_alone(lines[0]):
        return f"{lines[0].rstrip(':：')}: {' '.join(lines[1:])}"
    return " ".join(lines)


def _markdown(paragraph) -> str:
    text = paragraph.text.strip()
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.casefold() == "title":
        return "# " + text
    if heading := _HEADING_STYLE.match(style):
        return "#" * min(int(heading.group(1)), 6) + " " + text
    text = _bold_lead(paragraph) or text
    if "list" in style.casefold() or paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None:
        return ("1. " if "bullet" not in style.casefold() else "- ") + text
    return text


def _bold_lead(paragraph) -> str | None:
    """The paragraph with its leading bold runs in ``**``, or None when it starts plain."""
    runs = [r for r in paragraph.runs if r.text]
    bold = 0
    while bold < len(runs) and _is_bold(runs[bold]):
        bold += 1
    if not bold:
        return None
    lead = "".join(r.text for r in runs[:bold]).strip()
    rest = "".join(r.text for r in runs[bold:]).strip()
    return f"**{lead}** {rest}".strip() if lead else None


def _is_bold(run) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    return bool(run.style is not None and run.style.font.bold)

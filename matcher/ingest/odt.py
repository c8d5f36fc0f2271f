"""OpenDocument text files (.odt, LibreOffice Writer's own format) -> Markdown-like lines.

Read with the standard library: an .odt is a zip archive whose ``content.xml`` holds the
text in a handful of elements, which ``xml.etree`` walks in a few lines; odfpy, the
library for the format, was last released in 2020 and would add only a dependency.
As for Word files (:mod:`matcher.ingest.docx`), each heading, paragraph and list item
becomes one line the outline reader understands: a ``text:h`` its outline level in
``#``, a list item ``- `` (indented when nested), a paragraph's leading bold spans in
``**``, a table Markdown rows. Line numbers count headings, paragraphs and table rows in
order (1-based, empty paragraphs included), which is what ``file.odt:12`` means.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from matcher.ingest.lines import Line
from matcher.terminal import visible

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}


def _tag(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


_H, _P, _LIST, _SPAN = _tag("text", "h"), _tag("text", "p"), _tag("text", "list"), _tag("text", "span")
_TABLE, _ROW, _CELL = _tag("table", "table"), _tag("table", "table-row"), _tag("table", "table-cell")
_STYLE_NAME = _tag("text", "style-name")


class OdtError(ValueError):
    """The bytes are not a readable OpenDocument text file."""


def odt_lines(data: bytes) -> list[Line]:
    """One line per heading, paragraph and list item of an .odt (more where one holds line breaks)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = ElementTree.fromstring(archive.read("content.xml"))
    except (zipfile.BadZipFile, KeyError):
        raise OdtError("not a readable OpenDocument file (damaged, or not really an .odt)") from None
    except ElementTree.ParseError:
        raise OdtError("not a readable OpenDocument file (its text is damaged)") from None
    body = root.find("office:body/office:text", _NS)
    if body is None:
        raise OdtError("not an OpenDocument text file (no text body)")
    reader = _Reader(_bold_styles(root))
    reader.walk(body, depth=0)
    return reader.lines


def _bold_styles(root: ElementTree.Element) -> set[str]:
    """Names of the document's automatic text styles that set bold type."""
    bold = set()
    for style in root.iterfind("office:automatic-styles/style:style", _NS):
        properties = style.find("style:text-properties", _NS)
        if properties is not None and properties.get(_tag("fo", "font-weight")) == "bold":
            bold.add(style.get(_tag("style", "name"), ""))
    return bold


class _Reader:
    """Walks the text body in reading order, numbering blocks as it emits their lines."""

    def __init__(self, bold: set[str]) -> None:
        self.bold = bold
        self.lines: list[Line] = []
        self.number = 0

    def walk(self, parent: ElementTree.Element, depth: int) -> None:
        for child in parent:
            if child.tag == _H:
                level = min(max(_count(child.get(_tag("text", "outline-level"))), 1), 6)
                self._emit("#" * level + " " + _text(child).strip())
            elif child.tag == _P:
                self._emit(("  " * (depth - 1) + "- " if depth else "") + self._paragraph(child))
            elif child.tag == _LIST:
                for item in child:
                    self.walk(item, depth + 1)  # a list item's paragraphs and nested lists
            elif child.tag == _TABLE:
                self._table(child)
            elif child.tag.startswith(f"{{{_NS['text']}}}"):
                self.walk(child, depth)  # sections and other containers of paragraphs

    def _paragraph(self, paragraph: ElementTree.Element) -> str:
        """The paragraph's text with its leading bold spans in ``**``."""
        lead, rest, leading = [], [paragraph.text or ""], True
        for child in paragraph:
            if leading and child.tag == _SPAN and child.get(_STYLE_NAME) in self.bold and not "".join(rest).strip():
                lead.append(_text(child))
                rest = [child.tail or ""]
                continue
            leading = False
            rest.append(_text(child) + (child.tail or ""))
        bold, plain = "".join(lead).strip(), "".join(rest).strip()
        return f"**{bold}** {plain}".strip() if bold else plain

    def _table(self, table: ElementTree.Element) -> None:
        for n, row in enumerate(table.iter(_ROW)):
            # A bar inside a cell would split it in the Markdown row.
            cells = [
                " ".join(" ".join(_text(p) for p in cell.iter(_P)).split()).replace("|", "/") for cell in row.iter(_CELL)
            ]
            self._emit("| " + " | ".join(cells) + " |")
            if n == 0:  # the delimiter that makes the first row a header
                self.lines.append(Line(self.number, "|" + "---|" * len(cells)))
        # The table's end is a boundary the Markdown rows would lose (as for Word).
        self.lines.append(Line(self.number, "---"))

    def _emit(self, text: str) -> None:
        self.number += 1
        self.lines += [Line(self.number, visible(part)) for part in text.split("\n")]


def _text(element: ElementTree.Element) -> str:
    """An element's text: ``text:s`` as its spaces, tabs as a space, line breaks as breaks."""
    parts = [element.text or ""]
    for child in element:
        name = child.tag.rpartition("}")[2]
        if name == "s":
            parts.append(" " * min(_count(child.get(_tag("text", "c"))), 80))
        elif name == "tab":
            parts.append(" ")
        elif name == "line-break":
            parts.append("\n")
        elif name not in ("note", "annotation"):  # footnotes and comments are not the text
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _count(value: str | None) -> int:
    """A count attribute ("3"), 1 when absent or not a number (a damaged file)."""
    return int(value) if value and value.isdigit() else 1

"""HTML in prep notes, turned into the Markdown the outline reader knows.

People paste HTML into Markdown or MDX (``<details><summary>Story: title</summary>``
blocks, ``<b>Situation: </b><br>``, ``<ul><li>``) and export whole pages from Notion or
Confluence as ``.html``. Tags become structure (a summary is a heading, ``<br>``/``<p>``/
``<li>`` break lines, nested lists are indented, ``<b>`` is bold, a table row is a
Markdown table row) and entities become characters, so no tag or entity reaches a
story's text. Scripts, styles and the page ``<title>`` are not content. Any other tag
(JSX components, images, ``<div>``/``<span>`` wrappers) is dropped and its text kept.
The standard library's HTMLParser does the tokenising; it tolerates the unclosed and
unknown tags of hand-written notes, and tells each piece's source line.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# A summary is the title of the story its <details> holds: deeper than any written
# heading, so it stays inside an enclosing principle section.
SUMMARY_LEVEL = 6
_BREAKS = {"br", "p", "div", "details", "ul", "ol", "table", "blockquote", "section"}
_LISTS = {"ul", "ol"}
_BOLD = {"b", "strong"}
_CELLS = {"td", "th"}
_HIDDEN = {"script", "style", "title", "template"}  # text that is no part of the page
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_HAS_MARKUP = re.compile(r"</?[A-Za-z][^>]*>|&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,10});")
_DOCUMENT = re.compile(r"\s*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)


def has_markup(line: str) -> bool:
    """True when the line holds an HTML tag or entity."""
    return _HAS_MARKUP.search(line) is not None


def is_document(text: str) -> bool:
    """True for a whole HTML page (an export), rather than Markdown with some HTML in it."""
    return _DOCUMENT.match(text) is not None


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.numbers: list[int | None] = [None]  # source line where each line starts
        self.hidden: str | None = None  # inside <style>, <script>, …
        self.lists = 0  # depth of nested <ul>/<ol>
        self.row: list[str] | None = None  # the cell tags of the open table row
        self.cell = False

    def _mark(self) -> None:
        if self.numbers[-1] is None:
            self.numbers[-1] = self.getpos()[0]

    def _break(self) -> None:
        if self.cell:  # a <p> or <br> inside a table cell stays in its row
            self.lines[-1] = self.lines[-1].rstrip() + " "
        elif self.lines[-1].strip():
            self.lines.append("")
            self.numbers.append(None)

    def _start_line(self, prefix: str) -> None:
        self._break()
        self.lines[-1] = prefix
        self._mark()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _HIDDEN:
            self.hidden = tag
        elif tag == "summary" or tag in _HEADINGS:
            level = SUMMARY_LEVEL if tag == "summary" else _HEADINGS[tag]
            self._start_line("#" * level + " ")
        elif tag == "li":
            self._start_line("  " * max(self.lists - 1, 0) + "- ")
        elif tag == "hr":
            self._start_line("---")
            self._break()
        elif tag == "tr":
            self._start_line("|")
            self.row = []
        elif tag in _CELLS and self.row is not None:
            self.row.append(tag)
            self.lines[-1] += " "
            self.cell = True
        elif tag in _BREAKS:
            self._break()
            self.lists += tag in _LISTS
        elif tag in _BOLD:
            self.lines[-1] += "**"

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        self.lists -= tag in _LISTS  # "<ul/>" opens no list

    def handle_endtag(self, tag: str) -> None:
        if tag == self.hidden:
            self.hidden = None
        elif tag in _BOLD:
            self.lines[-1] += "**"
        elif tag in _CELLS and self.cell:
            self.lines[-1] = self.lines[-1].rstrip() + " |"
            self.cell = False
        elif tag == "tr" and self.row is not None:
            header = bool(self.row) and all(cell == "th" for cell in self.row)
            self.row, self.cell = None, False
            if header:  # a row of <th> only is the table's header, as in Markdown
                self._start_line("|" + "---|" * self.lines[-1].count("|"))
            self._break()
        elif tag == "summary" or tag in _HEADINGS or tag in _BREAKS or tag == "li":
            self.lists -= tag in _LISTS and self.lists > 0
            self._break()

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        # Non-breaking spaces are spacing, not content ("&nbsp;" between two stories);
        # the indentation of an HTML source is not the indentation of a list.
        data = data.replace("\xa0", " ").replace("\n", " ")
        if not self.lines[-1].strip():
            data = data.lstrip()
        if data:
            self._mark()
            self.lines[-1] += data


def to_markdown(line: str) -> list[str]:
    """The Markdown lines one line of HTML-bearing text stands for (maybe none)."""
    # A "<br>" in a cell of a Markdown table's row breaks the cell's text, not the row.
    return [text for _, text in document_lines(line, in_row=line.lstrip().startswith("|"))]


def document_lines(text: str, in_row: bool = False) -> list[tuple[int, str]]:
    """The Markdown lines of an HTML text, each with the 1-based source line it starts on;
    ``in_row``: the text is one row of a Markdown table, whose breaks stay in it."""
    parser = _ToMarkdown()
    parser.cell = in_row
    parser.feed(text)
    parser.close()
    return [
        (number or 1, line.rstrip())
        for number, line in zip(parser.numbers, parser.lines)
        if line.strip() not in ("", "-", "**", "****")  # nothing left but markup
    ]

"""HTML written inside Markdown or MDX, turned into the Markdown the outline reader knows.

People paste HTML into prep notes: ``<details><summary>Story: title</summary>``
blocks, ``<b>Situation: </b><br>``, ``<ul><li>``. Tags become structure (a summary is a
heading, ``<br>``/``<p>``/``<li>`` break lines, ``<b>`` is bold) and entities become
characters, so no tag or entity reaches a story's text. Any other tag (JSX components,
images) is dropped and its text kept. The standard library's HTMLParser does the
tokenising; it tolerates the unclosed and unknown tags of hand-written notes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# A summary is the title of the story its <details> holds: deeper than any written
# heading, so it stays inside an enclosing principle section.
SUMMARY_LEVEL = 6
_BREAKS = {"br", "p", "div", "details", "ul", "ol", "tr", "table", "blockquote", "section"}
_BOLD = {"b", "strong"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_HAS_MARKUP = re.compile(r"</?[A-Za-z][^>]*>|&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,10});")


def has_markup(line: str) -> bool:
    """True when the line holds an HTML tag or entity."""
    return _HAS_MARKUP.search(line) is not None


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]

    def _break(self) -> None:
        if self.lines[-1].strip():
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "summary" or tag in _HEADINGS:
            self._break()
            level = SUMMARY_LEVEL if tag == "summary" else _HEADINGS[tag]
            self.lines[-1] = "#" * level + " "
        elif tag == "li":
            self._break()
            self.lines[-1] = "- "
        elif tag == "hr":
            self._break()
            self.lines[-1] = "---"
            self.lines.append("")
        elif tag in _BREAKS:
            self._break()
        elif tag in _BOLD:
            self.lines[-1] += "**"

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BOLD:
            self.lines[-1] += "**"
        elif tag == "summary" or tag in _HEADINGS or tag in _BREAKS or tag == "li":
            self._break()

    def handle_data(self, data: str) -> None:
        # Non-breaking spaces are spacing, not content ("&nbsp;" between two stories).
        self.lines[-1] += data.replace("\xa0", " ").replace("\n", " ")


def to_markdown(line: str) -> list[str]:
    """The Markdown lines one line of HTML-bearing text stands for (maybe none)."""
    parser = _ToMarkdown()
    parser.feed(line)
    parser.close()
    return [text.rstrip() for text in parser.lines if text.strip() not in ("", "**", "****")]

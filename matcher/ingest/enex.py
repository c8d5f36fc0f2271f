"""Evernote exports (.enex) -> Markdown-like lines, numbered as the export's own lines.

An export is XML: one ``<note>`` per note, with its ``<title>``, its ``<tag>`` elements
and its ``<content>``, a CDATA section holding the note as XHTML (ENML). Each note
becomes a top-level heading (its title), a tag line (its tags) and its content read as
HTML (:mod:`matcher.ingest.html`), Evernote's checkboxes ``<en-todo checked="…"/>``
written as a task list's boxes. expat, from the standard library, tells the line each
piece starts on, so ``export.enex:12`` is line 12 of the file. Attachments (``<resource>``,
base64 data) and note attributes are not text and are not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

from matcher.ingest import html
from matcher.ingest.lines import Line

ENEX_SUFFIX = ".enex"
_TODO = re.compile(r"<en-todo\b([^>]*)/?>(?:\s*</en-todo>)?", re.IGNORECASE)
_CHECKED = re.compile(r"checked\s*=\s*[\"']true[\"']", re.IGNORECASE)


class EnexError(ValueError):
    """The text is not a readable Evernote export."""


@dataclass
class _Note:
    line: int
    title: str = ""
    title_line: int = 0
    content: str = ""
    content_line: int = 0
    tags: list[str] = field(default_factory=list)


def enex_lines(text: str) -> list[Line]:
    """The lines of every note in an Evernote export, in the export's order."""
    lines: list[Line] = []
    for note in _notes(text):
        title_line = note.title_line or note.line
        lines.append(Line(title_line, "# " + (" ".join(note.title.split()) or "Untitled note")))
        if note.tags:
            lines.append(Line(title_line, "Tags: " + ", ".join(note.tags)))
        content = _TODO.sub(lambda m: "- [x] " if _CHECKED.search(m.group(1)) else "- [ ] ", note.content)
        lines += [Line(note.content_line + n - 1, part) for n, part in html.document_lines(content)]
        lines.append(Line(lines[-1].number, ""))
    return lines


def _notes(text: str) -> list[_Note]:
    parser = expat.ParserCreate()
    notes: list[_Note] = []
    reading = ""  # the element whose text is being collected, if any
    parts: list[str] = []

    def start(name: str, attrs: dict) -> None:
        nonlocal reading
        if name == "note":
            notes.append(_Note(parser.CurrentLineNumber))
        elif name in ("title", "content", "tag") and notes:
            reading = name
            parts.clear()
            if name == "title":
                notes[-1].title_line = parser.CurrentLineNumber
            elif name == "content":
                notes[-1].content_line = parser.CurrentLineNumber

    def end(name: str) -> None:
        nonlocal reading
        if name == reading:
            value = "".join(parts)
            if name == "title":
                notes[-1].title = value.strip()
            elif name == "content":
                notes[-1].content = value
            elif value.strip():
                notes[-1].tags.append(value.strip())
            reading = ""

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = lambda data: parts.append(data) if reading else None
    try:
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        raise EnexError(f"not a readable Evernote export ({expat.ErrorString(exc.code)}, line {exc.lineno})") from None
    return notes

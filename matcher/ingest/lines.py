"""Text documents -> numbered Markdown-like lines, with what is never a story taken out.

The outline reader works on :class:`Line` records so that every source (Markdown, MDX,
plain text, Word) reaches it in one form and every story keeps the line it came from.
Taken out here: YAML front matter (its principle tags are kept), fenced code blocks
(a ``#`` inside code is not a heading), MDX ``import``/``export`` lines, and HTML,
which becomes Markdown (:mod:`matcher.ingest.html`): line by line inside Markdown, as a
whole when the document is an HTML page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matcher.ingest import html

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
# Obsidian: "[[Story Index]]" and "[[2023 incident|the incident]]" are their text, and a
# callout's type ("> [!note] One-liner") is no part of it.
_WIKILINK = re.compile(r"\[\[([^\[\]|\n]{1,200})(?:\|([^\[\]\n]{1,200}))?\]\]")
_CALLOUT = re.compile(r"^([ \t]*>[ \t]*)\[![\w-]{1,20}\][+-]?[ \t]*")
# A chat export's "[14/03/24, 21:02:05] Kwame Asante: " (WhatsApp, Signal, Telegram):
# the message is the text, the time and sender are not.
_CHAT_PREFIX = re.compile(
    r"\u200e?\[?\d{1,2}[./-]\d{1,2}[./-]\d{2,4},?[ \t]\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[APap][Mm])?\]?"
    r"[ \t](?:-[ \t])?[^:\n]{1,40}:[ \t]"
)
_ORG_HEADING = re.compile(r"(\*+)[ \t]+(.*?)(?:[ \t]+:[\w@#%:]+:)?[ \t]*")
_MDX_STATEMENT = re.compile(r"(?:import|export)\s[^\n]*?(?:\bfrom\s+['\"]|=|\{)")
# "&nbsp;" or "<br>" alone on a line is how many editors separate two stories.
_SPACER = re.compile(r"\s*(?:&nbsp;|&#160;|<br\s*/?>|\u00a0)+\s*", re.IGNORECASE)
# `<details>` inside backticks is an example of HTML, not HTML.
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_FRONT_MATTER_KEYS = ("principles", "principle", "lp", "lps", "leadership_principles", "tags")


@dataclass(frozen=True)
class Line:
    """One line of a document: its 1-based number in the source and its text."""

    number: int
    text: str


@dataclass
class TextDocument:
    """A document's lines and what its front matter says."""

    lines: list[Line]
    tags: list[str]  # principle names and other tags from the front matter, as written
    has_html: bool
    page: bool = False  # a whole HTML page rather than text with some HTML in it


def read_text(text: str, org: bool = False) -> TextDocument:
    """Split a Markdown / plain-text / HTML document into lines ready for the outline reader;
    ``org``: the text is an Emacs Org file, whose ``*`` headings become Markdown's ``#``."""
    if html.is_document(text):  # a page exported from Notion, Confluence, a browser…
        return TextDocument([Line(n, part) for n, part in html.document_lines(text)], [], True, True)
    raw = _org_to_markdown(text.splitlines()) if org else text.splitlines()
    start, tags = _front_matter(raw)
    lines: list[Line] = []
    fence: str | None = None
    has_html = False
    for number, line in enumerate(raw[start:], start=start + 1):
        opening = _FENCE.match(line)
        if opening and not fence and _is_underline(line, raw[number - 2] if number >= 2 else ""):
            opening = None
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        if _MDX_STATEMENT.match(line):
            continue
        line = _CHAT_PREFIX.sub("", line, count=1)
        line = _CALLOUT.sub(r"\1", _WIKILINK.sub(lambda m: m.group(2) or m.group(1), line))
        if _SPACER.fullmatch(line):
            lines.append(Line(number, "---"))
        elif html.has_markup(_CODE_SPAN.sub("", line)):
            has_html = True
            indent = line[: len(line) - len(line.lstrip())]
            lines += [Line(number, indent + part) for part in html.to_markdown(line)]
        else:
            lines.append(Line(number, line))
    return TextDocument(lines, tags, has_html)


def _org_to_markdown(raw: list[str]) -> list[str]:
    """Org headings as Markdown ones (their ``:tags:`` dropped); ``#+`` settings, comments
    and ``:PROPERTIES:`` drawers as blank lines, so every line keeps its number."""
    out, drawer = [], False
    for line in raw:
        bare = line.strip()
        if bare.upper() == ":PROPERTIES:":
            drawer = True
        if drawer or bare.startswith(("#+", "# ")) or bare == "#":
            drawer = drawer and bare.upper() != ":END:"
            out.append("")
        elif heading := _ORG_HEADING.fullmatch(line):
            out.append("#" * min(len(heading.group(1)), 6) + " " + heading.group(2))
        else:
            out.append(line)
    return out


def _is_underline(line: str, above: str) -> bool:
    """``~~~~`` under a title as long as it (reStructuredText), rather than a code fence."""
    bare = line.strip()
    return bool(above.strip()) and set(bare) == {"~"} and len(bare) >= len(above.strip()) - 2


def _front_matter(raw: list[str]) -> tuple[int, list[str]]:
    """(index of the first line after the front matter, its tags)."""
    if not raw or raw[0].strip() != "---":
        return 0, []
    end = next((i for i in range(1, len(raw)) if raw[i].strip() in ("---", "...")), None)
    if end is None:
        return 0, []
    import yaml  # here, not at the top: few documents have front matter

    try:
        # BaseLoader keeps every scalar a string: "yes" and "1:30" stay as written.
        data = yaml.load("\n".join(raw[1:end]), Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        return end + 1, []
    if not isinstance(data, dict):
        return end + 1, []
    tags: list[str] = []
    for key, value in data.items():
        if str(key).casefold() in _FRONT_MATTER_KEYS:
            values = value if isinstance(value, list) else str(value).split(",")
            tags += [str(v).strip() for v in values if isinstance(v, str) and v.strip()]
    return end + 1, tags

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
# Hugo shortcodes alone on a line: "{{< details "Situation" >}}" folds a part under a
# title, as <details><summary> does; "{{< callout >}}" and closing tags are only markup.
_SHORTCODE = re.compile(r"\{\{([<%])[ \t]*(/?)[\w-]+([^{}]*)[>%]\}\}")
_SHORTCODE_TITLE = re.compile(r'(?:^|[ \t])(?:title[ \t]*=[ \t]*)?"([^"]+)"')
# The author's own crossings-out ("~~I also called 40 customers~~") and "// TODO" notes.
_STRUCK = re.compile(r"~~[^~\n]+~~")
_SLASH_COMMENT = re.compile(r"[ \t]*//(?:[ \t]|$)")
# Logseq, Roam and Obsidian Dataview properties ("tags:: [[Ownership]]", "id:: 6611…",
# "**Situation**:: …"), Logseq's scheduling lines and block references "((6611f0a2-…))".
_PROPERTY = re.compile(r"[ \t]*(?:[-*][ \t]+)?([A-Za-z][\w-]{0,30})::(?:[ \t]+(.*)|[ \t]*)")
_ATTRIBUTE = re.compile(r"^([ \t]*(?:[-*][ \t]+)?(?:\*\*)?[A-Za-z][\w '’-]{0,30}(?:\*\*)?)::(?=[ \t]|$)")
# Properties an outliner keeps for itself, no part of the notes.
_METADATA_KEYS = {
    "id", "collapsed", "title", "alias", "icon", "template", "heading", "public", "filters",
    "background-color", "created-at", "updated-at",
}
# Roam: "{{[[TODO]]}} Tell me about…" and "#[[Customer Obsession]]".
_ROAM_TASK = re.compile(r"\{\{\[\[(TODO|DONE)\]\]\}\}[ \t]*")
_ROAM_TAG = re.compile(r"#\[\[([^\[\]\n]{1,100})\]\]")
_SCHEDULE = re.compile(r"[ \t]*(?:SCHEDULED|DEADLINE):[ \t]*<[^>]*>[ \t]*")
_BLOCK_REF = re.compile(r"\(\([0-9a-f]{8}-[0-9a-f-]{27}\)\)")
# An outliner's bullet shown as a heading ("- ## DNS outage"): the marks only style the
# block, which stays a sibling of the bullets around it. Or a task ("- TODO Think Big").
_BULLET_HEADING = re.compile(r"([-*][ \t]+)#{1,6}[ \t]+")
_TASK = re.compile(r"([ \t]*[-*][ \t]+)(TODO|LATER|NOW|DOING|WAITING|DONE|CANCELED|CANCELLED)[ \t]+")
_OPEN_TASKS = {"TODO", "LATER", "NOW", "DOING", "WAITING"}
# AsciiDoc: "== Ownership", ":toc: left", "[.lead]", "----", "NOTE: only if asked".
_ADOC_HEADING = re.compile(r"(={1,6})[ \t]+(\S.*)")
_ADOC_DROPPED = re.compile(r":!?[\w-]+!?:.*|\[[^\[\]]*\]|-{4,}|\.{4,}|={4,}|\*{4,}|_{4,}|\+{4,}")
_ADMONITION = re.compile(r"(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION):[ \t]")
# "*Situation:*": one asterisk each side is bold in AsciiDoc and wiki markup, not italics.
_SINGLE_BOLD = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]*[^\s*])\*(?![\w*])")
# Confluence and Jira wiki markup: "h2. Ownership", "# a numbered item", "{color:red}".
_WIKI_HEADING = re.compile(r"h([1-6])\.[ \t]+")
_WIKI_NUMBERED = re.compile(r"(#+)[ \t]+")
_WIKI_MACRO = re.compile(r"\{(?:panel|color|code|noformat|quote|info|note|tip|warning|expand|section|column)(?::[^{}\n]*)?\}")
_WIKI_COLOURED = re.compile(r"\{color:[^{}\n]*\}[^{}\n]*\{color\}")
_WIKI_EMOTICON = re.compile(r"\((?:/|x|i|!|\?|y|n|on|off|\+|-|\*[rgby]?)\)")
# A Google Doc saved as text: comments at the end as "[a]Jane Doe: …", each anchored in
# the text by its letter right after a word ("rebuild[a]").
_COMMENT = re.compile(r"\[([a-z]{1,2})\](?=\S)")
_ANCHOR = re.compile(r"(?<=\S)\[([a-z]{1,2})\](?=\s|$)")


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


def read_text(text: str, markup: str = "") -> TextDocument:
    """Split a Markdown / plain-text / HTML document into lines ready for the outline reader;
    ``markup``: "org" for an Emacs Org file, "asciidoc" for an AsciiDoc one, whose headings
    and bold become Markdown's. Confluence's wiki markup ("h2. Ownership") is recognised by
    its headings."""
    if html.is_document(text):  # a page exported from Notion, Confluence, a browser…
        return TextDocument([Line(n, part) for n, part in html.document_lines(text)], [], True, True)
    raw = text.splitlines()
    if markup == "org":
        raw = _org_to_markdown(raw)
    elif markup == "asciidoc":
        raw = _asciidoc_to_markdown(raw)
    elif sum(bool(_WIKI_HEADING.match(line)) for line in raw) >= 2:
        return read_lines(_wiki_to_markdown(raw))
    start, tags = _front_matter(raw)
    return read_lines([Line(n, line) for n, line in enumerate(raw[start:], start=start + 1)], tags)


def read_lines(raw: list[Line], tags: list[str] | None = None) -> TextDocument:
    """Numbered Markdown / plain-text lines (a notebook's cells, a text's lines after its
    front matter) ready for the outline reader; ``tags``: the front matter's."""
    lines: list[Line] = []
    fence: str | None = None
    has_html = False
    above = ""
    comments = _google_comments(raw)
    for number, line in ((row.number, row.text) for row in raw if row.number not in comments):
        opening = _FENCE.match(line)
        if opening and not fence and _is_underline(line, above):
            opening = None
        above = line
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        if _MDX_STATEMENT.match(line) or _SLASH_COMMENT.match(line) or _SCHEDULE.fullmatch(line):
            continue
        if shortcode := _SHORTCODE.fullmatch(line.strip()):
            title = None if shortcode.group(2) else _SHORTCODE_TITLE.search(shortcode.group(3))
            if title:
                lines.append(Line(number, "#" * html.SUMMARY_LEVEL + " " + title.group(1)))
            continue
        line = _outliner_marks(_ANCHOR.sub("", line) if comments else line)
        if line is None:
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
    return TextDocument(lines, tags or [], has_html)


def _outliner_marks(line: str) -> str | None:
    """``line`` without what outliners and drafts add to it (Logseq and Roam properties,
    tasks, tags and block references, struck-out text), or None for a line that is only
    such a mark ("id:: 6611…")."""
    line = _ROAM_TAG.sub(lambda m: "#" + "-".join(m.group(1).split()), line)
    line = _ROAM_TASK.sub(lambda m: "[ ] " if m.group(1) == "TODO" else "[x] ", line)
    if (prop := _PROPERTY.fullmatch(line)) and (key := prop.group(1).casefold()) in (*_FRONT_MATTER_KEYS, *_METADATA_KEYS):
        return "Tags: " + prop.group(2) if key in _FRONT_MATTER_KEYS and prop.group(2) else None
    line = _ATTRIBUTE.sub(r"\1:", line, count=1)  # "Situation:: We…" is "Situation: We…"
    line = _BULLET_HEADING.sub(r"\1", _STRUCK.sub("", _BLOCK_REF.sub("", line)), count=1)
    if task := _TASK.match(line):
        box = "[ ] " if task.group(2) in _OPEN_TASKS else ""
        line = task.group(1) + box + line[task.end() :]
    return line


def _google_comments(raw: list[Line]) -> set[int]:
    """The line numbers of a Google Doc's comments ("[a]Jane Doe: Lead with…" and the
    lines after it up to a blank line), when the letters also anchor them in the text."""
    found: dict[int, str] = {}
    letter = None
    for row in raw:
        if comment := _COMMENT.match(row.text):
            letter = comment.group(1)
        elif not row.text.strip():
            letter = None
        if letter:
            found[row.number] = letter
    anchored = {m.group(1) for row in raw if row.number not in found for m in _ANCHOR.finditer(row.text)}
    return {number for number, letter in found.items() if letter in anchored}


def _asciidoc_to_markdown(raw: list[str]) -> list[str]:
    """AsciiDoc's ``==`` headings and ``*bold*`` as Markdown's; attribute lines, block
    attributes (``[.lead]``), block delimiters (``----``), comment blocks and admonition
    paragraphs (``NOTE: …``, the author's asides) as blank lines, so every line keeps its number."""
    out: list[str] = []
    comment = aside = False
    for line in raw:
        bare = line.strip()
        if bare == "////":
            comment = not comment
            out.append("")
            continue
        aside = (aside and bool(bare)) or bool(_ADMONITION.match(bare))
        if comment or aside or _ADOC_DROPPED.fullmatch(bare):
            out.append("")
        elif heading := _ADOC_HEADING.fullmatch(line):
            out.append("#" * len(heading.group(1)) + " " + heading.group(2))
        else:
            out.append(_SINGLE_BOLD.sub(r"**\1**", line))
    return out


def _wiki_to_markdown(raw: list[str]) -> list[Line]:
    """Confluence and Jira wiki markup as Markdown: ``h2.`` headings, ``*bold*``, ``#``
    numbered lists, ``||header||`` rows (then the delimiter row Markdown needs, at the same
    line); macros (``{panel:title=…}``, ``{color:red}``) are markup only and dropped, their
    text kept."""
    out: list[Line] = []
    for number, line in enumerate(raw, start=1):
        # A line wholly in colour ("{color:red}numbers need checking{color}") is a note to self.
        line = "" if _WIKI_COLOURED.fullmatch(line.strip()) else _WIKI_MACRO.sub("", _WIKI_EMOTICON.sub("", line))
        if heading := _WIKI_HEADING.match(line):
            out.append(Line(number, "#" * int(heading.group(1)) + " " + line[heading.end() :]))
        elif numbered := _WIKI_NUMBERED.match(line):
            out.append(Line(number, "   " * (len(numbered.group(1)) - 1) + "1. " + line[numbered.end() :]))
        elif line.lstrip().startswith("||"):
            cells = line.strip().strip("|").split("||")
            out += [Line(number, "| " + " | ".join(cells) + " |"), Line(number, "|" + "---|" * len(cells))]
        else:
            out.append(Line(number, _SINGLE_BOLD.sub(r"**\1**", line)))
    return out


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

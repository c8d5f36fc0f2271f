"""The Markdown layout: stories under headings of any level, answers often in `>` quotes.

Rules, all learnt from real prep documents:
- A heading that names a principle ("### 3.3 Ownership – 主人翁精神") opens a principle
  section: its own body is the principle's description, not a story, and every heading
  nested in it inherits the principle. Only a shallower heading closes the section, so a
  story heading at the section's own level stays inside it.
- A heading whose body holds text is a story. Bold labels (``**Situation:**``, colon
  inside or outside the bold) start sections; text before any label is an "Answer".
- Tag lines (``- This aligns with "Deliver Results" (…)``) outside quotes give principles.
- A heading with no answer is a planned question: empty STAR templates, tag line only,
  or nothing at all (unless deeper headings follow, which makes it a container).
"""

from __future__ import annotations

import re

from matcher.ingest.document import DocumentBuilder, canonical_label, clean_title
from matcher.stories import Section

HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_PRINCIPLE_SPLIT = re.compile(r"\s+[-–—]\s+")
# "- > text", "> > text", "-This relates…": list and quote markers, but not "**bold**".
_MARKERS = re.compile(r"^(?:>|[-*+](?=[\s>]|[^\W\d_*]))\s*")
_RULE = re.compile(r"^[-*_=]{3,}$")
_BOLD_LABEL = re.compile(r"^\*\*\s*([^*:]{1,40}?)\s*(?::\s*\*\*|\*\*\s*:)\s*(.*)$")
_PLAIN_LABEL = re.compile(
    r"^(Situation|Task|Action|Result|Learnings?|Lessons?)\s*:\s*(.*)$", re.IGNORECASE
)
_TAG_LINE = re.compile(r"^This\b.{0,80}?\b(relat|align|demonstrat)", re.IGNORECASE)
# Lines an AI assistant left in when drafting the answer; they carry no content.
_BOILERPLATE = re.compile(
    r"^(certainly|sure|of course|absolutely)\b.{0,80}\b(STAR|response|answer)\b", re.IGNORECASE
)
_FOLLOW_UP = re.compile(r"^follow[- ]?ups?\s*:?\s*$", re.IGNORECASE)


def looks_like(text: str) -> bool:
    """True when the text has at least one Markdown heading."""
    return any(HEADING.match(line) for line in text.splitlines())


def parse(text: str, doc: DocumentBuilder) -> None:
    """Add the stories and planned questions of a Markdown document to ``doc``."""
    lines = text.splitlines()
    headings = [(i, m) for i, line in enumerate(lines) if (m := HEADING.match(line))]
    section: tuple[int, str] | None = None  # (level, principle) of the enclosing section
    for n, (start, match) in enumerate(headings):
        level, title = len(match.group(1)), clean_title(match.group(2))
        end = headings[n + 1][0] if n + 1 < len(headings) else len(lines)
        has_children = n + 1 < len(headings) and len(headings[n + 1][1].group(1)) > level
        if section and level < section[0]:
            section = None
        principle = doc.catalogue.resolve(_PRINCIPLE_SPLIT.split(title)[0])
        if principle:
            section = (level, principle)
            continue
        tags, sections = _read_body(lines, start + 1, end, doc)
        if not any(s.text for s in sections) and has_children and not tags and not sections:
            continue  # a container such as "## 2. Questions"
        principles = tags + ([section[1]] if section else [])
        reason = "empty template" if sections else "no answer written"
        doc.add(title, start + 1, principles, sections, reason)


def _read_body(
    lines: list[str], start: int, end: int, doc: DocumentBuilder
) -> tuple[list[str], list[Section]]:
    tags: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for i in range(start, end):
        raw = lines[i].strip()
        quoted = raw.startswith(">")
        text = raw
        while (m := _MARKERS.match(text)) and m.end():
            text = text[m.end():]
        text = text.strip()
        if not text or _RULE.match(text) or _BOILERPLATE.match(text) or _FOLLOW_UP.match(text):
            if sections and sections[-1][1] and sections[-1][1][-1]:
                sections[-1][1].append("")  # keep paragraph breaks
            continue
        if not quoted and _TAG_LINE.match(text):
            tags += doc.tags(text, i + 1)
            continue
        label = _BOLD_LABEL.match(text) or _PLAIN_LABEL.match(text)
        if label:
            sections.append((canonical_label(label.group(1)), [label.group(2).strip()]))
        elif sections:
            sections[-1][1].append(text)
        else:
            sections.append(("Answer", [text]))
    return tags, [Section(label, "\n".join(body).strip()) for label, body in sections]

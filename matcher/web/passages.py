"""Where in a story the passage that matched a question lies, for highlighting."""

from __future__ import annotations

import re
from dataclasses import dataclass

from matcher.results import Match
from matcher.stories import Story


@dataclass(frozen=True)
class MarkedSection:
    """A section of a story cut around the matched passage (``marked`` is "" elsewhere)."""

    label: str
    before: str
    marked: str
    after: str


def _words_pattern(words: list[str]) -> re.Pattern[str]:
    # Views join a passage's words with single spaces; the document may break lines there.
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def _longest_opening_in(text: str, passage: str) -> int:
    """How many leading words of ``text`` appear, in order and together, in ``passage``."""
    words = text.split()
    flat = " ".join(passage.split())
    n = 0
    while n < len(words) and " ".join(words[: n + 1]) in flat:
        n += 1
    return n


def marked_sections(story: Story, match: Match | None) -> list[MarkedSection]:
    """The story's sections, with the part ``match`` matched marked.

    A passage lies inside its section; the gist is the opening of every section, so each
    section's opening is marked; a match on the story's question marks nothing here (the
    page says so instead).
    """
    result = []
    for section in story.sections:
        span = None
        if match is not None and match.passage:
            if match.section == section.label:
                found = _words_pattern(match.passage.split()).search(section.text)
                span = found.span() if found else None
            elif match.section == "gist":
                n = _longest_opening_in(section.text, match.passage)
                if n >= 3:  # a word or two in common is chance, not the gist
                    found = _words_pattern(section.text.split()[:n]).search(section.text)
                    span = found.span() if found else None
        if span:
            a, b = span
            result.append(MarkedSection(section.label, section.text[:a], section.text[a:b], section.text[b:]))
        else:
            result.append(MarkedSection(section.label, section.text, "", ""))
    return result

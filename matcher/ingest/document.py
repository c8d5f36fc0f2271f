"""What every layout parser shares: building stories and planned questions for one document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from matcher.principles import Catalogue
from matcher.stories import PlannedQuestion, Section, Source, Story, slugify

# "1. ", "3.3 ", "2) ": but not the "3 " of "3 things you're working on".
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*[.)]|\d+(?:\.\d+)+)\s+")
_PARENTHESES = re.compile(r"\s*[(（][^()（）]*[)）]\s*")
_LABEL_NAMES = {
    "s": "Situation",
    "t": "Task",
    "a": "Action",
    "r": "Result",
    "learn": "Learning",
    "learning": "Learning",
    "learnings": "Learning",
    "lesson": "Learning",
    "lessons": "Learning",
}


def clean_title(raw: str) -> str:
    """Heading text as written, without Markdown bold markers and leading numbering."""
    title = raw.replace("**", "").replace("__", "").strip()
    return _NUMBERING.sub("", title).strip()


def canonical_label(raw: str) -> str:
    """A section label in its usual spelling: "S" -> "Situation", "ambiguity(模糊不清)" -> "Ambiguity"."""
    label = _PARENTHESES.sub(" ", raw).strip(" :*")
    label = _LABEL_NAMES.get(label.casefold(), label)
    return label[:1].upper() + label[1:]


@dataclass
class DocumentBuilder:
    """Collects the records of one document and gives each story a stable id.

    The id is ``<file stem>/<slug of the title>``: editing a story's body keeps its id;
    a second heading with the same slug in the same file gets ``-2``.
    """

    path: Path
    catalogue: Catalogue
    stories: list[Story] = field(default_factory=list)
    planned: list[PlannedQuestion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _taken: set[str] = field(default_factory=set)

    def tags(self, text: str, line: int) -> list[str]:
        """Principles named in a tag line; unknown quoted tags are kept and warned about."""
        known, unknown = self.catalogue.parse_tags(text)
        for tag in unknown:
            self.warn(line, f'unknown principle tag "{tag}" (kept as written)')
        return known + unknown

    def warn(self, line: int, message: str) -> None:
        """Record a warning about this document."""
        self.warnings.append(f"{self.path.name}:{line}: {message}")

    def add(
        self,
        title: str,
        line: int,
        principles: list[str],
        sections: list[Section],
        no_answer_reason: str,
    ) -> None:
        """Add a story, or a planned question if ``sections`` hold no text."""
        principles = list(dict.fromkeys(principles))
        source = Source(self.path.name, line)
        filled = [s for s in sections if s.text]
        if not filled:
            self.planned.append(PlannedQuestion(title, tuple(principles), source, no_answer_reason))
            return
        self.stories.append(
            Story(
                id=self._new_id(title),
                title=title,
                principles=tuple(principles),
                sections=tuple(filled),
                source=source,
            )
        )

    def _new_id(self, title: str) -> str:
        base = f"{slugify(self.path.stem, 40)}/{slugify(title)}"
        candidate, n = base, 1
        while candidate in self._taken:
            n += 1
            candidate = f"{base}-{n}"
        self._taken.add(candidate)
        return candidate

"""What every layout reader shares: building the records of one document.

Besides stories and planned questions, a document records the principle sections it
has (so a principle heading with no story under it is reported, not lost) and, for
``matcher stories --explain``, how each of its lines was classified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from matcher.ingest import labels
from matcher.principles import Catalogue
from matcher.stories import PlannedQuestion, PrincipleSection, Section, Source, Step, Story, slugify

# "1. ", "3.3 ", "2) ", "Q1: ", "Question 3 - ": but not the "3 " of "3 things you're working on".
# "S1 — ", "B2: ": a letter and a number naming an entry of the notes.
_NUMBERING = re.compile(
    r"(?:\d{1,3}(?:\.\d{1,3})*[.)]|\d{1,3}(?:\.\d{1,3})+|Q(?:uestion)?[ \t]?#?\d{0,3}[ \t]?[:.)\-–—]"
    r"|[A-Z]\d{1,2}[ \t]?[:.)\-–—]|(?:frage|pregunta|question|slide|folie|diapositiva)[ \t]\d{1,3}[ \t]?[:.)\-–—])[ \t]+",
    re.IGNORECASE,
)
# "/Quick decision without much information/5": a title written as a path, with a count.
_PATH_TITLE = re.compile(r"/([^/]+?)[ \t]*(?:/\d{0,3})?")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
# Emoji and other symbols people put before a heading ("🎯 Customer Obsession").
_LEADING_SYMBOLS = re.compile(r"[^\w(\[\"'“‘]+")
# A title written wholly in quotes ('STORY 1 — "The night the gateway died"'), with no
# quote inside, is shown without them.
_QUOTED = re.compile(r'"([^"]+)"|“([^“”]+)”')
# The author's note on how long a story takes to tell, "(2:40 spoken)", "(3:10 -- TOO
# LONG)", or that it has not been timed yet, "(??)": no part of its title.
_TIMING = re.compile(r"\((?:[^()\d]{0,20}\d{1,2}:\d{2}(?!\d)[^()]{0,40}|\?{1,3})\)[ \t]*$")


# What people write where a part or a table cell is not written yet: "—", "n/a", "TBD", "TBC",
# "????", a blank "_____".
_PLACEHOLDER = re.compile(r"[-–—*•.…_/? \t\n]*(?:tbd|tbc|todo|n/?a)?[-–—*•.…_/? \t\n]*", re.IGNORECASE)


def is_placeholder(text: str) -> bool:
    """True for text that only holds the place of a part not written yet (or nothing)."""
    return _PLACEHOLDER.fullmatch(text) is not None


def clean_title(raw: str) -> str:
    """Heading text as written, without emphasis markers, leading numbering or symbols."""
    title = _TIMING.sub("", _EMPHASIS.sub("", raw)).strip()
    if path := _PATH_TITLE.fullmatch(title):
        title = path.group(1)
    title = _LEADING_SYMBOLS.sub("", title, count=1) if _LEADING_SYMBOLS.match(title) else title
    # Anchored: "Curb grades 0.15 ft off" keeps its number.
    title = _NUMBERING.sub("", title, count=1) if _NUMBERING.match(title) else title
    return unquote(title.strip().rstrip(":：").strip() or raw.strip())


def unquote(title: str) -> str:
    """``title`` without the quotes it is wholly written in, if it is."""
    quoted = _QUOTED.fullmatch(title)
    return next(part for part in quoted.groups() if part).strip() if quoted else title


def canonical_label(raw: str) -> str:
    """A section label in its usual spelling ("S" -> "Situation"); other labels kept as written."""
    known = labels.canonical_label(raw)
    if known:
        return known
    label = raw.strip(" :*")
    return label[:1].upper() + label[1:]


@dataclass
class DocumentBuilder:
    """Collects the records of one document and gives each story a stable id.

    ``name`` is the document's path relative to its corpus folder (its file name when
    the file was named directly): two ``notes.md`` in different folders stay apart.
    The id is ``<name without suffix>/<slug of the title>``: editing a story's body
    keeps its id; a second title with the same slug in the same file gets ``-2``.
    """

    path: Path
    catalogue: Catalogue
    name: str = ""
    digest: str = ""  # sha256 of the document's bytes
    stories: list[Story] = field(default_factory=list)
    planned: list[PlannedQuestion] = field(default_factory=list)
    sections: list[PrincipleSection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    _taken: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.name = self.name or self.path.name

    def tags(self, text: str, line: int) -> list[str]:
        """Principles named in a tag line; unknown quoted tags are kept and warned about."""
        known, unknown = self.catalogue.parse_tags(text)
        for tag in unknown:
            self.warn(line, f'unknown principle tag "{tag}" (kept as written)')
        return known + unknown

    def warn(self, line: int, message: str) -> None:
        """Record a warning about this document."""
        self.warnings.append(f"{self.name}:{line}: {message}")

    def step(self, line: int, kind: str, detail: str = "") -> None:
        """Record how a line was read (shown by ``matcher stories --explain``)."""
        self.steps.append(Step(line, kind, detail))

    def add(
        self,
        title: str,
        line: int,
        principles: list[str],
        sections: list[Section],
        no_answer_reason: str,
    ) -> bool:
        """Add a story, or a planned question if ``sections`` hold no text; True for a story."""
        principles = list(dict.fromkeys(principles))
        source = Source(self.name, line)
        filled = [s for s in sections if s.text]
        if not filled:
            self.planned.append(PlannedQuestion(title, tuple(principles), source, no_answer_reason))
            self.step(line, "planned", f"{title} ({no_answer_reason})")
            return False
        self.stories.append(
            Story(
                id=self._new_id(title),
                title=title,
                principles=tuple(principles),
                sections=tuple(filled),
                source=source,
            )
        )
        self.step(line, "story", title)
        return True

    def _new_id(self, title: str) -> str:
        stem = self.name.rsplit(".", 1)[0] if "." in Path(self.name).name else self.name
        base = f"{slugify(stem, 40)}/{slugify(title)}"
        candidate, n = base, 1
        while candidate in self._taken:
            n += 1
            candidate = f"{base}-{n}"
        self._taken.add(candidate)
        return candidate

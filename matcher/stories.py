"""Records of the story bank: stories, planned questions and where they came from."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

STAR = ("Situation", "Task", "Action", "Result")


@dataclass(frozen=True)
class Source:
    """Where a record starts: a document's file name and a 1-based line number."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Section:
    """One labelled part of an answer: "Situation", "Result", "Learning", "Answer"…"""

    label: str
    text: str


@dataclass(frozen=True)
class Story:
    """A prepared answer the candidate can tell, as parsed from one document.

    ``group`` is the id of the first story of its duplicate group (the same story written
    in two documents); a story without duplicates is its own group.
    """

    id: str
    title: str
    principles: tuple[str, ...]
    sections: tuple[Section, ...]
    source: Source
    group: str = ""

    @property
    def text(self) -> str:
        """The whole answer, sections joined in document order."""
        return "\n\n".join(f"{s.label}: {s.text}" for s in self.sections)

    @property
    def completeness(self) -> str:
        """Which of S/T/A/R the story has, e.g. "STA-" for a story without a Result."""
        present = {s.label for s in self.sections}
        return "".join(name[0] if name in present else "-" for name in STAR)


@dataclass(frozen=True)
class PlannedQuestion:
    """A question the candidate meant to prepare but left without an answer."""

    title: str
    principles: tuple[str, ...]
    source: Source
    reason: str


@dataclass(frozen=True)
class PrincipleSection:
    """A section of a document given to one principle, and how many stories it holds.

    One with no story is what the candidate still has to prepare for that principle.
    """

    principle: str
    source: Source
    stories: int


@dataclass(frozen=True)
class Step:
    """How one line of a document was read, for ``matcher stories --explain``."""

    line: int
    kind: str  # story, section, planned, principle section, tags, text, skipped…
    detail: str = ""


@dataclass(frozen=True)
class DocumentReport:
    """What one document gave: its layout, counts, and why it gave nothing if it did not."""

    name: str
    layout: str  # "" when the file could not be read
    stories: int
    planned: int
    principles: tuple[str, ...]
    warnings: int
    problem: str = ""
    steps: tuple[Step, ...] = ()


@dataclass
class StoryBank:
    """Everything ingested from a corpus: stories, planned questions and warnings."""

    # A list when read from documents; a loaded index reads its stories on demand.
    stories: Sequence[Story] = field(default_factory=list)
    planned: list[PlannedQuestion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # document name (path relative to its corpus folder) -> sha256 of its bytes
    documents: dict[str, str] = field(default_factory=dict)
    sections: list[PrincipleSection] = field(default_factory=list)
    # One per document read, in corpus order; only :func:`matcher.read_corpus` fills it.
    reports: list[DocumentReport] = field(default_factory=list)

    def get(self, story_id: str) -> Story:
        """The story with this id, or the only one whose id contains ``story_id``.

        Raises KeyError with a helpful message when nothing or several stories match.
        """
        exact = [s for s in self.stories if s.id == story_id]
        if exact:
            return exact[0]
        partial = [s for s in self.stories if story_id.casefold() in s.id.casefold()]
        if len(partial) == 1:
            return partial[0]
        if not partial:
            raise KeyError(f"no story with id {story_id!r}")
        raise KeyError(
            f"{story_id!r} matches {len(partial)} stories: "
            + ", ".join(s.id for s in partial[:5])
        )

    def groups(self) -> dict[str, list[Story]]:
        """Stories by duplicate group, in bank order."""
        result: dict[str, list[Story]] = {}
        for story in self.stories:
            result.setdefault(story.group, []).append(story)
        return result


# \w keeps letters of any script, so a heading in Chinese still gets a readable id.
def story_to_dict(story: Story) -> dict[str, Any]:
    """A story as JSON-ready data (``completeness`` is derived, ignored when read back)."""
    return {
        "id": story.id,
        "title": story.title,
        "principles": list(story.principles),
        "source": {"file": story.source.file, "line": story.source.line},
        "completeness": story.completeness,
        "group": story.group,
        "sections": [{"label": s.label, "text": s.text} for s in story.sections],
    }


def planned_to_dict(planned: PlannedQuestion) -> dict[str, Any]:
    """A planned question as JSON-ready data."""
    return {
        "title": planned.title,
        "principles": list(planned.principles),
        "source": {"file": planned.source.file, "line": planned.source.line},
        "reason": planned.reason,
    }


def report_to_dict(report: DocumentReport, steps: bool = False) -> dict[str, Any]:
    """A document report as JSON-ready data, with its line-by-line steps if asked."""
    data: dict[str, Any] = {
        "document": report.name,
        "layout": report.layout,
        "stories": report.stories,
        "planned": report.planned,
        "principles": list(report.principles),
        "warnings": report.warnings,
        "problem": report.problem,
    }
    if steps:
        data["steps"] = [{"line": s.line, "kind": s.kind, "detail": s.detail} for s in report.steps]
    return data


def bank_to_dict(bank: StoryBank) -> dict[str, Any]:
    """The whole story bank as JSON-ready data; :func:`bank_from_dict` reads it back."""
    return {
        "stories": [story_to_dict(s) for s in bank.stories],
        "planned": [planned_to_dict(p) for p in bank.planned],
        "warnings": bank.warnings,
        "documents": bank.documents,
        "principle_sections": [
            {"principle": p.principle, "source": {"file": p.source.file, "line": p.source.line},
             "stories": p.stories}
            for p in bank.sections
        ],
    }


def story_from_dict(d: dict[str, Any]) -> Story:
    """The story written by :func:`story_to_dict`."""
    return Story(
        id=d["id"],
        title=d["title"],
        principles=tuple(d["principles"]),
        sections=tuple(Section(s["label"], s["text"]) for s in d["sections"]),
        source=Source(**d["source"]),
        group=d["group"],
    )


def bank_to_meta(bank: StoryBank) -> dict[str, Any]:
    """Everything of the bank but its stories, as JSON-ready data."""
    data = bank_to_dict(StoryBank([], bank.planned, bank.warnings, bank.documents, bank.sections))
    del data["stories"]
    return data


def bank_from_dict(data: dict[str, Any], stories: Sequence[Story] | None = None) -> StoryBank:
    """The story bank written by :func:`bank_to_dict` (or by :func:`bank_to_meta`, with
    its ``stories`` given apart)."""
    if stories is None:
        stories = [story_from_dict(d) for d in data["stories"]]
    planned = [
        PlannedQuestion(d["title"], tuple(d["principles"]), Source(**d["source"]), d["reason"])
        for d in data["planned"]
    ]
    sections = [
        PrincipleSection(d["principle"], Source(**d["source"]), d["stories"])
        for d in data.get("principle_sections", [])
    ]
    return StoryBank(stories, planned, list(data["warnings"]), dict(data["documents"]), sections)


_SLUG_BREAK = re.compile(r"[\W_]+")


def slugify(text: str, limit: int = 60) -> str:
    """A lowercase, hyphenated form of ``text`` cut at a word boundary within ``limit``."""
    slug = _SLUG_BREAK.sub("-", text.casefold()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "untitled"

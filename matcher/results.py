"""Records of an answer: the principles a question tests and the stories that fit it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matcher.stories import PlannedQuestion, Source, Story, planned_to_dict

MATCH, NO_MATCH, NOT_BEHAVIOURAL = "match", "no_match", "not_behavioural"


@dataclass(frozen=True)
class PrincipleScore:
    """A principle the question may test, with its score (mean cosine to its examples).

    ``stories`` are the candidate's stories tagged with it (or, when untagged, inferred to
    show it): evidence shown beside the prediction, never mixed into it.
    """

    name: str
    score: float
    stories: tuple[str, ...] = ()  # story titles


@dataclass(frozen=True)
class Match:
    """A story offered for a question, with why it was offered."""

    story: Story
    sources: tuple[Source, ...]  # the story and every duplicate of it in other documents
    score: float
    passage: str  # the part of the story that matched best
    section: str  # the label of that part ("" for the heading itself)
    signals: dict[str, float]  # each signal's value for this story
    principles: tuple[str, ...]  # the story's own tags, or the ones inferred for it
    principles_inferred: bool  # the candidate wrote no tags: ``principles`` were inferred

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data in the documented ``ask --json`` schema."""
        return {
            "story": {
                "id": self.story.id,
                "title": self.story.title,
                "principles": list(self.principles),
                "principles_inferred": self.principles_inferred,
                "sources": [{"file": s.file, "line": s.line} for s in self.sources],
            },
            "score": round(self.score, 4),
            "passage": self.passage,
            "section": self.section,
            "signals": {k: round(v, 4) for k, v in self.signals.items()},
        }


@dataclass(frozen=True)
class Answer:
    """What matcher says about one question.

    ``verdict`` is "match" (a prepared story fits), "no_match" (a behavioural question
    that no story answers well: ``results`` are only the closest), or "not_behavioural"
    (coding, design, small talk or gibberish: no results).
    """

    question: str
    verdict: str
    principles: tuple[PrincipleScore, ...]
    results: tuple[Match, ...]
    planned: tuple[PlannedQuestion, ...]  # planned-but-unwritten questions it resembles

    @property
    def match(self) -> bool:
        """True when a prepared story fits."""
        return self.verdict == MATCH

    @property
    def to_prepare(self) -> tuple[str, ...]:
        """For a "no story fits" answer: the two principles most tested that have no story.

        Empty when the candidate has stories for both: then the advice is a new story for
        this question, not for the principle.
        """
        return tuple(p.name for p in self.principles[:2] if not p.stories)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data in the documented ``ask --json`` schema."""
        return {
            "question": self.question,
            "match": self.match,
            "verdict": self.verdict,
            "principles": [
                {"name": p.name, "score": round(p.score, 4), "stories": list(p.stories)}
                for p in self.principles
            ],
            "results": [m.to_dict() for m in self.results],
            "planned": [planned_to_dict(p) for p in self.planned],
        }

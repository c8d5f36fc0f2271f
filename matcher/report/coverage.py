"""Answers -> what a story bank covers: batch summaries, principle gaps, what to write next.

Duplicate stories (one story written in two documents) are counted once throughout.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from matcher.principles import Catalogue
from matcher.results import MATCH, NO_MATCH, NOT_BEHAVIOURAL, Answer
from matcher.stories import PlannedQuestion, Story, StoryBank

TOP = 5


@dataclass(frozen=True)
class BatchSummary:
    """What a list of questions got: verdict counts, principles tested, stories used."""

    confident: int
    principle_only: int
    not_behavioural: int
    principles: list[tuple[str, int]]  # most tested first (top principle of each question)
    stories: list[tuple[Story, int]]  # most used first (first story of each match)


def summarise(answers: list[Answer]) -> BatchSummary:
    """Counts over a batch of answers."""
    verdicts = Counter(a.verdict for a in answers)
    principles = Counter(
        a.principles[0].name for a in answers if a.verdict != NOT_BEHAVIOURAL and a.principles
    )
    used = Counter(a.results[0].story.group for a in answers if a.match)
    story = {a.results[0].story.group: a.results[0].story for a in answers if a.match}
    return BatchSummary(
        confident=verdicts[MATCH],
        principle_only=verdicts[NO_MATCH],
        not_behavioural=verdicts[NOT_BEHAVIOURAL],
        principles=principles.most_common(),
        stories=[(story[g], n) for g, n in used.most_common()],
    )


@dataclass(frozen=True)
class PrincipleCoverage:
    """One principle: its stories (duplicates once), planned questions and open questions."""

    name: str
    stories: list[Story]
    planned: list[PlannedQuestion]
    unanswered: list[str]  # questions from a list that test it and got no story

    @property
    def gap_cost(self) -> float:
        """How much writing a story for this principle would help (for ordering advice).

        Each unanswered question counts 1; a principle with no story at all counts 2 more,
        because every question on it is then unanswerable.
        """
        return len(self.unanswered) + (2 if not self.stories else 0)


def coverage(
    bank: StoryBank, catalogue: Catalogue, answers: list[Answer] | None = None
) -> list[PrincipleCoverage]:
    """Per catalogue principle, in catalogue order (then unknown tags found in the bank)."""
    groups = bank.groups()
    names = list(catalogue.names)
    for record in [*bank.stories, *bank.planned]:
        names += [p for p in record.principles if p not in names]
    rows = []
    for name in names:
        stories = [g[0] for g in groups.values() if name in g[0].principles]
        planned = [p for p in bank.planned if name in p.principles]
        unanswered = [
            a.question
            for a in answers or []
            if a.verdict == NO_MATCH and a.principles and name == a.principles[0].name
        ]
        rows.append(PrincipleCoverage(name, stories, planned, unanswered))
    return rows


def suggestions(rows: list[PrincipleCoverage], catalogue: Catalogue) -> list[PrincipleCoverage]:
    """Catalogue principles worth a new story, most useful first."""
    useful = [r for r in rows if r.name in catalogue.names and r.gap_cost > 0]
    return sorted(useful, key=lambda r: (-r.gap_cost, -len(r.planned), r.name))[:TOP]

"""Questions to practise on, and how a candidate's pick compares with matcher's answer."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matcher.principles import Catalogue
from matcher.results import MATCH, NOT_BEHAVIOURAL, Answer
from matcher.stories import StoryBank

# Where practice questions come from: the catalogue's example questions per principle,
# the candidate's planned-but-unwritten questions, or a list they loaded.
SOURCES = ("catalogue", "planned", "list")


@dataclass(frozen=True)
class Draw:
    """One practice question and what is known about it before matcher answers."""

    question: str
    origin: str  # one of SOURCES
    principle: str | None = None  # the principle it was written for, when known

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {"question": self.question, "origin": self.origin, "principle": self.principle}


def question_pool(
    catalogue: Catalogue,
    bank: StoryBank,
    sources: Sequence[str] = ("catalogue", "planned"),
    listed: Sequence[str] = (),
    principle: str | None = None,
) -> list[Draw]:
    """Every question of ``sources``, in a fixed order (so a seed draws the same sequence).

    ``principle`` keeps the questions known to test it (catalogue examples and planned
    questions tagged with it); a loaded list carries no principle and is kept whole.
    """
    pool: list[Draw] = []
    if "catalogue" in sources:
        pool += [Draw(q, "catalogue", p.name) for p in catalogue.principles for q in p.examples]
    if "planned" in sources:
        pool += [Draw(p.title, "planned", p.principles[0] if p.principles else None) for p in bank.planned]
    if "list" in sources:
        pool += [Draw(q, "list") for q in listed]
    if principle is not None:
        pool = [d for d in pool if d.principle == principle or d.origin == "list"]
    return list({d.question.casefold(): d for d in pool}.values())


class Deck:
    """A pool of questions shuffled by a seed: the same seed gives the same session."""

    def __init__(self, pool: Sequence[Draw], seed: int | None = None) -> None:
        if not pool:
            raise ValueError("no practice questions to draw from")
        self.order = list(pool)
        random.Random(seed).shuffle(self.order)

    def draw(self, n: int) -> Draw:
        """The ``n``-th question of the session (0-based), cycling when the pool runs out."""
        return self.order[n % len(self.order)]

    def find(self, question: str) -> Draw | None:
        """The drawn question with this text, if it is in the pool."""
        key = " ".join(question.split()).casefold()
        return next((d for d in self.order if " ".join(d.question.split()).casefold() == key), None)


@dataclass(frozen=True)
class Round:
    """One question answered by the candidate, graded against matcher's answer.

    ``expected`` is the principle the pick is graded on: the one the question was written
    for when known, else the one matcher ranks first. ``story_hit`` is True when the
    candidate picked the story matcher tells first, or picked none when none fits.
    """

    draw: Draw
    answer: Answer
    picked_principles: tuple[str, ...]
    picked_story: str | None  # a story id, None for "no story fits"
    expected: str | None
    principle_hit: bool
    story_hit: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the pick, the grade, and matcher's answer in the ``ask --json`` schema."""
        return {
            **self.draw.to_dict(),
            "picked": {"principles": list(self.picked_principles), "story": self.picked_story},
            "expected_principle": self.expected,
            "principle_hit": self.principle_hit,
            "story_hit": self.story_hit,
            "answer": self.answer.to_dict(),
        }


def grade(
    draw: Draw, answer: Answer, picked_principles: Sequence[str], picked_story: str | None, bank: StoryBank
) -> Round:
    """Compare the candidate's pick with matcher's answer to the same question.

    A story counts as a hit when it is (a duplicate of) the story matcher tells first; a
    duplicate counts because the candidate tells the story, not the document. When no
    prepared story fits, saying so is the hit.
    """
    if draw.principle is None and answer.verdict == NOT_BEHAVIOURAL:
        # Coding, design or small talk tests no principle: picking none is right.
        expected, principle_hit = None, not picked_principles
    else:
        expected = draw.principle or (answer.principles[0].name if answer.principles else None)
        principle_hit = expected is not None and expected in picked_principles
    if answer.verdict == MATCH:
        group = next((s.group for s in bank.stories if s.id == picked_story), None)
        story_hit = group == answer.results[0].story.group
    else:
        story_hit = picked_story is None
    return Round(draw, answer, tuple(picked_principles), picked_story, expected, principle_hit, story_hit)

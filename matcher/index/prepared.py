"""Prepared answers that are not stories: "Tell me about yourself", "Why Amazon?"…

Interviewers ask these in many wordings ("Sum up your background for me"), and the candidate's answer is headed by one of them. Its heading alone is a
single wording and its text is about the candidate's career, not about the question, so
a rewording could miss it and be taken for small talk. ``matcher/data/prepared_answers.json``
lists, per kind, wordings written for matcher; a story whose heading is one of the kinds
gets them all as extra question views (their vectors ship with matcher like the other
reference texts). Each wording is closer to another wording of its kind than to any
principle example or off-topic example, with both models (a test checks MiniLM); 14
first drafts were not and were dropped. One, "What attracted you to this team?", made a
"Why Amazon" answer the first answer to 26 of the 546 principle examples with MiniLM;
another, "Walk me through your resume.", loses "walk me through" as questions do and
meets the off-topic "Give me a second while I pull up your resume".

A heading is of a kind when its closest wording of that kind is closer, by more than
``MIN_MARGIN``, than any principle example question or off-topic example: "Why leave
current firm" is (margin 0.36 with mpnet), "Tell me about a time you took on something
significant" is not (0.03: a principle example is nearly as close). Over the 332
headings of the seeds, the background banks and the layout test documents, the prepared
ones have margins of 0.18 and up with mpnet (0.066 with MiniLM) and the others 0.036 at
most (0.028).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matcher.index.views import View, strip_boilerplate

PREPARED_FILE = Path(__file__).parents[1] / "data" / "prepared_answers.json"
MIN_MARGIN = 0.06


@dataclass(frozen=True)
class PreparedKinds:
    """The wordings of every kind, stripped as questions are, with each one's kind."""

    names: list[str]
    texts: list[str]
    owner: np.ndarray  # kind position, per wording

    @classmethod
    def load(cls) -> PreparedKinds:
        """The kinds of ``PREPARED_FILE``."""
        kinds = json.loads(PREPARED_FILE.read_text(encoding="utf-8"))["kinds"]
        names = list(kinds)
        texts = [strip_boilerplate(t) for wordings in kinds.values() for t in wordings]
        owner = np.array([i for i, wordings in enumerate(kinds.values()) for _ in wordings], dtype=np.int32)
        return cls(names, texts, owner)

    def of_headings(self, headings: np.ndarray, wordings: np.ndarray, others: np.ndarray) -> np.ndarray:
        """Per heading vector, its kind's position, or -1 when it is none.

        ``wordings`` holds the vectors of ``texts``; ``others`` those of the principle
        and off-topic examples.
        """
        if not len(headings):
            return np.zeros(0, dtype=np.int32)
        closest = np.full((len(headings), len(self.names)), -1.0, dtype=np.float32)
        np.maximum.at(closest.T, self.owner, (headings @ wordings.T).T)
        rival = (headings @ others.T).max(axis=1, initial=-1.0)
        kind = closest.argmax(axis=1).astype(np.int32)
        return np.where(closest.max(axis=1) - rival > MIN_MARGIN, kind, -1)

    def views(self, story_id: str, kind: int) -> tuple[list[View], np.ndarray]:
        """The extra question views of a story of ``kind``, and their rows in ``texts``."""
        rows = np.flatnonzero(self.owner == kind)
        return [View(story_id, "question", "", self.texts[i], self.texts[i]) for i in rows], rows

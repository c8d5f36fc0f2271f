"""Questions of one interview loop -> one distinct story each, maximising total fit.

A panel must not hear the same story twice, so each story (duplicate group) is used at most
once. Assigning is the rectangular assignment problem, solved exactly with
``scipy.optimize.linear_sum_assignment`` on the matcher's combined scores; a greedy
"best story first" loop can lose a lot of total fit when two questions want the same story.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matcher.results import NO_MATCH, NOT_BEHAVIOURAL
from matcher.search.matching import Matcher
from matcher.stories import Story


@dataclass(frozen=True)
class Assignment:
    """The story chosen for one question, and what the question's own best story was."""

    question: str
    story: Story | None  # None: not behavioural, or more questions than stories
    score: float
    best: Story | None
    best_score: float
    weak: bool = False  # no prepared story really fits this question (verdict "no_match")

    @property
    def loss(self) -> float:
        """How much worse the chosen story is than the question's best (0 if it is the best)."""
        return self.best_score - self.score if self.story else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data in the documented ``plan --json`` schema."""
        return {
            "question": self.question,
            "story": {"id": self.story.id, "title": self.story.title} if self.story else None,
            "score": round(self.score, 4),
            "best": {"id": self.best.id, "title": self.best.title} if self.best else None,
            "loss": round(self.loss, 4),
            "weak": self.weak,
        }


def assign(scores: np.ndarray) -> dict[int, int]:
    """Row -> column maximising the total score, each column used at most once."""
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(scores, maximize=True)
    return dict(zip(rows.tolist(), cols.tolist()))


def plan(matcher: Matcher, questions: Sequence[str]) -> list[Assignment]:
    """One distinct story per behavioural question of ``questions``, in their order."""
    groups = matcher.index.bank.groups()
    names = list(groups)
    signals = matcher.signals(questions)
    verdicts = [matcher.answer(q, s, k=1).verdict for q, s in zip(questions, signals)]
    behavioural = [i for i, verdict in enumerate(verdicts) if verdict != NOT_BEHAVIOURAL]
    rows = [matcher.group_scores(signals[i].combined()) for i in behavioural]
    scores = np.array([[row[g] for g in names] for row in rows]).reshape(len(behavioural), len(names))
    chosen = assign(scores) if behavioural else {}
    row_of = {i: row for row, i in enumerate(behavioural)}
    result = []
    for i, question in enumerate(questions):
        row = row_of.get(i)
        if row is None:
            result.append(Assignment(question, None, 0.0, None, 0.0))
            continue
        best, col = int(np.argmax(scores[row])), chosen.get(row)
        result.append(
            Assignment(
                question,
                groups[names[col]][0] if col is not None else None,
                float(scores[row, col]) if col is not None else 0.0,
                groups[names[best]][0],
                float(scores[row, best]),
                weak=verdicts[i] == NO_MATCH,
            )
        )
    return result

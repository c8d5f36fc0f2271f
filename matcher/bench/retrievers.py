"""The retrievers compared side by side: the shipped matcher, each of its signals alone,
and the obvious baselines, all on the same story bank, model and questions.

Each retriever gives, per question, a score per duplicate group (a story written twice
counts once: its best copy).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from matcher.search.matching import Matcher
from matcher.search.scoring import W_LEXICAL, W_PRINCIPLE, Signals

GroupScores = dict[str, float]


@dataclass(frozen=True)
class Retriever:
    """A named way of scoring stories for a question."""

    name: str
    description: str
    scores: list[GroupScores]


def compare(
    matcher: Matcher, questions: Sequence[str], signals: Sequence[Signals]
) -> list[Retriever]:
    """Every retriever's scores for ``questions`` (``signals`` are the matcher's own)."""
    stories = matcher.index.bank.stories
    encode = matcher.encoder.encode
    raw_questions = encode(list(questions))
    # The naive approach: the whole story in one text, silently cut at 256 word pieces.
    naive = encode([f"{s.title}\n{s.text}" for s in stories])
    headings = encode([s.title for s in stories])

    def from_signal(pick: Callable[[Signals], np.ndarray]) -> list[GroupScores]:
        return [matcher.group_scores(pick(s)) for s in signals]

    def from_vectors(vectors: np.ndarray) -> list[GroupScores]:
        return [matcher.group_scores(vectors @ q) for q in raw_questions]

    return [
        Retriever("matcher", f"shipped: dense - hub + {W_LEXICAL} lexical + {W_PRINCIPLE} principle", from_signal(lambda s: s.combined())),
        Retriever("dense views", "signal alone: best cosine over a story's views (question adapted)", from_signal(lambda s: s.dense)),
        Retriever("bm25", "signal alone: BM25 Okapi over heading and story text (saved with the index)", from_signal(lambda s: s.lexical)),
        Retriever("principle match", "signal alone: question's principles vs story tags", from_signal(lambda s: s.principle_match)),
        Retriever("naive full text", "baseline: one vector per story, truncated at 256 word pieces", from_vectors(naive)),
        Retriever("headings only", "baseline: one vector per heading", from_vectors(headings)),
    ]

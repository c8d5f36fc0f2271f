"""Retrieval metrics, named as BEIR/MTEB name them, on rankings of duplicate groups.

Several stories may be right for one question; they are alternatives, so ``recall_at_k``
asks whether *any* acceptable story is in the top k (BEIR's hit rate; with one acceptable
story it equals BEIR's Recall@k). nDCG@k uses binary relevance over all acceptable stories.
Ties are broken against the retriever: among equal scores, wrong stories rank first.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping


def rank(scores: Mapping[str, float], relevant: Collection[str]) -> list[str]:
    """Keys by descending score; among ties, irrelevant keys first (pessimistic)."""
    return sorted(scores, key=lambda key: (-scores[key], key in relevant))


def recall_at_k(ranking: list[str], relevant: Collection[str], k: int) -> float:
    """1.0 if an acceptable item is in the top ``k``, else 0.0."""
    return float(any(item in relevant for item in ranking[:k]))


def mrr_at_k(ranking: list[str], relevant: Collection[str], k: int = 10) -> float:
    """Reciprocal rank of the first acceptable item within the top ``k`` (0 if none)."""
    for position, item in enumerate(ranking[:k], start=1):
        if item in relevant:
            return 1.0 / position
    return 0.0


def ndcg_at_k(ranking: list[str], relevant: Collection[str], k: int = 10) -> float:
    """Normalised discounted cumulative gain with binary relevance."""
    dcg = sum(1.0 / math.log2(i + 2) for i, item in enumerate(ranking[:k]) if item in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


def precision_recall(predicted: list[bool], actual: list[bool]) -> tuple[float, float]:
    """Precision and recall of a yes/no decision (0.0 where undefined)."""
    tp = sum(p and a for p, a in zip(predicted, actual))
    said, real = sum(predicted), sum(actual)
    return (tp / said if said else 0.0, tp / real if real else 0.0)

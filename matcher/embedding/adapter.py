"""Question vectors -> vectors that sit nearer the text of the story that answers them.

A bi-encoder places an interview question ("When did you push back on a deadline?") and
the passage of a STAR story that answers it ("I told the director the date would slip…")
less close than two paraphrases of the question: they are different kinds of text. A
linear map ``x -> x + x @ residual`` (renormalised), learned from labelled questions and
their stories (``benchmarks/train_adapter.py``), moves questions toward where answers
lie. It is applied to questions only, whenever they are compared with story text; the
stories' own vectors are the model's, so a bank needs no re-embedding when it changes.
Principle prediction and the off-topic check compare questions with questions and use
the model's vectors unchanged.

Only mpnet has one: leaving one corpus out, MiniLM's moved Recall@1 by +0.012, -0.010 and
-0.010 on the three tuning corpora, so MiniLM's questions are left as the model makes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

ADAPTER_DIR = Path(__file__).resolve().parent.parent / "data" / "adapters"


def adapter_path(model: str) -> Path:
    """Where the model's learned map is shipped."""
    return ADAPTER_DIR / f"{model}.npy"


@dataclass(frozen=True)
class QuestionAdapter:
    """The learned map for one model (see the module docstring)."""

    residual: np.ndarray | None  # dimension x dimension; None for a model shipped without one

    @staticmethod
    @cache
    def for_model(model: str) -> QuestionAdapter:
        """The map shipped for ``model`` (read once per process)."""
        path = adapter_path(model)
        return QuestionAdapter(np.load(path).astype(np.float32) if path.is_file() else None)

    def __call__(self, vectors: np.ndarray) -> np.ndarray:
        """Unit-length adapted copies of unit-length question ``vectors`` (rows)."""
        if self.residual is None:
            return vectors
        moved = vectors + vectors @ self.residual
        return (moved / np.linalg.norm(moved, axis=-1, keepdims=True)).astype(np.float32)

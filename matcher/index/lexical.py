"""BM25 (Okapi) over the stories, computed once at build time and saved as arrays.

The document frequencies and average length come from the candidate's stories together
with the background stories (other candidates' banks, shipped with matcher), and the
background stories are scored too, after the candidate's. Over a bank of three stories
alone, any word found in one story, "was" or "a" included, has the highest IDF, and
dividing by the best story turns such a match into a full one; against the background
both the IDF and the best score mean what they mean in a bank of fifty. Measured leaving
one corpus out (README, "How the settings were chosen"), this raised Recall@1 in random
banks of 3 and 8 stories by 2 to 4 points and cost whole corpora about one (mpnet 0.758 ->
0.747 on average).

The scores are rank_bm25's ``BM25Okapi`` (k1 1.5, b 0.75, negative IDFs floored at 0.25
times the mean IDF) on Snowball stems, but stored as a term-major sparse matrix of each
story's per-term BM25 weight: a question's score is the sum of its terms' rows, a few
numpy gathers instead of a Python loop over every story. Terms are keyed by a 64-bit
hash so the vocabulary is a sorted integer array that loads without parsing and is
searched with ``np.searchsorted``. Written here rather than with bm25s because bm25s
imports scipy (0.2 s) and the arrays must load in the question path.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_WORD = re.compile(r"\w+")
K1, B, EPSILON = 1.5, 0.75, 0.25
FILES = ("bm25-terms.npy", "bm25-indptr.npy", "bm25-docs.npy", "bm25-weights.npy")


class Tokenizer:
    """Casefolded words, Snowball-stemmed (the stemmer loads on first use)."""

    def __init__(self) -> None:
        import Stemmer

        self._stemmer = Stemmer.Stemmer("english")

    def __call__(self, text: str) -> list[str]:
        return self._stemmer.stemWords(_WORD.findall(text.casefold()))


def term_key(term: str) -> int:
    """A term's 64-bit key (a collision between two of a bank's terms is ~1e-10 likely)."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little")


@dataclass
class LexicalIndex:
    """Per term (sorted by key), the stories that contain it and their BM25 weight."""

    terms: np.ndarray  # uint64 keys, sorted
    indptr: np.ndarray  # int64, len(terms) + 1
    docs: np.ndarray  # int32 story positions
    weights: np.ndarray  # float32
    size: int  # number of documents: the stories, then the background stories

    @classmethod
    def build(
        cls, texts: Sequence[str], background: Sequence[str] = (), tokenize: Tokenizer | None = None
    ) -> LexicalIndex:
        """BM25 weights of every term of ``texts`` (one text per story) followed by
        ``background`` (one text per background story), with IDF over both."""
        tokenize = tokenize or Tokenizer()
        texts = [*texts, *background]
        counts = [Counter(tokenize(t)) for t in texts]
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float64)
        average = lengths.mean()
        postings: dict[str, list[tuple[int, int]]] = {}
        for doc, counter in enumerate(counts):
            for term, tf in counter.items():
                postings.setdefault(term, []).append((doc, tf))
        # rank_bm25's IDF, including its floor for terms found in most stories.
        n = len(texts)
        idf = {t: math.log(n - len(p) + 0.5) - math.log(len(p) + 0.5) for t, p in postings.items()}
        floor = EPSILON * (sum(idf.values()) / len(idf)) if idf else 0.0
        idf = {t: (floor if v < 0 else v) for t, v in idf.items()}
        keyed = sorted((term_key(t), t) for t in postings)
        indptr = np.zeros(len(keyed) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(postings[t]) for _, t in keyed])
        docs = np.empty(indptr[-1], dtype=np.int32)
        tfs = np.empty(indptr[-1], dtype=np.float64)
        term_idf = np.empty(indptr[-1], dtype=np.float64)
        for i, (_, term) in enumerate(keyed):
            rows = slice(indptr[i], indptr[i + 1])
            docs[rows], tfs[rows] = zip(*postings[term])
            term_idf[rows] = idf[term]
        norm = K1 * (1 - B + B * lengths[docs] / average)
        weights = term_idf * tfs * (K1 + 1) / (tfs + norm)
        terms = np.array([k for k, _ in keyed], dtype=np.uint64)
        return cls(terms, indptr, docs, weights.astype(np.float32), n)

    def save(self, folder: Path) -> None:
        """Write the arrays as ``FILES`` in ``folder``."""
        for name, array in zip(FILES, (self.terms, self.indptr, self.docs, self.weights)):
            np.save(folder / name, array)

    @classmethod
    def load(cls, folder: Path, size: int) -> LexicalIndex:
        """The arrays written by :meth:`save`, memory-mapped (pages are read on use)."""
        terms, indptr, docs, weights = (np.load(folder / name, mmap_mode="r") for name in FILES)
        if len(indptr) != len(terms) + 1 or len(docs) != len(weights) or indptr[-1] != len(docs):
            raise ValueError("lexical index arrays disagree")
        return cls(terms, indptr, docs, weights, size)

    def raw_scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 per document for these query tokens (a repeated token counts again)."""
        scores = np.zeros(self.size, dtype=np.float64)
        if not tokens or not len(self.terms):
            return scores.astype(np.float32)
        keys = np.array([term_key(t) for t in tokens], dtype=np.uint64)
        at = np.minimum(np.searchsorted(self.terms, keys), len(self.terms) - 1)
        for i in at[self.terms[at] == keys]:
            start, end = self.indptr[i], self.indptr[i + 1]
            # A term lists each story once, so a plain fancy-index add is exact.
            scores[self.docs[start:end]] += self.weights[start:end]
        return scores.astype(np.float32)

"""Linking the same story written in two places into one duplicate group.

Candidates copy a story from one prep document to the next and edit it a little. Two
stories are duplicates when the sets of word 3-grams of their answers overlap by at least
``THRESHOLD`` (Jaccard). On the seed documents the four copied stories overlap by 0.41 to
0.96 and every other pair by 0.10 or less, so the threshold sits in the middle of that gap.

The overlaps of all pairs are counted at once as a sparse product of the story x 3-gram
matrix with its transpose, in blocks of rows: only pairs that share a 3-gram are ever
looked at, in compiled code (comparing every pair of sets in Python took 126 s for
2,000 stories). The result is exact, the same groups as comparing every pair.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from matcher.stories import Story

THRESHOLD = 0.25
BLOCK = 512  # rows per sparse product: bounds the memory of one block's overlaps
_WORD = re.compile(r"\w+")


def _shingles(story: Story) -> set[tuple[str, ...]]:
    words = _WORD.findall(" ".join(s.text for s in story.sections).casefold())
    return {tuple(words[i : i + 3]) for i in range(max(len(words) - 2, 1))}


def duplicate_pairs(stories: list[Story]) -> list[tuple[int, int]]:
    """Every pair ``(i, j)``, ``i < j``, whose 3-gram sets overlap by ``THRESHOLD`` or more."""
    from scipy.sparse import csr_matrix  # build time only: scipy costs 0.2 s to import

    columns: dict[tuple[str, ...], int] = {}
    indptr, indices = [0], []
    for story in stories:
        indices += [columns.setdefault(g, len(columns)) for g in _shingles(story)]
        indptr.append(len(indices))
    n = len(stories)
    matrix = csr_matrix(
        (np.ones(len(indices), dtype=np.int32), np.asarray(indices, dtype=np.int64), indptr),
        shape=(n, len(columns)),
    )
    sizes = np.diff(matrix.indptr)
    transposed = matrix.T.tocsr()
    pairs: list[tuple[int, int]] = []
    for start in range(0, n, BLOCK):
        shared = (matrix[start : start + BLOCK] @ transposed).tocoo()
        rows, cols, common = shared.row + start, shared.col, shared.data
        union = sizes[rows] + sizes[cols] - common
        keep = (cols > rows) & (common >= THRESHOLD * union)
        pairs += zip(rows[keep].tolist(), cols[keep].tolist())
    return pairs


def group_duplicates(stories: list[Story]) -> list[Story]:
    """The stories with ``group`` set: the id of the first story of each duplicate group."""
    parent = list(range(len(stories)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in duplicate_pairs(stories):
        # The smaller index becomes the root, so a group is named by its first story.
        ri, rj = root(i), root(j)
        parent[max(ri, rj)] = min(ri, rj)
    return [replace(s, group=stories[root(i)].id) for i, s in enumerate(stories)]

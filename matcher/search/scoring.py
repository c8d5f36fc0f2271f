"""Vectors -> scores: the signals for a question, how they combine, and the verdicts.

Signals, computed per question (all in [0, 1] or cosine units):

- ``dense``: per story, the highest cosine between the question (boilerplate stripped,
  its vector moved toward answer text by ``matcher.embedding.adapter``) and any of the
  story's views: its prepared question, each ≤120-word passage (prefixed
  with the heading) or its gist (heading + first sentences of each section). The view
  that scored it is the passage shown to the user. A question nearer some principle
  example question than any wording of a prepared answer ("Why Amazon?") asks for a
  story, and the prepared answers' extra wordings are left out of its search.
- ``lexical``: per story, BM25 (rank_bm25's Okapi, Snowball stems) over the
  heading and full text, divided by the best story's BM25 for that question. The BM25
  weights are computed at build time and saved with the index (``matcher.index.lexical``).
- ``principle_match``: per story, the probability mass that falls on the story's own
  principle tags, where a principle's probability is the softmax (temperature
  ``PRINCIPLE_TEMPERATURE``) of the question's mean cosine to the three closest of the
  principle's example questions. In a bank with no written tags, each story carries the
  two principles inferred from its text (``matcher.index.store.infer_tags``).
- ``hub``: per story, ``Calibration.hub`` times the story's hub score (its mean cosine
  to the ten closest principle example questions, stored in the index). Stories close to
  generic questions otherwise come first for many unrelated questions; subtracting this
  is CSLS's hubness correction.
- ``principles`` (the principles the question tests): that mean cosine, from the
  question alone. The candidate's own tags are not mixed in: they pulled answers toward
  the principles the corpus has many stories for and away from the ones with none,
  which are exactly the ones to prepare. The stories tagged with a principle are shown
  beside it instead.
- ``behavioural`` / ``off_topic``: the highest cosine to any principle example question,
  and to any non-behavioural example (coding, design, small talk, logistics, gibberish).
- ``closest_view``: the highest cosine to any view of any story, with the question's
  own vector (not adapted), to compare with ``off_topic``.
- ``planned``: per planned-but-unwritten question, the cosine to its heading.
- ``background``: per background story (stories of two other candidates, shipped with
  matcher), ``dense - hub`` as for the candidate's own stories.

Combination, a weighted sum chosen by cross-validation across three corpora
(``benchmarks/experiments.py``)::

    score = dense - hub + W_LEXICAL * lexical + W_PRINCIPLE * principle_match

Verdicts, with thresholds chosen per model across three corpora (``CALIBRATION``):

- not behavioural when ``off_topic > behavioural`` or ``behavioural < min_behavioural``,
  unless ``closest_view ≥ off_topic``: some story is closer to the question than any
  off-topic example (a prepared "why this company" answer is never hidden);
- else a match when ``fit = standout + agreement_weight * agreement ≥ match``, where
  ``standout`` is how far the best story's ``dense - hub`` stands above the median of
  the candidate's stories and the background stories together, in standard deviations
  of that population for this question, and ``agreement`` is the probability mass of
  the principles the question tests that its ``nearest`` closest stories carry
  (their tags, or the inferred ones). The background gives the population a floor:
  with the candidate's stories alone, a bank of two always had a standout of exactly 1
  and every answer was "no story fits". Relative scores let one threshold serve a bank
  of 2 stories and one of 80; a raw cosine or raw BM25 does not (BM25's scale grows
  with the number of stories). Agreement looks at the nearest stories, not the whole
  bank: the whole bank's principle coverage (shipped before) is small for every question
  in a small bank, which then rejected a third to a half of its right answers.
  Otherwise "no prepared story fits", naming the top principles and any planned
  question with cosine ≥ ``planned``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matcher.embedding.adapter import QuestionAdapter
from matcher.index.lexical import LexicalIndex, Tokenizer
from matcher.index.store import Index, best_per_story, principle_affinity
from matcher.principles import Catalogue

W_LEXICAL = 0.30
W_PRINCIPLE = 0.05
PRINCIPLE_TEMPERATURE = 0.05
TOP_VIEWS = 1024  # views searched per question; a story with none of them scores the last
SEARCH_CHUNK = 64  # questions searched together: one matrix product, not one per question


@dataclass(frozen=True)
class Calibration:
    """A model's verdict thresholds (cosines differ in scale between models)."""

    match: float
    min_behavioural: float
    planned: float
    hub: float  # weight of the hubness correction (its scale follows the model's cosines)
    agreement_weight: float  # weight of ``Signals.agreement`` in the verdict's fit
    nearest: int  # how many nearest stories that agreement looks at


# From `benchmarks/experiments.py` over three corpora: ``hub`` by cross-validation. From
# `benchmarks/train_adapter.py`, leaving one corpus out: ``agreement_weight`` and ``nearest``
# (most unanswerable questions rejected in full banks, and in small banks most
# unanswerable questions rejected less right answers rejected), then ``match`` rejecting
# 10% of the answerable questions (mpnet's questions adapted by an adapter not trained on
# their corpus), recomputed after the prepared-answer wordings. ``min_behavioural`` and
# ``planned`` are the earlier development-set values. The trade-offs are in the README.
CALIBRATION = {
    "minilm": Calibration(
        match=3.05, min_behavioural=0.25, planned=0.55, hub=0.75, agreement_weight=3.0, nearest=5
    ),
    "mpnet": Calibration(
        match=3.17, min_behavioural=0.30, planned=0.55, hub=0.5, agreement_weight=4.0, nearest=3
    ),
}


@dataclass(frozen=True)
class Weights:
    """How the signals combine; the shipped values are the module constants."""

    lexical: float = W_LEXICAL
    principle: float = W_PRINCIPLE


@dataclass(frozen=True)
class Signals:
    """Every signal for one question (arrays are per story unless said otherwise)."""

    dense: np.ndarray
    best_view: np.ndarray  # index into Index.views of the view that gave ``dense``
    hub: np.ndarray  # the hubness correction subtracted from ``dense`` when ranking
    lexical: np.ndarray
    agreement: float  # probability that the question tests a principle its nearest stories carry
    principles: np.ndarray  # per catalogue principle
    principle_match: np.ndarray
    behavioural: float
    off_topic: float
    closest_view: float  # the question's cosine to its closest view, without the adapter
    planned: np.ndarray  # per planned question
    background: np.ndarray  # per background story: dense - hub

    def combined(self, weights: Weights = Weights()) -> np.ndarray:
        """The fused score per story."""
        return (
            self.dense - self.hub + weights.lexical * self.lexical + weights.principle * self.principle_match
        )

    def fit(self, calibration: Calibration) -> float:
        """How well the best story fits: the verdict's score (see module docstring)."""
        return self.standout() + calibration.agreement_weight * self.agreement

    def standout(self) -> float:
        """How far the best story stands above the median of the candidate's and the
        background stories, in standard deviations (``dense - hub``, no lexical term:
        BM25 is relative to the candidate's bank and has no value for the background)."""
        own = self.dense - self.hub
        population = np.concatenate([own, self.background])
        # A floor on the spread keeps near-identical scores from looking decisive.
        spread = max(float(population.std()), 0.02)
        return (float(own.max()) - float(np.median(population))) / spread

    def is_behavioural(self, calibration: Calibration) -> bool:
        """False for coding, design, small talk and gibberish."""
        return self.off_topic <= self.behavioural and self.behavioural >= calibration.min_behavioural


class Lexical:
    """BM25 (Okapi) over each story's heading and text, with Snowball stems.

    No stop-word list: BM25's IDF, over the bank and the background stories, already
    gives words found in most stories ("time", "project") little weight.
    """

    def __init__(self, index: LexicalIndex, stories: int) -> None:
        self._index = index
        self._stories = stories
        self._tokenize = Tokenizer()

    def scores(self, query: str) -> np.ndarray:
        """BM25 per story divided by the best of the stories and the background stories,
        so a story scores 1 only if no other candidate's story matches the words better."""
        raw = self._index.raw_scores(self._tokenize(query))
        top = float(raw.max()) if len(raw) else 0.0
        own = raw[: self._stories]
        return own / top if top > 0 else own


class Scorer:
    """Computes :class:`Signals` for questions against one loaded index."""

    def __init__(self, index: Index, catalogue: Catalogue) -> None:
        self.index = index
        self.catalogue = catalogue
        self._view_story = index.view_story
        self._lexical = Lexical(index.lexical, len(index.bank.stories))
        self._hub = CALIBRATION[index.model].hub * index.story_hub
        self._tags = index.story_tags
        self._background_hub = CALIBRATION[index.model].hub * index.background_hub
        self._nearest = CALIBRATION[index.model].nearest
        self._adapter = QuestionAdapter.for_model(index.model)

    def signals(self, stripped: Sequence[str], vectors: np.ndarray) -> list[Signals]:
        """All signals for each question, given its boilerplate-stripped text and vector."""
        k = min(self.index.view_index.ntotal, TOP_VIEWS)
        adapted = self._adapter(vectors)
        found: list[tuple[np.ndarray, np.ndarray]] = []
        closest: list[float] = []
        for start in range(0, len(vectors), SEARCH_CHUNK):
            sims, ids = self.index.view_index.search(adapted[start : start + SEARCH_CHUNK], k)
            found += zip(sims, ids)
            # The adapter lowers cosines to story text; comparing with off-topic examples
            # (questions, not adapted) needs the model's own cosine.
            closest += self.index.view_index.search(vectors[start : start + SEARCH_CHUNK], 1)[0][:, 0].tolist()
        return [self._signals(*row) for row in zip(stripped, vectors, adapted, found, closest)]

    def _signals(
        self,
        stripped: str,
        vector: np.ndarray,
        adapted: np.ndarray,
        found: tuple[np.ndarray, np.ndarray],
        closest_view: float,
    ) -> Signals:
        sims, ids = found
        example_sims = self.index.example_vectors @ vector
        if len(self.index.prepared_vectors) and example_sims.max(initial=-1.0) > (self.index.prepared_vectors @ vector).max():
            # A question nearer some principle's example than any wording of "Why Amazon?",
            # "Tell me about yourself"… asks for a story: those answers' extra wordings, all
            # questions, would otherwise draw it by sounding like a question.
            keep = ids < self.index.wordings_from
            sims, ids = sims[keep], ids[keep]
        n_stories = len(self.index.bank.stories)
        dense = np.full(n_stories, -1.0, dtype=np.float32)
        best_view = np.full(n_stories, -1, dtype=np.int64)
        # Views come best first: a story's first view is its best one.
        stories, first = np.unique(self._view_story[ids], return_index=True)
        dense[stories], best_view[stories] = sims[first], ids[first]
        # Stories none of whose views reached the top k score at most the k-th similarity.
        unseen = best_view < 0
        dense[unseen] = float(sims[-1]) if len(sims) else 0.0

        from_examples = principle_affinity(example_sims, self.index.example_owner, len(self.catalogue.principles))
        probabilities = _softmax(from_examples, PRINCIPLE_TEMPERATURE)
        agreement = float(nearest_agreement(dense - self._hub, self._tags, probabilities, self._nearest))
        principle_match = self._tags @ probabilities
        lexical = self._lexical.scores(stripped)
        off_topic = float((self.index.off_topic_vectors @ vector).max(initial=-1.0))
        planned = (
            self.index.planned_vectors @ vector
            if len(self.index.planned_vectors)
            else np.zeros(0, dtype=np.float32)
        )
        background = best_per_story(
            (self.index.background_vectors @ adapted)[None, :], self.index.background_owner, len(self._background_hub)
        )[0]
        return Signals(
            dense=dense,
            best_view=best_view,
            hub=self._hub,
            lexical=lexical,
            agreement=agreement,
            principles=from_examples,
            principle_match=principle_match,
            behavioural=float(example_sims.max(initial=-1.0)),
            off_topic=off_topic,
            closest_view=closest_view,
            planned=planned,
            background=background - self._background_hub,
        )


def nearest_agreement(own: np.ndarray, tags: np.ndarray, probabilities: np.ndarray, stories: int) -> np.ndarray:
    """The probability mass of the principles carried by the ``stories`` stories that score
    highest in ``own`` (``dense - hub``): one value per row of ``own``.

    ``own`` is stories or questions × stories, ``tags`` stories × principles and
    ``probabilities`` (questions ×) principles, as the verdict and the benchmarks use it.
    """
    k = min(stories, own.shape[-1])
    nearest = np.argpartition(-own, k - 1, axis=-1)[..., :k]
    carried = tags[nearest].max(axis=-2)
    return (probabilities * carried).sum(axis=-1)


def _softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    weights = np.exp((scores - scores.max()) / temperature)
    return (weights / weights.sum()).astype(np.float32)

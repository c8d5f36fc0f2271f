"""The library's front door: ``Matcher.open()`` then ``matcher.ask("…")``.

    from matcher import Matcher
    m = Matcher.open()                      # default corpus, index and model
    answer = m.ask("When did you last tell your lead their estimate was wrong?")
    answer.match, answer.principles, answer.results[0].story.title

``open`` keeps the on-disk index fresh: a missing, corrupt or stale index (documents,
model, catalogue or format changed) is rebuilt, with a one-line notice.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from matcher import index as index_store
from matcher.encoder import Encoder, SentenceTransformerEncoder
from matcher.paths import default_corpus, default_index_dir, default_model
from matcher.principles import Catalogue
from matcher.results import MATCH, NO_MATCH, NOT_BEHAVIOURAL, Answer, Match, PrincipleScore
from matcher.scoring import CALIBRATION, Scorer, Signals, Weights
from matcher.views import strip_boilerplate

MAX_QUESTION_CHARS = 2000
PRINCIPLES_SHOWN = 3
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class QuestionError(ValueError):
    """A question matcher cannot answer as given; the message says why in one line."""


def clean_question(text: str) -> str:
    """The question with control characters and runs of white space collapsed.

    Raises QuestionError for an empty, oversized or non-English question.
    """
    text = " ".join(_CONTROL.sub(" ", text).split())
    if not text:
        raise QuestionError("the question is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is {len(text):,} characters long; paste one question "
            f"(up to {MAX_QUESTION_CHARS:,} characters)"
        )
    letters = [c for c in text if c.isalpha()]
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    if letters and latin / len(letters) < 0.5:
        raise QuestionError(
            "the question does not look like English; the models understand English only"
        )
    return text


def _notify_stderr(message: str) -> None:
    print(message, file=sys.stderr)


def _query_encoder(
    index_dir: Path, manifest: dict, fallback: Encoder, notify: Callable[[str], None]
) -> Encoder:
    """The ONNX encoder for the index's model, exporting it first if needed."""
    from matcher.onnx_export import ExportError

    folder = index_store.export_folder(index_dir, manifest)
    failed = index_store.export_failed(manifest)
    if folder is None and failed is None:
        notify("Exporting the model for fast questions (once per model) …")
        try:
            folder = index_store.make_export(index_dir, manifest)
        except (ExportError, OSError) as exc:
            failed = str(exc)
    if folder is not None:
        from matcher.onnx_encoder import OnnxEncoder

        try:
            return OnnxEncoder(manifest["model"]["name"], folder)
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own types
            failed = f"{type(exc).__name__}: {exc}"
    notify(f"Fast question encoder unavailable ({failed}); using sentence-transformers.")
    return fallback


def _previous(index_dir: Path) -> index_store.Index | None:
    """The index being replaced, if readable: its vectors are reused where unchanged."""
    try:
        return index_store.load(index_dir)
    except index_store.IndexUnusable:
        return None


class Matcher:
    """Answers questions from one index with one encoder."""

    def __init__(self, index: index_store.Index, encoder: Encoder, catalogue: Catalogue) -> None:
        self.index = index
        self.encoder = encoder
        self.catalogue = catalogue
        self.scorer = Scorer(index, catalogue)
        self._tagged: dict[int, tuple[str, ...]] = {}  # filled as principles are shown

    @classmethod
    def open(
        cls,
        corpus: Sequence[Path] | None = None,
        index_dir: Path | None = None,
        model: str | None = None,
        notify: Callable[[str], None] = _notify_stderr,
        progress: Callable[[int, int], None] | None = None,
        rebuild: bool = False,
        encoder: Encoder | None = None,
    ) -> Matcher:
        """A matcher over ``corpus``, loading the index in ``index_dir`` or (re)building it.

        ``model`` defaults to the index's own model, else MiniLM. If the index folder is
        not writable the index is built in memory and a notice says it was not saved.

        Questions are encoded with the model's ONNX export (made once per model beside the
        index), which needs no torch; if it cannot be made, with sentence-transformers.
        An already loaded ``encoder`` may be passed to share it between matchers: it is
        then used for everything.
        """
        corpus = list(corpus or default_corpus())
        index_dir = index_dir or default_index_dir()
        index = None
        try:
            manifest = index_store.read_manifest(index_dir)
            model = model or manifest["model"]["name"]
            reason = "rebuild requested" if rebuild else index_store.staleness(manifest, corpus, model)
            if reason is None:
                index = index_store.load(index_dir)
        except index_store.IndexUnusable as exc:
            reason = str(exc)
        except (KeyError, TypeError) as exc:
            reason = f"manifest incomplete ({exc})"
        model = model or (encoder.model if encoder else default_model())
        shared = encoder if encoder is not None and encoder.model == model else None
        builder = shared or SentenceTransformerEncoder(model)
        if index is None:
            notify(f"Building the index ({reason}) …")
            index = index_store.build(corpus, builder, progress, _previous(index_dir))
            try:
                index_store.save(index, index_dir)
            except OSError as exc:
                notify(f"Could not save the index in {index_dir} ({exc.strerror}); using it unsaved.")
                return cls(index, builder, Catalogue.load())
        query_encoder = shared or _query_encoder(index_dir, index.manifest, builder, notify)
        return cls(index, query_encoder, Catalogue.load())

    def ask(self, question: str, k: int = 3) -> Answer:
        """The principles ``question`` tests and the best ``k`` distinct stories for it."""
        return self.ask_many([question], k)[0]

    def ask_many(self, questions: Sequence[str], k: int = 3) -> list[Answer]:
        """Answers for many questions, encoded in batches."""
        texts = [clean_question(q) for q in questions]
        return [self.answer(text, s, k) for text, s in zip(texts, self.signals(texts))]

    def signals(self, questions: Sequence[str]) -> list[Signals]:
        """Raw signals for each question (for tuning and benchmarks)."""
        stripped = [strip_boilerplate(clean_question(q)) for q in questions]
        vectors = self.encoder.encode(stripped)
        return self.scorer.signals(stripped, vectors)

    def group_scores(self, per_story: np.ndarray) -> dict[str, float]:
        """Per-story scores -> per duplicate group, a group scoring as its best copy."""
        best = np.full(len(per_story), -np.inf)
        np.maximum.at(best, self.index.story_group, per_story)
        stories = self.index.bank.stories
        return {stories[g].id: float(best[g]) for g in np.unique(self.index.story_group)}

    def tagged_titles(self, principle: int) -> tuple[str, ...]:
        """The title of each duplicate group with a story tagged with this principle."""
        if principle not in self._tagged:
            tagged = np.flatnonzero(self.index.story_tags[:, principle])
            firsts = np.unique(self.index.story_group[tagged])  # in bank order
            self._tagged[principle] = tuple(self.index.bank.stories[g].title for g in firsts)
        return self._tagged[principle]

    def answer(
        self, question: str, signals: Signals, k: int = 3, weights: Weights = Weights()
    ) -> Answer:
        """Turn one question's signals into an answer: ranking, verdict, principles."""
        order = np.argsort(-signals.principles)[:PRINCIPLES_SHOWN]
        principles = tuple(
            PrincipleScore(
                self.catalogue.principles[i].name,
                float(signals.principles[i]),
                self.tagged_titles(i),
            )
            for i in order
        )
        calibration = CALIBRATION[self.index.model]
        # A question closer to one of the candidate's prepared answers than to any off-topic
        # example ("What made you want to interview here?") is never hidden as small talk.
        if not signals.is_behavioural(calibration) and signals.dense.max(initial=-1.0) < signals.off_topic:
            return Answer(question, NOT_BEHAVIOURAL, principles, (), ())
        combined = signals.combined(weights)
        results = self._distinct_matches(combined, signals, k)
        verdict = MATCH if results and signals.fit >= calibration.match else NO_MATCH
        planned = tuple(
            self.index.bank.planned[i]
            for i in np.argsort(-signals.planned)
            if signals.planned[i] >= calibration.planned
        )
        return Answer(question, verdict, principles, results, planned[:3])

    def _distinct_matches(self, combined: np.ndarray, signals: Signals, k: int) -> tuple[Match, ...]:
        stories, group = self.index.bank.stories, self.index.story_group
        seen: set[int] = set()
        matches = []
        for i in np.argsort(-combined):
            if group[i] in seen:
                continue  # a duplicate of a story already offered
            seen.add(group[i])
            story = stories[i]
            view = self.index.views[signals.best_view[i]] if signals.best_view[i] >= 0 else None
            matches.append(
                Match(
                    story=story,
                    sources=tuple(stories[j].source for j in np.flatnonzero(group == group[i])),
                    score=float(combined[i]),
                    passage=view.passage if view else "",
                    section=(view.label or view.kind) if view else "",
                    signals={
                        "dense": float(signals.dense[i]),
                        "lexical": float(signals.lexical[i]),
                        "principle_match": float(signals.principle_match[i]),
                    },
                )
            )
            if len(matches) == k:
                break
        return tuple(matches)

"""The library's front door: ``Matcher.open()`` then ``matcher.ask("…")``.

    from matcher import Matcher
    m = Matcher.open()                      # default corpus, index and model
    answer = m.ask("When did you last tell your lead their estimate was wrong?")
    answer.match, answer.principles, answer.results[0].story.title

``open`` keeps the on-disk index fresh: a missing, damaged or stale index (documents,
model, catalogue or format changed) is rebuilt, with a one-line notice, and a damaged
question encoder is exported again.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from matcher.embedding.encoder import Encoder, SentenceTransformerEncoder
from matcher.index import checksums
from matcher.index import folder as index_folder
from matcher.index import store as index_store
from matcher.index.views import strip_boilerplate
from matcher.ingest import corpus_files
from matcher.paths import default_corpus, default_index_dir, default_model
from matcher.principles import Catalogue
from matcher.results import MATCH, NO_MATCH, NOT_BEHAVIOURAL, Answer, Match, PrincipleScore
from matcher.search.scoring import CALIBRATION, Scorer, Signals, Weights
from matcher.stories import StoryBank
from matcher.terminal import CONTROL

MAX_QUESTION_CHARS = 2000
PRINCIPLES_SHOWN = 3
# Surrogates are what Python makes of bytes that are not UTF-8 in a command-line argument.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class QuestionError(ValueError):
    """A question matcher cannot answer as given; the message says why in one line."""


def clean_question(text: str) -> str:
    """The question with control characters and runs of white space collapsed.

    Raises QuestionError for an empty, oversized, non-UTF-8 or non-English question.
    """
    if _SURROGATE.search(text):
        raise QuestionError("the question is not valid UTF-8 text")
    text = " ".join(CONTROL.sub(" ", text).split())
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


class DamagedIndex(Exception):
    """The index or the question encoder gave a score that is not a finite number."""


def _finite(signals: Signals) -> bool:
    arrays = (
        signals.dense, signals.hub, signals.lexical, signals.principles, signals.principle_match, signals.planned,
        signals.background,
    )
    scalars = (signals.agreement, signals.behavioural, signals.off_topic, signals.closest_view)
    return all(np.isfinite(a).all() for a in arrays) and bool(np.isfinite(scalars).all())


def _inspect(
    index_dir: Path, corpus: Sequence[Path], model: str | None
) -> tuple[index_store.Index | None, str | None, str | None]:
    """The verified index in ``index_dir`` (None if unusable), why it does not fit the corpus
    and model (None if it does), and the model its manifest names."""
    try:
        manifest = index_store.read_manifest(index_dir)
    except index_store.IndexUnusable as exc:
        return None, str(exc), None
    recorded = manifest["model"]["name"]
    try:
        index = index_store.load(index_dir)
    except index_store.IndexUnusable as exc:
        return None, str(exc), recorded
    return index, index_store.staleness(manifest, corpus, model or recorded), recorded


def _query_encoder(
    index_dir: Path, index: index_store.Index, fallback: Encoder, notify: Callable[[str], None], locked: bool
) -> Encoder:
    """The ONNX encoder for the index's model, exporting (or repairing) it first if needed.

    ``locked``: the caller holds the folder's build lock; otherwise it is taken to export.
    """
    state = index_store.export_state(index_dir, index.manifest)
    if state.folder is None and state.retry:
        if state.problem == "not made yet":
            notify("Exporting the model for fast questions (once per model) …")
        else:
            notify(f"The fast question encoder needs repair ({state.problem}); exporting it again …")
        try:
            state = _export(index_dir, index, fallback, locked)
        except (OSError, index_store.IndexUnusable) as exc:
            state = index_store.ExportState(None, getattr(exc, "strerror", None) or str(exc), False)
    problem = state.problem
    if state.folder is not None:
        from matcher.embedding.onnx_encoder import OnnxEncoder

        try:
            return OnnxEncoder(index.model, state.folder)
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own types
            problem = f"{type(exc).__name__}: {exc}"
    notify(f"Fast question encoder unavailable ({problem}); using sentence-transformers.")
    return fallback


def _export(index_dir: Path, index: index_store.Index, reference: Encoder, locked: bool) -> index_store.ExportState:
    model = index.manifest["model"]
    if locked:
        return index_store.make_export(index_dir, model, reference)
    with index_folder.build_lock(index_dir):
        current = index_store.read_manifest(index_dir)
        if current["model"]["sha256"] == model["sha256"]:
            state = index_store.export_state(index_dir, current)
            if state.folder is not None or not state.retry:
                return state  # made (or tried) by the matcher we waited for
        return index_store.make_export(index_dir, model, reference)


def _build(
    corpus: Sequence[Path],
    encoder: Encoder,
    progress: Callable[[int, int], None] | None,
    previous: index_store.Index | None,
    notify: Callable[[str], None],
    reason: str | None,
) -> index_store.Index:
    """Build the index, announcing it only once the corpus is known to hold documents:
    "Building the index …" before "corpus path not found" misled people."""
    corpus_files(corpus)
    notify(f"Building the index ({reason}) …")
    return index_store.build(corpus, encoder, progress, previous)


def _try_lock(lock) -> bool:
    """Take ``lock`` if it is free; False if another process holds it."""
    from filelock import Timeout

    try:
        lock.acquire(timeout=0)
    except Timeout:
        return False
    return True


class Matcher:
    """Answers questions from one index with one encoder."""

    def __init__(
        self,
        index: index_store.Index,
        encoder: Encoder,
        catalogue: Catalogue,
        stale: str | None = None,
        repair: Callable[[], Matcher] | None = None,
    ) -> None:
        self.index = index
        self.encoder = encoder
        self.catalogue = catalogue
        # Why the index answering no longer fits the documents or model (it could not be
        # updated: read-only folder, or another matcher is rebuilding it); None if it fits.
        self.stale = stale
        self._repair = repair
        self.scorer = Scorer(index, catalogue)
        self._tagged: dict[int, tuple[str, ...]] = {}  # filled as principles are shown
        self._tagged_bank: StoryBank | None = None

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
        force: bool = False,
    ) -> Matcher:
        """A matcher over ``corpus``, loading the index in ``index_dir`` or (re)building it.

        ``index_dir`` defaults to :func:`matcher.paths.default_index_dir` for the corpus.
        ``model`` defaults to the index's own model, else ``default_model()``. A folder
        holding files matcher did not make is refused (index_folder.FolderRefused) unless
        ``force``. One build at a time runs per folder: a second one waits for it and uses
        its result, while a question on an existing index answers from it meanwhile. If
        the folder is not writable, a stale index answers as it is (``stale`` says why,
        with a notice), and a missing one is built in memory.

        Questions are encoded with the model's ONNX export (made once per model beside the
        index, and remade if damaged), which needs no torch; if it cannot be made, with
        sentence-transformers. An already loaded ``encoder`` may be passed to share it
        between matchers: it is then used for everything.
        """
        corpus = list(corpus or default_corpus())
        index_dir = index_dir or default_index_dir(corpus)
        index, reason, recorded = _inspect(index_dir, corpus, model)
        model = model or recorded or (encoder.model if encoder else default_model())
        shared = encoder if encoder is not None and encoder.model == model else None
        builder = shared or SentenceTransformerEncoder(model)

        def repair() -> Matcher:
            checksums.forget(index_dir)  # re-hash every file: export damage shows too
            return cls.open(corpus, index_dir, model, notify, progress, True, encoder, force)

        def ready(index: index_store.Index, stale: str | None, locked: bool) -> Matcher:
            query_encoder = shared or _query_encoder(index_dir, index, builder, notify, locked)
            return cls(index, query_encoder, Catalogue.load(), stale, repair)

        if index is not None and reason is None and not rebuild:
            return ready(index, None, locked=False)
        if rebuild:
            reason = "rebuild requested"
        try:
            index_folder.claim(index_dir, force)
            lock = index_folder.build_lock(index_dir)
            waited = not _try_lock(lock)
        except OSError as exc:
            if index is not None and not rebuild:
                notify(
                    f"The index in {index_dir} is out of date ({reason}) and cannot be updated there "
                    f"({exc.strerror or exc}); answering from it as it is. To update it, make the folder "
                    "writable, or give a writable one with --index-dir or $MATCHER_INDEX."
                )
                return ready(index, reason, locked=False)
            built = _build(corpus, builder, progress, index, notify, reason)
            notify(f"Could not save the index in {index_dir} ({exc.strerror or exc}); using it unsaved.")
            return cls(built, builder, Catalogue.load(), repair=repair)
        if waited:
            if index is not None and not rebuild:
                notify(f"Another matcher is rebuilding the index ({reason}); answering from the previous build.")
                return ready(index, reason, locked=False)
            notify(f"Waiting for another matcher to finish building the index in {index_dir} …")
            lock.acquire()
        try:
            latest, why, _ = _inspect(index_dir, corpus, model)
            if latest is None or why is not None or (rebuild and not waited):
                # The index being replaced lends the vectors of every unchanged view.
                latest = _build(corpus, builder, progress, latest, notify, reason if rebuild else why)
                try:
                    index_store.save(latest, index_dir)
                except OSError as exc:
                    notify(f"Could not save the index in {index_dir} ({exc.strerror or exc}); using it unsaved.")
                    return cls(latest, builder, Catalogue.load(), repair=repair)
            return ready(latest, None, locked=True)
        finally:
            lock.release()

    def ask(self, question: str, k: int = 3) -> Answer:
        """The principles ``question`` tests and the best ``k`` distinct stories for it."""
        return self.ask_many([question], k)[0]

    def answer_dict(self, answer: Answer) -> dict:
        """``answer`` as ``ask --json`` prints it: its data and whether the index is stale."""
        return {**answer.to_dict(), "stale_index": self.stale}

    def ask_many(self, questions: Sequence[str], k: int = 3) -> list[Answer]:
        """Answers for many questions, encoded in batches (see :meth:`signals` on damage)."""
        texts = [clean_question(q) for q in questions]
        signals = self.signals(texts)
        return [self.answer(text, s, k) for text, s in zip(texts, signals)]

    def signals(self, questions: Sequence[str]) -> list[Signals]:
        """Raw signals for each question (for answers, tuning and benchmarks).

        A score that is not a finite number means a damaged index or encoder: the index is
        rebuilt (and its export re-verified) once, then the questions are asked again; if
        the scores are still not finite, DamagedIndex is raised. No NaN is ever answered.
        """
        try:
            return self._signals(questions)
        except DamagedIndex:
            if self._repair is None:
                raise
            # This matcher becomes the reopened one, so callers holding it carry on.
            vars(self).update(vars(self._repair()))
            self._repair = None  # once: a second failure is not damage a rebuild can mend
            return self._signals(questions)

    def _signals(self, questions: Sequence[str]) -> list[Signals]:
        stripped = [strip_boilerplate(clean_question(q)) for q in questions]
        vectors = self.encoder.encode(stripped)
        if not np.isfinite(vectors).all():
            raise DamagedIndex("the question encoder gave a vector that is not finite")
        found = self.scorer.signals(stripped, vectors)
        if not all(_finite(s) for s in found):
            raise DamagedIndex("the index gave a score that is not finite")
        return found

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
            self._tagged[principle] = tuple(self.index.titles[g] for g in firsts)
        return self._tagged[principle]

    def story_principles(self, story: int) -> tuple[str, ...]:
        """The principles of the story at this position: its own tags, or inferred ones."""
        if self.index.principles_inferred:
            return tuple(self.catalogue.names[p] for p in np.flatnonzero(self.index.story_tags[story]))
        return self.index.bank.stories[story].principles

    @property
    def principles_inferred(self) -> bool:
        """True when the documents name no principle and each story's were inferred."""
        return self.index.principles_inferred

    @property
    def tagged_bank(self) -> StoryBank:
        """The bank with each story's principles as :meth:`story_principles` gives them:
        what coverage and its heatmap count, so that an untagged bank is not shown as
        having no story for any principle."""
        if not self.principles_inferred:
            return self.index.bank
        if self._tagged_bank is None:
            bank = self.index.bank
            stories = [replace(s, principles=self.story_principles(i)) for i, s in enumerate(bank.stories)]
            self._tagged_bank = replace(bank, stories=stories)
        return self._tagged_bank

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
        if not signals.is_behavioural(calibration) and signals.closest_view < signals.off_topic:
            return Answer(question, NOT_BEHAVIOURAL, principles, (), ())
        combined = signals.combined(weights)
        results = self._distinct_matches(combined, signals, k)
        verdict = MATCH if results and signals.fit(calibration) >= calibration.match else NO_MATCH
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
                    principles=self.story_principles(i),
                    principles_inferred=self.principles_inferred,
                )
            )
            if len(matches) == k:
                break
        return tuple(matches)

"""Stories -> vectors -> an on-disk index, and the checks that keep it fresh.

Layout of an index folder::

    manifest.json        format, model fingerprint, document hashes, which build is live,
                         and the size and sha256 of every file of the build and export
    build-<stamp>-<pid>-<random>/  one complete build:
        bank.json        the bank but its stories (planned questions, warnings, documents)
        stories.jsonl    one story per line, and stories.jsonl.offsets.npy: read one
                         story at a time (see matcher.index.records)
        titles.jsonl     each story's title alone (and its offsets): the titles listed
                         beside a principle are read without decoding whole stories
        views.jsonl      what each vector is (story id, kind, label, shown passage), and
                         views.jsonl.offsets.npy
        views.npy        the view vectors, searched with numpy (see ExactSearch)
        views-int8.npy   the same vectors quantised, scanned first (see ExactSearch), and
                         views-int8-scale.npy their per-dimension scale
        views.faiss      the view vectors as a faiss flat index, for other tools; matcher
                         does not read it (importing faiss costs more than a search)
        view-keys.npy    per view, a hash of the model and the view's text: the next
                         build reuses the vector of every view whose key is unchanged
        arrays.npz       per view its story; per story its group's first story and its
                         principle tags: what ranking needs of every story, so that no
                         story record is read to rank
        bm25-*.npy       the lexical index (see matcher.index.lexical)
        reference.npz    principle example, off-topic example, prepared-answer wording,
                         background-story and planned-question vectors, and each
                         story's hub score (see ``hub_scores``)
    encoder-<model>-<sha>-<random>/  the model exported to ONNX for torch-free questions
        encoder.onnx, encoder.onnx.data, tokenizer.json
    .matcher.lock        the build lock (see :mod:`matcher.index.folder`)
    .matcher-made.json   the folders matcher made here: the only ones it ever deletes
    .matcher-verified.json  large files last verified, by size and times (see checksums)

Every file but the manifest opens without parsing: arrays are memory-mapped, records
decoded one at a time, so a cold question costs about the same for 80 stories as for
8,000.

Writes are atomic: a build is written under a temporary name and renamed, then the
manifest is replaced (``os.replace``) to point at it, then the build it replaced is
removed. An interrupted build therefore leaves the previous index in use. Builds and
exports run under the folder's lock (see :mod:`matcher.index.folder`, which also says
what matcher may delete), and every file is checked against its checksum when loaded
(see :mod:`matcher.index.checksums`): a damaged file means a rebuild, not a wrong answer.
The ONNX export depends on the model only: it is made once per model (fingerprint in the
manifest's ``export``), verified against a probe vector before it is recorded, and kept
across rebuilds for changed documents.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from matcher.embedding.adapter import ADAPTER_DIR, QuestionAdapter
from matcher.embedding.encoder import Encoder, ModelFingerprint
from matcher.index import checksums
from matcher.index import folder as index_folder
from matcher.index.lexical import LexicalIndex
from matcher.index.prepared import PREPARED_FILE, PreparedKinds
from matcher.index.records import Records, write_records
from matcher.index.shipped import shipped_vectors
from matcher.index.views import View, story_views, strip_boilerplate
from matcher.ingest import CorpusError, corpus_files, read_corpus
from matcher.ingest.files import read_bytes
from matcher.principles import DEFAULT_CATALOGUE, Catalogue
from matcher.stories import Story, StoryBank, bank_from_dict, bank_to_meta, story_from_dict, story_to_dict

# 4: checksums of every file, builds and exports named with a random part, background
# stories' vectors, story and view records read on demand, a saved BM25 index.
# 5: int8 copies of the view vectors, scanned first; no HNSW index; story titles apart.
# 6: principles inferred for a wholly untagged bank. 7: hub scores and inferred principles
# from the example questions as the question adapter moves them. 8: BM25 over the
# stories and the background stories. 9: the wordings of prepared answers ("Why Amazon?")
# as extra question views. 10: questions listed with a story ("Sample questions:") as
# question views, and the reader's new layouts (the bank must be read again). 11: where
# the prepared answers' wordings start among the views (``Index.wordings_from``). 12: the
# reader's new formats and layouts (Evernote, notebooks, TSV, AsciiDoc, wiki markup,
# outliners, to-do lists): a bank read before them must be read again.
FORMAT = 12
OFF_TOPIC_FILE = Path(__file__).parents[1] / "data" / "off_topic.json"
# Stories of two other candidates, written for the benchmarks: the verdict compares a
# question's best story with them (see matcher/search/scoring.py), so that a bank of two
# stories is judged as fairly as one of eighty.
BACKGROUND_DIR = Path(__file__).parents[1] / "data" / "background"


class IndexUnusable(Exception):
    """The index cannot be read (missing, corrupt, or from another format)."""


class ExactSearch:
    """Exact inner-product search with numpy, with faiss's ``search``/``ntotal`` interface.

    A question reads every view's vector once, so at 48,000 views the float32 vectors
    (74 MB) cost more to read from memory than to multiply. The search therefore scans
    int8 copies (a quarter of the bytes; see :func:`quantise`) to pick ``CANDIDATES``
    times ``k`` candidates, and computes the exact float32 cosines of those only: the
    similarities returned are exact, and only a view within the int8 rounding (about
    1e-3) of the k-th best could be missed or kept wrongly.

    The scan runs on one BLAS thread: it is read-bound, and on a machine whose cores other
    programs also use, OpenBLAS's threads wait for each other at every block (a 48,000-view
    scan went from 7 ms to 180 ms of CPU under load).
    """

    CANDIDATES = 1.25
    CHUNK = 2048  # rows converted from int8 at a time: stays in the CPU cache

    def __init__(self, vectors: np.ndarray, codes: np.ndarray, scale: np.ndarray) -> None:
        self.vectors = vectors
        self.codes = codes
        self.scale = scale
        self.ntotal, self.d = vectors.shape
        self._file: BinaryIO | None = None  # the vectors' file, opened on first read

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` most similar rows for each query: (similarities, row ids)."""
        wanted = min(self.ntotal, int(self.CANDIDATES * k))
        if wanted < self.ntotal:
            with _blas().limit(limits=1, user_api="blas"):
                approximate = self._scan(np.asarray(queries * self.scale))
                candidates = np.sort(np.argpartition(-approximate, wanted - 1, axis=1)[:, :wanted], axis=1)
                sims = np.array([self._rows(ids) @ query for query, ids in zip(queries, candidates)])
        else:
            candidates = np.broadcast_to(np.arange(self.ntotal), (len(queries), self.ntotal))
            sims = queries @ self.vectors.T
        if k < wanted:
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            sims, candidates = np.take_along_axis(sims, top, axis=1), np.take_along_axis(candidates, top, axis=1)
        # By similarity, then by row among equal similarities (copies of one story).
        order = np.array([np.lexsort((i, -t)) for i, t in zip(candidates, sims)]).reshape(sims.shape)
        return np.take_along_axis(sims, order, axis=1), np.take_along_axis(candidates, order, axis=1)

    def _rows(self, ids: np.ndarray) -> np.ndarray:
        """The float32 vectors of rows ``ids``.

        From a mapped file they are read with ``pread``: indexing the mapping would have
        the kernel map the 64 KB around each row read (fault-around), so a thousand
        scattered rows would make the whole file resident (368 MB of memory at 40,000
        stories).
        """
        if not isinstance(self.vectors, np.memmap):
            return self.vectors[ids]
        if self._file is None:
            self._file = open(self.vectors.filename, "rb", buffering=0)  # noqa: SIM115 - lives with self
        size = self.d * self.vectors.itemsize
        start, fd = self.vectors.offset, self._file.fileno()
        data = b"".join(os.pread(fd, size, start + i * size) for i in ids.tolist())
        return np.frombuffer(data, dtype=self.vectors.dtype).reshape(len(ids), self.d)

    def _scan(self, scaled: np.ndarray) -> np.ndarray:
        out = np.empty((self.ntotal, len(scaled)), dtype=np.float32)
        # One buffer reused: a fresh array per block would be page-faulted in each time.
        buffer = np.empty((min(self.CHUNK, self.ntotal), self.d), dtype=np.float32)
        for start in range(0, self.ntotal, self.CHUNK):
            block = buffer[: min(self.CHUNK, self.ntotal - start)]
            np.copyto(block, self.codes[start : start + len(block)], casting="unsafe")
            np.matmul(block, scaled.T, out=out[start : start + len(block)])
        return out.T


@functools.cache
def _blas() -> Any:
    """threadpoolctl's view of the loaded BLAS (made once: it lists the loaded libraries)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 codes and a per-dimension scale with ``codes * scale`` close to ``vectors``."""
    scale = np.abs(vectors).max(axis=0) / 127 if len(vectors) else np.ones(vectors.shape[1], np.float32)
    scale = np.where(scale > 0, scale, 1).astype(np.float32)
    return np.round(vectors / scale).astype(np.int8), scale


@dataclass
class Index:
    """A loaded index: the bank, its views and every vector matching needs."""

    bank: StoryBank
    titles: Sequence[str]  # per story, its title (read without the story)
    views: Sequence[View]
    view_index: ExactSearch
    example_vectors: np.ndarray  # principle example questions
    example_owner: np.ndarray  # principle position in the catalogue, per example
    off_topic_vectors: np.ndarray
    prepared_vectors: np.ndarray  # the wordings of the prepared-answer kinds (see prepared)
    planned_vectors: np.ndarray
    story_hub: np.ndarray  # per story, see hub_scores
    background_vectors: np.ndarray  # views of the background stories
    background_owner: np.ndarray  # background story number, per background view
    background_hub: np.ndarray  # per background story, see hub_scores
    view_story: np.ndarray  # per view, its story's position
    story_group: np.ndarray  # per story, the position of its duplicate group's first story
    story_tags: np.ndarray  # story x catalogue principle: 1.0 where tagged (see infer_tags)
    lexical: LexicalIndex
    view_keys: np.ndarray  # per view, see view_key
    manifest: dict[str, Any]

    @property
    def model(self) -> str:
        """The name of the model the vectors were made with."""
        return self.manifest["model"]["name"]

    @property
    def principles_inferred(self) -> bool:
        """True when the documents name no principle and ``story_tags`` were inferred."""
        return self.manifest["principles_inferred"]

    @property
    def wordings_from(self) -> int:
        """The first view that is a prepared answer's extra wording (see prepared); those
        views come after the bank's own."""
        return self.manifest["wordings_from"]

    @property
    def view_vectors(self) -> np.ndarray:
        """Every view's vector, in view order."""
        return self.view_index.vectors


def view_key(model_sha256: str, text: str) -> int:
    """A 64-bit key for the vector of ``text`` under a model: equal keys, equal vectors."""
    digest = hashlib.blake2b(f"{model_sha256}\0{text}".encode("utf-8"), digest_size=8)
    return int.from_bytes(digest.digest(), "little")


def text_keys(model_sha256: str, texts: Sequence[str]) -> np.ndarray:
    """The ``view_key`` of each of ``texts``."""
    return np.array([view_key(model_sha256, t) for t in texts], dtype=np.uint64)


def shared_texts(catalogue: Catalogue) -> list[str]:
    """The texts every index embeds besides the bank's own, in the order it stores them:
    principle examples, off-topic examples, prepared-answer wordings, background stories' views."""
    examples, _, off_topic = reference_texts(catalogue)
    return joined_shared(examples, off_topic, PreparedKinds.load(), all_views(background_stories(catalogue)))


def joined_shared(
    examples: list[str], off_topic: list[str], prepared: PreparedKinds, background: Sequence[View]
) -> list[str]:
    """The shared texts in the order the index stores them (see ``shared_texts``)."""
    return examples + off_topic + prepared.texts + [v.text for v in background]


def story_arrays(bank: StoryBank, catalogue: Catalogue) -> tuple[np.ndarray, np.ndarray]:
    """Per story, its duplicate group's first story and its tags over ``catalogue``."""
    position = {s.id: i for i, s in enumerate(bank.stories)}
    group = np.array([position[s.group] for s in bank.stories], dtype=np.int32)
    names = {name: i for i, name in enumerate(catalogue.names)}
    tags = np.zeros((len(bank.stories), len(names)), dtype=np.float32)
    for i, story in enumerate(bank.stories):
        for principle in story.principles:
            if principle in names:
                tags[i, names[principle]] = 1.0
    return group, tags


PRINCIPLE_TOP_EXAMPLES = 3
INFERRED_TAGS = 2


def principle_affinity(example_sims: np.ndarray, example_owner: np.ndarray, n_principles: int) -> np.ndarray:
    """Example x item cosines -> item x principle: the mean cosine of each principle's
    ``PRINCIPLE_TOP_EXAMPLES`` closest example questions."""
    k = PRINCIPLE_TOP_EXAMPLES
    return np.stack(
        [np.sort(example_sims[example_owner == p], axis=0)[-k:].mean(axis=0) for p in range(n_principles)],
        axis=-1,
    ).astype(np.float32)


def infer_tags(tags: np.ndarray, best_reference: np.ndarray, example_owner: np.ndarray) -> tuple[np.ndarray, bool]:
    """Tags for a bank the candidate left wholly untagged, and whether they were inferred.

    Many people write no principle names in their prep documents. The verdict weighs
    whether the bank covers the principles a question tests, so an untagged bank had every
    principle uncovered and most answerable questions came out "no story fits" (66–86% on
    the three tuning corpora with their tags removed). Each story of such a bank gets the
    ``INFERRED_TAGS`` principles whose example questions are closest to its best views
    (two: written tags average 1.1–1.5 per story, and one inferred tag rejected more
    answerable questions; ``benchmarks/experiments.py``). A bank with any written tag is
    left as written: its untagged stories are the answers to "why this company" or "tell
    me about yourself", which test no principle.
    """
    if tags.any():
        return tags, False
    affinity = principle_affinity(best_reference, example_owner, tags.shape[1])
    inferred = np.zeros_like(affinity)
    np.put_along_axis(inferred, np.argsort(-affinity, axis=1)[:, :INFERRED_TAGS], 1.0, axis=1)
    return inferred, True


def reference_texts(catalogue: Catalogue) -> tuple[list[str], list[int], list[str]]:
    """Principle examples (with their principle's position) and off-topic examples."""
    examples, owner = [], []
    for i, principle in enumerate(catalogue.principles):
        for text in principle.examples:
            examples.append(strip_boilerplate(text))
            owner.append(i)
    off_topic = json.loads(OFF_TOPIC_FILE.read_text(encoding="utf-8"))["examples"]
    return examples, owner, [strip_boilerplate(t) for t in off_topic]


HUB_NEIGHBOURS = 10


def best_per_story(sims: np.ndarray, view_story: np.ndarray, n_stories: int) -> np.ndarray:
    """Text x view cosines -> text x story, a story scoring as its best view."""
    best = np.full((len(sims), n_stories), -1.0, dtype=np.float32)
    np.maximum.at(best.T, view_story, sims.T)
    return best


def hub_scores(best_reference: np.ndarray) -> np.ndarray:
    """Per story, the mean cosine to its ``HUB_NEIGHBOURS`` closest reference questions.

    ``best_reference`` is reference question x story (:func:`best_per_story`). A story
    whose views sit close to generic behavioural questions (the principle examples) comes
    first for many unrelated questions: a hub. Subtracting part of this score at ranking
    time is CSLS's correction (Conneau et al., 2018, "Word translation without parallel
    data"), with the example questions as the reference set.
    """
    k = min(HUB_NEIGHBOURS, len(best_reference))
    return np.sort(best_reference, axis=0)[-k:].mean(axis=0).astype(np.float32)


def background_stories(catalogue: Catalogue) -> list[Story]:
    """The background stories (see ``BACKGROUND_DIR``)."""
    return read_corpus([BACKGROUND_DIR], catalogue).stories


def all_views(stories: Sequence[Story]) -> list[View]:
    """Every view of ``stories``, story by story."""
    return [v for story in stories for v in story_views(story)]


def story_texts(stories: Sequence[Story]) -> list[str]:
    """Each story's heading and text, as BM25 reads it."""
    return [f"{s.title}\n{s.text}" for s in stories]


def reference_fingerprint() -> str:
    """Hash of the data files whose vectors (or, for the question adapters, scores) the
    index stores besides the stories."""
    digest = hashlib.sha256()
    for path in (DEFAULT_CATALOGUE, OFF_TOPIC_FILE, PREPARED_FILE, *sorted(BACKGROUND_DIR.rglob("*.md")), *sorted(ADAPTER_DIR.glob("*.npy"))):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build(
    corpus: Sequence[Path],
    encoder: Encoder,
    progress: Callable[[int, int], None] | None = None,
    previous: Index | None = None,
) -> Index:
    """Parse the corpus and embed every view, principle example and planned question.

    ``progress(done, total)`` is called as texts are embedded. A view whose text and
    model are unchanged since ``previous`` (the index being replaced) keeps its vector,
    so editing one document of a large bank re-embeds that document's views only; the
    manifest's ``counts.reused`` says how many were kept.
    """
    started = time.perf_counter()
    catalogue = Catalogue.load()
    bank = read_corpus(corpus, catalogue)
    if not bank.stories:
        problems = "; ".join(bank.warnings) or "no headings or numbered questions with answers"
        raise CorpusError(f"no stories found in the corpus ({problems})")
    views = all_views(bank.stories)
    examples, owner, off_topic = reference_texts(catalogue)
    prepared = PreparedKinds.load()
    others = background_stories(catalogue)
    background, n_background = all_views(others), len(others)
    planned = [strip_boilerplate(p.title) for p in bank.planned]
    fingerprint = ModelFingerprint.of(encoder.model)
    keys = text_keys(fingerprint.sha256, [v.text for v in views])
    kept = _reusable(previous, keys)
    fresh = [i for i, row in enumerate(kept) if row < 0]
    reference = reference_fingerprint()
    # The examples, off-topic questions and background stories depend only on the data
    # files and the model: their vectors are reused too when neither changed.
    same_reference = (
        previous is not None
        and previous.manifest.get("reference") == reference
        and previous.manifest["model"]["sha256"] == fingerprint.sha256
    )
    # Not found in ``previous``, these texts' vectors mostly ship with matcher (see shipped).
    shared = joined_shared(examples, off_topic, prepared, background)
    reference_part = []
    if not same_reference:
        found, shipped_rows = shipped_vectors(encoder.model, text_keys(fingerprint.sha256, shared))
        reference_part = [t for t, ships in zip(shared, found) if not ships]
    texts = [views[i].text for i in fresh] + reference_part + planned
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, len(texts))

    # Nothing to embed happens only when every view's vector came from ``previous``.
    vectors = encoder.encode(texts, progress=step) if texts else np.zeros((0, previous.example_vectors.shape[1]), np.float32)
    new_vectors, embedded_reference, planned_vectors = np.split(vectors, np.cumsum([len(fresh), len(reference_part)]))
    if same_reference:
        example_vectors, off_topic_vectors = previous.example_vectors, previous.off_topic_vectors
        prepared_vectors, background_vectors = previous.prepared_vectors, previous.background_vectors
    else:
        reference_vectors = np.empty((len(shared), vectors.shape[1]), dtype=np.float32)
        reference_vectors[~found] = embedded_reference
        if found.any():
            reference_vectors[found] = shipped_rows
        cuts = np.cumsum([len(examples), len(off_topic), len(prepared.texts)])
        example_vectors, off_topic_vectors, prepared_vectors, background_vectors = np.split(reference_vectors, cuts)
    view_vectors = np.empty((len(views), vectors.shape[1]), dtype=np.float32)
    view_vectors[fresh] = new_vectors
    if previous is not None and len(fresh) < len(views):
        reused = kept >= 0
        view_vectors[reused] = np.asarray(previous.view_vectors)[kept[reused]]
    reused_count = len(views) - len(fresh)
    position = {s.id: i for i, s in enumerate(bank.stories)}
    view_story = np.array([position[v.story_id] for v in views], dtype=np.int32)
    # Headings such as "Why Amazon?" also get the other wordings of their question.
    headings = view_vectors[np.unique(view_story, return_index=True)[1]]
    kinds = prepared.of_headings(headings, prepared_vectors, np.vstack([example_vectors, off_topic_vectors]))
    extra = [
        (story, *prepared.views(bank.stories[story].id, int(kind))) for story, kind in enumerate(kinds) if kind >= 0
    ]
    wordings_from = len(views)  # the wordings come after the bank's own views
    if extra:
        added = [view for _, wordings, _ in extra for view in wordings]
        wording_rows = np.concatenate([rows for _, _, rows in extra])
        owners = np.concatenate([np.full(len(rows), story, dtype=np.int32) for story, _, rows in extra])
        views += added
        view_vectors = np.vstack([view_vectors, prepared_vectors[wording_rows]])
        view_story = np.concatenate([view_story, owners])
        keys = np.concatenate([keys, text_keys(fingerprint.sha256, [v.text for v in added])])
    story_group, written_tags = story_arrays(bank, catalogue)
    lexical = LexicalIndex.build(story_texts(bank.stories), story_texts(others))
    # The examples stand for questions, so they meet story text as questions do: adapted.
    adapted_examples = QuestionAdapter.for_model(encoder.model)(example_vectors)
    best_reference = best_per_story(adapted_examples @ view_vectors.T, view_story, len(bank.stories))
    story_hub = hub_scores(best_reference)
    example_owner = np.asarray(owner, dtype=np.int32)
    story_tags, principles_inferred = infer_tags(written_tags, best_reference, example_owner)
    background_position = {story_id: i for i, story_id in enumerate(dict.fromkeys(v.story_id for v in background))}
    background_owner = np.array([background_position[v.story_id] for v in background], dtype=np.int32)
    background_hub = hub_scores(best_per_story(adapted_examples @ background_vectors.T, background_owner, n_background))
    dimension = vectors.shape[1]
    view_index = ExactSearch(view_vectors, *quantise(view_vectors))
    manifest = {
        "format": FORMAT,
        "tool_version": metadata.version("matcher"),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "build_seconds": round(time.perf_counter() - started, 2),
        "model": asdict(fingerprint),
        "dimension": int(dimension),
        "faiss_index": "IndexFlatIP",
        "search": "numpy exact (int8 scan, float32 rescoring)",
        "corpus": [str(p.resolve()) for p in corpus],
        "documents": bank.documents,
        "reference": reference,
        "principles_inferred": principles_inferred,
        "wordings_from": wordings_from,
        "counts": {
            "stories": len(bank.stories),
            "planned": len(bank.planned),
            "views": len(views),
            "reused": reused_count,
        },
    }
    return Index(
        bank,
        [s.title for s in bank.stories],
        views,
        view_index,
        example_vectors,
        example_owner,
        off_topic_vectors,
        prepared_vectors,
        planned_vectors,
        story_hub,
        background_vectors,
        background_owner,
        background_hub,
        view_story,
        story_group,
        story_tags,
        lexical,
        keys,
        manifest,
    )


def _reusable(previous: Index | None, keys: np.ndarray) -> np.ndarray:
    """Per key, the row of ``previous`` holding its vector, or -1.

    Keys hash the model's weights with the text, so a match is always the same model.
    """
    if previous is None:
        return np.full(len(keys), -1, dtype=np.int64)
    rows = {key: row for row, key in enumerate(previous.view_keys.tolist())}
    return np.array([rows.get(key, -1) for key in keys.tolist()], dtype=np.int64)


def save(index: Index, index_dir: Path) -> None:
    """Write ``index`` under ``index_dir`` atomically; raises OSError if it is not writable.

    The caller holds the folder's build lock (:func:`index_folder.build_lock`) and has
    claimed the folder (:func:`index_folder.claim`), or the folder is its own.
    """
    import faiss

    index_dir.mkdir(parents=True, exist_ok=True)
    previous = index_folder.read_raw_manifest(index_dir)
    name = index_folder.build_name()
    tmp = index_folder.temporary(index_dir, name)
    index_folder.made(index_dir, tmp.name, name)
    tmp.mkdir()
    try:
        _write_json(tmp / "bank.json", bank_to_meta(index.bank))
        write_records(tmp / "stories.jsonl", (story_to_dict(s) for s in index.bank.stories))
        write_records(tmp / "titles.jsonl", index.titles)
        write_records(tmp / "views.jsonl", (asdict(v) for v in index.views))
        np.save(tmp / "view-keys.npy", index.view_keys)
        np.savez(
            tmp / "arrays.npz",
            view_story=index.view_story,
            story_group=index.story_group,
            story_tags=index.story_tags,
        )
        index.lexical.save(tmp)
        search = index.view_index
        flat = faiss.IndexFlatIP(search.d)
        flat.add(np.ascontiguousarray(search.vectors))
        faiss.write_index(flat, str(tmp / "views.faiss"))
        np.save(tmp / "views.npy", search.vectors)
        np.save(tmp / "views-int8.npy", search.codes)
        np.save(tmp / "views-int8-scale.npy", search.scale)
        np.savez(
            tmp / "reference.npz",
            example_vectors=index.example_vectors,
            example_owner=index.example_owner,
            off_topic_vectors=index.off_topic_vectors,
            prepared_vectors=index.prepared_vectors,
            planned_vectors=index.planned_vectors,
            story_hub=index.story_hub,
            background_vectors=index.background_vectors,
            background_owner=index.background_owner,
            background_hub=index.background_hub,
        )
        tmp.rename(index_dir / name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    index.manifest["build"] = name
    index.manifest["build_files"] = checksums.record(index_dir, name)
    # The export depends on the model only: keep the previous one (export_state checks
    # that it is this model's). A recorded failure belongs to the build it was made for.
    export = previous.get("export") if isinstance(previous, dict) else None
    index.manifest["export"] = export if isinstance(export, dict) and "error" not in export else None
    _replace_manifest(index_dir, index.manifest)
    index_folder.tidy(index_dir, index_folder.named_folders(index.manifest), index_folder.named_folders(previous))


def read_manifest(index_dir: Path) -> dict[str, Any]:
    """The manifest of the index in ``index_dir``; raises IndexUnusable if unusable."""
    try:
        manifest = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexUnusable("no index yet") from None
    except (OSError, ValueError) as exc:
        raise IndexUnusable(f"manifest unreadable ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexUnusable("index format changed")
    model = manifest.get("model")
    if not isinstance(model, dict) or not {"name", "sha256", "size", "mtime_ns"} <= set(model):
        raise IndexUnusable("manifest has no model entry")
    if not isinstance(manifest.get("build"), str):
        raise IndexUnusable("manifest names no build")
    if not isinstance(manifest.get("principles_inferred"), bool):
        raise IndexUnusable("manifest does not say whether principles were inferred")
    if not isinstance(manifest.get("wordings_from"), int):
        raise IndexUnusable("manifest does not say where the prepared answers' wordings start")
    return manifest


def load(index_dir: Path) -> Index:
    """Read the live build of ``index_dir``; raises IndexUnusable if anything is unusable."""
    manifest = read_manifest(index_dir)
    build_dir = index_dir / manifest["build"]
    problem = checksums.damaged(index_dir, manifest["build"], manifest.get("build_files"))
    if problem:
        raise IndexUnusable(f"index files: {problem}")
    try:
        stories = Records(build_dir / "stories.jsonl", story_from_dict)
        bank = bank_from_dict(json.loads((build_dir / "bank.json").read_text(encoding="utf-8")), stories)
        titles = Records(build_dir / "titles.jsonl", str)
        views = Records(build_dir / "views.jsonl", lambda v: View(**v))
        view_index = ExactSearch(
            *(np.load(build_dir / name, mmap_mode="r") for name in ("views.npy", "views-int8.npy", "views-int8-scale.npy"))
        )
        arrays = {}
        for name in ("reference.npz", "arrays.npz"):
            with np.load(build_dir / name) as stored:
                arrays.update({k: stored[k] for k in stored.files})
        lexical = LexicalIndex.load(build_dir, len(stories) + len(arrays["background_hub"]))
        keys = np.load(build_dir / "view-keys.npy", mmap_mode="r")
    except Exception as exc:  # noqa: BLE001 - json and numpy each raise their own
        raise IndexUnusable(f"index files unreadable ({type(exc).__name__})") from None
    if (
        view_index.ntotal != len(views)
        or view_index.d != manifest.get("dimension")
        or view_index.codes.shape != view_index.vectors.shape
        or view_index.scale.shape != (view_index.d,)
        or not len(keys) == len(arrays["view_story"]) == len(views)
        or not len(arrays["story_group"]) == len(arrays["story_hub"]) == len(titles) == len(stories)
    ):
        raise IndexUnusable("index files disagree with each other")
    return Index(
        bank,
        titles,
        views,
        view_index,
        arrays["example_vectors"],
        arrays["example_owner"],
        arrays["off_topic_vectors"],
        arrays["prepared_vectors"],
        arrays["planned_vectors"],
        arrays["story_hub"],
        arrays["background_vectors"],
        arrays["background_owner"],
        arrays["background_hub"],
        arrays["view_story"],
        arrays["story_group"],
        arrays["story_tags"],
        lexical,
        keys,
        manifest,
    )


@dataclass(frozen=True)
class ExportState:
    """Whether the index's model has a verified ONNX export, and if not, why."""

    folder: Path | None  # the export, its files matching their checksums
    problem: str | None  # why there is none: never made, damaged, or this build's failure
    retry: bool  # whether exporting (again) is worth trying: not after this build failed


def export_state(index_dir: Path, manifest: dict[str, Any]) -> ExportState:
    """The state of the ONNX export the manifest records for the index's model."""
    from matcher.embedding.onnx_export import EXPORT_FORMAT

    export = manifest.get("export") or {}
    if export.get("model_sha256") != manifest["model"]["sha256"] or export.get("format") != EXPORT_FORMAT:
        return ExportState(None, "not made yet", True)
    if "error" in export:
        # Retried by the next build rather than on every question (each try costs seconds).
        same_build = export.get("build") == manifest.get("build")
        return ExportState(None, str(export["error"]), not same_build)
    folder = export.get("folder")
    if not isinstance(folder, str) or not index_folder.EXPORT_NAME.fullmatch(folder) or "files" not in export:
        return ExportState(None, "not made yet", True)  # or by a matcher that kept no checksums
    problem = checksums.damaged(index_dir, folder, export.get("files"))
    if problem:
        return ExportState(None, problem, True)
    return ExportState(index_dir / folder, None, False)


def make_export(index_dir: Path, model: dict[str, Any], reference: Encoder) -> ExportState:
    """Export ``model`` (a manifest's model entry) to ONNX beside the index, verify it, record it.

    A verified export made for another index folder is reused (see
    :mod:`matcher.embedding.shared_exports`). The export is checked against ``reference`` (sentence-transformers with the same model)
    on a probe text before the manifest records it as good. The manifest on disk is the
    one updated: call with the folder's build lock held. A failure is recorded for the live
    build, so it is retried by the next build, not by every question.
    """
    from matcher.embedding import shared_exports
    from matcher.embedding.onnx_export import EXPORT_FORMAT, PROBE, ExportError, export, verify

    manifest = read_manifest(index_dir)
    if manifest["model"]["sha256"] != model["sha256"]:
        # Another build with another model replaced the index meanwhile: its export is its own.
        return ExportState(None, "the index was rebuilt with another model meanwhile", False)
    previous = index_folder.named_folders(manifest)
    name = index_folder.export_name(model["name"], model["sha256"])
    tmp = index_folder.temporary(index_dir, name)
    index_folder.made(index_dir, tmp.name, name)
    tmp.mkdir()
    try:
        probe = reference.encode([PROBE])[0]
        if not shared_exports.lend(model["name"], model["sha256"], tmp, probe):
            export(model["name"], tmp)
            verify(model["name"], tmp, probe)
            shared_exports.share(model["name"], model["sha256"], tmp)
        tmp.rename(index_dir / name)
    except ExportError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        manifest["export"] = {
            "model_sha256": model["sha256"],
            "format": EXPORT_FORMAT,
            "error": str(exc),
            "build": manifest["build"],
        }
        _replace_manifest(index_dir, manifest)
        index_folder.tidy(index_dir, index_folder.named_folders(manifest), previous)
        return ExportState(None, str(exc), False)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    manifest["export"] = {
        "model_sha256": model["sha256"],
        "format": EXPORT_FORMAT,
        "folder": name,
        "files": checksums.record(index_dir, name),
        "probe": [round(float(x), 7) for x in probe],
    }
    _replace_manifest(index_dir, manifest)
    index_folder.tidy(index_dir, index_folder.named_folders(manifest), previous)
    return ExportState(index_dir / name, None, False)


def staleness(manifest: dict[str, Any], corpus: Sequence[Path], model: str) -> str | None:
    """Why an index with this manifest no longer fits the corpus and model, or None.

    Cheap enough for every question: hashes the documents (kilobytes) and stats the
    model's weight file instead of hashing it.
    """
    if manifest["model"]["name"] != model:
        return f"model changed ({manifest['model']['name']} -> {model})"
    if not ModelFingerprint(**manifest["model"]).still_matches():
        return "model weights changed"
    if manifest.get("reference") != reference_fingerprint():
        return "principle catalogue changed"
    current = {
        f.name: hashlib.sha256(read_bytes(f.path)[0]).hexdigest() for f in corpus_files(corpus)
    }
    if current != manifest.get("documents"):
        changed = sorted(set(current.items()) ^ set(manifest.get("documents", {}).items()))
        return f"documents changed ({', '.join(sorted({name for name, _ in changed}))})"
    return None


def _replace_manifest(index_dir: Path, manifest: dict[str, Any]) -> None:
    target = index_dir / index_folder.MANIFEST
    tmp = index_folder.temporary_file(target)
    try:
        _write_json(tmp, manifest)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

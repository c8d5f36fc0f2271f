"""What keeps large banks cheap: saved BM25, exact duplicate groups without all pairs,
records read on demand, and incremental builds that reuse unchanged views' vectors."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from matcher.bench.synthetic import write_bank
from matcher.index import store as index_store
from matcher.index.lexical import LexicalIndex, Tokenizer
from matcher.index.records import Records
from matcher.ingest import read_corpus
from matcher.ingest.duplicates import THRESHOLD, group_duplicates
from matcher.search.matching import Matcher
from matcher.search.scoring import _softmax

from .conftest import CORPUS, D000, D001, D003

QUERIES = [
    "Tell me about a time you disagreed with your manager",
    "kafka migration to the azure cloud cloud cloud",  # a repeated word counts again
    "Why Amazon?",
    "the a of",  # words in most stories: rank_bm25's IDF floor
    "zyxwv qqq",  # words in no story
    "",
]


@pytest.mark.parametrize("query", QUERIES)
def test_saved_bm25_scores_equal_rank_bm25(bank, tmp_path, query):
    """Stories and background stories are scored as one rank_bm25 collection."""
    tokenize = Tokenizer()
    texts = index_store.story_texts(bank.stories)
    half = len(texts) // 2
    LexicalIndex.build(texts[:half], texts[half:], tokenize).save(tmp_path)
    saved = LexicalIndex.load(tmp_path, len(texts))
    tokens = tokenize(query)
    expected = BM25Okapi([tokenize(t) for t in texts]).get_scores(tokens) if tokens else np.zeros(len(texts))
    got = saved.raw_scores(tokens)
    assert np.allclose(got, expected, rtol=0, atol=1e-4)
    assert list(np.argsort(-got, kind="stable")[:10]) == list(np.argsort(-expected.astype(np.float32), kind="stable")[:10])


def _all_pairs_groups(stories):
    """The previous implementation: compare every pair of 3-gram sets."""
    words = re.compile(r"\w+")
    shingles = []
    for s in stories:
        w = words.findall(" ".join(x.text for x in s.sections).casefold())
        shingles.append({tuple(w[i : i + 3]) for i in range(max(len(w) - 2, 1))})
    parent = list(range(len(stories)))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(stories)):
        for j in range(i + 1, len(stories)):
            a, b = shingles[i], shingles[j]
            if a and b and len(a & b) / len(a | b) >= THRESHOLD:
                ri, rj = root(i), root(j)
                parent[max(ri, rj)] = min(ri, rj)
    return [stories[root(i)].id for i in range(len(stories))]


def test_duplicate_groups_equal_comparing_all_pairs(bank, tmp_path):
    assert [s.group for s in group_duplicates(list(bank.stories))] == _all_pairs_groups(bank.stories)
    write_bank(tmp_path, 240, seed=3)  # templated text: many near pairs, a few copies
    synthetic = read_corpus([tmp_path]).stories
    groups = [s.group for s in synthetic]
    assert groups == _all_pairs_groups(synthetic)
    assert len(set(groups)) < len(groups)


def test_principle_probabilities_stay_finite_for_extreme_scores():
    probabilities = _softmax(np.array([900.0, 0.0, -900.0], dtype=np.float32), 0.05)
    assert np.isfinite(probabilities).all() and probabilities.sum() == pytest.approx(1.0)


def test_loaded_index_reads_only_the_records_it_shows(small_corpus, tmp_path, encoder):
    index_dir = tmp_path / "index"
    Matcher.open([small_corpus], index_dir, notify=lambda _: None, encoder=encoder)
    loaded = Matcher.open([small_corpus], index_dir, notify=lambda _: None, encoder=encoder)
    stories, views = loaded.index.bank.stories, loaded.index.views
    assert isinstance(stories, Records) and isinstance(views, Records)
    answer = loaded.ask("Tell me about a time you disagreed with your manager", k=2)
    assert answer.results
    # The two stories shown; the titles listed beside the principles come from titles.jsonl.
    assert sum(len(p.stories) for p in answer.principles) > 2
    assert len(stories._cache) <= 2
    assert len(views._cache) <= 2
    # The loaded records are the built ones.
    built = index_store.build([small_corpus], encoder)
    assert list(stories) == list(built.bank.stories) and list(views) == list(built.views)


def test_editing_one_document_reembeds_only_its_views(tmp_path, encoder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (D000, D001, D003):
        shutil.copy(CORPUS / name, corpus / name)
    index_dir = tmp_path / "index"
    first = Matcher.open([corpus], index_dir, notify=lambda _: None, encoder=encoder).index
    assert first.manifest["counts"]["reused"] == 0
    edited = corpus / D003
    edited.write_text(edited.read_text(encoding="utf-8") + "\n## A new story\n\n**Situation:** Fresh text.\n",
                      encoding="utf-8")
    notes = []
    second = Matcher.open([corpus], index_dir, notify=notes.append, encoder=encoder).index
    assert "documents changed" in notes[0]
    files = {s.id: s.source.file for s in second.bank.stories}
    # The bank's own views (prepared answers' extra wordings come with the reference vectors).
    unchanged = [v for v in index_store.all_views(second.bank.stories) if files[v.story_id] in (D000, D001)]
    assert second.manifest["counts"]["reused"] >= len(unchanged) > 0
    assert second.manifest["counts"]["reused"] < len(second.views)
    # Reused vectors are the ones a fresh embedding gives.
    fresh = encoder.encode([v.text for v in second.views])
    assert np.allclose(second.view_vectors, fresh, atol=1e-5)


def test_synthetic_banks_are_deterministic_and_readable(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    paths = write_bank(first, 90, seed=7)
    write_bank(second, 90, seed=7)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in sorted(second.iterdir())]
    bank = read_corpus([first])
    assert len(bank.stories) == 90 and not bank.warnings
    assert all(s.completeness == "STAR" for s in bank.stories)


@pytest.mark.parametrize("sizes", ["80,lots", "0", ""])
def test_bad_scale_sizes_are_one_clear_line(sizes):
    from typer.testing import CliRunner

    from matcher.cli import app

    result = CliRunner().invoke(app, ["bench", "--scale", "--scale-sizes", sizes])
    assert result.exit_code == 2
    assert "--scale-sizes" in result.output and "Traceback" not in result.output


def test_vector_search_gives_the_exact_top_views_and_cosines(tmp_path):
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((6000, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[1] = vectors[0]  # copies of one story rank by row
    queries = np.vstack([vectors[0] + 0.1 * rng.standard_normal(384), rng.standard_normal((7, 384))]).astype(np.float32)
    np.save(tmp_path / "views.npy", vectors)
    search = index_store.ExactSearch(np.load(tmp_path / "views.npy", mmap_mode="r"), *index_store.quantise(vectors))
    sims, ids = search.search(queries, 1024)
    exact = queries @ vectors.T
    for q in range(len(queries)):
        assert np.allclose(sims[q], exact[q, ids[q]], atol=1e-6)  # rescored in float32
        assert list(ids[q][:100]) == list(np.argsort(-exact[q], kind="stable")[:100])
    assert list(ids[0][:2]) == [0, 1]

"""The reference vectors shipped with matcher: a new bank's first build embeds its own text only."""

from __future__ import annotations

import numpy as np
import pytest

from matcher import Catalogue
from matcher.embedding.encoder import ModelFingerprint
from matcher.embedding.models import MODELS
from matcher.index import store
from matcher.index import shipped
from matcher.index.shipped import shipped_vectors

from .conftest import one_document


def reference_keys(model: str) -> tuple[list[str], np.ndarray]:
    texts = store.shared_texts(Catalogue.load())
    return texts, store.text_keys(ModelFingerprint.of(model).sha256, texts)


@pytest.mark.parametrize("model", sorted(MODELS))
def test_every_reference_text_ships_for_every_model(model):
    # Fails after the examples, off-topic questions or background stories are edited:
    # run `python -m matcher.index.shipped` to embed them again.
    found, rows = shipped_vectors(model, reference_keys(model)[1])
    assert found.all()
    assert rows.shape == (len(found), MODELS[model].dimension)


def test_shipped_vectors_are_the_models_own(encoder):
    texts, keys = reference_keys("minilm")
    _, rows = shipped_vectors("minilm", keys)
    sample = np.random.default_rng(0).choice(len(texts), 12, replace=False)
    assert np.allclose(rows[sample], encoder.encode([texts[i] for i in sample]), atol=1e-5)


@pytest.mark.parametrize("ships", [True, False])
def test_a_first_build_embeds_only_the_banks_own_text(tmp_path, encoder, monkeypatch, ships):
    if not ships:  # a model with no shipped file: every reference text is embedded, to the same vectors
        monkeypatch.setattr(shipped, "shipped_path", lambda model: tmp_path / "none.npz")
    corpus = one_document(
        tmp_path,
        "## Moving billing to a new database\n\n"
        "**Situation:** Our billing database failed every week.\n"
        "**Action:** I rehearsed the migration twice and moved it over a weekend.\n"
        "**Result:** No downtime.\n",
    )
    totals: list[int] = []
    index = store.build([corpus], encoder, progress=lambda done, total: totals.append(total))
    texts, keys = reference_keys("minilm")
    assert totals[-1] == len(index.views) + (0 if ships else len(texts))
    monkeypatch.undo()
    _, rows = shipped_vectors("minilm", keys)
    assert np.allclose(index.example_vectors, rows[: len(index.example_vectors)], atol=1e-5)

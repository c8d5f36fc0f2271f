"""The torch-free question encoder gives sentence-transformers' vectors."""

from __future__ import annotations

import numpy as np

from matcher.embedding.onnx_encoder import OnnxEncoder
from matcher.embedding.onnx_export import export

VARIED = [
    "Why?",
    "Tell me about a time you disagreed with your manager.",
    "?!... --- ***",
    "🚀 shipped it 🎉 on Friday 😅",
    "你上次和经理意见不合是什么时候？",
    "¿Cuándo fue la última vez que fallaste en el trabajo?",
    "Die Migration in die Cloud war schwierig.",
    " ".join(["the migration to the cloud took longer than planned"] * 40),  # past 256 pieces
    "a",
    "When did you last tell your lead their estimate was wrong?",
]


def test_onnx_vectors_equal_sentence_transformers(encoder, tmp_path):
    export("minilm", tmp_path)
    fast = OnnxEncoder("minilm", tmp_path).encode(VARIED)
    reference = encoder.encode(VARIED)
    assert fast.dtype == np.float32 and fast.shape == reference.shape
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    assert float((fast * reference).sum(axis=1).min()) >= 0.9999
    # Alone or in a batch, a text gets the same vector.
    single = OnnxEncoder("minilm", tmp_path).encode([VARIED[1]])[0]
    assert float(single @ fast[1]) >= 0.9999


def test_failed_export_falls_back_once_and_is_not_retried(tmp_path, monkeypatch, no_shared_export):
    import shutil

    import matcher.embedding.onnx_export as onnx_export
    from matcher import Matcher
    from matcher.embedding.encoder import SentenceTransformerEncoder

    from .conftest import CORPUS, D003

    calls = []

    def broken(model, folder):
        calls.append(model)
        raise RuntimeError("exporter cannot handle this model")

    monkeypatch.setattr(onnx_export, "_export", broken)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / D003, corpus / D003)
    for _ in range(2):
        notes: list[str] = []
        matcher = Matcher.open([corpus], tmp_path / "index", notify=notes.append)
        assert isinstance(matcher.encoder, SentenceTransformerEncoder)
        assert any("exporter cannot handle this model" in n and "sentence-transformers" in n for n in notes)
        assert matcher.ask("Tell me about a failure at work").results
    assert calls == ["minilm"]  # the failure is remembered for this model


def test_an_export_is_made_once_and_lent_to_the_next_index_folder(encoder, tmp_path, monkeypatch, no_shared_export):
    """One real export serves every index folder; a damaged shared one is made again."""
    import shutil

    import matcher.embedding.onnx_export as onnx_export
    from matcher import Matcher
    from matcher.embedding import shared_exports
    from matcher.index import store

    from .conftest import CORPUS, D003

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / D003, corpus / D003)
    folders = [tmp_path / name for name in ("first", "second", "third")]
    for index_dir in folders:
        Matcher.open([corpus], index_dir, notify=lambda _: None, encoder=encoder)
    model = store.read_manifest(folders[0])["model"]
    made = store.make_export(folders[0], model, encoder).folder
    shared = shared_exports.shared_folder("minilm", model["sha256"])
    assert sorted(f.name for f in shared.iterdir()) == sorted(f.name for f in made.iterdir())

    calls = []

    def copy_export(model, folder):
        calls.append(model)
        for file in made.iterdir():
            shutil.copy(file, folder / file.name)

    monkeypatch.setattr(onnx_export, "_export", copy_export)
    lent = store.make_export(folders[1], model, encoder).folder
    assert calls == [] and lent is not None
    probe = encoder.encode([onnx_export.PROBE])
    assert float(OnnxEncoder("minilm", lent).encode([onnx_export.PROBE])[0] @ probe[0]) >= 0.9999

    # Damaged in the cache (written anew: its files are hard links to the folders' own).
    weights = shared / onnx_export.WEIGHTS_FILE
    size = weights.stat().st_size
    weights.unlink()
    weights.write_bytes(b"\0" * size)
    assert store.make_export(folders[2], model, encoder).folder is not None and calls == ["minilm"]
    assert (shared / onnx_export.WEIGHTS_FILE).read_bytes() == (made / onnx_export.WEIGHTS_FILE).read_bytes()

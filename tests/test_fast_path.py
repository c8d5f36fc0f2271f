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


def test_failed_export_falls_back_once_and_is_not_retried(tmp_path, monkeypatch):
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

"""The torch-free question encoder gives sentence-transformers' vectors."""

from __future__ import annotations

import numpy as np

from matcher.onnx_encoder import OnnxEncoder
from matcher.onnx_export import export

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

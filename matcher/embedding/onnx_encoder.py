"""Texts -> vectors without torch: onnxruntime, tokenizers and numpy only.

Reads the ``encoder.onnx`` and ``tokenizer.json`` that
:mod:`matcher.embedding.onnx_export` wrote beside the index. Its vectors equal
sentence-transformers' to a cosine of at least 0.9999 (a test checks short, long,
punctuation-only, emoji and non-English texts), so an index built by either is searched
with the other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from matcher.embedding.onnx_export import ONNX_FILE, TOKENIZER_FILE

BATCH_SIZE = 32


class OnnxEncoder:
    """The export of one model, loaded for encoding."""

    def __init__(self, model: str, folder: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.model = model
        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # warnings about unused initialisers are noise here
        # The export is already optimised (fused, or quantised); onnxruntime's own extended
        # optimisations would cost 0.1-0.2 s per cold question for 1 ms per encoding.
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
        # Idle onnxruntime threads otherwise spin for a while after each encoding, taking
        # the cores the vector search that follows needs (warm questions ran 3x slower).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            str(folder / ONNX_FILE), options, providers=["CPUExecutionProvider"]
        )

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Normalised float32 embeddings, one row per text; ``progress(n)`` after each batch."""
        rows = []
        for start in range(0, len(texts), BATCH_SIZE):
            batch = self._tokenizer.encode_batch(list(texts[start : start + BATCH_SIZE]))
            feed = {
                "input_ids": np.array([e.ids for e in batch], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in batch], dtype=np.int64),
            }
            rows.append(self._session.run(["embedding"], feed)[0])
            if progress:
                progress(len(batch))
        if not rows:
            return np.zeros((0, self._session.get_outputs()[0].shape[-1] or 0), dtype=np.float32)
        return np.ascontiguousarray(np.vstack(rows), dtype=np.float32)

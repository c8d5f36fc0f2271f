"""Texts -> vectors: the one interface every part of matcher embeds through.

An encoder turns a list of texts into an L2-normalised float32 matrix, one row per text,
so that a dot product is a cosine similarity. sentence-transformers is imported only when
the first text is encoded: it costs seconds, and cheap commands must stay instant.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from matcher.embedding.models import model_path, spec

# Both models read at most 256 word pieces; views are sized to stay under it.
MAX_TOKENS = 256


class Encoder(Protocol):
    """Anything that embeds texts into normalised float32 rows."""

    model: str

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray: ...


@dataclass(frozen=True)
class ModelFingerprint:
    """Identifies a model's weights: a changed file means a changed model."""

    name: str
    sha256: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, name: str) -> ModelFingerprint:
        """Hash the model's weight file (once per index build, not per question)."""
        weights = _weights_file(model_path(name))
        digest = hashlib.sha256()
        with weights.open("rb") as f:
            for block in iter(lambda: f.read(1 << 22), b""):
                digest.update(block)
        stat = weights.stat()
        return cls(name, digest.hexdigest(), stat.st_size, stat.st_mtime_ns)

    def still_matches(self) -> bool:
        """Cheap check (size and mtime) that the weights on disk are the fingerprinted ones."""
        try:
            stat = _weights_file(model_path(self.name)).stat()
        except Exception:  # noqa: BLE001 - any failure to find the model means "changed"
            return False
        return (stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns)


def quiet_transformers() -> None:
    """Offline mode, and no loading bars or notices interleaved with matcher's output."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def _weights_file(folder: Path) -> Path:
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"no weights file in {folder}")


@dataclass
class SentenceTransformerEncoder:
    """Embeds with sentence-transformers from a local model folder, never the network."""

    model: str = "minilm"
    batch_size: int = 32
    _st: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        spec(self.model)  # fail fast on an unknown model name

    def _load(self) -> Any:
        if self._st is None:
            quiet_transformers()
            from sentence_transformers import SentenceTransformer

            self._st = SentenceTransformer(str(model_path(self.model)), device="cpu")
            self._st.max_seq_length = MAX_TOKENS
        return self._st

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Normalised float32 embeddings, one row per text; ``progress(n)`` after each batch."""
        st = self._load()
        rows = []
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            rows.append(
                st.encode(batch, batch_size=self.batch_size, normalize_embeddings=True)
            )
            if progress:
                progress(len(batch))
        if not rows:
            return np.zeros((0, spec(self.model).dimension), dtype=np.float32)
        return np.ascontiguousarray(np.vstack(rows), dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        """Word pieces the model would read for ``text`` (before truncation)."""
        return len(self._load().tokenizer.tokenize(text))

"""Reference vectors shipped with matcher, so a new bank's first build embeds its own text only.

Every index holds the vectors of the same 970 reference texts: the principle example
questions, the off-topic examples, the wordings of prepared answers and the background
stories' views. Embedding them took
most of a small bank's first build (116 s of it for a six-story bank with mpnet on a
2-core machine, against seconds for the bank's own views). They depend only on the data
files and the model, so they ship as ``matcher/data/reference/<model>.npz``: each vector
under its ``view_key`` (the model's weight hash and the text), so a text whose vector is
missing (an edited example, a different model file) is simply embedded at build time.

Written by ``python -m matcher.index.shipped`` after the reference data changes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from matcher.embedding.encoder import Encoder, ModelFingerprint
from matcher.principles import Catalogue

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"


def shipped_path(model: str) -> Path:
    """Where the reference vectors of ``model`` ship."""
    return SHIPPED_DIR / f"{model}.npz"


def shipped_vectors(model: str, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of the ``view_key``s ``wanted`` have a vector shipped for ``model`` (a mask),
    and those vectors, in the order of ``wanted`` (none when no file ships for ``model``)."""
    path = shipped_path(model)
    if not path.is_file():
        return np.zeros(len(wanted), dtype=bool), np.zeros((0, 0), dtype=np.float32)
    with np.load(path) as shipped:
        keys, stored = shipped["keys"], shipped["vectors"]
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    found = keys[at] == wanted
    return found, stored[at[found]]


def write_shipped(encoder: Encoder) -> Path:
    """Embed every reference text with ``encoder`` and save them for its model."""
    from matcher.index.store import shared_texts, text_keys  # store imports this module

    texts = list(dict.fromkeys(shared_texts(Catalogue.load())))
    keys = text_keys(ModelFingerprint.of(encoder.model).sha256, texts)
    order = np.argsort(keys)
    vectors = encoder.encode(texts)
    path = shipped_path(encoder.model)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, keys=keys[order], vectors=vectors[order].astype(np.float32))
    return path


if __name__ == "__main__":
    from matcher.embedding.encoder import SentenceTransformerEncoder
    from matcher.embedding.models import MODELS

    for name in MODELS:
        print(f"wrote {write_shipped(SentenceTransformerEncoder(name))}")

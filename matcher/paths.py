"""Defaults: the corpus and index folders and the model, overridable by env.

The repo's ``corpus/`` and ``index/`` are the defaults in a checkout. Any other corpus
gets its own index folder under the user's cache directory, keyed by the corpus paths,
so that switching between corpora never rebuilds and an installed matcher never writes
beside its own code.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent
CORPUS_ENV = "MATCHER_CORPUS"
INDEX_ENV = "MATCHER_INDEX"
MODEL_ENV = "MATCHER_MODEL"
# all-mpnet-base-v2: across three corpora it ranks the right story first for 0.75 of
# the questions against MiniLM's 0.67 (cross-validated, see the README), and a cold
# question still takes under a second.
DEFAULT_MODEL = "mpnet"


def default_corpus() -> list[Path]:
    """``$MATCHER_CORPUS`` (paths separated by ``os.pathsep``), else the repo's ``corpus/``.

    Raises CorpusError when neither exists (matcher installed outside its checkout).
    """
    value = os.environ.get(CORPUS_ENV, "").strip()
    if value:
        return [Path(p).expanduser() for p in value.split(os.pathsep) if p.strip()]
    if not (_REPO / "corpus").is_dir():
        from matcher.ingest.files import CorpusError

        raise CorpusError(
            "no documents to read: pass --corpus FOLDER (or a file), "
            f"or set {CORPUS_ENV} to your prep documents' folder"
        )
    return [_REPO / "corpus"]


def default_index_dir(corpus: Sequence[Path]) -> Path:
    """``$MATCHER_INDEX``; else the repo's ``index/`` for the repo's corpus; else a folder
    for this corpus under the user's cache directory."""
    value = os.environ.get(INDEX_ENV, "").strip()
    if value:
        return Path(value).expanduser()
    resolved = [str(Path(p).expanduser().resolve()) for p in corpus]
    if resolved == [str((_REPO / "corpus").resolve())]:
        return _REPO / "index"
    key = hashlib.sha256("\n".join(resolved).encode("utf-8")).hexdigest()[:16]
    return user_cache() / "indexes" / key


def user_cache() -> Path:
    """matcher's folder under the user's cache directory (``$XDG_CACHE_HOME`` on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("matcher"))


def default_benchmarks() -> Path:
    """The repo's ``benchmarks/`` folder (labelled questions and results)."""
    return _REPO / "benchmarks"


def default_model() -> str:
    """``$MATCHER_MODEL``, else mpnet."""
    return os.environ.get(MODEL_ENV, "").strip() or DEFAULT_MODEL

"""Defaults: the corpus and index folders of this checkout and the model, overridable by env."""

from __future__ import annotations

import os
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent
CORPUS_ENV = "MATCHER_CORPUS"
INDEX_ENV = "MATCHER_INDEX"
MODEL_ENV = "MATCHER_MODEL"
# all-mpnet-base-v2: across three corpora it ranks the right story first for 0.72 of
# the questions against MiniLM's 0.67 (cross-validated, see the README), and a cold
# question still takes under a second.
DEFAULT_MODEL = "mpnet"


def default_corpus() -> list[Path]:
    """``$MATCHER_CORPUS`` (paths separated by ``os.pathsep``), else the repo's ``corpus/``."""
    value = os.environ.get(CORPUS_ENV, "").strip()
    if value:
        return [Path(p).expanduser() for p in value.split(os.pathsep) if p.strip()]
    return [_REPO / "corpus"]


def default_index_dir() -> Path:
    """``$MATCHER_INDEX``, else the repo's ``index/``."""
    value = os.environ.get(INDEX_ENV, "").strip()
    return Path(value).expanduser() if value else _REPO / "index"


def default_benchmarks() -> Path:
    """The repo's ``benchmarks/`` folder (labelled questions and results)."""
    return _REPO / "benchmarks"


def default_model() -> str:
    """``$MATCHER_MODEL``, else mpnet."""
    return os.environ.get(MODEL_ENV, "").strip() or DEFAULT_MODEL

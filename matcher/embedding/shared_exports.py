"""One ONNX export per model for the whole user, lent to every index folder.

Each index folder keeps its own copy of the export (its checksums and repair rules stay
the folder's own, see :mod:`matcher.index.store`), but making one costs 15-25 s of torch
tracing and quantisation, and every corpus gets its own index folder. So a verified
export is also kept under the user's cache directory, and the next folder's copy is
linked (or copied) from there and checked against the same probe text as a fresh one.
The cache is only a shortcut: a missing, damaged or unwritable one means exporting as
before.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np

from matcher.embedding.onnx_export import EXPORT_FORMAT, ExportError, verify
from matcher.paths import user_cache


def shared_folder(model: str, sha256: str) -> Path:
    """Where the shared export of ``model`` with these weights lives."""
    return user_cache() / "exports" / f"{model}-{sha256[:12]}-v{EXPORT_FORMAT}"


def lend(model: str, sha256: str, target: Path, probe: np.ndarray) -> bool:
    """Fill the empty folder ``target`` from the shared export and verify it against
    ``probe``; False (``target`` left empty) when there is none or it fails the check."""
    source = shared_folder(model, sha256)
    try:
        files = [f for f in source.iterdir() if f.is_file()]
        if not files:
            return False
        for file in files:
            _link_or_copy(file, target / file.name)
        verify(model, target, probe)
        return True
    except (OSError, ExportError):
        for file in target.iterdir():
            file.unlink()
        return False


def share(model: str, sha256: str, folder: Path) -> None:
    """Keep a copy of the verified export in ``folder`` for the next index folder."""
    final = shared_folder(model, sha256)
    partial = final.with_name(f".{final.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        partial.mkdir(parents=True)
        for file in folder.iterdir():
            _link_or_copy(file, partial / file.name)
        if final.exists():
            # A damaged one (lend found it wanting): replaced, never written into.
            shutil.rmtree(final)
        partial.rename(final)
    except OSError:
        pass  # another process shared it first, or the cache is not writable
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _link_or_copy(source: Path, target: Path) -> None:
    # Exports are never written in place (a repair writes a new folder), so a hard link
    # is as safe as a copy and costs no disk.
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)

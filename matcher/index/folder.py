"""What in an index folder is matcher's, and one build at a time in it.

matcher writes into an index folder only ``manifest.json``, the folders the manifest
names (the live build and the model's export) and hidden files of its own (the lock, a
ledger of the folders it made, the verification sidecar, and temporary folders while
writing). It deletes only what it made: each folder is entered in the ledger before it
is created, and once the manifest no longer names it (replaced, or left by a killed
build, or orphaned by a damaged manifest) the next build removes it, under the lock.
Temporary entries of older matchers, which kept no ledger, are recognised by matcher's
exact naming. A folder holding anything else is refused unless forced, and a
``manifest.json`` that is not matcher's is never overwritten, forced or not.

The lock is a ``filelock`` (flock) on ``.matcher.lock``: the kernel releases it when its
holder dies, so a killed build never leaves the folder locked. Its file stays, and marks
the folder as matcher's even if the manifest is later damaged.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from filelock import FileLock

MANIFEST = "manifest.json"
LOCK = ".matcher.lock"
LEDGER = ".matcher-made.json"
# Names matcher gives its folders; the random part keeps two builds of the same second and
# process id (or two racing exports) apart. Older matchers wrote them without it.
BUILD_NAME = re.compile(r"build-\d{8}-\d{6}-\d+(?:-[0-9a-f]{8})?")
EXPORT_NAME = re.compile(r"encoder-[a-z0-9]+-[0-9a-f]{12}(?:-[0-9a-f]{8})?")
_LEFTOVER = re.compile(
    rf"\.(?:{BUILD_NAME.pattern}|{EXPORT_NAME.pattern}"
    r"|manifest\.json(?:\.\d+\.[0-9a-f]{8})?|matcher-(?:verified|made)\.json\.\d+\.[0-9a-f]{8})\.tmp"
)


class FolderRefused(Exception):
    """The index folder holds files matcher did not make; the message says what to do."""


def build_name() -> str:
    """A new build folder's name."""
    return f"build-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{os.urandom(4).hex()}"


def export_name(model: str, sha256: str) -> str:
    """A new export folder's name for ``model`` with these weights."""
    return f"encoder-{model}-{sha256[:12]}-{os.urandom(4).hex()}"


def temporary(index_dir: Path, name: str) -> Path:
    """Where ``name`` is written before it is renamed into place (hidden, so never a document)."""
    return index_dir / f".{name}.tmp"


def temporary_file(path: Path) -> Path:
    """A unique hidden name beside ``path`` to write it under before ``os.replace``."""
    return path.with_name(f"{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def named_folders(manifest: Any) -> set[str]:
    """The folders a manifest says matcher made (only names of matcher's own shape)."""
    if not isinstance(manifest, dict):
        return set()
    export = manifest.get("export")
    names = {manifest.get("build"), export.get("folder") if isinstance(export, dict) else None}
    return {
        n for n in names if isinstance(n, str) and (BUILD_NAME.fullmatch(n) or EXPORT_NAME.fullmatch(n))
    }


def read_raw_manifest(index_dir: Path) -> Any:
    """The manifest's JSON whatever its format, or None if there is none or it is unreadable."""
    try:
        return json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_matcher_manifest(data: Any) -> bool:
    """True for a manifest of any matcher version."""
    return isinstance(data, dict) and "format" in data and isinstance(data.get("build"), str)


def index_entries(folder: Path, names: Iterable[str]) -> set[str]:
    """The entries among ``names`` (the contents of ``folder``) that belong to a matcher index.

    Empty unless ``folder`` is an index folder. Used when walking a corpus, so that an index
    kept inside a corpus folder (or a corpus folder used as the index folder) is never read
    as documents.
    """
    names = set(names)
    if MANIFEST not in names:
        return set()
    if LOCK not in names and not is_matcher_manifest(read_raw_manifest(folder)):
        return set()
    return {MANIFEST} | {n for n in names if BUILD_NAME.fullmatch(n) or EXPORT_NAME.fullmatch(n)}


def claim(index_dir: Path, force: bool) -> None:
    """Make sure matcher may write in ``index_dir``, creating it if needed.

    Raises FolderRefused for a folder of someone else's files (unless ``force``) or with a
    foreign ``manifest.json``; OSError if it cannot be created.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    visible = {p.name for p in index_dir.iterdir() if not p.name.startswith(".")}
    if (index_dir / LOCK).exists() or is_matcher_manifest(read_raw_manifest(index_dir)):
        return
    if MANIFEST in visible:
        raise FolderRefused(
            f"{index_dir / MANIFEST} is not matcher's and would be overwritten; "
            "choose another folder for the index (--index-dir)"
        )
    if visible and not force:
        raise FolderRefused(
            f"{index_dir} holds files matcher did not make; choose an empty or new folder for the "
            "index (--index-dir), or pass --force to keep the index beside them "
            "(matcher only ever removes what it made)"
        )


def build_lock(index_dir: Path) -> FileLock:
    """The lock one build or export at a time holds in ``index_dir`` (not yet acquired)."""
    # Imported here: filelock costs 50 ms, and a question on a fresh index never locks.
    from filelock import FileLock

    return FileLock(str(index_dir / LOCK))


def made(index_dir: Path, *names: str) -> None:
    """Enter ``names`` in the ledger before creating them; call with the lock held."""
    _write_ledger(index_dir, _read_ledger(index_dir) | set(names))


def tidy(index_dir: Path, keep: Iterable[str], replaced: Iterable[str] = ()) -> None:
    """Delete what matcher made here and no longer uses; call with the lock held.

    That is every ledger entry and ``replaced`` folder (named by an earlier manifest) not
    in ``keep``, and temporary entries of matcher's naming left by killed builds.
    """
    keep = set(keep)
    ledger = _read_ledger(index_dir)
    doomed = (ledger | set(replaced)) - keep
    doomed |= {entry.name for entry in index_dir.iterdir() if _LEFTOVER.fullmatch(entry.name)}
    for name in doomed:
        if not _OURS.fullmatch(name):
            continue  # a ledger edited by hand never makes matcher delete the user's files
        entry = index_dir / name
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    _write_ledger(index_dir, {name for name in ledger if (index_dir / name).exists()})


_OURS = re.compile(rf"{BUILD_NAME.pattern}|{EXPORT_NAME.pattern}|{_LEFTOVER.pattern}")


def _read_ledger(index_dir: Path) -> set[str]:
    try:
        names = json.loads((index_dir / LEDGER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {n for n in names if isinstance(n, str)} if isinstance(names, list) else set()


def _write_ledger(index_dir: Path, names: set[str]) -> None:
    target = index_dir / LEDGER
    tmp = temporary_file(target)
    tmp.write_text(json.dumps(sorted(names)), encoding="utf-8")
    os.replace(tmp, target)

"""Checksums of the files an index folder holds, and their cheap verification on load.

Every file of a build or export folder is recorded in the manifest with its size and
sha256 (whatever files the folder holds: the list is read from disk, not fixed here).
Loading verifies them. Hashing everything on every question would cost 0.3 s for mpnet's
265 MB export alone, so files up to ``ALWAYS_HASHED`` bytes are hashed every time and
larger ones once per change: a sidecar remembers each large file's (size, mtime, ctime,
inode) when it last hashed right. Any write to a file moves its ctime, which no program
can set back, so damage made through the file system is always caught; only damage
below it (bit rot on the disk) waits until the file is next rewritten or copied. A
read-only index folder (shared, or on read-only media) keeps its sidecar in the user's
cache instead, keyed by the folder's path, so it too hashes its large files once.
sha256 rather than blake2b: with the CPU's SHA extensions it runs at ~0.9 GB/s here,
twice blake2b.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

ALWAYS_HASHED = 1 << 20
CACHE_FILE = ".matcher-verified.json"


def record(root: Path, folder: str) -> dict[str, dict[str, Any]]:
    """Checksums of every file under ``root/folder``, by path relative to it.

    The files were just written by this process, so they are also remembered as verified.
    """
    found = {}
    cache = _read_cache(root)
    base = root / folder
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        relative = path.relative_to(base).as_posix()
        digest = _sha256(path)
        found[relative] = {"size": path.stat().st_size, "sha256": digest}
        cache[f"{folder}/{relative}"] = _stamp(path.stat(), digest)
    _write_cache(root, cache)
    return found


def damaged(root: Path, folder: str, expected: Any) -> str | None:
    """What is wrong with the files of ``root/folder`` ("views.npy damaged"), or None.

    ``expected`` is what :func:`record` returned; anything else (absent, malformed) means
    the folder cannot be trusted.
    """
    if not isinstance(expected, dict) or not expected:
        return "no checksums recorded"
    cache = _read_cache(root)
    remembered = False
    for relative, want in sorted(expected.items()):
        path = root / folder / relative
        try:
            size, digest = int(want["size"]), str(want["sha256"])
        except (TypeError, KeyError, ValueError):
            return "checksums malformed"
        try:
            stat = path.stat()
        except OSError:
            return f"{relative} missing"
        if stat.st_size != size:
            return f"{relative} damaged"
        key = f"{folder}/{relative}"
        if stat.st_size > ALWAYS_HASHED and cache.get(key) == _stamp(stat, digest):
            continue
        try:
            if _sha256(path) != digest:
                return f"{relative} damaged"
        except OSError:
            return f"{relative} unreadable"
        if stat.st_size > ALWAYS_HASHED:
            cache[key] = _stamp(stat, digest)
            remembered = True
    if remembered:
        _write_cache(root, cache)
    return None


def forget(root: Path) -> None:
    """Drop the sidecars so that the next load hashes every file again."""
    for sidecar in _sidecars(root):
        with contextlib.suppress(OSError):
            sidecar.unlink()


def _stamp(stat: os.stat_result, digest: str) -> list[Any]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, digest]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def _sidecars(root: Path) -> tuple[Path, Path]:
    """The sidecar in the index folder, and the one in the user's cache for when the
    folder cannot be written."""
    from matcher.paths import user_cache

    key = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
    return root / CACHE_FILE, user_cache() / "verified" / f"{key}.json"


def _read_cache(root: Path) -> dict[str, Any]:
    # The user's cache holds an entry only while the folder could not be written: a
    # successful write to the folder removes it. So its entries are the newer ones.
    merged: dict[str, Any] = {}
    for sidecar in _sidecars(root):
        try:
            cache = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(cache, dict):
            merged.update(cache)
    return merged


def _write_cache(root: Path, cache: dict[str, Any]) -> None:
    # Entries of folders that are gone (replaced builds and exports) are dropped. The
    # sidecar only saves time: if neither place can be written, large files are hashed
    # on each load.
    live = {key: value for key, value in cache.items() if (root / key.split("/")[0]).is_dir()}
    in_folder, in_user_cache = _sidecars(root)
    if _replace(in_folder, json.dumps(live)):
        with contextlib.suppress(OSError):
            in_user_cache.unlink()
    else:
        with contextlib.suppress(OSError):
            in_user_cache.parent.mkdir(parents=True, exist_ok=True)
        _replace(in_user_cache, json.dumps(live))


def _replace(path: Path, text: str) -> bool:
    """Write ``path`` whole (through a temporary file), or return False."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False
    return True

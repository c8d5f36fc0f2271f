"""Record lists on disk that open without parsing: JSON lines plus an offsets array.

Opening one maps the file and its offsets; a record is decoded the first time it is
read. A question shows three stories and their passages, so a cold ``matcher ask``
decodes a handful of records whatever the size of the bank, where one JSON document
would be parsed whole (seconds for 40,000 stories).
"""

from __future__ import annotations

import json
import mmap
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

import numpy as np

T = TypeVar("T")


def offsets_path(path: Path) -> Path:
    """Where the offsets of the record file ``path`` are stored."""
    return path.with_name(path.name + ".offsets.npy")


def write_records(path: Path, records: Iterable[Any]) -> None:
    """Write JSON-ready ``records`` one per line, and their offsets."""
    offsets = [0]
    with path.open("wb") as out:
        for record in records:
            line = json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
            out.write(line)
            offsets.append(offsets[-1] + len(line))
    np.save(offsets_path(path), np.asarray(offsets, dtype=np.int64))


class Records(Sequence[T], Generic[T]):
    """The records of a file written by :func:`write_records`, decoded on first read."""

    def __init__(self, path: Path, decode: Callable[[Any], T]) -> None:
        self._offsets = np.load(offsets_path(path), mmap_mode="r")
        with path.open("rb") as f:
            size = f.seek(0, 2)
            if len(self._offsets) < 1 or int(self._offsets[-1]) != size:
                raise ValueError(f"{path.name}: offsets do not match the file")
            # An empty file cannot be mapped; it holds no record either.
            self._data: bytes | mmap.mmap = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        self._decode = decode
        self._cache: dict[int, T] = {}

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = int(i)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("record index out of range")
        if i not in self._cache:
            start, end = int(self._offsets[i]), int(self._offsets[i + 1])
            self._cache[i] = self._decode(json.loads(self._data[start:end]))
        return self._cache[i]

    def __iter__(self) -> Iterator[T]:
        return (self[i] for i in range(len(self)))

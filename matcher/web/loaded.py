"""Question lists loaded on the practice page, kept in the server's memory under a key."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

# A candidate loads a handful of lists in a week; older ones are dropped so memory stays
# bounded however often a list is loaded.
KEEP = 20


class LoadedLists:
    """The last ``KEEP`` lists loaded, each under a key made from its questions.

    The page's links carry the key, never the list (a list is too long for a URL); a key
    is only looked up here, never used as a file name.
    """

    def __init__(self) -> None:
        self._lists: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, questions: list[str]) -> str:
        """Keep ``questions`` and return their key (the same list always gets the same key)."""
        key = hashlib.sha256("\n".join(questions).encode("utf-8")).hexdigest()[:16]
        with self._lock:
            self._lists[key] = tuple(questions)
            self._lists.move_to_end(key)
            while len(self._lists) > KEEP:
                self._lists.popitem(last=False)
        return key

    def get(self, key: str) -> tuple[str, ...] | None:
        """The list loaded under ``key``, None if it never was or has been dropped."""
        with self._lock:
            return self._lists.get(key)

"""The matcher a server answers with, reopened when the documents change."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from matcher.index import store as index_store
from matcher.ingest import CorpusError
from matcher.search.matching import Matcher

# Hashing a few documents takes well under a millisecond, but a question list on the
# coverage page fires many requests; one check per interval is plenty for edits by hand.
CHECK_EVERY = 2.0


@dataclass(frozen=True)
class Status:
    """What the page says about the index: its size, model and the last reload."""

    model: str
    stories: int
    planned: int
    loaded_at: str
    reloaded: str | None  # why the index was last reloaded, None if never
    problem: str | None  # why a reload failed; the previous index is still served

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return dict(self.__dict__)


class LiveMatcher:
    """Hands out the current matcher, reopening it (under a lock) when its index is stale.

    Without ``corpus`` and ``index_dir`` it never reloads (a matcher built in memory).
    """

    def __init__(
        self, matcher: Matcher, corpus: Sequence[Path] | None = None, index_dir: Path | None = None
    ) -> None:
        self._matcher = matcher
        self.corpus = list(corpus) if corpus else None
        self.index_dir = index_dir
        self._lock = threading.Lock()
        self._checked = time.monotonic()
        self._loaded_at = datetime.now().strftime("%H:%M:%S")
        self._reloaded: str | None = None
        self._problem: str | None = None

    def get(self) -> Matcher:
        """The matcher to answer with, fresh to within ``CHECK_EVERY`` seconds."""
        if self.corpus is None or self.index_dir is None:
            return self._matcher
        if time.monotonic() - self._checked < CHECK_EVERY:
            return self._matcher
        with self._lock:
            if time.monotonic() - self._checked >= CHECK_EVERY:
                self._refresh()
                self._checked = time.monotonic()
        return self._matcher

    def _refresh(self) -> None:
        model = self._matcher.index.model
        try:
            reason = index_store.staleness(self._matcher.index.manifest, self.corpus, model)
            if reason is None:
                return
            self._matcher = Matcher.open(self.corpus, self.index_dir, model, notify=lambda _: None)
        except (CorpusError, OSError) as exc:
            self._problem = f"documents could not be reloaded: {exc}"
            return
        self._reloaded, self._problem = reason, None
        self._loaded_at = datetime.now().strftime("%H:%M:%S")

    def status(self) -> Status:
        """The index now served and its last reload."""
        index = self.get().index
        return Status(
            index.model, len(index.bank.stories), len(index.bank.planned), self._loaded_at,
            self._reloaded, self._problem,
        )

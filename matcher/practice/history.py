"""Practice history: every graded round in a small SQLite file in the user's data folder.

The file lives outside the repository (``platformdirs``' user data folder, or
``$MATCHER_DATA``), so practising never touches the candidate's documents or checkout.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from matcher.practice.rounds import Round

DATA_ENV = "MATCHER_DATA"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS rounds (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    question TEXT NOT NULL,
    origin TEXT NOT NULL,
    principle TEXT,
    picked_principles TEXT NOT NULL,
    picked_story TEXT,
    verdict TEXT NOT NULL,
    principle_hit INTEGER NOT NULL,
    story_hit INTEGER NOT NULL
)
"""


def default_history_path() -> Path:
    """``$MATCHER_DATA/practice.sqlite3``, else the same file in the user data folder."""
    folder = os.environ.get(DATA_ENV, "").strip()
    if folder:
        return Path(folder).expanduser() / "practice.sqlite3"
    from platformdirs import user_data_path

    return user_data_path("matcher", appauthor=False) / "practice.sqlite3"


class HistoryUnavailable(Exception):
    """The history file cannot be created, opened or read; the message names it."""


@dataclass(frozen=True)
class PrincipleRecord:
    """How practice on one principle has gone so far."""

    name: str
    rounds: int
    principle_hits: int
    story_hits: int
    last: str | None  # ISO time of the latest round

    @property
    def rate(self) -> float:
        """Share of rounds where both the principle and the story were right."""
        return (self.principle_hits + self.story_hits) / (2 * self.rounds) if self.rounds else 0.0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "name": self.name,
            "rounds": self.rounds,
            "principle_hits": self.principle_hits,
            "story_hits": self.story_hits,
            "rate": round(self.rate, 3),
            "last": self.last,
        }


class History:
    """The rounds played, read and appended through one SQLite connection per call."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_history_path()

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path)
            connection.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise HistoryUnavailable(f"cannot use the practice history at {self.path}: {exc}") from exc
        return connection

    def record(self, played: Round) -> None:
        """Append one graded round."""
        with self._connect() as db:
            db.execute(
                "INSERT INTO rounds (at, question, origin, principle, picked_principles, picked_story,"
                " verdict, principle_hit, story_hit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    played.draw.question,
                    played.draw.origin,
                    played.expected,
                    "; ".join(played.picked_principles),
                    played.picked_story,
                    played.answer.verdict,
                    int(played.principle_hit),
                    int(played.story_hit),
                ),
            )
        db.close()

    def by_principle(self) -> list[PrincipleRecord]:
        """Per principle graded on, weakest first (creates the history file if there is none)."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT principle, COUNT(*), SUM(principle_hit), SUM(story_hit), MAX(at) FROM rounds"
                " WHERE principle IS NOT NULL GROUP BY principle"
            ).fetchall()
        db.close()
        records = [PrincipleRecord(*row) for row in rows]
        return sorted(records, key=lambda r: (r.rate, -r.rounds, r.name))

    def recent(self, n: int = 10) -> dict[str, list[tuple[str, int]]]:
        """Per principle graded on, its last ``n`` rounds oldest first: (time, how many of
        principle and story were right, 0-2)."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT principle, at, principle_hit + story_hit FROM rounds WHERE principle IS NOT NULL ORDER BY id"
            ).fetchall()
        db.close()
        rounds: dict[str, list[tuple[str, int]]] = {}
        for name, at, score in rows:
            rounds.setdefault(name, []).append((at, score))
        return {name: played[-n:] for name, played in rounds.items()}

    def to_practise(self, names: tuple[str, ...], n: int = 3) -> list[str]:
        """The ``n`` principles of ``names`` to practise next: never practised first, then weakest."""
        seen = {r.name: r for r in self.by_principle()}
        never = [name for name in names if name not in seen]
        weakest = [r.name for r in seen.values() if r.name in names and r.rate < 1.0]
        return (never + weakest)[:n]

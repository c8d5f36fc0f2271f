"""Labelled question sets (JSON Lines) for tuning and benchmarking.

One object per line (schema in ``benchmarks/README.md``)::

    {"question": "...", "stories": ["<story id>" | {"file": "...", "title": "..."}],
     "principles": ["Ownership"], "kind": "unseen", "planned": [{"file", "title"}]}

Stories are matched by id or by (file, heading title), titles compared without case,
punctuation or spacing differences, so a user can label their own questions by heading.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from matcher.principles import Catalogue, normalise
from matcher.stories import StoryBank

KINDS = ("paraphrase", "unseen", "unanswerable", "off_topic")


class QuestionFileError(ValueError):
    """A labelled file that cannot be used; the message names the line."""


@dataclass(frozen=True)
class LabelledQuestion:
    """A question with the stories and principles that would be right answers."""

    question: str
    stories: frozenset[str]  # acceptable story ids; empty when no prepared story fits
    principles: frozenset[str]
    kind: str
    line: int
    planned: frozenset[int] = frozenset()  # positions in StoryBank.planned it matches

    @property
    def answerable(self) -> bool:
        """True when some prepared story fits."""
        return bool(self.stories)

    @property
    def behavioural(self) -> bool:
        """False for coding, system design, small talk and gibberish."""
        return self.kind != "off_topic"


def load_questions(path: Path, bank: StoryBank, catalogue: Catalogue) -> list[LabelledQuestion]:
    """Read a labelled JSONL file, resolving story references against ``bank``."""
    by_id = {s.id: s for s in bank.stories}
    by_title = {(s.source.file, normalise(s.title)): s.id for s in bank.stories}
    planned_at = {(p.source.file, normalise(p.title)): i for i, p in enumerate(bank.planned)}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionFileError(f"{path}: cannot read ({exc})") from None
    questions = []
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        where = f"{path.name}:{n}"
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise QuestionFileError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise QuestionFileError(f"{where}: each line must be a JSON object")
        missing = {"question", "stories", "principles", "kind"} - set(row)
        if missing:
            raise QuestionFileError(f"{where}: missing key(s) {', '.join(sorted(missing))}")
        if not isinstance(row["question"], str) or not row["question"].strip():
            raise QuestionFileError(f"{where}: question must be a non-empty string")
        if row["kind"] not in KINDS:
            raise QuestionFileError(f"{where}: kind must be one of {', '.join(KINDS)}")
        ids = set()
        for ref in row["stories"]:
            if isinstance(ref, str):
                if ref not in by_id:
                    raise QuestionFileError(f"{where}: unknown story id {ref!r}")
                ids.add(ref)
            else:
                key = (ref.get("file", ""), normalise(ref.get("title", "")))
                if key not in by_title:
                    raise QuestionFileError(
                        f"{where}: no story titled {ref.get('title')!r} in {ref.get('file')!r}"
                    )
                ids.add(by_title[key])
        principles = set()
        for name in row["principles"]:
            canonical = catalogue.resolve(name)
            if canonical is None:
                raise QuestionFileError(f"{where}: unknown principle {name!r}")
            principles.add(canonical)
        planned = set()
        for ref in row.get("planned", []):
            key = (ref.get("file", ""), normalise(ref.get("title", "")))
            if key not in planned_at:
                raise QuestionFileError(
                    f"{where}: no planned question {ref.get('title')!r} in {ref.get('file')!r}"
                )
            planned.add(planned_at[key])
        questions.append(
            LabelledQuestion(
                row["question"],
                frozenset(ids),
                frozenset(principles),
                row["kind"],
                n,
                frozenset(planned),
            )
        )
    return questions

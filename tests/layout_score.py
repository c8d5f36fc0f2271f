"""Scoring the parser against hand-written truth files (``tests/data/layout_truth/``).

Run as ``.venv/bin/python -m tests.layout_score [layouts] [truth]`` to print the table
per document; ``tests/test_layouts.py`` asserts on the same figures.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from matcher import read_corpus
from matcher.principles import normalise
from matcher.stories import StoryBank

DATA = Path(__file__).parent / "data"


@dataclass
class DocumentScore:
    """How the parse of one document compares with its truth file."""

    file: str
    expected: int = 0
    found: int = 0  # expected stories parsed at the right line
    correct: int = 0  # …and with the right title, principles and sections
    extra: int = 0  # parsed stories the truth does not have
    planned_expected: int = 0
    planned_found: int = 0
    empty_sections_ok: bool = True
    problems: list[str] = field(default_factory=list)


def score(layouts: Path, truth: Path) -> list[DocumentScore]:
    """One score per truth file, reading the whole ``layouts`` folder as a corpus."""
    bank = read_corpus([layouts])
    return [_score_file(json.loads(p.read_text(encoding="utf-8")), bank) for p in sorted(truth.rglob("*.json"))]


def _title_ok(expected: dict, title: str) -> bool:
    if "title" in expected:
        return normalise(expected["title"]) == normalise(title)
    return all(normalise(word) in normalise(title) for word in expected["title_contains"])


def _score_file(truth: dict, bank: StoryBank) -> DocumentScore:
    name = truth["file"]
    result = DocumentScore(name, expected=len(truth["stories"]), planned_expected=len(truth["planned"]))
    parsed = {s.source.line: s for s in bank.stories if s.source.file == name}
    for expected in truth["stories"]:
        story = parsed.pop(expected["line"], None)
        where = f"{name}:{expected['line']}"
        if story is None:
            result.problems.append(f"{where}: missing ({expected.get('title') or expected['title_contains']})")
            continue
        result.found += 1
        wrong = []
        if not _title_ok(expected, story.title):
            wrong.append(f"title {story.title!r}")
        if set(story.principles) != set(expected["principles"]):
            wrong.append(f"principles {list(story.principles)} != {expected['principles']}")
        if [s.label for s in story.sections] != expected["sections"]:
            wrong.append(f"sections {[s.label for s in story.sections]} != {expected['sections']}")
        if wrong:
            result.problems.append(f"{where}: " + "; ".join(wrong))
        else:
            result.correct += 1
    for line, story in sorted(parsed.items()):
        result.extra += 1
        result.problems.append(f"{name}:{line}: extra story {story.title!r}")
    planned = {p.source.line for p in bank.planned if p.source.file == name}
    for expected in truth["planned"]:
        if expected["line"] in planned:
            result.planned_found += 1
        else:
            result.problems.append(f"{name}:{expected['line']}: planned question missing ({expected['title']})")
    empty = {s.principle for s in bank.sections if s.source.file == name and s.stories == 0}
    if empty != set(truth.get("principles_without_story", [])):
        result.empty_sections_ok = False
        result.problems.append(f"{name}: principles without story {sorted(empty)} != {truth.get('principles_without_story')}")
    return result


def summary(scores: list[DocumentScore]) -> dict[str, float]:
    """Totals: recall of stories, fully correct stories, precision, planned recall."""
    expected = sum(s.expected for s in scores)
    found = sum(s.found for s in scores)
    parsed = found + sum(s.extra for s in scores)
    planned = sum(s.planned_expected for s in scores)
    return {
        "stories expected": expected,
        "found": found / expected,
        "correct": sum(s.correct for s in scores) / expected,
        "precision": found / parsed if parsed else 1.0,
        "planned found": sum(s.planned_found for s in scores) / planned if planned else 1.0,
        "empty principle sections right": sum(s.empty_sections_ok for s in scores) / len(scores),
    }


def main(argv: list[str]) -> None:
    layouts = Path(argv[0]) if argv else DATA / "layouts"
    truth = Path(argv[1]) if len(argv) > 1 else DATA / "layout_truth"
    scores = score(layouts, truth)
    print(f"{'document':40} {'expected':>8} {'found':>6} {'correct':>8} {'extra':>6} {'planned':>8}")
    for s in scores:
        print(f"{s.file:40} {s.expected:>8} {s.found:>6} {s.correct:>8} {s.extra:>6} "
              f"{s.planned_found:>4}/{s.planned_expected:<3}")
    for key, value in summary(scores).items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    for s in scores:
        for problem in s.problems:
            print("  " + problem)


if __name__ == "__main__":
    main(sys.argv[1:])

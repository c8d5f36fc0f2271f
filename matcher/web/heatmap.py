"""The principle × story matrix as heat levels for the coverage picture."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from matcher.report.coverage import PrincipleCoverage
from matcher.results import Answer
from matcher.stories import Story, StoryBank

# A story told for this many principles, or as the answer to this many questions of one
# list, is one an interviewer is likely to hear twice.
OVERUSED_PRINCIPLES = 4
OVERUSED_QUESTIONS = 3


@dataclass(frozen=True)
class HeatRow:
    """One story: its heat level per principle (0 none, 1 tagged, 2+ tagged and asked) and a warning."""

    story: Story
    levels: tuple[int, ...]
    overused: str  # "" or why the story is leaned on too much


@dataclass(frozen=True)
class Heatmap:
    principles: tuple[str, ...]
    empty: frozenset[str]  # principles without any story
    rows: tuple[HeatRow, ...]
    questions: int  # questions of the list behind the heat (0: tags only)


def heatmap(bank: StoryBank, coverage: list[PrincipleCoverage], answers: list[Answer] | None = None) -> Heatmap:
    """Stories × principles: tags, plus how often a list's questions land on each pair."""
    names = tuple(r.name for r in coverage)
    asked: Counter[tuple[str, str]] = Counter()
    used: Counter[str] = Counter()
    for a in answers or []:
        if a.match and a.principles:
            asked[a.results[0].story.group, a.principles[0].name] += 1
            used[a.results[0].story.group] += 1
    rows = []
    for group in bank.groups().values():
        story = group[0]
        levels = tuple(
            (1 if name in story.principles else 0) + min(asked[story.group, name], 3) for name in names
        )
        if used[story.group] >= OVERUSED_QUESTIONS:
            why = f"the answer to {used[story.group]} questions of the list"
        elif len(story.principles) >= OVERUSED_PRINCIPLES:
            why = f"tagged with {len(story.principles)} principles"
        else:
            why = ""
        rows.append(HeatRow(story, levels, why))
    empty = frozenset(r.name for r in coverage if not r.stories)
    return Heatmap(names, empty, tuple(rows), len(answers or []))

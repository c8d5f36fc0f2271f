"""Renderers: records -> rich tables for people, plain dicts for ``--json``.

Nothing here computes anything; it only shows what the library returned.
"""

from __future__ import annotations

from collections import Counter
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from matcher.principles import Catalogue
from matcher.stories import Story, StoryBank


def stories_table(bank: StoryBank) -> Group:
    """Every story, then the planned-but-unwritten questions."""
    groups = bank.groups()
    table = Table(title=f"{len(bank.stories)} stories", title_justify="left", expand=True)
    table.add_column("id", overflow="fold", ratio=3)
    table.add_column("title", ratio=4)
    table.add_column("principles", ratio=3)
    table.add_column("source", no_wrap=True)
    table.add_column("STAR", no_wrap=True)
    table.add_column("also at", no_wrap=True)
    for story in bank.stories:
        twin = [str(s.source) for s in groups[story.group] if s.id != story.id]
        table.add_row(
            story.id,
            story.title,
            ", ".join(story.principles),
            str(story.source),
            story.completeness,
            ", ".join(twin),
        )
    planned = Table(
        title=f"{len(bank.planned)} planned questions without an answer",
        title_justify="left",
        expand=True,
    )
    planned.add_column("question", ratio=5)
    planned.add_column("principles", ratio=3)
    planned.add_column("source", no_wrap=True)
    planned.add_column("why", no_wrap=True)
    for p in bank.planned:
        planned.add_row(p.title, ", ".join(p.principles), str(p.source), p.reason)
    return Group(table, Text(), planned)


def story_panel(story: Story, bank: StoryBank) -> Panel:
    """One story with its sections labelled."""
    twins = [s for s in bank.groups()[story.group] if s.id != story.id]
    head = Text()
    head.append("principles: ", style="bold")
    head.append(", ".join(story.principles) or "none tagged")
    head.append("\nsource: ", style="bold")
    head.append(str(story.source))
    head.append(f"   STAR: {story.completeness}")
    for twin in twins:
        head.append("\nalso written at: ", style="bold")
        head.append(f"{twin.source} ({twin.id})")
    body: list[Text] = [head]
    for section in story.sections:
        body.append(Text(f"\n{section.label}", style="bold cyan"))
        body.append(Text(section.text))
    return Panel(Group(*body), title=f"[bold]{story.title}[/]", subtitle=story.id)


def principle_counts(catalogue: Catalogue, bank: StoryBank) -> dict[str, tuple[int, int]]:
    """Per principle: (stories counting duplicates once, planned questions)."""
    stories = Counter(
        name for group in bank.groups().values() for name in set(group[0].principles)
    )
    planned = Counter(name for p in bank.planned for name in set(p.principles))
    names = list(catalogue.names) + sorted(
        (set(stories) | set(planned)) - set(catalogue.names)
    )
    return {name: (stories[name], planned[name]) for name in names}


def principles_table(catalogue: Catalogue, bank: StoryBank) -> Table:
    """The catalogue with how many stories and planned questions each principle has."""
    table = Table(title=catalogue.name, title_justify="left", expand=True)
    table.add_column("principle", ratio=1, min_width=18)
    table.add_column("stories", justify="right")
    table.add_column("planned", justify="right")
    table.add_column("definition", ratio=2)
    for name, (stories, planned) in principle_counts(catalogue, bank).items():
        known = name in catalogue.names
        definition = catalogue.get(name).definition if known else "not in the catalogue"
        style = None if known else "yellow"
        table.add_row(
            name,
            str(stories) if stories else "[red]0[/]",
            str(planned),
            definition,
            style=style,
        )
    return table

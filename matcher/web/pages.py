"""The HTML pages: server-rendered forms over the same library calls as the API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from matcher.ingest import CorpusError, document_lines
from matcher.practice import Deck, History, Round, grade, question_pool
from matcher.question_lists import QuestionListError, read_question_list
from matcher.report import outputs
from matcher.report.planning import plan as make_plan
from matcher.search.matching import MAX_QUESTION_CHARS, Matcher, QuestionError
from matcher.web.api import CurrentMatcher, coverage_rows, history, live
from matcher.web.heatmap import heatmap
from matcher.web.limits import MAX_QUESTIONS, same_origin
from matcher.web.passages import marked_sections

router = APIRouter(default_response_class=HTMLResponse)
LIST_FORMATS = {".csv": "csv", ".md": "markdown", ".markdown": "markdown"}


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render template ``name`` with the index status every page shows."""
    return request.app.state.templates.TemplateResponse(
        request, name, {"status": live(request).status(), "page": name.removesuffix(".html"), **context},
        status_code=status,
    )


def pasted_questions(text: str, upload: bytes = b"", filename: str = "") -> list[str]:
    """Questions from a pasted list or an uploaded file (its name only picks the format)."""
    data = upload or text.encode("utf-8")
    fmt = next((f for suffix, f in LIST_FORMATS.items() if filename.casefold().endswith(suffix)), None)
    questions = read_question_list(None, data, fmt=fmt).questions
    if len(questions) > MAX_QUESTIONS:
        raise QuestionListError(f"{len(questions)} questions; paste at most {MAX_QUESTIONS} at once")
    return questions


async def uploaded(upload: UploadFile | None) -> tuple[bytes, str]:
    """An uploaded file's bytes and name; empty when the form sent no file."""
    if upload is None:
        return b"", ""
    return await upload.read(), upload.filename or ""


@router.get("/")
def ask_page(request: Request, matcher: CurrentMatcher, q: str = "") -> HTMLResponse:
    """Ask: the principles a question tests, the stories that fit, the best one in full."""
    if not q.strip():
        return page(request, "ask.html", question="", answer=None)
    try:
        answer = matcher.ask(q, k=3)
    except QuestionError as exc:
        return page(request, "ask.html", 422, question=q[:MAX_QUESTION_CHARS], answer=None, error=str(exc))
    best = answer.results[0] if answer.results else None
    return page(
        request, "ask.html", question=answer.question, answer=answer,
        sections=marked_sections(best.story, best) if best else [],
    )


@router.get("/stories")
def stories_page(
    request: Request, matcher: CurrentMatcher, principle: str = "", q: str = "", story: str = ""
) -> HTMLResponse:
    """The story bank, filtered by principle and words, one story open in full."""
    bank = matcher.index.bank
    words = q.casefold().split()
    shown = [
        s for s in (g[0] for g in bank.groups().values())
        if (not principle or principle in s.principles)
        and all(w in f"{s.title}\n{s.text}".casefold() for w in words)
    ]
    opened = next((s for s in bank.stories if s.id == story), None)
    return page(
        request, "stories.html", stories=shown, principle=principle, q=q, opened=opened,
        sections=marked_sections(opened, None) if opened else [],
        names=list(dict.fromkeys([*matcher.catalogue.names, *(p for s in bank.stories for p in s.principles)])),
        planned=bank.planned,
    )


@router.get("/source")
def source_page(request: Request, matcher: CurrentMatcher, file: str, line: int = 1) -> HTMLResponse:
    """A document of the corpus as text, its lines numbered, the line a source names marked."""
    corpus = [Path(p) for p in matcher.index.manifest.get("corpus", [])]
    try:
        lines = document_lines(corpus, file)  # ``file`` is looked up among the corpus's names only
    except CorpusError as exc:
        return page(request, "source.html", 404, file=file, line=line, lines=[], error=str(exc))
    return page(request, "source.html", file=file, line=line, lines=lines)


def coverage_context(matcher: Matcher, questions: list[str] | None) -> dict[str, Any]:
    """What the coverage page and its downloads show, for the bank and an optional list."""
    found = matcher.ask_many(questions) if questions else None
    rows, advice = coverage_rows(matcher, found)
    return {
        "heat": heatmap(matcher.tagged_bank, rows, found),
        "rows": rows,
        "advice": advice,
        "answers": found,
        "inferred": matcher.principles_inferred,
    }


@router.get("/coverage")
def coverage_page(request: Request, matcher: CurrentMatcher) -> HTMLResponse:
    """Coverage: the principle × story picture, the gaps, and what to write next."""
    return page(request, "coverage.html", text="", **coverage_context(matcher, None))


@router.post("/coverage")
async def coverage_with_list(
    request: Request,
    matcher: CurrentMatcher,
    text: Annotated[str, Form()] = "",
    upload: Annotated[UploadFile | None, File()] = None,
    download: Annotated[str, Form()] = "",
) -> Response:
    """Coverage against a pasted or uploaded question list, shown or downloaded."""
    data, filename = await uploaded(upload)
    try:
        questions = pasted_questions(text, data, filename) if (text.strip() or data) else None
        context = coverage_context(matcher, questions)
    except (QuestionListError, QuestionError) as exc:
        return page(request, "coverage.html", 422, text=text, error=str(exc), **coverage_context(matcher, None))
    if download:
        return coverage_download(matcher, download, context)
    return page(request, "coverage.html", text=text, **context)


@router.get("/coverage/download")
def coverage_file(matcher: CurrentMatcher, format: str = "csv") -> Response:
    """The coverage file ``matcher coverage --out`` writes (csv, json or md)."""
    return coverage_download(matcher, format, coverage_context(matcher, None))


def coverage_download(matcher: Matcher, fmt: str, context: dict[str, Any]) -> Response:
    if fmt not in outputs.FORMATS:
        raise HTTPException(422, f"format must be one of {', '.join(outputs.FORMATS)}")
    body = outputs.coverage_text(
        fmt, matcher.tagged_bank, context["rows"], context["advice"], matcher.catalogue,
        inferred=matcher.principles_inferred,
    )
    media = {"csv": "text/csv", "json": "application/json", "md": "text/markdown"}[fmt]
    return Response(
        body, media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="coverage.{fmt}"'},
    )


@router.get("/plan")
def plan_page(request: Request) -> HTMLResponse:
    """Plan: one different story per question of one interview loop."""
    return page(request, "plan.html", text="", assignments=None)


@router.post("/plan")
def plan_of_loop(request: Request, matcher: CurrentMatcher, text: Annotated[str, Form()] = "") -> HTMLResponse:
    """The assignment for the pasted loop, with second choices and weak fits."""
    try:
        assignments = make_plan(matcher, pasted_questions(text))
    except (QuestionListError, QuestionError) as exc:
        return page(request, "plan.html", 422, text=text, assignments=None, error=str(exc))
    total = sum(a.score for a in assignments if a.story)
    return page(request, "plan.html", text=text, assignments=assignments, total=total)


def practice_deck(matcher: Matcher, seed: int, principle: str, listed: tuple[str, ...] | None) -> Deck:
    """The session's deck: the loaded list if any, else catalogue examples and planned
    questions, for one principle or all."""
    if listed:
        return Deck(question_pool(matcher.catalogue, matcher.index.bank, ("list",), listed), seed)
    pool = question_pool(matcher.catalogue, matcher.index.bank, principle=principle or None)
    return Deck(pool or question_pool(matcher.catalogue, matcher.index.bank), seed)


def practice_view(
    request: Request, matcher: Matcher, kept: History, seed: int, round: int, principle: str, key: str,
    status: int = 200, played: Round | None = None, **context: Any,
) -> HTMLResponse:
    """The practice page for question ``round`` of the session, drawn from the list under
    ``key`` if one is loaded; a key no longer loaded falls back to the example questions."""
    listed = request.app.state.lists.get(key) if key else None
    if key and listed is None:
        key, status = "", 404
        context["error"] = "that question list is no longer loaded (the server restarted?); load it again"
    return page(
        request, "practice.html", status, seed=seed, round=round, principle="" if listed else principle, key=key,
        listed=len(listed) if listed else 0, drawn=practice_deck(matcher, seed, principle, listed).draw(round),
        names=matcher.catalogue.names, stories=[g[0] for g in matcher.index.bank.groups().values()],
        records=kept.by_principle(), recent=kept.recent(), next_up=kept.to_practise(matcher.catalogue.names),
        played=played, **context,
    )


@router.get("/practice")
def practice_page(
    request: Request, matcher: CurrentMatcher, kept: Annotated[History, Depends(history)],
    seed: int = 1, round: int = 0, principle: str = "", key: Annotated[str, Query(alias="list")] = "",
) -> HTMLResponse:
    """Practice: a question to place, the principles and stories to pick from, the record so far."""
    return practice_view(request, matcher, kept, seed, round, principle, key)


@router.post("/practice/list", dependencies=[Depends(same_origin)])
async def practice_list(
    request: Request,
    matcher: CurrentMatcher,
    kept: Annotated[History, Depends(history)],
    seed: Annotated[int, Form()] = 1,
    text: Annotated[str, Form()] = "",
    upload: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Load a pasted or uploaded question list (as the coverage page reads one) and practise on it."""
    try:
        questions = pasted_questions(text, *await uploaded(upload))
    except QuestionListError as exc:
        return practice_view(request, matcher, kept, seed, 0, "", "", 422, error=str(exc), text=text)
    key = request.app.state.lists.add(questions)
    return RedirectResponse(f"/practice?seed={seed}&list={key}", status_code=303)


@router.post("/practice", dependencies=[Depends(same_origin)])
def practice_round(
    request: Request, matcher: CurrentMatcher, kept: Annotated[History, Depends(history)],
    seed: Annotated[int, Form()], round: Annotated[int, Form()], principle: Annotated[str, Form()] = "",
    picked: Annotated[list[str], Form()] = [], story: Annotated[str, Form()] = "",
    key: Annotated[str, Form(alias="list")] = "",
) -> HTMLResponse:
    """Grade the pick, keep it, and reveal matcher's answer with the story text."""
    listed = request.app.state.lists.get(key) if key else None
    if key and listed is None:
        return practice_view(request, matcher, kept, seed, round, principle, key)
    drawn = practice_deck(matcher, seed, principle, listed).draw(round)
    bank = matcher.index.bank
    names = [n for n in picked if n in matcher.catalogue.names]
    chosen = story if story in {s.id for s in bank.stories} else None
    played = grade(drawn, matcher.ask(drawn.question), names, chosen, bank)
    kept.record(played)
    best = played.answer.results[0] if played.answer.results else None
    return practice_view(
        request, matcher, kept, seed, round, principle, key, played=played,
        picked_title=bank.get(chosen).title if chosen else None,
        sections=marked_sections(best.story, best) if best else [],
    )

"""The JSON API: the same schemas as the commands' ``--json`` output, built by the same code."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from matcher.practice import SOURCES, Deck, History, grade, question_pool
from matcher.question_lists import QuestionListError, read_question_list
from matcher.report import outputs
from matcher.report.coverage import coverage as cover
from matcher.report.coverage import suggestions, summarise
from matcher.report.planning import plan as make_plan
from matcher.results import Answer
from matcher.search.matching import Matcher, QuestionError
from matcher.stories import bank_to_dict, story_to_dict
from matcher.web.limits import MAX_QUESTIONS, same_origin
from matcher.web.live import LiveMatcher

router = APIRouter(prefix="/api")


def live(request: Request) -> LiveMatcher:
    """The app's live matcher (set by ``create_app``)."""
    return request.app.state.live


def current(request: Request) -> Matcher:
    """The matcher to answer this request with, reloaded if the documents changed."""
    return live(request).get()


def history(request: Request) -> History:
    """The practice history the app records into."""
    return request.app.state.history


CurrentMatcher = Annotated[Matcher, Depends(current)]
# One question is at most MAX_QUESTION_CHARS after white space is collapsed; the raw
# field may carry more spacing, and clean_question gives the precise message.
Question = Annotated[str, Field(max_length=20_000)]


class AskRequest(BaseModel):
    question: Question
    top: int = Field(3, ge=1, le=20)


class QuestionsRequest(BaseModel):
    """Questions as a list, or as the text of a question list (text, Markdown or CSV)."""

    questions: list[Question] | None = Field(None, max_length=MAX_QUESTIONS)
    text: str | None = None
    format: str | None = Field(None, pattern="^(text|markdown|csv)$")


class DrawRequest(BaseModel):
    seed: int | None = None
    round: int = Field(0, ge=0)
    sources: list[str] = ["catalogue", "planned"]
    questions: list[Question] = Field([], max_length=MAX_QUESTIONS)
    principle: str | None = None


class PracticeAnswer(BaseModel):
    question: Question
    principles: list[str] = Field([], max_length=20)
    story: str | None = None
    questions: list[Question] = Field([], max_length=MAX_QUESTIONS)  # the loaded list, if any


def unprocessable(message: str) -> HTTPException:
    """A 422 answer with a one-line message."""
    return HTTPException(422, message)


def questions_of(body: QuestionsRequest) -> list[str]:
    """The request's questions, cleaned and de-duplicated like a question list file."""
    if body.text is not None:
        data = body.text.encode("utf-8")
    elif body.questions is not None:
        data = "\n".join(q.replace("\n", " ") for q in body.questions).encode("utf-8")
    else:
        raise unprocessable("send questions (a list) or text (a question list)")
    try:
        questions = read_question_list(None, data, fmt=body.format).questions
    except QuestionListError as exc:
        raise unprocessable(str(exc).replace("stdin", "the request")) from None
    if len(questions) > MAX_QUESTIONS:
        raise HTTPException(413, f"{len(questions)} questions; send at most {MAX_QUESTIONS} at once")
    return questions


def answer(matcher: Matcher, question: str, k: int = 3):
    """``matcher.ask`` with a bad question turned into a 422."""
    try:
        return matcher.ask(question, k=k)
    except QuestionError as exc:
        raise unprocessable(str(exc)) from None


def answers(matcher: Matcher, questions: list[str]):
    """``matcher.ask_many`` with a bad question turned into a 422."""
    try:
        return matcher.ask_many(questions)
    except QuestionError as exc:
        raise unprocessable(str(exc)) from None


@router.post("/ask")
def ask(body: AskRequest, matcher: CurrentMatcher) -> dict[str, Any]:
    """Exactly what ``matcher ask --json`` prints."""
    return matcher.answer_dict(answer(matcher, body.question, body.top))


@router.post("/batch")
def batch(body: QuestionsRequest, matcher: CurrentMatcher) -> dict[str, Any]:
    """What ``matcher batch --json`` prints."""
    found = answers(matcher, questions_of(body))
    return {"answers": [a.to_dict() for a in found], "summary": outputs.summary_dict(summarise(found))}


def coverage_rows(matcher: Matcher, found: list[Answer] | None):
    """Coverage rows and advice, with the unanswered questions of ``found`` if given."""
    rows = cover(matcher.tagged_bank, matcher.catalogue, found)
    return rows, suggestions(rows, matcher.catalogue)


@router.get("/coverage")
def coverage(matcher: CurrentMatcher) -> dict[str, Any]:
    """What ``matcher coverage --json`` prints."""
    return outputs.coverage_dict(*coverage_rows(matcher, None), matcher.catalogue, inferred=matcher.principles_inferred)


@router.post("/coverage")
def coverage_of_questions(body: QuestionsRequest, matcher: CurrentMatcher) -> dict[str, Any]:
    """What ``matcher coverage --questions LIST --json`` prints."""
    found = answers(matcher, questions_of(body))
    return outputs.coverage_dict(*coverage_rows(matcher, found), matcher.catalogue, inferred=matcher.principles_inferred)


@router.post("/plan")
def plan(body: QuestionsRequest, matcher: CurrentMatcher) -> list[dict[str, Any]]:
    """What ``matcher plan --json`` prints."""
    questions = questions_of(body)
    try:
        return [a.to_dict() for a in make_plan(matcher, questions)]
    except QuestionError as exc:
        raise unprocessable(str(exc)) from None


@router.get("/stories")
def stories(matcher: CurrentMatcher) -> dict[str, Any]:
    """The story bank, as ``matcher stories --json`` prints it (without the per-document reports)."""
    return bank_to_dict(matcher.index.bank)


@router.get("/stories/{story_id}")
def story(story_id: str, matcher: CurrentMatcher) -> dict[str, Any]:
    """One story, as ``matcher stories show ID --json`` prints it."""
    try:
        return story_to_dict(matcher.index.bank.get(story_id))
    except KeyError as exc:
        raise HTTPException(404, exc.args[0]) from None


@router.get("/status")
def status(request: Request) -> dict[str, object]:
    """The index served and whether it was reloaded after the documents changed."""
    return live(request).status().to_dict()


def deck(matcher: Matcher, sources: list[str], listed: list[str], principle: str | None, seed: int | None) -> Deck:
    """The practice deck for these choices, or a 422 saying why there is none."""
    unknown = [s for s in sources if s not in SOURCES]
    if unknown:
        raise unprocessable(f"unknown source {unknown[0]!r}; use {', '.join(SOURCES)}")
    if principle is not None:
        principle = matcher.catalogue.resolve(principle) or _unknown_principle(principle)
    try:
        return Deck(question_pool(matcher.catalogue, matcher.index.bank, sources, listed, principle), seed)
    except ValueError as exc:
        raise unprocessable(str(exc)) from None


def _unknown_principle(name: str):
    raise unprocessable(f"unknown principle {name!r}")


@router.post("/practice/draw")
def practice_draw(body: DrawRequest, matcher: CurrentMatcher) -> dict[str, Any]:
    """Question number ``round`` of the session ``seed``; its principle stays hidden until answered."""
    drawn = deck(matcher, body.sources, body.questions, body.principle, body.seed).draw(body.round)
    return {"round": body.round, "question": drawn.question, "origin": drawn.origin}


@router.post("/practice/answer", dependencies=[Depends(same_origin)])
def practice_answer(
    body: PracticeAnswer, matcher: CurrentMatcher, kept: Annotated[History, Depends(history)]
) -> dict[str, Any]:
    """Grade the candidate's pick against matcher's answer and keep it in the history."""
    known = deck(matcher, list(SOURCES), body.questions, None, None).find(body.question)
    if known is None:
        raise unprocessable("that question is not one practice drew; draw one with /api/practice/draw")
    names = [matcher.catalogue.resolve(p) for p in body.principles]
    if None in names:
        raise unprocessable(f"unknown principle {body.principles[names.index(None)]!r}")
    bank = matcher.index.bank
    if body.story is not None and body.story not in {s.id for s in bank.stories}:
        raise unprocessable(f"no story with id {body.story!r}")
    played = grade(known, answer(matcher, known.question), names, body.story, bank)
    kept.record(played)
    return played.to_dict()


@router.get("/practice/stats")
def practice_stats(matcher: CurrentMatcher, kept: Annotated[History, Depends(history)]) -> dict[str, Any]:
    """Per-principle practice results, weakest first, and what to practise next."""
    return {
        "principles": [r.to_dict() for r in kept.by_principle()],
        "next": kept.to_practise(matcher.catalogue.names),
    }

"""The ASGI app: routers, templates, limits and one-line errors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2
from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware
from fastapi.templating import Jinja2Templates

from matcher.practice import History, HistoryUnavailable
from matcher.search.matching import Matcher
from matcher.web import api, pages
from matcher.web.limits import MAX_BODY_BYTES, BodyLimit
from matcher.web.live import LiveMatcher
from matcher.web.loaded import LoadedLists

HERE = Path(__file__).parent


def create_app(
    matcher: Matcher,
    corpus: Sequence[Path] | None = None,
    index_dir: Path | None = None,
    history: History | None = None,
    hosts: Sequence[str] | None = None,
) -> FastAPI:
    """An app answering with ``matcher``; given ``corpus`` and ``index_dir`` it reloads
    the index when the documents change. ``history`` is where practice rounds are kept.
    ``hosts``, if given, are the only names a request may address the server by.
    """
    app = FastAPI(title="matcher", docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json")
    app.state.live = LiveMatcher(matcher, corpus, index_dir)
    app.state.history = history or History()
    app.state.lists = LoadedLists()
    # autoescape on for every template: story text is the user's, and may hold <script>.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
    app.state.templates = Jinja2Templates(env=env)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    if hosts is not None:
        # A page on another site can rename itself to 127.0.0.1 (DNS rebinding) and then
        # read the stories and pass the Origin check; it cannot send Host: 127.0.0.1.
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))
    app.add_exception_handler(RequestValidationError, _one_line_validation_error)
    app.add_exception_handler(HTTPException, _plain_http_error)
    app.add_exception_handler(HistoryUnavailable, _history_unavailable)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


async def _one_line_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's list of validation errors, as one readable line in ``detail``."""
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    message = first.get("msg", "invalid request")
    if first.get("type") == "json_invalid":
        message, where = "the request body is not valid JSON", ""
    elif first.get("type") == "missing" and tuple(first.get("loc", ())) == ("body",):
        message = "the request body is empty; send JSON"
    return JSONResponse({"detail": f"{where}: {message}" if where else message}, status_code=422)


async def _plain_http_error(request: Request, exc: HTTPException) -> JSONResponse:
    """HTTP errors as ``{"detail": …}``, FastAPI's own wording for an unreadable body made plainer."""
    detail = exc.detail
    if detail == "There was an error parsing the body":
        detail = "the request body is not valid JSON (binary data, or text that is not UTF-8)"
    return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)


async def _history_unavailable(request: Request, exc: HistoryUnavailable) -> JSONResponse:
    """A practice history that cannot be written is the server's problem, said in one line."""
    return JSONResponse({"detail": str(exc)}, status_code=503)

"""Request limits and the same-origin rule for requests that change state."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A pasted loop or question list is kilobytes; a megabyte is far past any honest use.
MAX_BODY_BYTES = 1_000_000
MAX_QUESTIONS = 500


class BodyLimit:
    """Answer 413 to a body over ``limit`` bytes, announced or streamed, before it is read.

    A pure ASGI middleware rather than a check in each route: the size must be refused
    before FastAPI buffers the body to parse it.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await _too_large(send, self.limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise HTTPException(413, _too_large_text(self.limit))
            return message

        await self.app(scope, counted, send)


def _too_large_text(limit: int) -> str:
    return f"the request is larger than {limit // 1000:,} kB; send fewer questions at once"


async def _too_large(send: Send, limit: int) -> None:
    body = ('{"detail": "%s"}' % _too_large_text(limit)).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def same_origin(request: Request) -> None:
    """Refuse (403) a request another web site's page sent from the user's browser.

    Browsers send Origin on every cross-site POST; scripts such as curl send none and are
    allowed, since they run with the user's own rights anyway.
    """
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, "requests from another site cannot change your practice history")

"""``matcher serve``: a local web page and JSON API over one opened Matcher.

    from matcher.web import create_app
    app = create_app(Matcher.open())    # an ASGI app; uvicorn.run(app)

FastAPI is imported only here, so the terminal commands never pay for it.
"""

from matcher.web.app import create_app

__all__ = ["create_app"]

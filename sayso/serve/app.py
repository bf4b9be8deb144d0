"""The web app: FastAPI with server-rendered Jinja2 pages and a JSON API.

>>> app = create_app()
>>> sorted(app.openapi()["paths"])[:3]
['/api/analyze', '/api/articles/{article_id}', '/api/claims']

Safety, for article text and HTML are hostile input:

* every page is rendered by Jinja2 with autoescape on; article text only ever becomes text
  nodes or escaped attribute values, links only ``http(s)`` (``safe_href``);
* every response carries :data:`CSP` (scripts and styles only from this server's
  ``/static/``, no inline script or handler runs, nothing else loads, no framing),
  ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer``;
* request bodies are capped (413), uploads must be text/Markdown/HTML (415), URLs are fetched
  under the CLI's private-address rules (``allow_private``), never read as local paths;
* errors are one line (an HTML page, or ``{"detail": ...}`` under ``/api/``), never a
  traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from spacy.language import Language
from starlette.exceptions import HTTPException as StarletteHTTPException

from sayso import __version__
from sayso.corpus import Corpus
from sayso.errors import SaysoError
from sayso.ingest.fetch import human_size
from sayso.render.html import install, template_env
from sayso.serve.corpus_views import CorpusView, article_href, source_href
from sayso.serve.inputs import NotFound, TooLarge

log = logging.getLogger("sayso.serve")

#: The Content-Security-Policy of every page: same-origin scripts, styles and images only.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
#: Charts are matplotlib SVG with inline styles; an SVG opened on its own may use them but
#: still runs no script.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
#: Multipart framing and the small form fields on top of the upload cap.
FORM_OVERHEAD = 64 * 1024
STATIC = files("sayso.serve") / "static"


@dataclass
class ServeState:
    """What the routes share: the corpus (or None), the pipeline, the limits."""

    corpus: CorpusView | None
    allow_private: bool
    max_upload_bytes: int
    nlp: Language | None = None
    analysis_lock: threading.Lock = field(default_factory=threading.Lock)

    def pipeline(self) -> Language:
        """The spaCy pipeline, loaded once (at startup, or on first use)."""
        if self.nlp is None:
            from sayso.pipeline import load_pipeline

            self.nlp = load_pipeline()
        return self.nlp

    def require_corpus(self) -> CorpusView:
        """The corpus, or a 404 saying none is open."""
        if self.corpus is None:
            raise NotFound("no corpus is open: start the server with sayso serve --db FILE")
        return self.corpus


def state_of(request: Request) -> ServeState:
    """The app's :class:`ServeState`."""
    state: ServeState = request.app.state.sayso
    return state


@lru_cache(maxsize=1)
def page_env() -> Environment:
    """The page templates (sayso/serve/templates), which import the report's article view."""
    env = Environment(
        loader=ChoiceLoader(
            [PackageLoader("sayso.serve", "templates"), PackageLoader("sayso.render", "templates")]
        ),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install(env)
    env.globals["article_href"] = article_href
    env.globals["source_href"] = source_href
    env.globals["version"] = __version__
    env.filters["date_range"] = date_range
    return env


def date_range(first: dt.date | None, last: dt.date | None) -> str:
    """When something was reported: one date, a range, or "undated".

    >>> date_range(dt.date(2026, 4, 2), dt.date(2026, 4, 9)), date_range(None, None)
    ('2026-04-02 – 2026-04-09', 'undated')
    """
    text = str(first) if first else "undated"
    return f"{text} – {last}" if last and last != first else text


def render_page(
    request: Request, name: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """One page of the app (``corpus`` is passed to every page for the header)."""
    state = state_of(request)
    html = page_env().get_template(name).render(corpus=state.corpus, **context)
    return HTMLResponse(html, status_code=status_code)


def _static_route(name: str, media: str) -> Callable[[], Response]:
    # report.css and report.js live with the offline report: the app serves the same files.
    body = template_env().get_template(name).render()

    def serve() -> Response:
        return Response(body, media_type=f"{media}; charset=utf-8")

    return serve


class SecurityHeaders:
    """ASGI middleware: the CSP and the other headers on every response, and a body cap."""

    def __init__(self, app: Any, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        svg = scope["path"].endswith(".svg")
        # HEAD is answered as GET without the body (FastAPI's GET routes refuse HEAD).
        head = scope.get("method") == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() != b"content-security-policy"
                ]
                headers.append((b"content-security-policy", (SVG_CSP if svg else CSP).encode()))
                headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message["headers"] = headers
            await send(message)

        length = _content_length(scope)
        if length is not None and length > self.max_body:
            await _too_large(scope, self.max_body)(scope, receive, send_with_headers)
            return
        seen = 0

        async def capped_receive() -> MutableMapping[str, Any]:
            # A chunked body has no Content-Length: count what arrives.
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise TooLarge(
                        f"the request is over the {human_size(self.max_body)} size limit"
                    )
            return message

        await self.app(scope, capped_receive, send_with_headers)


def _content_length(scope: MutableMapping[str, Any]) -> int | None:
    for key, value in scope.get("headers", []):
        if key.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _too_large(scope: MutableMapping[str, Any], limit: int) -> Response:
    message = f"the request is over the {human_size(limit)} size limit"
    if str(scope.get("path", "")).startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=413)
    html = page_env().get_template("error.html").render(corpus=None, status=413, message=message)
    return HTMLResponse(html, status_code=413)


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    return render_page(request, "error.html", status_code=status, status=status, message=message)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(SaysoError)
    async def sayso_error(request: Request, exc: SaysoError) -> Response:
        return _error(request, getattr(exc, "status_code", 400), _one_line(str(exc)))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if isinstance(exc.__cause__, SaysoError):
            # FastAPI wraps errors raised while it reads a JSON body (the body cap) in a 400.
            return await sayso_error(request, exc.__cause__)
        detail = exc.detail if isinstance(exc.detail, str) else "bad request"
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no page at {request.url.path[:100]}"
        return _error(request, exc.status_code, _one_line(detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors()[:3]:
            where = ".".join(str(x) for x in err.get("loc", ()) if x != "body")
            parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg"))
        return _error(request, 422, _one_line("; ".join(str(p) for p in parts) or "invalid"))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        # Outside the middleware stack: add the security headers here.
        log.exception("internal error on %s", request.url.path)
        response = _error(request, 500, f"internal error ({type(exc).__name__})")
        response.headers["Content-Security-Policy"] = CSP
        response.headers.update(SECURITY_HEADERS)
        return response


def create_app(
    db: Path | None = None, *, allow_private: bool = False, max_upload_bytes: int = 5_000_000
) -> FastAPI:
    """The sayso web app; with ``db``, over that corpus store opened read-only.

    ``allow_private`` lets the analyse form fetch URLs on private addresses (as
    ``sayso analyze --allow-private``); ``max_upload_bytes`` caps pasted text, uploads and
    fetched pages.
    """
    corpus = CorpusView(Corpus(db, read_only=True)) if db is not None else None
    state = ServeState(corpus, allow_private, max_upload_bytes)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.pipeline()  # load spaCy once, before the first request
        if state.corpus is not None:
            state.corpus.credibility()  # truth discovery over the store, also once
        yield
        if state.corpus is not None:
            state.corpus.corpus.close()

    app = FastAPI(
        title="sayso",
        version=__version__,
        description="Who said what in news articles: analyse an article, browse a corpus.",
        # The default docs pages load scripts from a CDN: blocked by the CSP and offline.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.sayso = state
    _install_errors(app)

    from sayso.serve import api, pages  # they import this module for state_of and render_page

    app.include_router(api.router)
    app.include_router(pages.router)

    for name, media in (("report.css", "text/css"), ("report.js", "text/javascript")):
        app.add_api_route(
            f"/static/{name}", _static_route(name, media), methods=["GET"], include_in_schema=False
        )
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.add_middleware(SecurityHeaders, max_body=max_upload_bytes + FORM_OVERHEAD)
    return app

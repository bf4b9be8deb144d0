"""The HTML pages: analyse, article view, claims, claim, sources, source."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sayso.record import ArticleAnalysis
from sayso.render.html import report_view
from sayso.serve.analysis import analyse
from sayso.serve.app import FORM_OVERHEAD, render_page, state_of
from sayso.serve.corpus_views import ArticleLink, ClaimFilters
from sayso.serve.inputs import NotFound, check_size

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """The analyse form."""
    return render_page(request, "analyse.html", max_bytes=state_of(request).max_upload_bytes)


@router.get("/favicon.ico")
def favicon() -> Response:
    """No icon (and no 404 in the browser's console)."""
    return Response(status_code=204)


@router.post("/analyze", response_class=HTMLResponse)
async def analyze_form(request: Request) -> HTMLResponse:
    """Analyse pasted text, an uploaded file or a URL; show the article view."""
    state = state_of(request)
    form = await request.form(
        max_files=1, max_fields=8, max_part_size=state.max_upload_bytes + FORM_OVERHEAD
    )
    upload: tuple[bytes, str | None, str | None] | None = None
    file = form.get("file")
    if isinstance(file, UploadFile) and (file.filename or file.size):
        data = await file.read(state.max_upload_bytes + 1)
        check_size(len(data), state.max_upload_bytes, "the file")
        upload = (data, file.filename, file.content_type)

    def field(name: str) -> str | None:
        value = form.get(name)
        return value if isinstance(value, str) else None

    record = await run_in_threadpool(
        analyse,
        state,
        text=field("text"),
        url=field("url"),
        upload=upload,
        published=field("published"),
    )
    return _article_page(request, record, None)


def _article_page(
    request: Request, record: ArticleAnalysis, article_id: str | None
) -> HTMLResponse:
    links: list[ArticleLink] = []
    corpus = state_of(request).corpus
    if article_id is not None and corpus is not None:
        links = corpus.article_claims(article_id)
    return render_page(
        request, "article.html", view=report_view(record), article_id=article_id, links=links
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: str) -> HTMLResponse:
    """A stored article, drawn as the analyse result is."""
    corpus = state_of(request).require_corpus()
    return _article_page(request, corpus.record(article_id), article_id)


@router.get("/claims", response_class=HTMLResponse)
def claims(
    request: Request,
    q: str | None = None,
    entity: str | None = None,
    date_from: str | None = Query(None, alias="from"),
    date_to: str | None = Query(None, alias="to"),
    contested: str | None = None,
) -> HTMLResponse:
    """Corpus claims with search and filters."""
    state = state_of(request)
    form = {"q": q, "entity": entity, "from": date_from, "to": date_to, "contested": contested}
    if state.corpus is None:
        return render_page(request, "claims.html", status_code=404, rows=[], form=form)
    filters = ClaimFilters.parse(q, entity, date_from, date_to, contested)
    rows = state.corpus.claims(filters)
    return render_page(request, "claims.html", rows=rows, form=form)


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim(request: Request, claim_id: int) -> HTMLResponse:
    """One claim: stance matrix, timeline chart, credibility."""
    page = state_of(request).require_corpus().claim_page(claim_id)
    return render_page(request, "claim.html", page=page)


@router.get("/claims/{claim_id}/timeline.svg")
def timeline_svg(request: Request, claim_id: int) -> Response:
    """The claim's timeline chart."""
    svg = state_of(request).require_corpus().timeline_svg(claim_id)
    return Response(svg, media_type="image/svg+xml")


@router.get("/sources", response_class=HTMLResponse)
def sources(request: Request) -> HTMLResponse:
    """Every holder of a stance, most active first."""
    state = state_of(request)
    if state.corpus is None:
        return render_page(request, "sources.html", status_code=404, rows=[])
    return render_page(request, "sources.html", rows=state.corpus.sources())


@router.get("/sources/{key:path}", response_class=HTMLResponse)
def source(request: Request, key: str) -> HTMLResponse:
    """What one source said, and how often it was right later."""
    if not key:
        raise NotFound("no source given")
    page = state_of(request).require_corpus().source_page(key)
    return render_page(request, "source.html", page=page)

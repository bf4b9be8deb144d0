"""The JSON API (``/api/...``); its schema is served at ``/openapi.json``.

Endpoints are plain ``def`` functions, so FastAPI runs them in its threadpool: an analysis
or a corpus query never blocks the event loop.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from sayso.corpus import queries
from sayso.record import ArticleAnalysis
from sayso.serve.analysis import analyse
from sayso.serve.app import state_of
from sayso.serve.corpus_views import ClaimFilters, ClaimPage, SourcePage

router = APIRouter(prefix="/api", tags=["api"])


class AnalyzeRequest(BaseModel):
    """One article: exactly one of ``text``, ``html`` or ``url``."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, description="Article text (or Markdown).")
    html: str | None = Field(default=None, description="An article's HTML page.")
    url: str | None = Field(
        default=None, description="An http(s) URL to fetch (public addresses only by default)."
    )
    published: str | None = Field(
        default=None, description="ISO date; relative dates in the text resolve against it."
    )


@router.post("/analyze", response_model=ArticleAnalysis)
def analyze(request: Request, body: AnalyzeRequest) -> ArticleAnalysis:
    """Analyse one article: who said what, with what stance, about which claims."""
    return analyse(
        state_of(request), text=body.text, html=body.html, url=body.url, published=body.published
    )


@router.get("/claims")
def claims(
    request: Request,
    q: str | None = Query(None, description="full-text search over claims and statements"),
    entity: str | None = Query(None, description="claims naming, or held by, this entity"),
    date_from: str | None = Query(None, alias="from", description="reported on or after (ISO)"),
    date_to: str | None = Query(None, alias="to", description="reported on or before (ISO)"),
    contested: str | None = Query(None, pattern="^(yes|no)$"),
    limit: int = Query(500, ge=1, le=10_000),
) -> list[queries.ClaimSummary]:
    """Corpus claims, most contested first, filtered."""
    filters = ClaimFilters.parse(q, entity, date_from, date_to, contested)
    return state_of(request).require_corpus().claims(filters, limit=limit)


@router.get("/claims/{claim_id}")
def claim(request: Request, claim_id: int) -> ClaimPage:
    """One corpus claim: timeline (with a link to each sentence), stance matrix, credibility."""
    return state_of(request).require_corpus().claim_page(claim_id)


@router.get("/sources")
def sources(request: Request) -> list[queries.SourceSummary]:
    """Holders of stances, most active first, with counts of each stance."""
    return state_of(request).require_corpus().sources()


@router.get("/sources/{key:path}")
def source(request: Request, key: str) -> SourcePage:
    """What one source said, its estimated reliability, and its right-later record."""
    return state_of(request).require_corpus().source_page(key)


@router.get("/articles/{article_id}", response_model=ArticleAnalysis)
def article(request: Request, article_id: str) -> ArticleAnalysis:
    """The stored record of one article."""
    return state_of(request).require_corpus().record(article_id)


@router.get("/search")
def search(
    request: Request, q: str = Query(..., min_length=1), limit: int = Query(20, ge=1, le=200)
) -> list[queries.SearchHit]:
    """Claims and statements matching ``q`` (BM25)."""
    return state_of(request).require_corpus().search(q, limit=limit)

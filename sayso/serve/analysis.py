"""Running one analysis for the app: input to Article, then the shared pipeline."""

from __future__ import annotations

from sayso.api import analyze_article
from sayso.errors import InputError
from sayso.ingest.article import Article
from sayso.record import ArticleAnalysis
from sayso.serve.app import ServeState
from sayso.serve.inputs import from_text, from_upload, from_url, parse_date


def analyse(
    state: ServeState,
    *,
    text: str | None = None,
    html: str | None = None,
    url: str | None = None,
    upload: tuple[bytes, str | None, str | None] | None = None,
    published: str | None = None,
) -> ArticleAnalysis:
    """Analyse exactly one of: text, HTML, an http(s) URL, an upload (data, name, type).

    Blocking (fetch and parse): call it from a worker thread. One analysis runs at a time
    because the spaCy pipeline is shared.
    """
    given = [
        name
        for name, value in (("text", text), ("html", html), ("url", url), ("file", upload))
        if value is not None and (not isinstance(value, str) or value.strip())
    ]
    if not given:
        raise InputError("nothing to analyse: paste text, choose a file or give a URL")
    if len(given) > 1:
        raise InputError(f"give one input, not {' and '.join(given)}")
    date = parse_date(published)
    cap = state.max_upload_bytes
    article: Article
    if upload is not None:
        data, filename, content_type = upload
        article = from_upload(data, filename=filename, content_type=content_type, max_bytes=cap)
    elif url is not None and url.strip():
        article = from_url(url, allow_private=state.allow_private, max_bytes=cap)
    elif html is not None and html.strip():
        article = from_text(html, html=True, max_bytes=cap)
    else:
        article = from_text(text or "", max_bytes=cap)
    if date is not None:
        article.published = date
    nlp = state.pipeline()
    with state.analysis_lock:
        return analyze_article(article, nlp=nlp)

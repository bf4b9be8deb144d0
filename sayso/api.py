"""The Python API: one article in, one :class:`~sayso.record.ArticleAnalysis` out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from spacy.language import Language

from sayso.build import build_record
from sayso.errors import InputError
from sayso.ingest import article_from_bytes, load_source
from sayso.ingest.article import Article
from sayso.pipeline import load_pipeline, run_pipeline
from sayso.record import ArticleAnalysis


def analyze(
    text_or_path: str | Path | Article,
    *,
    published: dt.date | str | None = None,
    title: str | None = None,
    allow_private: bool = False,
    nlp: Language | None = None,
) -> ArticleAnalysis:
    """Analyse one article: who said what, with what stance, about which claims.

    ``text_or_path`` is article text, a path to a text/Markdown/HTML file, an ``http(s)``
    URL, or an :class:`~sayso.ingest.article.Article`. ``published`` (a date or ISO string)
    overrides the article's own date; relative dates ("on Thursday") resolve against it.

    >>> rec = analyze("Officials in Kyiv said on Monday that 300 drones were shot down.",
    ...               published="2026-03-05")
    >>> rec.statements[0].speaker.name, rec.statements[0].cue.text
    ('Officials in Kyiv', 'said')
    >>> rec.quantities[0].value, rec.quantities[0].unit
    (300.0, 'drones')
    """
    article = _to_article(text_or_path, allow_private=allow_private)
    if published is not None:
        article.published = _parse_date(published)
    if title is not None:
        article.title = title
    return analyze_article(article, nlp=nlp)


def analyze_article(article: Article, *, nlp: Language | None = None) -> ArticleAnalysis:
    """Run the pipeline over an already ingested article."""
    if not article.text.strip():
        raise InputError("the article has no text to analyse")
    doc = run_pipeline(nlp or load_pipeline(), article.text, article.published)
    return build_record(doc, article)


def _to_article(source: str | Path | Article, *, allow_private: bool) -> Article:
    if isinstance(source, Article):
        return source
    if isinstance(source, Path):
        return load_source(str(source), allow_private=allow_private)
    looks_like_location = "\n" not in source and len(source) < 4096
    if looks_like_location and (source.startswith(("http://", "https://")) or _is_file(source)):
        return load_source(source, allow_private=allow_private)
    return article_from_bytes(source.encode("utf-8"), source=None)


def _is_file(text: str) -> bool:
    """Whether ``text`` names an existing file (a sentence longer than a file name may be
    is not one: the operating system refuses to look it up)."""
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def _parse_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError as exc:
        raise InputError(f"not an ISO date: {value!r}") from exc

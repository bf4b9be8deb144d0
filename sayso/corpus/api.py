"""``sayso.corpus.Corpus``: the Python API over the corpus store.

>>> import tempfile, os
>>> from sayso.corpus import Corpus
>>> path = os.path.join(tempfile.mkdtemp(), "c.duckdb")
>>> with Corpus(path) as corpus:
...     added = corpus.add("Officials in Kyiv said 40 drones were shot down overnight.",
...                        published="2026-03-02")
...     again = corpus.add("Officials in Kyiv said 40 drones were shot down overnight.")
...     print(added.stored, again.stored, corpus.counts()["articles"])
True False 1
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from spacy.language import Language

from sayso.corpus import queries
from sayso.corpus.credibility import (
    ClaimCredibility,
    ClaimKey,
    CredibilityResult,
    store_credibility,
)
from sayso.corpus.ingest import IngestReport, ingest_paths
from sayso.corpus.linking import article_claim_features, tagging_doc
from sayso.corpus.store import Added, add_article, article_id, connect, find_existing, record_of
from sayso.errors import InputError
from sayso.ingest.article import Article
from sayso.record import ArticleAnalysis


class Corpus:
    """A corpus of analysed articles in one DuckDB file, with claims linked across articles.

    Open read-only to query a store another process is not writing to; DuckDB allows one
    writing process per file.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.con = connect(self.path, read_only=read_only)

    # -- writing -----------------------------------------------------------------------

    def add(
        self,
        article: Article | str,
        *,
        published: dt.date | str | None = None,
        title: str | None = None,
        url: str | None = None,
        source: str | None = None,
        nlp: Language | None = None,
    ) -> Added:
        """Analyse one article (an :class:`Article` or its text) and store it, unless stored."""
        from sayso.build import build_record
        from sayso.pipeline import load_pipeline, run_pipeline

        if isinstance(article, str):
            article = Article(text=article)
        if published is not None:
            article.published = (
                published if isinstance(published, dt.date) else _iso_date(published)
            )
        article.title = title or article.title
        article.url = url or article.url
        article.source = source or article.source
        if not article.text.strip():
            raise InputError("the article has no text to analyse")
        existing = find_existing(self.con, article_id(article.text), article.url)
        if existing is not None:
            return Added(existing, stored=False)
        doc = run_pipeline(nlp or load_pipeline(), article.text, article.published)
        record = build_record(doc, article)
        return add_article(self.con, record, article_claim_features(record, doc))

    def add_record(self, record: ArticleAnalysis, *, nlp: Language | None = None) -> Added:
        """Store a record analysed elsewhere (e.g. JSON from ``sayso analyze``), unchanged.

        Its text is tagged again (no parse) to read the lemmas claim linking needs.
        """
        from sayso.pipeline import load_pipeline

        existing = find_existing(self.con, article_id(record.text), record.url)
        if existing is not None:
            return Added(existing, stored=False)
        doc = tagging_doc(nlp or load_pipeline(), record.text)
        return add_article(self.con, record, article_claim_features(record, doc))

    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        progress: bool = False,
        verbose: bool = False,
        err: TextIO | None = None,
        nlp: Language | None = None,
        workers: int | None = None,
    ) -> IngestReport:
        """Ingest files, directories and JSON Lines files (see :mod:`sayso.corpus.ingest`).

        ``workers``: 0 analyses in this process, 1 in a worker process, None decides by the
        number of articles (see :func:`sayso.corpus.ingest.ingest_paths`).
        """
        return ingest_paths(
            self.con,
            paths,
            nlp=nlp,
            progress=progress,
            verbose=verbose,
            err=err,
            workers=workers,
        )

    # -- reading -----------------------------------------------------------------------

    def claims(self, limit: int | None = 50) -> list[queries.ClaimSummary]:
        """Corpus claims, most contested and most recent first."""
        return queries.claims(self.con, limit)

    def claim(
        self, claim_id: int, *, credibility: bool = False, as_of: dt.date | None = None
    ) -> queries.ClaimTimeline:
        """One corpus claim's timeline; with ``credibility``, its ``p_true`` filled in too
        (the truth-discovery estimate reads the whole store, so it is not computed by default);
        with ``as_of``, both as they stood on that day.
        """
        timeline = queries.claim_timeline(self.con, claim_id, as_of=as_of)
        if credibility:
            estimate = store_credibility(self.con, as_of=as_of)[0].claims.get(timeline.id)
            timeline.p_true = None if estimate is None else estimate.p_true
        return timeline

    def plot_claim(self, claim_id: int, path: str | Path) -> Path:
        """Draw the claim's timeline chart (with its credibility) into ``path``.

        The format follows the suffix, ``.png`` or ``.svg``
        (:func:`sayso.corpus.plot.render_timeline`); returns the path.
        """
        from sayso.corpus.plot import chart_format, write_timeline

        chart_format(str(path))  # a bad name fails before any work
        write_timeline(self.claim(claim_id, credibility=True), path)
        return Path(path)

    def sources(
        self, limit: int | None = 50, as_of: dt.date | None = None
    ) -> list[queries.SourceSummary]:
        """Holders with their counts of each stance (dated on or before ``as_of``)."""
        return queries.sources(self.con, limit, as_of=as_of)

    def search(self, text: str, limit: int = 10) -> list[queries.SearchHit]:
        """Claims and statements matching ``text`` (BM25)."""
        return queries.search(self.con, text, limit)

    def export(self, fmt: str, out: str | Path) -> dict[str, Path]:
        """Write the tables as ``parquet``, ``csv`` or ``jsonl`` files into ``out``."""
        return queries.export(self.con, fmt, out)

    def credibility(
        self, as_of: dt.date | None = None
    ) -> tuple[CredibilityResult, dict[ClaimKey, ClaimCredibility]]:
        """Truth-discovery estimates for every corpus claim and source, with the weighted
        vote beside them; ``as_of`` uses only what was published by that date."""
        return store_credibility(self.con, as_of=as_of)

    def record(self, article_id: str) -> ArticleAnalysis | None:
        """The stored record of one article."""
        return record_of(self.con, article_id)

    def counts(self) -> dict[str, Any]:
        """Rows per table."""
        return queries.counts(self.con)

    # -- lifetime ----------------------------------------------------------------------

    def close(self) -> None:
        """Close the store (everything is already committed)."""
        self.con.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise InputError(f"not an ISO date: {value!r}") from None

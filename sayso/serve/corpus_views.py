"""What the corpus pages and the corpus API show, computed from the store's read API.

Every figure carries a link back to the sentence it came from: ``/articles/<id>#<anchor>``
with the anchor scheme of the article view (:func:`sayso.render.html.evidence_anchor`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, TypeVar
from urllib.parse import quote

from sayso.corpus import Corpus, queries
from sayso.corpus.credibility import (
    ClaimCredibility,
    CredibilityResult,
    Observation,
    SourceReliability,
    credibility,
    observations_from_store,
    store_credibility,
    vote_weight,
)
from sayso.corpus.linking import normalise_name, unit_statement
from sayso.errors import SaysoError
from sayso.record import ArticleAnalysis
from sayso.render.html import evidence_anchor, stance_class
from sayso.serve.inputs import NotFound, parse_date

T = TypeVar("T")

#: A later estimate counts as agreeing with a source when it is at least this far from 0.5
#: on the source's side; nearer to 0.5 the later record is "open".
RIGHT_LATER_MARGIN = 0.1


def article_href(article_id: str, anchor: str | None = None) -> str:
    """The article page, at ``anchor`` when there is one."""
    return f"/articles/{quote(article_id, safe='')}" + (f"#{anchor}" if anchor else "")


def source_href(key: str) -> str:
    """The source page of holder ``key`` (any characters, quoted for the path)."""
    return f"/sources/{quote(key, safe='')}"


@dataclass(frozen=True)
class ArticleLink:
    """One of an article's claims (or a statement linked apart from it) in the corpus."""

    unit: str
    corpus_claim: int
    text: str
    statement: bool  # a statement the linker linked apart from its article claim


@dataclass
class ClaimFilters:
    """The filters of the claims list (all optional)."""

    q: str | None = None
    entity: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    contested: Literal["yes", "no"] | None = None

    @classmethod
    def parse(
        cls,
        q: str | None = None,
        entity: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        contested: str | None = None,
    ) -> ClaimFilters:
        """From query-string values; a one-line :class:`SaysoError` for bad ones."""
        flag = (contested or "").strip().lower() or None
        if flag not in (None, "yes", "no"):
            raise SaysoError("contested must be yes or no")
        return cls(
            q=(q or "").strip() or None,
            entity=(entity or "").strip() or None,
            date_from=parse_date(date_from, "from"),
            date_to=parse_date(date_to, "to"),
            contested=flag,  # type: ignore[arg-type]
        )


@dataclass
class CellLink:
    """One stance in the stance matrix, linking to its sentence."""

    href: str
    stance: str  # CSS-safe label
    label: str
    commitment: int
    quote: str
    title: str | None
    outlet: str | None


@dataclass
class MatrixRow:
    holder: str
    holder_key: str
    href: str
    cells: list[list[CellLink]]


@dataclass
class StanceMatrix:
    """Holders x dates; a cell may hold several stances (several articles that day)."""

    dates: list[str]
    rows: list[MatrixRow]


@dataclass
class ClaimPage:
    """One corpus claim: its timeline, matrix and credibility."""

    timeline: queries.ClaimTimeline
    hrefs: list[str]  # per timeline entry, the link to its sentence
    matrix: StanceMatrix
    credibility: ClaimCredibility | None
    weighted_vote: ClaimCredibility | None
    reliability: dict[str, SourceReliability]  # of the holders who voted
    names: dict[str, str]  # holder key -> the name most often used
    latest: dict[str, str]  # holder key -> the link to its latest stance (the one that counts)


@dataclass
class SourceStatement:
    """One stance of a source on a corpus claim."""

    date: dt.date | None
    claim_id: int
    claim_text: str
    stance: str
    commitment: int
    quote: str
    article_id: str
    title: str | None
    outlet: str | None
    href: str


@dataclass
class LaterCheck:
    """Whether what a source said on one claim agreed with what was established later."""

    claim_id: int
    claim_text: str
    date: dt.date | None
    stance: str
    later_votes: int  # votes by others after the source's stance
    later_p_true: float | None
    verdict: Literal["right", "wrong", "open", "undated"]
    href: str


@dataclass
class SourcePage:
    """A source: what it said, its estimated reliability and its right-later record."""

    summary: queries.SourceSummary
    reliability: SourceReliability | None
    statements: list[SourceStatement]
    checks: list[LaterCheck]
    right: int = 0
    wrong: int = 0
    open: int = 0
    method: str = field(default="", repr=False)


RIGHT_LATER_METHOD = (
    "For every claim the source asserted, hedged or denied (its latest stance on the claim, "
    "as in the credibility model), the claim's truth is estimated again with the same "
    "credibility model (truth discovery, sayso.corpus.credibility) from other holders' "
    "stances dated after the source's stance only, leaving out the source itself and those "
    "who only repeat it; stances on other claims still teach the model how reliable each "
    f"holder is. The source was right when that later estimate is at least "
    f"{0.5 + RIGHT_LATER_MARGIN:.1f} for a claim it asserted (at most "
    f"{0.5 - RIGHT_LATER_MARGIN:.1f} for one it denied), wrong when it is as far the other "
    "way, and the record is open when nobody voted later or the estimate is in between. "
    "Undated stances cannot be checked."
)


class CorpusView:
    """The read-only corpus behind the app, safe to call from several request threads.

    DuckDB connections are not thread-safe, so every query holds one lock; results that
    cannot change (the store is read-only) are cached.
    """

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._lock = threading.RLock()
        self._records: dict[str, ArticleAnalysis] = {}
        self._credibility: tuple[CredibilityResult, dict[object, ClaimCredibility]] | None = None
        self._observations: list[Observation] | None = None
        self._svg: dict[int, bytes] = {}

    def _locked(self, fn: Callable[[], T]) -> T:
        with self._lock:
            return fn()

    @property
    def path(self) -> str:
        return str(self.corpus.path)

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return self._locked(self.corpus.counts)

    # -- articles ----------------------------------------------------------------------

    def record(self, article_id: str) -> ArticleAnalysis:
        """The stored record of one article (:class:`NotFound` if there is none)."""
        with self._lock:
            if article_id not in self._records:
                rec = self.corpus.record(article_id)
                if rec is None:
                    raise NotFound(f"no article {article_id[:40]!r} in the corpus")
                self._records[article_id] = rec
            return self._records[article_id]

    def article_claims(self, article_id: str) -> list[ArticleLink]:
        """Where the article's claims went in the corpus, in the order they were linked: each
        claim, and each statement the linker linked apart from its claim."""
        rows = self._locked(
            lambda: self.corpus.con.execute(
                """
                SELECT l.claim_id, l.corpus_claim_id, c.text FROM claim_links l
                JOIN claims c ON c.article_id = l.article_id AND c.id = l.claim_id
                WHERE l.article_id = ? ORDER BY l.rowid
                """,
                [article_id],
            ).fetchall()
        )
        return [
            ArticleLink(str(u), int(k), str(t), unit_statement(str(u)) is not None)
            for u, k, t in rows
        ]

    def href(self, article_id: str, statement_id: str | None, span: tuple[int, int]) -> str:
        """The link to the sentence a stance came from."""
        try:
            rec = self.record(article_id)
        except NotFound:
            return article_href(article_id)
        return article_href(article_id, evidence_anchor(rec, statement_id, span))

    # -- claims ------------------------------------------------------------------------

    def claims(self, filters: ClaimFilters, limit: int = 500) -> list[queries.ClaimSummary]:
        """Corpus claims (most contested first) that pass every filter."""
        rows = self._locked(lambda: self.corpus.claims(limit=None))
        if filters.q:
            q = filters.q
            hits = self._locked(lambda: self.corpus.search(q, limit=limit))
            found = {h.corpus_claim_id for h in hits if h.corpus_claim_id is not None}
            rows = [c for c in rows if c.id in found]
        if filters.entity:
            ids = self._entity_claims(filters.entity)
            rows = [c for c in rows if c.id in ids]
        if filters.date_from:
            start = filters.date_from
            rows = [c for c in rows if c.last_date is not None and c.last_date >= start]
        if filters.date_to:
            end = filters.date_to
            rows = [c for c in rows if c.first_date is not None and c.first_date <= end]
        if filters.contested == "yes":
            rows = [c for c in rows if c.contested > 0]
        elif filters.contested == "no":
            rows = [c for c in rows if c.contested == 0]
        return rows[:limit]

    def _entity_claims(self, name: str) -> set[int]:
        """Corpus claims naming the entity, or held by a holder of that name (substring)."""
        key = normalise_name(name)
        sql = """
            SELECT l.corpus_claim_id FROM claim_features f
            JOIN claim_links l ON l.article_id = f.article_id AND l.claim_id = f.claim_id
            WHERE f.feature LIKE 'e:%' AND strpos(substr(f.feature, 3), ?) > 0
            UNION
            SELECT l.corpus_claim_id FROM counted_stances st
            JOIN claim_links l ON l.article_id = st.article_id AND l.claim_id = st.claim_id
            WHERE strpos(st.holder_key, ?) > 0
        """
        rows = self._locked(lambda: self.corpus.con.execute(sql, [key, key]).fetchall())
        return {int(r[0]) for r in rows}

    def timeline(self, claim_id: int) -> queries.ClaimTimeline:
        """One claim's timeline (:class:`NotFound` if there is no such claim)."""
        with self._lock:
            row = self.corpus.con.execute(
                "SELECT count(*) FROM corpus_claims WHERE id = ?", [claim_id]
            ).fetchone()
            if not row or not row[0]:
                raise NotFound(f"no claim {claim_id} in the corpus")
            timeline = self.corpus.claim(claim_id)
        # The page, its chart and the API show the one estimate computed at startup, not
        # whatever an ingest last stored (a read-only store may hold none).
        estimate = self.credibility()[0].claims.get(claim_id)
        timeline.p_true = estimate.p_true if estimate else None
        return timeline

    def credibility(self) -> tuple[CredibilityResult, dict[object, ClaimCredibility]]:
        """Truth discovery over the whole store, computed once."""
        with self._lock:
            if self._credibility is None:
                self._credibility = store_credibility(self.corpus.con)
            return self._credibility

    def claim_page(self, claim_id: int) -> ClaimPage:
        """Everything the claim page shows."""
        tl = self.timeline(claim_id)
        hrefs = [self.href(e.article_id, e.statement_id, e.span) for e in tl.entries]
        result, vote = self.credibility()
        cred = result.claims.get(claim_id)
        voters = (*cred.sources_for, *cred.sources_against) if cred else ()
        matrix = stance_matrix(tl, hrefs)
        return ClaimPage(
            timeline=tl,
            hrefs=hrefs,
            matrix=matrix,
            credibility=cred,
            weighted_vote=vote.get(claim_id),
            reliability={k: result.sources[k] for k in voters if k in result.sources},
            names={row.holder_key: row.holder for row in matrix.rows},
            latest=_latest(tl, hrefs),
        )

    def timeline_svg(self, claim_id: int) -> bytes:
        """The claim's timeline chart as SVG (drawn once per claim)."""
        tl = self.timeline(claim_id)
        from sayso.corpus.plot import render_timeline

        with self._lock:  # matplotlib is not thread-safe either
            if claim_id not in self._svg:
                self._svg[claim_id] = render_timeline(tl, fmt="svg")
            return self._svg[claim_id]

    def search(self, q: str, limit: int = 20) -> list[queries.SearchHit]:
        """Claims and statements matching ``q``."""
        return self._locked(lambda: self.corpus.search(q, limit=limit))

    # -- sources -----------------------------------------------------------------------

    def sources(self, limit: int | None = None) -> list[queries.SourceSummary]:
        """Holders, most active first."""
        return self._locked(lambda: self.corpus.sources(limit=limit))

    def source_page(self, key: str) -> SourcePage:
        """What one holder said and how often it was right later."""
        summary = next((s for s in self.sources() if s.holder_key == key), None)
        if summary is None:
            raise NotFound(f"no source {key[:60]!r} in the corpus")
        entries = self._locked(lambda: queries.source_entries(self.corpus.con, key))
        statements = [
            SourceStatement(
                date=e.date,
                claim_id=e.claim_id,
                claim_text=e.claim_text,
                stance=e.stance,
                commitment=e.commitment,
                quote=e.quote or "",
                article_id=e.article_id,
                title=e.title,
                outlet=e.outlet,
                href=self.href(e.article_id, e.statement_id, e.span),
            )
            for e in entries
        ]
        result, _ = self.credibility()
        with self._lock:
            if self._observations is None:
                self._observations = observations_from_store(self.corpus.con)
            observations = self._observations
        texts = {s.claim_id: (s.claim_text, s.href) for s in statements}
        checks = right_later(key, observations, texts)
        return SourcePage(
            summary=summary,
            reliability=result.sources.get(key),
            statements=statements,
            checks=checks,
            right=sum(c.verdict == "right" for c in checks),
            wrong=sum(c.verdict == "wrong" for c in checks),
            open=sum(c.verdict == "open" for c in checks),
            method=RIGHT_LATER_METHOD,
        )


def _latest(tl: queries.ClaimTimeline, hrefs: list[str]) -> dict[str, str]:
    # Entries come by date, undated last; an undated stance is the latest only if alone.
    out: dict[str, str] = {}
    for entry, href in zip(tl.entries, hrefs, strict=True):
        if entry.date is not None or entry.holder_key not in out:
            out[entry.holder_key] = href
    return out


def stance_matrix(tl: queries.ClaimTimeline, hrefs: list[str]) -> StanceMatrix:
    """Holders (in order of first stance) x dates (undated last)."""
    dated = sorted({e.date for e in tl.entries if e.date is not None})
    columns: list[dt.date | None] = [*dated]
    if any(e.date is None for e in tl.entries):
        columns.append(None)
    col = {d: i for i, d in enumerate(columns)}
    names: dict[str, Counter[str]] = {}
    cells: dict[str, list[list[CellLink]]] = {}
    for entry, href in zip(tl.entries, hrefs, strict=True):
        names.setdefault(entry.holder_key, Counter())[entry.holder] += 1
        row = cells.setdefault(entry.holder_key, [[] for _ in columns])
        row[col[entry.date]].append(
            CellLink(
                href=href,
                stance=stance_class(entry.stance),
                label=entry.stance,
                commitment=entry.commitment,
                quote=entry.quote,
                title=entry.title,
                outlet=entry.outlet,
            )
        )
    return StanceMatrix(
        dates=[d.isoformat() if d else "undated" for d in columns],
        rows=[
            MatrixRow(
                holder=names[key].most_common(1)[0][0],
                holder_key=key,
                href=source_href(key),
                cells=row,
            )
            for key, row in cells.items()
        ],
    )


def right_later(
    key: str, observations: list[Observation], claims: dict[int, tuple[str, str]]
) -> list[LaterCheck]:
    """Check each of ``key``'s votes against a later re-estimate (see RIGHT_LATER_METHOD).

    ``observations`` are in date order (as :func:`observations_from_store` returns them);
    ``claims`` maps a claim id to its text and the link to the source's sentence.

    >>> obs = [Observation(1, "a", "asserts", dt.date(2026, 1, 1)),
    ...        Observation(1, "b", "asserts", dt.date(2026, 1, 3)),
    ...        Observation(1, "c", "asserts", dt.date(2026, 1, 4)),
    ...        Observation(2, "a", "denies", dt.date(2026, 1, 2))]
    >>> [(c.claim_id, c.later_votes, c.verdict) for c in right_later("a", obs, {})]
    [(1, 2, 'right'), (2, 0, 'open')]
    """
    own: dict[int, Observation] = {}
    for o in observations:
        if o.holder_key == key and o.depends_on is None and isinstance(o.claim_id, int):
            own[o.claim_id] = o  # the latest stance counts, as in the credibility model
    votes = {c: o for c, o in own.items() if vote_weight(o.stance, o.commitment) != 0.0}
    later: list[Observation] = []
    for o in observations:
        if o.holder_key == key or o.voter == key:
            continue
        mine = votes.get(o.claim_id) if isinstance(o.claim_id, int) else None
        if mine is not None and (mine.date is None or o.date is None or o.date <= mine.date):
            continue
        later.append(o)
    result = credibility(later) if later else None
    checks: list[LaterCheck] = []
    for claim_id, o in votes.items():
        text, href = claims.get(claim_id, (str(claim_id), f"/claims/{claim_id}"))
        est = result.claims.get(claim_id) if result else None
        n = est.n_votes if est else 0
        p = est.p_true if est and n else None
        sign = 1 if vote_weight(o.stance, o.commitment) > 0 else -1
        verdict: Literal["right", "wrong", "open", "undated"]
        if o.date is None:
            verdict = "undated"
        elif p is None or abs(p - 0.5) < RIGHT_LATER_MARGIN - 1e-9:
            verdict = "open"
        else:
            verdict = "right" if (p > 0.5) == (sign > 0) else "wrong"
        checks.append(LaterCheck(claim_id, text, o.date, str(o.stance), n, p, verdict, href))
    return checks

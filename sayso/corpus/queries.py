"""Read-side queries over the corpus store: claims, a claim's timeline, sources, search, export.

Each query returns plain dataclasses so that the CLI, the Python API and a web view print or
serialise the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from sayso.corpus import linking
from sayso.corpus.store import flag_column, search_terms
from sayso.errors import SaysoError
from sayso.record import STANCE_LABELS

#: BM25 parameters for :func:`search`.
BM25_K1 = 1.2
BM25_B = 0.75

#: Per claim and holder, the holder's latest stance (by date, then ingest order; a stance
#: an article recalls as taken earlier only when the holder has no other).
_POSITIONS = """
WITH s AS (
    SELECT l.corpus_claim_id AS cid, st.holder_key, st.commitment, st.date,
           a.ingested_at, st.article_id, st.n, {recap} AS recap
    FROM counted_stances st
    JOIN claim_links l ON l.article_id = st.article_id AND l.claim_id = st.claim_id
    JOIN articles a ON a.id = st.article_id
),
latest AS (
    SELECT cid, holder_key,
           arg_max(
               commitment, (NOT recap, coalesce(date, DATE '0001-01-01'), ingested_at, n)
           ) AS commitment
    FROM s GROUP BY cid, holder_key
),
per_claim AS (
    SELECT cid,
           count(*) FILTER (WHERE commitment > 0) AS pro,
           count(*) FILTER (WHERE commitment < 0) AS con,
           count(*) FILTER (WHERE commitment = 0) AS neutral
    FROM latest GROUP BY cid
),
spread AS (
    SELECT l.corpus_claim_id AS cid, count(DISTINCT l.article_id) AS articles,
           min(a.published) AS first_date, max(a.published) AS last_date
    FROM claim_links l JOIN articles a ON a.id = l.article_id
    GROUP BY l.corpus_claim_id
)
"""


@dataclass
class ClaimSummary:
    """One corpus claim in the ranked list."""

    id: int
    text: str
    contested: int  # min(holders now asserting, holders now denying or doubting)
    asserting: int
    denying: int
    neutral: int
    articles: int
    first_date: dt.date | None
    last_date: dt.date | None


def claims(con: duckdb.DuckDBPyConnection, limit: int | None = 50) -> list[ClaimSummary]:
    """Corpus claims, most contested first, then most recent, then most widely reported.

    "Contested" counts holders on each side by their latest stance: the smaller of the
    number now asserting (commitment > 0) and the number now denying or doubting (< 0).
    """
    sql = (
        _POSITIONS.format(recap=flag_column(con, "counted_stances", "st", "recap"))
        + """
    SELECT k.id, k.text,
           least(coalesce(p.pro, 0), coalesce(p.con, 0)) AS contested,
           coalesce(p.pro, 0), coalesce(p.con, 0), coalesce(p.neutral, 0),
           coalesce(sp.articles, 0), sp.first_date, sp.last_date
    FROM corpus_claims k
    LEFT JOIN per_claim p ON p.cid = k.id
    LEFT JOIN spread sp ON sp.cid = k.id
    ORDER BY contested DESC, sp.last_date DESC NULLS LAST,
             coalesce(p.pro, 0) + coalesce(p.con, 0) + coalesce(p.neutral, 0) DESC,
             sp.articles DESC, k.id
    """
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [ClaimSummary(*row) for row in con.execute(sql).fetchall()]


@dataclass
class TimelineEntry:
    """One dated stance on a corpus claim."""

    date: dt.date | None
    holder: str
    holder_key: str
    stance: str
    commitment: int
    quote: str
    article_id: str
    title: str | None
    outlet: str | None
    url: str | None
    statement_id: str | None
    span: tuple[int, int]
    claim_id: int = 0  # the corpus claim the stance is on
    claim_text: str = ""
    recap: bool = False  # recalled as taken earlier ("had denied"): no change of line


#: Every counted stance with its corpus claim and article, in timeline order.
_STANCE_ENTRIES = """
    SELECT st.date, st.holder, st.holder_key, st.stance, st.commitment, st.quote,
           a.id, a.title, a.outlet, a.url, st.statement_id, st.span_start, st.span_end,
           l.corpus_claim_id, k.text, {recap}
    FROM counted_stances st
    JOIN claim_links l ON l.article_id = st.article_id AND l.claim_id = st.claim_id
    JOIN corpus_claims k ON k.id = l.corpus_claim_id
    JOIN articles a ON a.id = st.article_id
    WHERE {column} = ?
    ORDER BY st.date NULLS LAST, {recap} DESC, a.ingested_at, a.id, st.claim_id, st.n
"""


def _stance_entries(con: duckdb.DuckDBPyConnection, column: str, value: Any) -> list[TimelineEntry]:
    recap = flag_column(con, "counted_stances", "st", "recap")
    rows = con.execute(_STANCE_ENTRIES.format(column=column, recap=recap), [value]).fetchall()
    return [
        TimelineEntry(
            date=r[0],
            holder=r[1],
            holder_key=r[2],
            stance=r[3],
            commitment=int(r[4]),
            quote=r[5],
            article_id=r[6],
            title=r[7],
            outlet=r[8],
            url=r[9],
            statement_id=r[10],
            span=(int(r[11]), int(r[12])),
            claim_id=int(r[13]),
            claim_text=str(r[14]),
            recap=bool(r[15]),
        )
        for r in rows
    ]


def source_entries(con: duckdb.DuckDBPyConnection, holder_key: str) -> list[TimelineEntry]:
    """Every counted stance of one holder (by ``holder_key``), in date order."""
    return _stance_entries(con, "st.holder_key", holder_key)


@dataclass
class LineChange:
    """A holder whose line changed: ``before`` and ``after`` are consecutive stances."""

    holder_key: str
    before: TimelineEntry
    after: TimelineEntry


@dataclass
class ClaimTimeline:
    """A corpus claim's story: every stance in date order, who said it first, who changed."""

    id: int
    text: str
    entries: list[TimelineEntry]
    first: TimelineEntry | None
    changes: list[LineChange]
    member_claims: list[tuple[str, str, str, float]] = field(default_factory=list)
    #: The credibility estimate p(true) (``sayso.corpus.credibility``) when it was computed.
    p_true: float | None = None


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)


def claim_timeline(
    con: duckdb.DuckDBPyConnection, claim_id: int, as_of: dt.date | None = None
) -> ClaimTimeline:
    """The timeline of corpus claim ``claim_id`` (:class:`SaysoError` when there is none);
    with ``as_of``, as it stood on that day: only the stances dated on or before it.

    Undated stances come last, and on one date the stances an article recalls as taken
    earlier ("had denied") come first. A change of line is a holder's stance whose commitment
    has a different sign (asserting / neutral / denying or doubting) from that holder's
    previous one; a recalled stance is never one, nor the line changed from.
    """
    claim_id = linking.resolve_claim_id(con, claim_id)  # a merged claim lives on in another
    head = con.execute("SELECT id, text FROM corpus_claims WHERE id = ?", [claim_id]).fetchone()
    if head is None:
        raise SaysoError(f"no claim {claim_id} in the corpus (see `sayso claims`)")
    entries = _stance_entries(con, "l.corpus_claim_id", claim_id)
    if as_of is not None:
        entries = [e for e in entries if e.date is not None and e.date <= as_of]
    changes: list[LineChange] = []
    last: dict[str, TimelineEntry] = {}
    for entry in entries:
        if entry.recap:
            continue
        before = last.get(entry.holder_key)
        if before is not None and _sign(before.commitment) != _sign(entry.commitment):
            changes.append(LineChange(entry.holder_key, before, entry))
        last[entry.holder_key] = entry
    members = con.execute(
        """
        SELECT l.article_id, l.claim_id, c.text, l.score FROM claim_links l
        JOIN claims c ON c.article_id = l.article_id AND c.id = l.claim_id
        JOIN articles a ON a.id = l.article_id
        WHERE l.corpus_claim_id = ? ORDER BY a.published NULLS LAST, a.ingested_at, l.claim_id
        """,
        [claim_id],
    ).fetchall()
    return ClaimTimeline(
        id=int(head[0]),
        text=str(head[1]),
        entries=entries,
        first=entries[0] if entries else None,
        changes=changes,
        member_claims=[(str(a), str(c), str(t), float(s)) for a, c, t, s in members],
    )


@dataclass
class SourceSummary:
    """A holder and their record across the corpus."""

    holder_key: str
    name: str  # the form the corpus uses most often
    stances: int
    counts: dict[str, int]
    claims: int
    articles: int
    first_date: dt.date | None
    last_date: dt.date | None


def sources(
    con: duckdb.DuckDBPyConnection, limit: int | None = 50, as_of: dt.date | None = None
) -> list[SourceSummary]:
    """Holders of stances, most active first, with counts of each stance label; with
    ``as_of``, of the stances dated on or before that day only."""
    counts = ", ".join(f"count(*) FILTER (WHERE st.stance = '{s}')" for s in STANCE_LABELS)
    until = "" if as_of is None else f"WHERE st.date <= DATE '{as_of.isoformat()}'"
    sql = f"""
        SELECT st.holder_key, mode(st.holder), count(*), {counts},
               count(DISTINCT l.corpus_claim_id), count(DISTINCT st.article_id),
               min(st.date), max(st.date)
        FROM counted_stances st
        JOIN claim_links l ON l.article_id = st.article_id AND l.claim_id = st.claim_id
        {until}
        GROUP BY st.holder_key
        ORDER BY count(*) DESC, st.holder_key
    """
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    out = []
    n = len(STANCE_LABELS)
    for row in con.execute(sql).fetchall():
        out.append(
            SourceSummary(
                holder_key=row[0],
                name=row[1],
                stances=int(row[2]),
                counts=dict(zip(STANCE_LABELS, map(int, row[3 : 3 + n]), strict=True)),
                claims=int(row[3 + n]),
                articles=int(row[4 + n]),
                first_date=row[5 + n],
                last_date=row[6 + n],
            )
        )
    return out


@dataclass
class SearchHit:
    """A claim or statement matching a search, with its BM25 score."""

    kind: str  # "claim" (a corpus claim) or "statement"
    score: float
    text: str
    corpus_claim_id: int | None
    article_id: str
    item_id: str
    speaker: str | None = None
    date: dt.date | None = None


def search(con: duckdb.DuckDBPyConnection, text: str, limit: int = 10) -> list[SearchHit]:
    """Full-text search (BM25 over a term table) of corpus claims and statements.

    Corpus claims are scored by their best-matching member claim. Claims come first, then
    statements, each by score.
    """
    terms = sorted(search_terms(text))
    if not terms:
        raise SaysoError("the search has no words to look for (only stop words?)")
    scored = f"""
        WITH q AS (SELECT unnest(?::VARCHAR[]) AS term),
        n AS (SELECT count(*) AS n, avg(length) AS avgdl FROM search_docs),
        df AS (SELECT term, count(*) AS df FROM search_terms
               WHERE term IN (SELECT term FROM q) GROUP BY term),
        scores AS (
            SELECT t.kind, t.article_id, t.item_id,
                   sum(ln(1 + (n.n - df.df + 0.5) / (df.df + 0.5))
                       * t.tf * {BM25_K1 + 1}
                       / (t.tf + {BM25_K1} * (1 - {BM25_B} + {BM25_B} * d.length
                                               / greatest(n.avgdl, 1)))) AS score
            FROM search_terms t
            JOIN df ON df.term = t.term
            JOIN search_docs d
              ON d.kind = t.kind AND d.article_id = t.article_id AND d.item_id = t.item_id
            CROSS JOIN n
            GROUP BY t.kind, t.article_id, t.item_id
        )
    """
    claim_rows = con.execute(
        scored
        + """
        SELECT max(s.score) AS score, k.text, k.id,
               arg_max(s.article_id, s.score), arg_max(s.item_id, s.score)
        FROM scores s
        JOIN claim_links l ON l.article_id = s.article_id AND l.claim_id = s.item_id
        JOIN corpus_claims k ON k.id = l.corpus_claim_id
        WHERE s.kind = 'claim'
        GROUP BY k.id, k.text ORDER BY score DESC, k.id LIMIT ?
        """,
        [terms, limit],
    ).fetchall()
    statement_rows = con.execute(
        scored
        + """
        SELECT s.score, st.content, l.corpus_claim_id, st.article_id, st.id, st.speaker, st.date
        FROM scores s
        JOIN statements st ON st.article_id = s.article_id AND st.id = s.item_id
        LEFT JOIN claim_links l ON l.article_id = st.article_id AND l.claim_id = st.claim_id
        WHERE s.kind = 'statement'
        ORDER BY s.score DESC, st.article_id, st.id LIMIT ?
        """,
        [terms, limit],
    ).fetchall()
    hits = [SearchHit("claim", float(r[0]), r[1], int(r[2]), r[3], r[4]) for r in claim_rows]
    hits += [
        SearchHit("statement", float(r[0]), r[1], r[2], r[3], r[4], speaker=r[5], date=r[6])
        for r in statement_rows
    ]
    return hits


#: The tables :func:`export` writes, as SQL over the store.
EXPORTS: dict[str, str] = {
    # duplicate_of: the original of a near-duplicate copy, whose stances are not counted again
    "articles": """SELECT a.id, a.url, a.title, a.published, a.source, a.outlet, a.input,
                          a.n_chars, a.ingested_at, d.duplicate_of, d.similarity
                   FROM articles a LEFT JOIN article_duplicates d ON d.article_id = a.id
                   ORDER BY a.published NULLS LAST, a.id""",
    "statements": """SELECT st.*, l.corpus_claim_id FROM statements st
                     LEFT JOIN claim_links l
                       ON l.article_id = st.article_id AND l.claim_id = st.claim_id
                     ORDER BY st.article_id, st.content_start""",
    "claims": """SELECT c.article_id, c.id, c.text, l.corpus_claim_id, l.score AS link_score
                 FROM claims c
                 JOIN claim_links l ON l.article_id = c.article_id AND l.claim_id = c.id
                 ORDER BY c.article_id, c.id""",
    "corpus_claims": "SELECT * FROM corpus_claims ORDER BY id",
    # The stance as the article gives it; reversed: it counts the other way towards its
    # corpus claim (worded with the opposite polarity); counted: not a near-duplicate's.
    "stances": """SELECT st.*, l.corpus_claim_id, {reversed} AS reversed,
                         st.article_id NOT IN (SELECT article_id FROM article_duplicates)
                           AS counted
                  FROM stances st
                  JOIN claim_links l ON l.article_id = st.article_id AND l.claim_id = st.claim_id
                  ORDER BY st.article_id, st.claim_id, st.n""",
    "entities": "SELECT * FROM entities ORDER BY article_id, id",
}

_FORMATS = {"parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER)", "jsonl": "(FORMAT json)"}


def export(con: duckdb.DuckDBPyConnection, fmt: str, out: str | Path) -> dict[str, Path]:
    """Write each table of :data:`EXPORTS` to ``out/<table>.<fmt>``; returns the paths."""
    if fmt not in _FORMATS:
        raise SaysoError(f"unknown export format {fmt!r} (parquet, csv or jsonl)")
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaysoError(f"cannot create {out}: {exc.strerror or type(exc).__name__}") from None
    written: dict[str, Path] = {}
    reversed_ = flag_column(con, "claim_links", "l", "reversed")
    for name, sql in EXPORTS.items():
        sql = sql.replace("{reversed}", reversed_)
        path = out / f"{name}.{fmt}"
        quoted = str(path).replace("'", "''")
        con.execute(f"COPY ({sql}) TO '{quoted}' {_FORMATS[fmt]}")
        written[name] = path
    return written


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """How much the store holds."""
    out: dict[str, Any] = {}
    for table in ("articles", "statements", "claims", "stances", "entities", "corpus_claims"):
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        out[table] = int(row[0]) if row else 0
    return out

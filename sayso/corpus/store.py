"""The corpus store: one embedded DuckDB file, its schema, writes and queries.

Articles are written in transactions of one or more whole articles (:func:`add_articles`),
so the file is always a set of whole articles: an ingest that is killed leaves no half-stored
article behind, and the next run finds the missing articles and analyses them again.

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "c.duckdb")
>>> con = connect(path)
>>> sorted(TABLES) == sorted(table_names(con))
True
>>> con.close()
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb

from sayso.corpus import linking, neardup
from sayso.corpus.linking import Features, normalise_name
from sayso.errors import SaysoError
from sayso.record import ArticleAnalysis, ClaimStance, Statement

#: Bumped when the schema changes; stored in ``meta``.
STORE_VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,          -- sha256 (16 hex) of the normalised text
    url VARCHAR,
    title VARCHAR,
    published DATE,
    source VARCHAR,                  -- as the record says: site, file path or URL
    outlet VARCHAR,                  -- site name or URL host, when known
    input VARCHAR,                   -- the file (and line) it was read from
    n_chars INTEGER,
    ingested_at TIMESTAMP,
    record JSON                      -- ArticleAnalysis.model_dump_json(), unchanged
);
CREATE TABLE IF NOT EXISTS entities (
    article_id VARCHAR, id VARCHAR, name VARCHAR, key VARCHAR, type VARCHAR,
    aliases VARCHAR[], n_mentions INTEGER,
    PRIMARY KEY (article_id, id)
);
CREATE TABLE IF NOT EXISTS statements (
    article_id VARCHAR, id VARCHAR,
    speaker VARCHAR, speaker_key VARCHAR, speaker_entity VARCHAR, role VARCHAR,
    affiliation VARCHAR, cue VARCHAR, content VARCHAR,
    content_start INTEGER, content_end INTEGER, quote_type VARCHAR,
    date DATE,                       -- the statement's own date, else the article's
    stance VARCHAR, commitment INTEGER, stance_evidence VARCHAR, claim_id VARCHAR,
    PRIMARY KEY (article_id, id)
);
CREATE TABLE IF NOT EXISTS claims (
    article_id VARCHAR, id VARCHAR, text VARCHAR,
    feature_weight DOUBLE,           -- total weight of its linking features
    PRIMARY KEY (article_id, id)
);
CREATE TABLE IF NOT EXISTS stances (
    article_id VARCHAR, claim_id VARCHAR, n INTEGER,
    holder VARCHAR, holder_key VARCHAR, holder_entity VARCHAR,
    stance VARCHAR, commitment INTEGER, statement_id VARCHAR,
    span_start INTEGER, span_end INTEGER, quote VARCHAR, date DATE,
    PRIMARY KEY (article_id, claim_id, n)
);
-- recap: the article recalls the stance as taken before its own time ("had denied") and
-- gives no date: its date is the article's, and a holder's other stances come first when
-- the latest one is asked for.
ALTER TABLE stances ADD COLUMN IF NOT EXISTS recap BOOLEAN DEFAULT false;
CREATE TABLE IF NOT EXISTS claim_features (
    article_id VARCHAR, claim_id VARCHAR, feature VARCHAR, weight DOUBLE
);
CREATE TABLE IF NOT EXISTS corpus_claims (
    id INTEGER PRIMARY KEY, text VARCHAR, first_article VARCHAR, created_at TIMESTAMP
);
-- negated: the corpus claim is worded as its first article claim was, maybe negatively.
ALTER TABLE corpus_claims ADD COLUMN IF NOT EXISTS negated BOOLEAN DEFAULT false;
CREATE TABLE IF NOT EXISTS claim_links (
    article_id VARCHAR, claim_id VARCHAR, corpus_claim_id INTEGER, score DOUBLE,
    PRIMARY KEY (article_id, claim_id)
);
-- reversed: the article claim has the opposite polarity of its corpus claim ("no drone
-- crossed" in a corpus claim "drones crossed"), so its stances count reversed there.
ALTER TABLE claim_links ADD COLUMN IF NOT EXISTS reversed BOOLEAN DEFAULT false;
CREATE TABLE IF NOT EXISTS search_terms (
    kind VARCHAR, article_id VARCHAR, item_id VARCHAR, term VARCHAR, tf INTEGER
);
CREATE TABLE IF NOT EXISTS search_docs (
    kind VARCHAR, article_id VARCHAR, item_id VARCHAR, length INTEGER
);
"""

TABLES = (
    "meta",
    "articles",
    "entities",
    "statements",
    "claims",
    "stances",
    "claim_features",
    "corpus_claims",
    "claim_links",
    "search_terms",
    "search_docs",
    *neardup.TABLES,
    *linking.TABLES,
    "counted_stances",
)

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and if needed create) the store; a one-line :class:`SaysoError` if it cannot."""
    path = Path(path)
    if read_only and not path.exists():
        raise SaysoError(f"no corpus at {path} (create it with `sayso ingest ... --db {path}`)")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SaysoError(f"cannot open the corpus {path}: {first}") from None
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SaysoError(f"{path} is not a sayso corpus: {first}") from None
    if not read_only:
        con.execute(SCHEMA)
        neardup.ensure_tables(con)
        linking.ensure_tables(con)
        con.execute(
            "INSERT INTO meta VALUES ('store_version', ?) ON CONFLICT DO NOTHING", [STORE_VERSION]
        )
    else:
        # The linker's own tables are rebuilt on the next write; queries do not need them.
        missing = set(TABLES) - set(linking.TABLES) - set(table_names(con))
        if missing:
            con.close()
            raise SaysoError(f"{path} is not a sayso corpus (no table {sorted(missing)[0]})")
    return con


def flag_column(con: duckdb.DuckDBPyConnection, table: str, alias: str, column: str) -> str:
    """The SQL for a boolean column added in a later store version (``false`` in a store from
    before it, opened read-only)."""
    row = con.execute(
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_name = ? AND column_name = ?",
        [table, column],
    ).fetchone()
    return f"coalesce({alias}.{column}, false)" if row and row[0] else "false"


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables in the store's main schema."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()
    return [r[0] for r in rows]


def normalise_text(text: str) -> str:
    """The text an article is identified by: NFKC, case-folded, whitespace collapsed.

    >>> normalise_text("  Talks\\n\\nSTALLED. ") == normalise_text("talks stalled.")
    True
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def article_id(text: str) -> str:
    """An article's id: the first 16 hex digits of the SHA-256 of its normalised text.

    >>> article_id("Talks stalled.") == article_id("  talks   stalled. ")
    True
    >>> len(article_id("x"))
    16
    """
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


def outlet_of(url: str | None, source: str | None) -> str | None:
    """The outlet: a URL's host (without ``www.``), else a source that is not a file path.

    >>> outlet_of("https://www.example.org/a", None), outlet_of(None, "Daily Planet")
    ('example.org', 'Daily Planet')
    >>> outlet_of(None, "/tmp/a.txt") is None
    True
    """
    for candidate in (url, source):
        if candidate and re.match(r"^https?://", candidate):
            host = urlsplit(candidate).hostname or ""
            return host.removeprefix("www.") or None
    if source and not ("/" in source or "\\" in source or source == "-"):
        return source
    return None


def find_existing(con: duckdb.DuckDBPyConnection, aid: str, url: str | None) -> str | None:
    """The id of a stored article with this id or this URL, if any."""
    row = con.execute(
        "SELECT id FROM articles WHERE id = ? OR (? IS NOT NULL AND url = ?) LIMIT 1",
        [aid, url, url],
    ).fetchone()
    return None if row is None else str(row[0])


@dataclass
class Added:
    """What :func:`add_article` did with one article."""

    article_id: str
    stored: bool  # False: it was already in the store
    claims: int = 0
    #: Statements linked apart from their claim (:func:`linking.split_claim`); with the
    #: claims, they are the units counted as new or linked.
    statements_apart: int = 0
    new_corpus_claims: int = 0
    linked_claims: int = 0
    duplicate_of: str | None = None  # the original, when this article is a near-duplicate


@dataclass
class Pending:
    """One analysed article waiting to be written by :func:`add_articles`."""

    record: ArticleAnalysis
    features: Mapping[str, Features]
    input_name: str | None = None
    outlet: str | None = None


def add_article(
    con: duckdb.DuckDBPyConnection,
    record: ArticleAnalysis,
    features: Mapping[str, Features],
    *,
    input_name: str | None = None,
    outlet: str | None = None,
) -> Added:
    """Store one analysed article and link its claims, in one transaction.

    Nothing is written when the same text or URL is already stored.
    """
    return add_articles(con, [Pending(record, features, input_name, outlet)])[0]


def add_articles(con: duckdb.DuckDBPyConnection, items: Sequence[Pending]) -> list[Added]:
    """Store several analysed articles, in order, in one transaction; one result each.

    Each article's claims are linked before the next article's, so later articles link to
    earlier ones exactly as if each had its own transaction: while a batch is written,
    :func:`sayso.corpus.linking.link_claims` sees the earlier articles' ``corpus_claims``
    and ``claim_links`` (written at once, since merges change them), near-duplicate
    detection its own tables, and the linker its tables as the earlier articles left them
    (held in a :class:`~sayso.corpus.linking.LinkBatch` and written at the end). The other
    rows (``articles``, ``entities``, ``statements``, ``stances``, ``claims``,
    ``claim_features``, the search index) are written at the end of the batch, one
    statement per table, which is what makes a batch cheaper than its articles one by one.
    An article whose text or URL is already stored, or earlier in ``items``, is not written.
    On any error nothing of the batch is kept.
    """
    if not items:
        return []
    out: list[Added] = []
    rows: dict[str, list[list[Any]]] = {table: [] for table in _DEFERRED}
    con.begin()
    try:
        link_batch = linking.LinkBatch(con)
        seen = _stored_keys(con, items)
        for item in items:
            record = item.record
            aid = article_id(record.text)
            if aid in seen or (record.url and f"url:{record.url}" in seen):
                out.append(Added(aid, stored=False))
                continue
            seen.update([aid, *([f"url:{record.url}"] if record.url else [])])
            outlet = item.outlet or outlet_of(record.url, record.source)
            added, units = _link(con, link_batch, rows, aid, record, item.features)
            _article_rows(rows, aid, record, item.input_name, outlet, units)
            match = neardup.check_and_remember(con, aid, record.text)
            added.duplicate_of = match.original if match else None
            out.append(added)
        link_batch.flush()
        for table in _DEFERRED:
            _insert_rows(con, table, rows[table])
        con.commit()
    except BaseException:
        rollback(con)
        raise
    return out


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, if the error that interrupted it left one: DuckDB may
    end it itself (seen on an out-of-memory error under a tight ``memory_limit``), and a
    second error from the rollback must not hide the first."""
    with contextlib.suppress(duckdb.TransactionException):
        con.rollback()


#: Tables :func:`add_articles` writes once per batch, in this order.
_DEFERRED = (
    "articles",
    "entities",
    "statements",
    "stances",
    "claims",
    "claim_features",
    "search_docs",
    "search_terms",
)


def _stored_keys(con: duckdb.DuckDBPyConnection, items: Sequence[Pending]) -> set[str]:
    """Which of the items' ids and URLs (as ``url:<url>``) are stored, in one query."""
    ids = [article_id(item.record.text) for item in items]
    urls = [item.record.url for item in items if item.record.url]
    found = con.execute(
        "SELECT id, url FROM articles WHERE id IN (SELECT unnest($1::VARCHAR[])) "
        "OR url IN (SELECT unnest($2::VARCHAR[]))",
        [ids, urls],
    ).fetchall()
    keys: set[str] = set()
    wanted_ids, wanted_urls = set(ids), set(urls)
    for aid, url in found:
        if aid in wanted_ids:
            keys.add(str(aid))
        if url in wanted_urls:
            keys.add(f"url:{url}")
    return keys


def iso_date(value: str | None) -> dt.date | None:
    """The date at the start of an ISO string, or None.

    >>> iso_date("2026-03-02T23:59:01Z"), iso_date("yesterday")
    (datetime.date(2026, 3, 2), None)
    """
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _article_rows(
    rows: dict[str, list[list[Any]]],
    aid: str,
    rec: ArticleAnalysis,
    input_name: str | None,
    outlet: str | None,
    units: Mapping[tuple[str, str], str],
) -> None:
    """Add the article's rows of the tables in :data:`_DEFERRED` to ``rows``; a statement
    in ``units`` ((claim id, statement id) -> unit id) is stored with that unit as its claim."""
    published = iso_date(rec.published)
    rows["articles"].append(
        [
            aid,
            rec.url,
            rec.title,
            published,
            rec.source,
            outlet,
            input_name,
            len(rec.text),
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            rec.model_dump_json(),
        ]
    )
    entity_name = {e.id: e.name for e in rec.entities}
    rows["entities"].extend(
        [aid, e.id, e.name, normalise_name(e.name), e.type, e.aliases, len(e.mentions)]
        for e in rec.entities
    )
    statement_date: dict[str, dt.date | None] = {}
    # Recalled and undated ("had denied"): made before the article's date, when is unknown.
    # A recalled stance with a date of its own ("on April 8 ... had denied") is dated.
    recap = {s.id: s.recap and not s.date for s in rec.statements}
    for s in rec.statements:
        when = iso_date(s.date) or published
        statement_date[s.id] = when
        speaker_name = entity_name.get(s.speaker.entity or "", s.speaker.name)
        rows["statements"].append(
            [
                aid,
                s.id,
                s.speaker.name,
                normalise_name(speaker_name),
                s.speaker.entity,
                s.speaker.role,
                s.speaker.affiliation,
                s.cue.text,
                s.content.text,
                s.content.span[0],
                s.content.span[1],
                s.quote_type,
                when,
                s.stance,
                s.commitment,
                s.stance_evidence,
                units.get((s.claim or "", s.id), s.claim),
            ]
        )
    for unit, n, st in unit_stances(rec, units):
        rows["stances"].append(
            [
                aid,
                unit,
                n,
                st.holder,
                holder_key(st.holder, st.holder_entity, entity_name, outlet),
                st.holder_entity,
                st.stance,
                st.commitment,
                st.statement,
                st.span[0],
                st.span[1],
                rec.quote(st.span),
                statement_date.get(st.statement or "", published),
                recap.get(st.statement or "", False),
            ]
        )
    _search_rows(rows, aid, rec)


def unit_stances(
    rec: ArticleAnalysis, units: Mapping[tuple[str, str], str]
) -> list[tuple[str, int, ClaimStance]]:
    """Each stored unit's stances, one per holder, numbered within the unit: an article
    claim's (:class:`ClaimStance`), with the statements the linker linked apart from it
    (``units``: (claim id, statement id) -> unit id) as units of their own. A statement
    linked apart holds its speaker's stance on its own words there (its unit is worded as
    the statement is, :func:`_link`); a speaker whose stance went with it keeps one on
    the rest of the claim from their first statement left there."""

    def holder_of(statement: Statement) -> str:
        return statement.speaker.entity or statement.speaker.name.lower()

    def stance_of(statement: Statement, own: bool) -> ClaimStance:
        stance, commitment = (
            (statement.stance, statement.commitment)
            if own
            else rec.claim_stance_of(statement) or (statement.stance, statement.commitment)
        )
        parts = [statement.cue.span, statement.content.span]
        if statement.speaker.span is not None:
            parts.append(statement.speaker.span)
        return ClaimStance(
            holder=statement.speaker.name,
            holder_entity=statement.speaker.entity,
            stance=stance,
            commitment=commitment,
            statement=statement.id,
            span=(min(p[0] for p in parts), max(p[1] for p in parts)),
        )

    by_id = {st.id: st for st in rec.statements}
    result: list[tuple[str, int, ClaimStance]] = []
    for c in rec.claims:
        held: dict[str, list[ClaimStance]] = {}
        for st in c.stances:
            if (c.id, st.statement or "") not in units:
                held.setdefault(c.id, []).append(st)
        members = [st for st in rec.statements if st.claim == c.id]
        moved: set[str] = set()
        for statement in members:
            unit = units.get((c.id, statement.id))
            if unit is not None:
                held[unit] = [stance_of(statement, own=True)]
                if any(st.statement == statement.id for st in c.stances):
                    moved.add(holder_of(statement))
        rest = held.setdefault(c.id, [])
        kept = {holder_of(by_id[st.statement]) for st in rest if st.statement in by_id}
        for statement in members:
            key = holder_of(statement)
            if (c.id, statement.id) not in units and key in moved and key not in kept:
                rest.append(stance_of(statement, own=False))
                kept.add(key)
        for unit, stances in held.items():
            result.extend((unit, n, st) for n, st in enumerate(stances))
    return result


def _link(
    con: duckdb.DuckDBPyConnection,
    batch: linking.LinkBatch,
    rows: dict[str, list[list[Any]]],
    aid: str,
    rec: ArticleAnalysis,
    features: Mapping[str, Features],
) -> tuple[Added, dict[tuple[str, str], str]]:
    """Link the article's claims; write their corpus claims and links now, and add the
    units' rows and features to the batch's ``rows``. Returns the result and the unit of
    each statement the linker linked apart from its claim (:func:`linking.split_claim`)."""
    added = Added(aid, stored=True, claims=len(rec.claims))
    links = linking.link_claims(con, {c.id: features.get(c.id, {}) for c in rec.claims}, batch)
    negated_of = {c.id: c.negated for c in rec.claims}
    reversing = {s.id for s in rec.statements if s.reverses_claim}
    negated = _corpus_polarity(con, [link.corpus_claim for link in links if not link.new])
    text_of = {c.id: c.text for c in rec.claims} | {s.id: s.content.text for s in rec.statements}
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    link_rows: list[list[Any]] = []
    new_rows: list[list[Any]] = []
    units: dict[tuple[str, str], str] = {}
    for link in links:
        text = text_of[link.statement or link.claim]
        rows["claims"].append([aid, link.unit, text, sum(link.features.values())])
        rows["claim_features"].extend(
            [aid, link.unit, f, w] for f, w in sorted(link.features.items())
        )
        # A unit is worded as its article claim, or, for a statement linked apart, as the
        # statement ("its troops had not crossed", restating "troops crossed", is negative).
        claim_negated = negated_of[link.claim] != (link.statement in reversing)
        if link.new:
            new_rows.append([link.corpus_claim, text, aid, now, claim_negated])
            negated[link.corpus_claim] = claim_negated
            added.new_corpus_claims += 1
        else:
            added.linked_claims += 1
        if link.statement is not None:
            units[(link.claim, link.statement)] = link.unit
            added.statements_apart += 1
        reversed_ = claim_negated != negated.get(link.corpus_claim, claim_negated)
        link_rows.append([aid, link.unit, link.corpus_claim, link.score, reversed_])
    _insert_rows(con, "corpus_claims", new_rows)
    _insert_rows(con, "claim_links", link_rows)
    return added, units


def _corpus_polarity(con: duckdb.DuckDBPyConnection, ids: Sequence[int]) -> dict[int, bool]:
    """Whether each stored corpus claim of ``ids`` is worded negatively."""
    if not ids:
        return {}
    rows = con.execute(
        "SELECT id, coalesce(negated, false) FROM corpus_claims WHERE id IN (SELECT unnest($1))",
        [sorted(set(ids))],
    ).fetchall()
    return {int(i): bool(n) for i, n in rows}


def holder_key(
    holder: str, entity: str | None, entity_name: Mapping[str, str], outlet: str | None
) -> str:
    """Who holds a stance, as compared across articles.

    The linked entity's canonical name when there is one, else the holder's words; the
    article's author is ``author@<outlet>`` (or ``author`` when the outlet is unknown).

    >>> holder_key("Peskov", "e2", {"e2": "Dmitry Peskov"}, None)
    'dmitry peskov'
    >>> holder_key("author", None, {}, "example.org")
    'author@example.org'
    """
    if holder == "author" and entity is None:
        return f"author@{outlet}" if outlet else "author"
    return normalise_name(entity_name.get(entity or "", holder)) or normalise_name(holder)


#: Per table: its column names, and the JSON structure ``from_json`` reads rows with.
_COLUMNS: dict[str, tuple[list[str], str]] = {}


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Sequence[Any]]) -> None:
    """Insert many rows in one statement, passed as one JSON parameter.

    DuckDB binds each Python parameter slowly (tens of microseconds each) and
    ``executemany`` runs one statement per row; parsing one JSON string is ~10x faster.
    """
    if not rows:
        return
    if table not in _COLUMNS:
        types = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
        # A JSON column is passed as a string (already serialised) and cast on insert.
        as_read = {n: "VARCHAR" if t == "JSON" else t for n, t in types}
        _COLUMNS[table] = ([n for n, _ in types], json.dumps([as_read]).replace("'", "''"))
    names, structure = _COLUMNS[table]
    payload = json.dumps([dict(zip(names, row, strict=True)) for row in rows], default=_json_value)
    con.execute(
        f"INSERT INTO {table} SELECT r.* FROM (SELECT unnest(from_json($1, '{structure}')) AS r)",
        [payload],
    )


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__}")


def search_terms(text: str) -> dict[str, int]:
    """The terms a text is found by: lower-cased words without stop words, with counts.

    >>> search_terms("The drone strike and the drone.")
    {'drone': 2, 'strike': 1}
    """
    from sayso.corpus.linking import excluded_lemmas

    stop = excluded_lemmas()
    counts: dict[str, int] = {}
    for word in _WORD.findall(unicodedata.normalize("NFKC", text).casefold()):
        if word not in stop:
            counts[word] = counts.get(word, 0) + 1
    return counts


def _search_rows(rows: dict[str, list[list[Any]]], aid: str, rec: ArticleAnalysis) -> None:
    """Add the article's rows of the search index (``search_docs``, ``search_terms``)."""
    items: list[tuple[str, str, str]] = [
        ("statement", s.id, f"{s.speaker.name} {s.cue.text} {s.content.text}")
        for s in rec.statements
    ]
    items += [("claim", c.id, c.text) for c in rec.claims]
    for kind, item, text in items:
        terms = search_terms(text)
        rows["search_docs"].append([kind, aid, item, sum(terms.values())])
        rows["search_terms"].extend([kind, aid, item, t, n] for t, n in terms.items())


def json_rows(rows: Iterable[tuple[Any, ...]], columns: list[str]) -> list[dict[str, Any]]:
    """Rows as dicts (dates as ISO strings), for JSON output."""
    out = []
    for row in rows:
        item = {}
        for name, value in zip(columns, row, strict=True):
            item[name] = value.isoformat() if isinstance(value, dt.date) else value
        out.append(item)
    return out


def record_of(con: duckdb.DuckDBPyConnection, aid: str) -> ArticleAnalysis | None:
    """The stored record of an article, unchanged."""
    row = con.execute("SELECT record FROM articles WHERE id = ?", [aid]).fetchone()
    if row is None:
        return None
    data = row[0] if isinstance(row[0], str) else json.dumps(row[0])
    return ArticleAnalysis.model_validate_json(data)

"""Near-duplicate articles: syndicated copies with small edits are linked, not counted twice.

An agency story reprinted by ten outlets, each with its own headline and a word changed
here and there, is one source saying something once, not ten. Exact copies are already
caught by the article id (the hash of the normalised text); this module catches the rest.

**Method.** An article's text is case-folded (NFKC) and cut into overlapping word 3-grams
(*shingles*). Its MinHash signature is 128 values, each the minimum over its shingles of
one hash function of a fixed family (64-bit word hashes from BLAKE2b, mixed with the
SplitMix64 finaliser, so signatures are the same on every machine and Python version). The
share of equal values in two signatures estimates the Jaccard similarity of the two shingle
sets (standard error about 0.035 at 0.8). Signatures are cut into 32 bands of 4 values;
each band is hashed to a bucket, and two articles become *candidates* when they share a
bucket in any band, so a look-up reads only the few articles in its 32 buckets (an indexed
``IN`` over ``neardup_buckets``), not the whole corpus. With 32 x 4 bands, an article with
similarity 0.8 shares a bucket with probability > 0.9999, one with 0.5 with 0.88; pass a
``threshold`` of at least about 0.5 (below that, candidates are missed).

**Semantics.** A *near-duplicate* is an article whose estimated similarity to a stored
article is at least ``threshold`` (0.8 by default). It is still stored, analysed and
searchable (its record, statements and claims are kept, and its claims are linked to the
corpus claims as usual), and it is linked to its *original* in ``article_duplicates``
(``article_id`` -> ``duplicate_of``, with the similarity). The original is the earliest
stored article of the chain: a copy of a copy points at the first article, never at another
copy. Its stances are not counted again: the view ``counted_stances`` is ``stances`` without
the rows of near-duplicates, and the queries that count holders and stances (contested
ranking, timeline, sources) read it instead of ``stances``. Every stored article is
remembered (copies too), so a chain of small edits still reaches its original.

Tables (created by :func:`ensure_tables`; nothing existing is altered)::

    neardup_signatures(article_id PRIMARY KEY, signature BLOB, n_shingles)
    neardup_buckets(bucket BIGINT, article_id)          -- 32 rows per article, indexed
    article_duplicates(article_id PRIMARY KEY, duplicate_of, similarity)
    counted_stances                                     -- a view, once `stances` exists

>>> import duckdb
>>> con = duckdb.connect()
>>> ensure_tables(con)
>>> story = ("The envoy said on Tuesday that the ceasefire talks in the border town had "
...          "stalled after both delegations rejected the draft on prisoner exchanges.")
>>> remember(con, "a1", story)
>>> copy = story.replace("Tuesday", "Wednesday")
>>> find_near_duplicate(con, copy, threshold=0.6)
'a1'
>>> find_near_duplicate(con, "Grain exports resumed from the southern port.") is None
True
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import numpy as np
import numpy.typing as npt

#: Words per shingle.
SHINGLE_WORDS = 3
#: MinHash values per signature.
NUM_PERM = 128
#: LSH bands and rows per band (``BANDS * ROWS == NUM_PERM``).
BANDS = 32
ROWS = 4
#: Default similarity at or above which an article is a near-duplicate.
DEFAULT_THRESHOLD = 0.8

_WORD = re.compile(r"\w+", re.UNICODE)
_MASK64 = (1 << 64) - 1

TABLES_SQL = """
CREATE TABLE IF NOT EXISTS neardup_signatures (
    article_id VARCHAR PRIMARY KEY, signature BLOB, n_shingles INTEGER
);
CREATE TABLE IF NOT EXISTS neardup_buckets (bucket BIGINT, article_id VARCHAR);
CREATE INDEX IF NOT EXISTS neardup_buckets_bucket ON neardup_buckets (bucket);
CREATE TABLE IF NOT EXISTS article_duplicates (
    article_id VARCHAR PRIMARY KEY, duplicate_of VARCHAR, similarity DOUBLE
);
"""

#: The stances as they count towards their corpus claims: not those of near-duplicates, and
#: reversed where the article claim is worded with the opposite polarity of its corpus claim
#: ("said no drone crossed the border" denies the corpus claim "drones crossed the border").
COUNTED_STANCES_SQL = """
CREATE OR REPLACE VIEW counted_stances AS
SELECT s.* REPLACE (
    CASE WHEN coalesce(l.reversed, false) THEN CASE s.stance
        WHEN 'asserts' THEN 'denies' WHEN 'denies' THEN 'asserts'
        WHEN 'hedges' THEN 'doubts' WHEN 'doubts' THEN 'hedges'
        ELSE s.stance END ELSE s.stance END AS stance,
    CASE WHEN coalesce(l.reversed, false) AND s.stance IN ('asserts', 'denies', 'hedges', 'doubts')
        THEN -s.commitment ELSE s.commitment END AS commitment
)
FROM stances s
LEFT JOIN claim_links l ON l.article_id = s.article_id AND l.claim_id = s.claim_id
WHERE s.article_id NOT IN (SELECT article_id FROM article_duplicates)
"""

#: The tables this module adds to the store.
TABLES = ("neardup_signatures", "neardup_buckets", "article_duplicates")


def _seed(label: str) -> int:
    return int.from_bytes(hashlib.blake2b(label.encode(), digest_size=8).digest(), "little")


_SEEDS = np.array([_seed(f"sayso-minhash-{i}") for i in range(NUM_PERM)], dtype=np.uint64)
_SHINGLE_MULT = np.array(
    [_seed(f"sayso-shingle-{i}") | 1 for i in range(SHINGLE_WORDS)], dtype=np.uint64
)


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create this module's tables (and the ``counted_stances`` view once ``stances`` exists).

    Safe to call on every connection; existing tables are left as they are.
    """
    con.execute(TABLES_SQL)
    has_stances = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_name = 'stances'"
    ).fetchone()
    if has_stances and has_stances[0]:
        con.execute(COUNTED_STANCES_SQL)


def words(text: str) -> list[str]:
    """The words shingles are made of: NFKC, case-folded, runs of word characters.

    >>> words("Kyiv's  envoy SAID: no.")
    ['kyiv', 's', 'envoy', 'said', 'no']
    """
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64 finaliser, element-wise (uint64 arithmetic wraps, as intended)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def shingle_hashes(text: str) -> npt.NDArray[np.uint64]:
    """The distinct 64-bit hashes of the text's word 3-grams (one shingle if fewer words).

    >>> len(shingle_hashes("a b c d")), len(shingle_hashes("a b")), len(shingle_hashes(""))
    (2, 1, 0)
    """
    toks = words(text)
    if not toks:
        return np.zeros(0, dtype=np.uint64)
    cache: dict[str, int] = {}
    hashed = np.array([cache.setdefault(w, _word_hash(w)) for w in toks], dtype=np.uint64)
    k = min(SHINGLE_WORDS, len(hashed))
    n = len(hashed) - k + 1
    combined = np.zeros(n, dtype=np.uint64)
    for i in range(k):
        combined = _mix(combined ^ (hashed[i : i + n] * _SHINGLE_MULT[i]))
    return np.unique(combined)


def signature(text: str) -> npt.NDArray[np.uint32]:
    """The MinHash signature of a text: :data:`NUM_PERM` 32-bit values.

    >>> sig = signature("The ceasefire held through the night, officials said.")
    >>> sig.shape, sig.dtype.name
    ((128,), 'uint32')
    >>> bool((sig == signature("the CEASEFIRE held through the night officials said")).all())
    True
    """
    return _minhash(shingle_hashes(text))


def _minhash(shingles: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint32]:
    if shingles.size == 0:
        return np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    values = _mix(shingles[:, None] ^ _SEEDS[None, :]).min(axis=0)
    return (values & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def similarity(a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal values.

    >>> s = signature("Shelling resumed near the dam on Sunday.")
    >>> similarity(s, s)
    1.0
    """
    return float(np.count_nonzero(a == b)) / len(a)


def buckets(sig: npt.NDArray[np.uint32]) -> list[int]:
    """The signature's LSH bucket per band (signed 64-bit, band number mixed in).

    >>> len(buckets(signature("Talks stalled."))) == BANDS
    True
    """
    out = []
    raw = sig.astype("<u4")
    for band in range(BANDS):
        chunk = raw[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, salt=band.to_bytes(16, "little")).digest()
        out.append(int.from_bytes(digest, "little", signed=True))
    return out


@dataclass(frozen=True)
class NearDuplicate:
    """The stored article a text nearly duplicates."""

    original: str  # the root of the chain: the article to link to
    matched: str  # the stored article most similar to the text (may be a copy itself)
    similarity: float  # estimated Jaccard similarity to ``matched``


def candidates(con: duckdb.DuckDBPyConnection, text: str) -> list[str]:
    """Stored articles sharing at least one LSH bucket with the text (sorted ids)."""
    return sorted(aid for aid, _ in _candidate_signatures(con, buckets(signature(text))))


def _candidate_signatures(
    con: duckdb.DuckDBPyConnection, keys: list[int]
) -> list[tuple[str, npt.NDArray[np.uint32]]]:
    # A literal IN list (of integers we computed) lets DuckDB use the ART index on buckets;
    # each candidate's signature is then read by its primary key, so a look-up costs the
    # same however many articles are stored.
    in_list = ", ".join(str(int(k)) for k in keys)
    ids = con.execute(
        f"SELECT DISTINCT article_id FROM neardup_buckets WHERE bucket IN ({in_list})"
    ).fetchall()
    out = []
    for (aid,) in sorted(ids):
        row = con.execute(
            "SELECT signature FROM neardup_signatures WHERE article_id = ?", [aid]
        ).fetchone()
        if row is not None:
            out.append((str(aid), np.frombuffer(bytes(row[0]), dtype="<u4")))
    return out


def best_match(
    con: duckdb.DuckDBPyConnection,
    text: str,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    exclude: str | None = None,
) -> NearDuplicate | None:
    """The stored article most similar to ``text`` if at least ``threshold``, else None.

    ``exclude`` leaves one article id out (e.g. the article itself when re-checking it).
    """
    shingles = shingle_hashes(text)
    if shingles.size == 0:
        return None
    return _best_match(con, _minhash(shingles), threshold, exclude)


def _best_match(
    con: duckdb.DuckDBPyConnection,
    sig: npt.NDArray[np.uint32],
    threshold: float,
    exclude: str | None,
) -> NearDuplicate | None:
    best: tuple[float, str] | None = None
    for aid, other in _candidate_signatures(con, buckets(sig)):
        if aid == exclude or len(other) != len(sig):
            continue
        score = similarity(sig, other)
        if score >= threshold and (best is None or score > best[0]):
            best = (score, aid)
    if best is None:
        return None
    return NearDuplicate(original_of(con, best[1]), best[1], best[0])


def find_near_duplicate(
    con: duckdb.DuckDBPyConnection, text: str, threshold: float = DEFAULT_THRESHOLD
) -> str | None:
    """The id of the original article ``text`` nearly duplicates, or None (see module doc)."""
    match = best_match(con, text, threshold)
    return None if match is None else match.original


def original_of(con: duckdb.DuckDBPyConnection, article_id: str) -> str:
    """The original an article duplicates (itself when it is not a near-duplicate)."""
    row = con.execute(
        "SELECT duplicate_of FROM article_duplicates WHERE article_id = ?", [article_id]
    ).fetchone()
    return article_id if row is None else str(row[0])


def remember(con: duckdb.DuckDBPyConnection, article_id: str, text: str) -> None:
    """Store the article's signature and buckets so later copies find it (idempotent).

    Runs in the caller's transaction, if any: call it in the transaction that stores the
    article so that a killed ingest leaves no article without its signature.
    """
    shingles = shingle_hashes(text)
    _remember(con, article_id, _minhash(shingles), int(shingles.size))


def _remember(
    con: duckdb.DuckDBPyConnection, article_id: str, sig: npt.NDArray[np.uint32], n: int
) -> None:
    exists = con.execute(
        "SELECT 1 FROM neardup_signatures WHERE article_id = ?", [article_id]
    ).fetchone()
    if exists is not None:
        return
    con.execute(
        "INSERT INTO neardup_signatures VALUES (?, ?, ?)",
        [article_id, sig.astype("<u4").tobytes(), n],
    )
    con.execute(
        "INSERT INTO neardup_buckets SELECT unnest(?::BIGINT[]), ?",
        [buckets(sig), article_id],
    )


def link_duplicate(
    con: duckdb.DuckDBPyConnection, article_id: str, original: str, similarity: float
) -> None:
    """Record that ``article_id`` is a near-duplicate of ``original`` (its chain's root)."""
    root = original_of(con, original)
    if root == article_id:
        return
    con.execute(
        "INSERT INTO article_duplicates VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [article_id, root, float(similarity)],
    )


def check_and_remember(
    con: duckdb.DuckDBPyConnection,
    article_id: str,
    text: str,
    threshold: float = DEFAULT_THRESHOLD,
) -> NearDuplicate | None:
    """For a newly stored article: link it to its original if it is a near-duplicate, and
    remember it. Returns the match (None for an original). Call inside the article's
    transaction.
    """
    shingles = shingle_hashes(text)
    sig = _minhash(shingles)
    match = _best_match(con, sig, threshold, article_id) if shingles.size else None
    if match is not None:
        link_duplicate(con, article_id, match.original, match.similarity)
    _remember(con, article_id, sig, int(shingles.size))
    return match


def remember_many(con: duckdb.DuckDBPyConnection, items: Iterable[tuple[str, str]]) -> int:
    """Remember many ``(article_id, text)`` pairs (e.g. to index an existing store).

    Does not link duplicates among them; returns how many were new.
    """
    known = {r[0] for r in con.execute("SELECT article_id FROM neardup_signatures").fetchall()}
    sig_rows: list[tuple[str, bytes, int]] = []
    bucket_ids: list[int] = []
    bucket_aids: list[str] = []
    for aid, text in items:
        if aid in known:
            continue
        known.add(aid)
        shingles = shingle_hashes(text)
        sig = _minhash(shingles)
        sig_rows.append((aid, sig.astype("<u4").tobytes(), int(shingles.size)))
        keys = buckets(sig)
        bucket_ids.extend(keys)
        bucket_aids.extend([aid] * len(keys))
    if not sig_rows:
        return 0
    con.execute(
        "INSERT INTO neardup_signatures "
        "SELECT unnest(?::VARCHAR[]), unnest(?::BLOB[]), unnest(?::INTEGER[])",
        [[r[0] for r in sig_rows], [r[1] for r in sig_rows], [r[2] for r in sig_rows]],
    )
    con.execute(
        "INSERT INTO neardup_buckets SELECT unnest(?::BIGINT[]), unnest(?::VARCHAR[])",
        [bucket_ids, bucket_aids],
    )
    return len(sig_rows)

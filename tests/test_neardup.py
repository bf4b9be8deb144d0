"""Near-duplicate detection: syndicated copies are linked, different reports are not.

All articles are invented for these tests.
"""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest

from sayso.corpus import neardup
from sayso.corpus.store import connect

HEADLINE = "Ceasefire talks stall over prisoner exchange"
BODY = (
    "Negotiators from both sides left the lakeside hotel in Varna without an agreement on "
    "Tuesday evening, after four days of talks that mediators had described as the best "
    "chance this year to halt the fighting along the northern front. The chief mediator, a "
    "retired Finnish diplomat, told reporters that the two delegations had agreed on most "
    "of the text of a ceasefire but remained divided over the exchange of prisoners and "
    "the timetable for withdrawing heavy artillery from the river line. One delegate said "
    "his government would not sign any document that left detained civilians out of the "
    "exchange. The other delegation accused its counterpart of adding new conditions at the "
    "last minute and said it was ready to return to the table next week. Shelling continued "
    "overnight near two villages on the river, according to a local official, who said three "
    "houses and a school had been damaged but nobody was hurt. The mediators plan to meet "
    "both delegations separately in Geneva before the end of the month."
)

# The same story as reprinted by another outlet: a new headline and two words changed.
COPY_HEADLINE = "Talks in Varna end without a deal on prisoners"
COPY_BODY = BODY.replace("Tuesday evening", "Tuesday night").replace(
    "retired Finnish diplomat", "retired Swedish diplomat"
)

# The same event told in other words: not a duplicate.
OTHER_REPORT = (
    "Peace talks hosted in the Bulgarian resort of Varna collapsed this week. Mediators had "
    "hoped the meeting would bring a truce on the northern front, yet the sides could not "
    "settle how captured soldiers and detained civilians would be swapped, nor when guns "
    "would be pulled back from the river. A Finnish former ambassador who led the mediation "
    "called the gap narrow. Villagers near the river reported renewed artillery fire after "
    "dark; a school and several homes were hit, without casualties. Further rounds are "
    "expected in Switzerland within weeks."
)


def article(headline: str, body: str) -> str:
    return f"{headline}\n\n{body}"


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    neardup.ensure_tables(connection)
    return connection


def test_copy_with_new_headline_and_two_changed_words_is_found(
    con: duckdb.DuckDBPyConnection,
) -> None:
    neardup.remember(con, "orig", article(HEADLINE, BODY))
    assert neardup.find_near_duplicate(con, article(COPY_HEADLINE, COPY_BODY)) == "orig"
    match = neardup.best_match(con, article(COPY_HEADLINE, COPY_BODY))
    assert match is not None
    assert match.matched == "orig"
    assert 0.8 <= match.similarity < 1.0


def test_different_report_of_the_same_event_is_not_a_duplicate(
    con: duckdb.DuckDBPyConnection,
) -> None:
    neardup.remember(con, "orig", article(HEADLINE, BODY))
    assert neardup.find_near_duplicate(con, OTHER_REPORT) is None
    assert neardup.best_match(con, OTHER_REPORT, threshold=0.5) is None


def test_signature_similarity_tracks_jaccard() -> None:
    a = neardup.signature(article(HEADLINE, BODY))
    b = neardup.signature(article(COPY_HEADLINE, COPY_BODY))
    c = neardup.signature(OTHER_REPORT)
    assert neardup.similarity(a, b) > 0.8
    assert neardup.similarity(a, c) < 0.2
    # Case, spacing and punctuation do not matter; word order does.
    assert neardup.similarity(a, neardup.signature(article(HEADLINE, BODY).upper())) == 1.0
    reordered = " ".join(reversed(BODY.split()))
    assert neardup.similarity(neardup.signature(BODY), neardup.signature(reordered)) < 0.2


def test_chain_of_copies_points_at_the_first_article(con: duckdb.DuckDBPyConnection) -> None:
    first = article(HEADLINE, BODY)
    second = article(COPY_HEADLINE, COPY_BODY)
    third = second.replace("four days", "three days").replace("two villages", "three villages")
    assert neardup.check_and_remember(con, "a", first) is None
    match = neardup.check_and_remember(con, "b", second)
    assert match is not None and match.original == "a"
    neardup.check_and_remember(con, "c", third)
    assert neardup.original_of(con, "c") == "a"
    assert neardup.original_of(con, "a") == "a"
    rows = con.execute(
        "SELECT article_id, duplicate_of FROM article_duplicates ORDER BY article_id"
    ).fetchall()
    assert rows == [("b", "a"), ("c", "a")]


def test_remember_is_idempotent_and_an_article_is_not_its_own_duplicate(
    con: duckdb.DuckDBPyConnection,
) -> None:
    text = article(HEADLINE, BODY)
    neardup.check_and_remember(con, "a", text)
    assert neardup.check_and_remember(con, "a", text) is None
    neardup.remember(con, "a", text)
    count = con.execute("SELECT count(*) FROM neardup_buckets").fetchone()
    assert count == (neardup.BANDS,)
    assert con.execute("SELECT count(*) FROM article_duplicates").fetchone() == (0,)


def test_empty_text_matches_nothing(con: duckdb.DuckDBPyConnection) -> None:
    neardup.remember(con, "a", article(HEADLINE, BODY))
    assert neardup.find_near_duplicate(con, "") is None
    assert neardup.find_near_duplicate(con, " -- ") is None


def _random_article(rng: random.Random, vocab: list[str]) -> str:
    return " ".join(rng.choice(vocab) for _ in range(120))


def test_look_up_among_2000_articles_reads_only_its_buckets(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rng = random.Random(7)
    vocab = [f"{a}{b}" for a in ("dro", "tan", "bri", "por", "sal", "vel") for b in range(80)]
    items = [(f"r{i:04d}", _random_article(rng, vocab)) for i in range(2000)]
    assert neardup.remember_many(con, items) == 2000
    assert neardup.remember_many(con, items[:10]) == 0
    neardup.remember(con, "orig", article(HEADLINE, BODY))
    copy = article(COPY_HEADLINE, COPY_BODY)
    assert neardup.find_near_duplicate(con, copy) == "orig"
    # The look-up compares the copy with the articles in its 32 buckets, not with all 2001.
    assert neardup.candidates(con, copy) == ["orig"]
    # A random article's own copy with two words changed is found among the 2000.
    target_id, target = items[1234]
    words = target.split()
    words[10], words[90] = "ceasefire", "artillery"
    assert neardup.find_near_duplicate(con, " ".join(words)) == target_id
    assert len(neardup.candidates(con, " ".join(words))) < 20


def test_counted_stances_view_leaves_out_duplicates(tmp_path: Path) -> None:
    con = connect(tmp_path / "c.duckdb")
    neardup.ensure_tables(con)
    neardup.ensure_tables(con)  # twice is fine
    row = [None, "c1", 0, "the mediator", "the mediator", None, "asserts", 1, "s1", 0, 5, "q", None]
    for aid in ("orig", "copy"):
        con.execute(
            "INSERT INTO stances (article_id, claim_id, n, holder, holder_key, holder_entity, "
            "stance, commitment, statement_id, span_start, span_end, quote, date) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [aid, *row[1:]],
        )
    assert con.execute("SELECT count(*) FROM counted_stances").fetchone() == (2,)
    neardup.link_duplicate(con, "copy", "orig", 0.9)
    rows = con.execute("SELECT article_id FROM counted_stances").fetchall()
    assert rows == [("orig",)]
    con.close()

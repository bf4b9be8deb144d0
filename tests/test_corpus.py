"""The corpus: one invented story told by several outlets over a week, linked and queried.

The story (all invented): a drone strike on a fuel depot in Kherson is asserted by a
governor, denied by a defence ministry, not confirmed by the UN, doubted and later
confirmed by the Kremlin's spokesman; separately, prisoner-exchange talks in Istanbul; and a
shelling in Kherson that shares only the place with the strike.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from spacy.language import Language

from sayso.corpus import Corpus
from sayso.corpus.cli import main as corpus_main
from sayso.corpus.linking import (
    article_claim_features,
    normalise_name,
    predicate_class,
    similarity,
)
from sayso.corpus.store import article_id
from sayso.errors import SaysoError
from sayso.ingest.article import Article

STORY = [
    {
        "source": "Harbour Post",
        "url": "https://harbourpost.example/a1",
        "published": "2026-03-02",
        "title": "Drone strike reported at Kherson fuel depot",
        "text": "A drone strike hit a fuel depot near the port of Kherson on Sunday, regional "
        "governor Oleksandr Prokudin said. Russia's defence ministry denied that its forces "
        "had struck the depot. The United Nations said it could not confirm the strike.",
    },
    {
        "source": "Evening Ledger",
        "url": "https://ledger.example/b1",
        "published": "2026-03-03",
        "title": "Moscow rejects depot claim",
        "text": "Kremlin spokesman Dmitry Peskov said there was no evidence that a drone had "
        "struck the fuel depot in Kherson. Ukrainian officials insisted that the depot was "
        "destroyed by a drone strike.",
    },
    {
        "source": "Harbour Post",
        "url": "https://harbourpost.example/a2",
        "published": "2026-03-04",
        "title": "Talks on prisoner exchange resume in Istanbul",
        "text": "Negotiators from Ukraine and Russia will meet in Istanbul next week to discuss "
        "a prisoner exchange, Turkish foreign minister Hakan Fidan said.",
    },
    {
        "source": "Morning Courier",
        "url": "https://courier.example/c0",
        "published": "2026-03-05",
        "title": "Hospital damaged in Kherson",
        "text": "Shelling damaged a children's hospital in Kherson on Wednesday, the city's "
        "mayor said.",
    },
    {
        "source": "Evening Ledger",
        "url": "https://ledger.example/b2",
        "published": "2026-03-06",
        "title": "Satellite images show destroyed depot",
        "text": "Satellite images confirmed that a drone strike destroyed the fuel depot near "
        "Kherson port, analysts at the Institute for the Study of War said.",
    },
    {
        "source": "Morning Courier",
        "url": "https://courier.example/c1",
        "published": "2026-03-07",
        "title": "Istanbul meeting confirmed",
        "text": "The Russian foreign ministry confirmed that negotiators would meet in Istanbul "
        "to discuss a prisoner exchange with Ukraine.",
    },
    {
        "source": "Morning Courier",
        "url": "https://courier.example/c2",
        "published": "2026-03-09",
        "title": "Kremlin acknowledges depot strike",
        "text": "Kremlin spokesman Dmitry Peskov confirmed that a drone had struck the fuel "
        "depot in Kherson.",
    },
]


def _aid(i: int) -> str:
    return article_id(STORY[i]["text"])


@pytest.fixture(scope="module")
def story_db(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    folder = tmp_path_factory.mktemp("story")
    feed = folder / "story.jsonl"
    feed.write_text("\n".join(json.dumps(item) for item in STORY) + "\n")
    db = folder / "story.duckdb"
    with Corpus(db) as corpus:
        report = corpus.ingest([feed], nlp=nlp)
    assert (report.stored, report.failed) == (len(STORY), 0)
    return db


@pytest.fixture()
def corpus(story_db: Path) -> Iterator[Corpus]:
    with Corpus(story_db, read_only=True) as opened:
        yield opened


def _corpus_claim_of(corpus: Corpus, i: int) -> set[int]:
    rows = corpus.con.execute(
        "SELECT corpus_claim_id FROM claim_links WHERE article_id = ?", [_aid(i)]
    ).fetchall()
    return {int(r[0]) for r in rows}


def test_record_is_stored_unchanged(corpus: Corpus, nlp: Language) -> None:
    from sayso.api import analyze_article

    item = STORY[0]
    article = Article(
        text=item["text"],
        title=item["title"],
        published=dt.date.fromisoformat(item["published"]),
        source=item["source"],
        url=item["url"],
    )
    stored = corpus.record(_aid(0))
    assert stored == analyze_article(article, nlp=nlp)
    raw = corpus.con.execute("SELECT record FROM articles WHERE id = ?", [_aid(0)]).fetchone()
    assert raw is not None and json.loads(raw[0]) == json.loads(stored.model_dump_json())


def test_the_same_claim_in_other_words_and_outlets_is_one_corpus_claim(corpus: Corpus) -> None:
    strike = _corpus_claim_of(corpus, 0)
    assert len(strike) == 1
    for i in (1, 4, 6):  # doubted, confirmed by images, confirmed by the Kremlin
        assert _corpus_claim_of(corpus, i) == strike
    talks = _corpus_claim_of(corpus, 2)
    assert len(_corpus_claim_of(corpus, 5)) == 1
    assert _corpus_claim_of(corpus, 5) <= talks
    assert talks.isdisjoint(strike)
    # Same place, different event: sharing "Kherson" is not enough.
    assert _corpus_claim_of(corpus, 3).isdisjoint(strike)


def test_claims_are_ranked_by_how_contested(corpus: Corpus) -> None:
    ranked = corpus.claims()
    top = ranked[0]
    assert {top.id} == _corpus_claim_of(corpus, 0)
    assert top.contested >= 1 and top.denying >= 1 and top.asserting >= 3
    assert top.articles == 4
    assert (top.first_date, top.last_date) == (dt.date(2026, 3, 2), dt.date(2026, 3, 9))
    assert all(c.contested == 0 for c in ranked[1:])
    # Among uncontested claims the most recent comes first.
    dates = [c.last_date for c in ranked[1:]]
    assert dates == sorted(dates, reverse=True)


def test_timeline_is_dated_quoted_and_finds_changes_of_line(corpus: Corpus) -> None:
    (strike,) = _corpus_claim_of(corpus, 0)
    timeline = corpus.claim(strike)
    dates = [e.date for e in timeline.entries]
    assert dates == sorted(dates)
    assert timeline.first is not None
    assert timeline.first.date == dt.date(2026, 3, 2) and timeline.first.stance == "asserts"
    for entry in timeline.entries:
        record = corpus.record(entry.article_id)
        assert record is not None
        assert record.quote(entry.span) == entry.quote
    by_holder = {(e.holder_key, e.stance) for e in timeline.entries}
    assert ("russia's defence ministry", "denies") in by_holder
    assert ("united nations", "cannot_confirm") in by_holder
    peskov = [c for c in timeline.changes if c.holder_key == "dmitry peskov"]
    assert len(peskov) == 1
    assert (peskov[0].before.stance, peskov[0].before.date) == ("doubts", dt.date(2026, 3, 3))
    assert (peskov[0].after.stance, peskov[0].after.date) == ("asserts", dt.date(2026, 3, 9))
    assert peskov[0].after.outlet == "Morning Courier"
    with pytest.raises(SaysoError, match="no claim 999"):
        corpus.claim(999)


def test_sources_count_stances_per_holder(corpus: Corpus) -> None:
    sources = {s.holder_key: s for s in corpus.sources(limit=None)}
    assert sources["dmitry peskov"].counts["doubts"] == 1
    assert sources["dmitry peskov"].counts["asserts"] == 1
    assert sources["dmitry peskov"].articles == 2
    assert sources["russia's defence ministry"].counts["denies"] == 1
    assert sources["united nations"].counts["cannot_confirm"] == 1
    assert sources["dmitry peskov"].name == "Dmitry Peskov"


def test_search_finds_claims_and_statements(corpus: Corpus) -> None:
    hits = corpus.search("prisoner exchange in Istanbul")
    claims = [h for h in hits if h.kind == "claim"]
    statements = [h for h in hits if h.kind == "statement"]
    assert claims[0].corpus_claim_id in _corpus_claim_of(corpus, 2)
    assert "Istanbul" in statements[0].text
    assert [h.score for h in statements] == sorted((h.score for h in statements), reverse=True)
    assert not [h for h in hits if "hospital" in h.text]
    with pytest.raises(SaysoError, match="no words"):
        corpus.search("the of and")


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_export_writes_every_table(corpus: Corpus, tmp_path: Path, fmt: str) -> None:
    written = corpus.export(fmt, tmp_path / "out")
    assert set(written) == {
        "articles",
        "statements",
        "claims",
        "corpus_claims",
        "stances",
        "entities",
    }
    counts = corpus.counts()
    reader = {"parquet": "read_parquet", "csv": "read_csv_auto", "jsonl": "read_json_auto"}[fmt]
    con = duckdb.connect()
    for name in ("articles", "statements", "claims", "corpus_claims", "stances", "entities"):
        row = con.execute(f"SELECT count(*) FROM {reader}('{written[name]}')").fetchone()
        assert row is not None and row[0] == counts[name], name
    columns = [
        d[0] for d in con.execute(f"SELECT * FROM {reader}('{written['stances']}')").description
    ]
    assert {"holder", "stance", "commitment", "date", "quote", "corpus_claim_id"} <= set(columns)
    assert {"reversed", "counted"} <= set(columns)
    articles = con.execute(f"SELECT * FROM {reader}('{written['articles']}')").description
    assert "duplicate_of" in {d[0] for d in articles}


def test_claim_features_are_content_entities_and_numbers(nlp: Language) -> None:
    from sayso.pipeline import run_pipeline

    article = Article(
        text="Officials in Kherson said on Monday that 200 drones struck the depot.",
        published=dt.date(2026, 3, 4),
    )
    from sayso.build import build_record

    doc = run_pipeline(nlp, article.text, article.published)
    record = build_record(doc, article)
    features = article_claim_features(record, doc)
    (feats,) = features.values()
    assert {"w:drone", "w:strike", "w:depot", "n:200"} <= set(feats)
    assert "w:say" not in feats and "w:monday" not in feats


def test_add_record_links_like_ingest(story_db: Path, tmp_path: Path, nlp: Language) -> None:
    from sayso.api import analyze

    with Corpus(tmp_path / "r.duckdb") as fresh:
        first = analyze(STORY[0]["text"], published=STORY[0]["published"], nlp=nlp)
        later = analyze(STORY[6]["text"], published=STORY[6]["published"], nlp=nlp)
        assert fresh.add_record(first).stored
        added = fresh.add_record(later)
        assert added.linked_claims == 1 and added.new_corpus_claims == 0
        assert not fresh.add_record(first).stored
        mine = fresh.con.execute(
            "SELECT feature FROM claim_features WHERE article_id = ? ORDER BY 1", [_aid(6)]
        ).fetchall()
    with Corpus(story_db, read_only=True) as story:
        theirs = story.con.execute(
            "SELECT feature FROM claim_features WHERE article_id = ? ORDER BY 1", [_aid(6)]
        ).fetchall()
    assert mine == theirs


def test_linking_rule() -> None:
    strike = {"w:strike": 1.0, "w:depot": 1.0, "w:fuel": 1.0, "e:kherson": 1.0}
    same = {"w:strike": 1.0, "w:depot": 1.0, "w:destroy": 1.0, "e:kherson": 1.0}
    other = {"w:shelling": 1.0, "w:hospital": 1.0, "w:damage": 1.0, "e:kherson": 1.0}
    assert similarity(strike, same) > similarity(strike, other) > 0.0
    assert similarity(strike, {}) == 0.0
    # "delivered" and "sent" name the same predicate as "supplied".
    assert predicate_class("deliver") == predicate_class("send") == "supply"
    assert normalise_name("The Kremlin’s") == normalise_name("kremlin")


def test_cli_prints_tables_and_json(
    story_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(story_db)
    assert corpus_main(["claims", "--db", db, "--json"]) == 0
    claims = json.loads(capsys.readouterr().out)["claims"]
    assert claims[0]["contested"] >= 1
    assert corpus_main(["claim", str(claims[0]["id"]), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Changes of line" in out and "doubts on 2026-03-03 -> asserts on 2026-03-09" in out
    assert corpus_main(["sources", "--db", db]) == 0
    assert "Peskov" in capsys.readouterr().out
    assert corpus_main(["search", "fuel depot", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"]
    assert corpus_main(["export", "--db", db, "--format", "csv", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "stances.csv").is_file()
    capsys.readouterr()
    assert corpus_main(["claim", "999", "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sayso: error: no claim 999") and err.count("\n") == 1
    assert corpus_main(["claims", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no corpus at" in capsys.readouterr().err


def _ingested(tmp_path: Path, nlp: Language, story: list[dict[str, str]]) -> Corpus:
    """A fresh corpus (to be closed by the caller) with ``story``'s articles ingested."""
    feed = tmp_path / "story.jsonl"
    feed.write_text("\n".join(json.dumps(item) for item in story) + "\n")
    corpus = Corpus(tmp_path / "c.duckdb")
    corpus.ingest([feed], nlp=nlp)
    return corpus


def test_a_negative_restatement_counts_as_a_denial_of_the_corpus_claim(
    tmp_path: Path, nlp: Language
) -> None:
    """'Said no drone had crossed the border' in one article denies 'drones crossed the
    border' told by another: the corpus timeline reverses the stance the article gives its
    own negative wording."""
    story = [
        {
            "published": "2026-04-02",
            "title": "Drones crossed from Ostrand",
            "text": "Officials in Corvia said attack drones from Ostrand had crossed the "
            "northern border near Velgrad on Sunday.",
        },
        {
            "published": "2026-04-03",
            "title": "Ostrand rejects drone claim",
            "text": "Ostrand's defence ministry said no attack drone had crossed the northern "
            "border near Velgrad.",
        },
    ]
    with _ingested(tmp_path, nlp, story) as corpus:
        record = corpus.record(article_id(story[1]["text"]))
        assert record is not None and record.claims[0].negated
        (claim,) = {
            int(r[0]) for r in corpus.con.execute("SELECT id FROM corpus_claims").fetchall()
        }
        stances = {e.holder: e.stance for e in corpus.claim(claim).entries}
    assert stances == {"Officials in Corvia": "asserts", "Ostrand's defence ministry": "denies"}


def test_a_stance_recalled_as_earlier_is_no_change_of_line(tmp_path: Path, nlp: Language) -> None:
    """'The coast guard had said at first that it could not confirm' in a later article is
    no new line of the coast guard's, which asserted the strike in the first article."""
    story = [
        {
            "published": "2026-04-01",
            "title": "Depot hit in Lerin",
            "text": "The coast guard said a drone had struck the fuel depot at the port of "
            "Lerin on Sunday.",
        },
        {
            "published": "2026-04-06",
            "title": "Monitors confirm depot strike",
            "text": "The Northern Monitoring Mission confirmed that a drone had struck the fuel "
            "depot at the port of Lerin. The coast guard had said at first that it could not "
            "confirm that a drone had struck the fuel depot.",
        },
    ]
    with _ingested(tmp_path, nlp, story) as corpus:
        record = corpus.record(article_id(story[1]["text"]))
        assert record is not None
        assert [s.recap for s in record.statements] == [False, True]
        claim = corpus.con.execute(
            "SELECT corpus_claim_id FROM claim_links WHERE article_id = ? AND claim_id = 'c1'",
            [article_id(story[0]["text"])],
        ).fetchone()
        assert claim is not None
        timeline = corpus.claim(int(claim[0]))
    guard = [e for e in timeline.entries if e.holder_key == "coast guard"]
    assert [(e.date, e.stance, e.recap) for e in guard] == [
        (dt.date(2026, 4, 1), "asserts", False),
        (dt.date(2026, 4, 6), "cannot_confirm", True),
    ]
    assert not [c for c in timeline.changes if c.holder_key == "coast guard"]


def test_as_of_shows_the_claim_and_its_sources_as_they_stood(corpus: Corpus) -> None:
    (strike,) = _corpus_claim_of(corpus, 0)
    then = corpus.claim(strike, as_of=dt.date(2026, 3, 5), credibility=True)
    assert all(e.date is not None and e.date <= dt.date(2026, 3, 5) for e in then.entries)
    assert not [c for c in then.changes if c.holder_key == "dmitry peskov"]
    assert then.p_true is not None
    now = corpus.claim(strike)
    assert len(now.entries) > len(then.entries)
    before = {s.holder_key: s for s in corpus.sources(limit=None, as_of=dt.date(2026, 3, 5))}
    assert before["dmitry peskov"].counts["asserts"] == 0
    assert before["dmitry peskov"].counts["doubts"] == 1


def test_a_recalled_stance_with_a_date_of_its_own_is_dated(tmp_path: Path, nlp: Language) -> None:
    story = [
        {
            "published": "2026-04-01",
            "title": "Troops in Velgrad",
            "text": "Corvia's defence ministry said on Sunday that its troops had entered "
            "the town of Velgrad.",
        },
        {
            "published": "2026-04-10",
            "title": "A change of line",
            "text": "On April 8, Corvia's defence ministry had denied that its troops entered "
            "the town of Velgrad.",
        },
    ]
    with _ingested(tmp_path, nlp, story) as corpus:
        rows = corpus.con.execute(
            "SELECT date, stance, recap FROM stances ORDER BY date"
        ).fetchall()
    assert rows[-1] == (dt.date(2026, 4, 8), "denies", False)


ONE_STORY = Path(__file__).parent / "fixtures" / "one-story"


def test_background_statements_do_not_pile_into_the_storys_claim(
    tmp_path: Path, nlp: Language
) -> None:
    """Ten invented articles (tests/fixtures/one-story, written for sayso by the project's
    tester) tell one story over three weeks from four outlets: Valdoria accuses Karsenia of a
    drone strike on the Port Lerin grain terminal, Karsenia denies, monitors cannot confirm,
    the mission confirms, Karsenia admits. Each article also carries background (the fire,
    insurance rates, ceasefire talks, the port reopening): it must not become votes on the
    accusation."""
    with Corpus(tmp_path / "c.duckdb") as corpus:
        corpus.ingest(sorted(ONE_STORY.glob("*.md")), nlp=nlp)
        rows = corpus.con.execute(
            "SELECT c.text, l.corpus_claim_id FROM claims c JOIN claim_links l "
            "ON l.article_id = c.article_id AND l.claim_id = c.id"
        ).fetchall()
    sizes = Counter(cid for _, cid in rows)
    main, largest = sizes.most_common(1)[0]
    assert largest <= 0.7 * len(rows)
    in_main = [text for text, cid in rows if cid == main]
    assert any("drone" in text for text in in_main)
    for background in ("reopen to grain ships", "Insurance rates", "ceasefire talks"):
        assert not any(background in text for text in in_main), background

"""Corpus writes in batches: several articles per transaction behave like one at a time.

All articles are invented for these tests.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import duckdb
import pytest
from spacy.language import Language

from sayso.build import build_record
from sayso.corpus import Corpus, ingest, link_model, store
from sayso.corpus.linking import article_claim_features
from sayso.corpus.store import Pending, add_articles
from sayso.ingest.article import Article
from sayso.pipeline import run_pipeline

STORY = [
    "A drone struck the fuel depot in Oresk on Monday, the defence minister Anton Reshetar "
    "said. The army spokesman Daniel Ferenc said 12 people were hurt.",
    "The foreign ministry spokeswoman Ilse Varga denied that a drone struck the fuel depot "
    "in Oresk. She said the fire at the depot was an accident.",
    "Rescue workers said the fire at the fuel depot in Oresk burned for two days. The "
    "mediator Anna Lindqvist said talks on a prisoner exchange would resume in Halden.",
    "Anna Lindqvist said talks on a prisoner exchange in Halden had stalled again, and the "
    "United Nations said it could not confirm reports of shelling near Vallo.",
]


def pending(nlp: Language, text: str, n: int) -> Pending:
    article = Article(text=text, url=f"https://harbourpost.example/{n}")
    doc = run_pipeline(nlp, article.text, article.published)
    record = build_record(doc, article)
    return Pending(record, article_claim_features(record, doc), input_name=f"in:{n}")


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    """Everything stored that does not depend on the clock."""
    queries = {
        "articles": "SELECT id, url, outlet, input, n_chars, record FROM articles ORDER BY id",
        "statements": "SELECT * FROM statements ORDER BY article_id, id",
        "stances": "SELECT * FROM stances ORDER BY article_id, claim_id, n",
        "claims": "SELECT * FROM claims ORDER BY article_id, id",
        "links": "SELECT * FROM claim_links ORDER BY article_id, claim_id",
        "corpus_claims": "SELECT id, text, first_article FROM corpus_claims ORDER BY id",
        "search": "SELECT * FROM search_terms ORDER BY ALL",
        "entities": "SELECT * FROM entities ORDER BY article_id, id",
        # The linker's own tables, which a batch holds in memory until it commits.
        "centroids": "SELECT * FROM link_centroids ORDER BY ALL",
        "centroid_features": "SELECT * FROM link_centroid_features ORDER BY ALL",
        "feature_df": "SELECT * FROM link_feature_df ORDER BY ALL",
        "link_statements": "SELECT * FROM link_statements ORDER BY ALL",
        "merges": "SELECT old_id, new_id FROM corpus_claim_merges ORDER BY ALL",
    }
    return {name: con.execute(sql).fetchall() for name, sql in queries.items()}


def test_one_batch_stores_what_one_by_one_stores(tmp_path: Path, nlp: Language) -> None:
    items = [pending(nlp, text, n) for n, text in enumerate(STORY)]
    one = store.connect(tmp_path / "one.duckdb")
    batch = store.connect(tmp_path / "batch.duckdb")
    try:
        singles = [add_articles(one, [item])[0] for item in items]
        together = add_articles(batch, items)
        assert [(a.article_id, a.new_corpus_claims, a.linked_claims) for a in together] == [
            (a.article_id, a.new_corpus_claims, a.linked_claims) for a in singles
        ]
        assert any(a.linked_claims for a in together)  # later articles linked to earlier ones
        assert snapshot(batch) == snapshot(one)
    finally:
        one.close()
        batch.close()


def test_a_story_with_merges_links_alike_in_one_batch_and_one_by_one(
    tmp_path: Path, nlp: Language
) -> None:
    story = Path(__file__).parent / "fixtures" / "linking"
    items = [
        pending(nlp, path.read_text(encoding="utf-8"), n)
        for n, path in enumerate(sorted(story.glob("*.md")))
    ]
    # Embeddings as the extra would give them: the summed vectors are stored as 32-bit floats,
    # so a batch must round them between articles as the tables do.
    rng = random.Random(7)
    for item in items:
        for feats in item.features.values():
            feats.vector = [rng.uniform(-1, 1) for _ in range(8)]
    one = store.connect(tmp_path / "one.duckdb")
    batch = store.connect(tmp_path / "batch.duckdb")
    # A merge model that merges readily, so that stored corpus claims are merged whatever
    # the shipped model decides on this story.
    eager = link_model.LinkModel(("centroid",), (12.0,), -1.5, threshold=0.5)
    try:
        with link_model.using_merge(eager):
            for item in items:
                add_articles(one, [item])
            add_articles(batch, items)
        together = snapshot(batch)
        assert together["merges"]  # corpus claims merged while the batch was held in memory
        assert together == snapshot(one)
    finally:
        one.close()
        batch.close()


def test_a_batch_skips_repeats_within_itself_and_in_the_store(
    tmp_path: Path, nlp: Language
) -> None:
    first, second = pending(nlp, STORY[0], 0), pending(nlp, STORY[1], 1)
    same_url = pending(nlp, STORY[2], 1)  # another text under the second article's URL
    con = store.connect(tmp_path / "c.duckdb")
    try:
        add_articles(con, [first])
        results = add_articles(con, [first, second, second, same_url])
        assert [r.stored for r in results] == [False, True, False, False]
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (2,)
    finally:
        con.close()


def test_an_error_in_a_batch_keeps_nothing_of_it(tmp_path: Path, nlp: Language) -> None:
    good = pending(nlp, STORY[0], 0)
    bad = pending(nlp, STORY[1], 1)
    bad.features = {"c1": {"w:x": "not a weight"}}  # type: ignore[dict-item]
    con = store.connect(tmp_path / "c.duckdb")
    try:
        with pytest.raises(Exception):  # noqa: B017 - whatever the store raises
            add_articles(con, [good, bad])
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM claims").fetchone() == (0,)
    finally:
        con.close()


def test_ingest_in_batches_counts_and_reports_every_article(
    tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "BATCH_SIZE", 3)
    lines = [{"text": text, "source": "Harbour Post"} for text in STORY]
    lines.append({"text": STORY[1]})  # a repeat inside the same run
    feed = tmp_path / "story.jsonl"
    feed.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    err = io.StringIO()
    with Corpus(tmp_path / "c.duckdb") as corpus:
        report = corpus.ingest([feed], nlp=nlp, err=err, verbose=True)
        assert (report.stored, report.duplicates, report.failed) == (4, 1, 0)
        assert corpus.counts()["articles"] == 4
    stored = [line for line in err.getvalue().splitlines() if line.startswith("stored ")]
    assert [line.split()[1] for line in stored] == [f"{feed}:{i}" for i in range(1, 5)]


def test_markdown_front_matter_source_is_the_outlet(tmp_path: Path, nlp: Language) -> None:
    page = tmp_path / "strike.md"
    page.write_text(
        "---\ntitle: Depot fire\nsource: Morvan Observer\ndate: 2026-03-02\n---\n\n"
        + STORY[0]
        + "\n"
    )
    plain = tmp_path / "plain.txt"
    plain.write_text(STORY[1])
    with Corpus(tmp_path / "c.duckdb") as corpus:
        corpus.ingest([page, plain], nlp=nlp)
        rows = corpus.con.execute("SELECT input, outlet FROM articles ORDER BY input").fetchall()
    assert rows == [(str(plain), None), (str(page), "Morvan Observer")]


def test_an_article_that_cannot_be_stored_is_skipped_not_its_batch(
    tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "BATCH_SIZE", 4)
    real = ingest.article_claim_features

    def features(record: object, doc: object) -> object:
        found = real(record, doc)  # type: ignore[arg-type]
        if "Ilse Varga" in record.text:  # type: ignore[attr-defined]
            return {cid: {"w:x": "not a weight"} for cid in found}
        return found

    monkeypatch.setattr(ingest, "article_claim_features", features)
    feed = tmp_path / "story.jsonl"
    feed.write_text("\n".join(json.dumps({"text": text}) for text in STORY) + "\n")
    err = io.StringIO()
    with Corpus(tmp_path / "c.duckdb") as corpus:
        report = corpus.ingest([feed], nlp=nlp, err=err)
        assert (report.stored, report.failed) == (3, 1)
        assert corpus.counts()["articles"] == 3
    assert err.getvalue().startswith(f"sayso: skipped {feed}:2: internal error: TypeError")


def test_ingest_restores_duckdb_settings_and_survives_a_tight_memory_limit(
    tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    tight = {**ingest.INGEST_SETTINGS, "memory_limit": "'1MB'"}
    monkeypatch.setattr(ingest, "INGEST_SETTINGS", tight)
    feed = tmp_path / "story.jsonl"
    feed.write_text("\n".join(json.dumps({"text": text}) for text in STORY) + "\n")
    with Corpus(tmp_path / "c.duckdb") as corpus:
        setting = "SELECT current_setting('threads'), current_setting('memory_limit')"
        before = corpus.con.execute(setting).fetchone()
        report = corpus.ingest([feed], nlp=nlp)
        assert (report.stored, report.failed) == (4, 0)
        assert corpus.con.execute(setting).fetchone() == before


LINKING = Path(__file__).parent / "fixtures" / "linking"


def test_the_analysis_worker_stores_what_in_process_analysis_stores(
    tmp_path: Path, nlp: Language
) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    for path in sorted(LINKING.glob("*.md"))[:5]:
        (docs / path.name).write_text(path.read_text())
    (docs / "06_copy.md").write_text((docs / sorted(p.name for p in docs.iterdir())[0]).read_text())
    (docs / "07_empty.txt").write_bytes(b"")
    stores, reports, errors = [], [], []
    for workers in (0, 1):
        err = io.StringIO()
        with Corpus(tmp_path / f"w{workers}.duckdb") as corpus:
            report = corpus.ingest([docs], nlp=nlp, err=err, workers=workers)
            stores.append(snapshot(corpus.con))
        reports.append((report.stored, report.duplicates, report.failed, report.linked_claims))
        errors.append(err.getvalue())
    assert reports[0] == reports[1] == (5, 1, 1, reports[0][3])
    assert reports[0][3] > 0, "the fixtures should link claims across articles"
    assert stores[0] == stores[1]
    assert errors[0] == errors[1] == f"sayso: skipped {docs / '07_empty.txt'}: the input is empty\n"


def test_a_worker_that_dies_stops_the_ingest_with_one_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sayso.errors import SaysoError

    start = ingest._AnalysisWorker.__init__

    def start_then_die(self: ingest._AnalysisWorker) -> None:
        start(self)
        self.process.kill()

    monkeypatch.setattr(ingest._AnalysisWorker, "__init__", start_then_die)
    feed = tmp_path / "story.jsonl"
    feed.write_text("\n".join(json.dumps({"text": text}) for text in STORY) + "\n")
    with Corpus(tmp_path / "c.duckdb") as corpus:
        with pytest.raises(SaysoError, match=r"analysis worker stopped unexpectedly \(signal 9\)"):
            corpus.ingest([feed], workers=1, progress=False)
        assert corpus.counts()["articles"] == 0


def test_workers_other_than_0_or_1_are_refused(tmp_path: Path, nlp: Language) -> None:
    from sayso.errors import SaysoError

    with Corpus(tmp_path / "c.duckdb") as corpus, pytest.raises(SaysoError, match="0 or 1"):
        corpus.ingest([tmp_path], nlp=nlp, workers=2)


def test_an_error_that_ended_the_transaction_itself_is_the_error_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DuckDB may end a transaction itself on an out-of-memory error; the rollback after it
    # must not replace that error with "no transaction is active", or the ingest could not
    # tell an out-of-memory batch (retried with more memory) from a broken store.
    from sayso.record import ArticleAnalysis

    con = store.connect(tmp_path / "t.duckdb")

    def out_of_memory(*_: object) -> set[str]:
        con.rollback()  # as DuckDB does when it gives up the transaction
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")

    monkeypatch.setattr(store, "_stored_keys", out_of_memory)
    with pytest.raises(duckdb.OutOfMemoryException):
        store.add_article(con, ArticleAnalysis(text="A report."), {})
    monkeypatch.undo()
    assert store.add_article(con, ArticleAnalysis(text="A report."), {}).stored
    con.close()


def test_a_batch_whose_transaction_duckdb_ended_on_out_of_memory_is_retried(
    tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on CI's machine: the first batch runs out of memory and DuckDB gives the transaction
    # up itself; the writer doubles the memory limit and writes the batch again.
    feed = tmp_path / "story.jsonl"
    feed.write_text("\n".join(json.dumps({"text": text}) for text in STORY) + "\n")
    stored_keys = store._stored_keys
    limits: list[str] = []

    def out_of_memory_at_first_limit(con: duckdb.DuckDBPyConnection, items: object) -> set[str]:
        row = con.execute("SELECT current_setting('memory_limit')").fetchone()
        limits.append(str(row[0]) if row else "")
        if limits[-1] == limits[0]:  # every batch, or article alone, until the limit grows
            con.rollback()
            raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")
        return stored_keys(con, items)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "_stored_keys", out_of_memory_at_first_limit)
    with Corpus(tmp_path / "c.duckdb") as corpus:
        report = corpus.ingest([feed], nlp=nlp, workers=0)
        assert (report.stored, report.failed) == (4, 0)
        assert len(set(limits)) == 2  # the limit was doubled once

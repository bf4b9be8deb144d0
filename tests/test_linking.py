"""Claim linking: corpus claims as IDF-weighted centroids, claims of one article linked to each
other, content-poor reactions, predicate classes, and the optional embeddings.

Invented story: Arvel is said to arm the Kessin rebels; a dam, a hospital and a convoy are
other claims of the same story, all naming Arvel and drones.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Mapping
from pathlib import Path

import duckdb
import pytest
from spacy.language import Language

from sayso.corpus import embeddings, link_model, linking, queries, store
from sayso.corpus.linking import ClaimFeatures, article_claim_features
from sayso.record import ArticleAnalysis, Claim, ClaimStance, Speaker, Statement, TextSpan

STORY = {"e:arvel": 1.0, "e:kessin": 1.0, "w:drone": 1.0}


@pytest.fixture()
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = store.connect(tmp_path / "l.duckdb")
    yield connection
    connection.close()


def _add(
    con: duckdb.DuckDBPyConnection, name: str, claims: Mapping[str, Mapping[str, float]]
) -> dict[str, int]:
    """Store an article with hand-made claim features; its claims' corpus claim ids."""
    record = ArticleAnalysis(
        text=f"Article {name}.", claims=[Claim(id=c, text=f"{name} {c}") for c in claims]
    )
    features = {c: ClaimFeatures(f) for c, f in claims.items()}
    added = store.add_article(con, record, features)
    rows = con.execute(
        "SELECT claim_id, corpus_claim_id FROM claim_links WHERE article_id = ?",
        [added.article_id],
    ).fetchall()
    return {str(c): int(k) for c, k in rows}


def _story(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Four stored claims of one story, after twelve others: every one names Arvel, Kessin
    and drones, so those words are common in the corpus."""
    for n in range(12):
        _add(con, f"old{n}", {"c1": {**STORY, f"w:topic{n}": 1.0, f"w:place{n}": 1.0}})
    found = {}
    for name, words in [
        ("supply", ("w:supply", "w:rebel")),
        ("dam", ("w:dam", "w:capture")),
        ("hospital", ("w:hospital", "w:strike")),
        ("convoy", ("w:lorry", "w:border")),
    ]:
        found[name] = _add(con, name, {"c1": {**STORY, **dict.fromkeys(words, 1.0)}})["c1"]
    return found


def test_story_wide_words_weigh_little(con: duckdb.DuckDBPyConnection) -> None:
    stored = _story(con)
    assert len(set(stored.values())) == 4
    # Shares the story's words with all four, the predicate with one: joins that one.
    supply = _add(con, "later", {"c1": {**STORY, "w:supply": 1.0, "w:weapon": 1.0}})
    assert supply["c1"] == stored["supply"]
    # Shares nothing but the story's words: a new corpus claim.
    other = _add(con, "talks", {"c1": {**STORY, "w:ceasefire": 1.0, "w:geneva": 1.0}})
    assert other["c1"] not in stored.values()


def test_new_claim_is_compared_with_the_corpus_claim_as_a_whole(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _story(con)
    first = _add(con, "a1", {"c1": {"w:dam": 1.0, "w:capture": 1.0, "w:turbine": 1.0}})
    second = _add(con, "a2", {"c1": {"w:dam": 1.0, "w:capture": 1.0, "w:flag": 1.0}})
    # The third shares one word with each member but both core words of the corpus claim.
    third = _add(con, "a3", {"c1": {"w:dam": 1.0, "w:capture": 1.0, "w:crest": 1.0}})
    assert first["c1"] == second["c1"] == third["c1"]
    (members,) = con.execute(
        "SELECT members FROM link_centroids WHERE corpus_claim_id = ?", [first["c1"]]
    ).fetchone() or (None,)
    assert members == 4  # the stored "dam" claim of the story and these three


def test_claims_of_one_article_can_share_a_corpus_claim(con: duckdb.DuckDBPyConnection) -> None:
    _story(con)
    same = {"w:bridge": 1.0, "w:blow": 1.0, "w:river": 1.0}
    ferry = {"w:ferry": 1.0, "w:harbour": 1.0}
    links = _add(con, "bridge", {"c1": same, "c2": {**same, "w:night": 1.0}, "c3": ferry})
    assert links["c1"] == links["c2"] != links["c3"]
    # The store created exactly the corpus claims the linker counted on.
    ids = {int(r[0]) for r in con.execute("SELECT id FROM corpus_claims").fetchall()}
    assert set(links.values()) <= ids and max(ids) == max(links.values())


def test_the_article_context_links_a_weak_claim_but_not_an_unrelated_one(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _story(con)
    links = _add(
        con,
        "reservoir",
        {
            "c1": {"w:reservoir": 1.0, "w:drain": 1.0, "w:sluice": 1.0},
            # One telling word of the claim just told: with the article's context, the same.
            "c2": {"w:reservoir": 1.0, "w:level": 1.0},
            # Nothing in common with it: the context alone does not make it the same claim.
            "c3": {"w:refugee": 1.0, "w:camp": 1.0},
        },
    )
    assert links["c1"] == links["c2"] != links["c3"]


def test_rebuilt_tables_equal_the_incremental_ones(con: duckdb.DuckDBPyConnection) -> None:
    _story(con)
    _add(con, "x", {"c1": {**STORY, "w:supply": 1.0}, "c2": {"w:talk": 1.0, "e:tessa": 1.0}})

    def snapshot() -> list[object]:
        return [
            con.execute(f"SELECT * EXCLUDE (vector) FROM {t} ORDER BY ALL").fetchall()
            if t == "link_centroids"
            else con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
            for t in linking.TABLES
        ]

    before = snapshot()
    linking.rebuild_tables(con)
    assert snapshot() == before


def test_paraphrased_predicates_share_a_feature(nlp: Language) -> None:
    from sayso.api import analyze

    first = analyze("The ministry said that Arvel had delivered rifles to the rebels.", nlp=nlp)
    second = analyze("An envoy said that Arvel sent rifles to the rebels.", nlp=nlp)
    doc_a, doc_b = nlp(first.text), nlp(second.text)
    (fa,) = article_claim_features(first, doc_a).values()
    (fb,) = article_claim_features(second, doc_b).values()
    assert "w:supply" in fa and "w:supply" in fb
    assert "w:deliver" not in fa and "w:send" not in fb


def test_a_light_verb_is_no_predicate(nlp: Language) -> None:
    from sayso.api import analyze

    talks = analyze("A mediator said both sides would hold talks in Oslo next week.", nlp=nlp)
    bridge = analyze("A commander said the militia would hold the bridge at Tessin.", nlp=nlp)
    (ft,) = article_claim_features(talks, nlp(talks.text)).values()
    (fb,) = article_claim_features(bridge, nlp(bridge.text)).values()
    # "hold talks" is talks (a word of speech, left out), not a capture; "hold the bridge"
    # is one.
    assert "w:capture" not in ft and "w:hold" not in ft
    assert not any(f.startswith("p:capture") for f in ft)
    assert "w:capture" in fb
    # A strike on a funeral is a strike.
    funeral = analyze("Witnesses said a drone struck the funeral in Tessin.", nlp=nlp)
    (ff,) = article_claim_features(funeral, nlp(funeral.text)).values()
    assert "w:strike" in ff


def test_his_country_is_the_country_the_speaker_speaks_for(nlp: Language) -> None:
    from sayso.api import analyze

    record = analyze("Norway's ambassador said his country had no link with the rebels.", nlp=nlp)
    (feats,) = article_claim_features(record, nlp(record.text)).values()
    assert "e:norway" in feats and "w:country" not in feats


def test_each_statement_of_a_claim_has_its_own_features(nlp: Language) -> None:
    from sayso.api import analyze

    text = (
        "The ministry said that Arvel had delivered rifles to the Kessin rebels. "
        "Arvel denied that it had sent rifles to the rebels."
    )
    record = analyze(text, nlp=nlp)
    (feats,) = article_claim_features(record, nlp(record.text)).values()
    parts = getattr(feats, "parts", None)
    # One claim, two statements: two feature sets, which together are the claim's features.
    assert parts is not None and len(parts) == 2
    assert "e:kessin" in parts[0] and "e:kessin" not in parts[1]
    assert set().union(*parts) == set(feats)


def test_the_embedding_feature_needs_a_vector_on_both_sides() -> None:
    centroid = linking._Centroid()
    centroid.add({"w:dam": 1.0, "w:capture": 1.0}, [1.0, 0.0])
    feats = ClaimFeatures({"w:dam": 1.0, "w:flag": 1.0})
    df = {"w:dam": 1, "w:capture": 1, "w:flag": 0}
    context = link_model.ArticleContext()
    without = link_model.pair_features(feats, None, 1, centroid, df, 10, context)
    assert without["embedding"] == 0.0 and 0 < without["lexical"] < 1
    with_vector = link_model.pair_features(feats, [0.6, 0.8], 1, centroid, df, 10, context)
    assert with_vector["embedding"] == pytest.approx(0.6)
    assert with_vector["lexical"] == without["lexical"]
    # Each linking method has its shipped model; only the embeddings one reads the cosine.
    models = link_model.shipped_models()
    assert "embedding" in models["embeddings+lexical"].names
    assert "embedding" not in models["lexical"].names


def test_without_the_extra_the_method_is_lexical(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAYSO_EMBEDDINGS", "0")
    embeddings._model.cache_clear()
    try:
        assert linking.linking_method() == "lexical"
        assert embeddings.embed_claims([["Arvel armed the rebels."]]) is None
    finally:
        embeddings._model.cache_clear()
    if importlib.util.find_spec("sentence_transformers") is None:
        assert embeddings.method() == "lexical"


@pytest.mark.skipif(not embeddings.available(), reason="the embeddings extra is not installed")
def test_embeddings_put_paraphrases_closer_than_other_claims() -> None:
    vectors = embeddings.embed_claims(
        [
            ["Arvel supplied attack drones to the rebels."],
            ["The rebels received drones from Arvel."],
            ["The hospital in Kessin was damaged by shelling.", "Nurses were hurt."],
        ]
    )
    assert vectors is not None
    same = embeddings.cosine(vectors[0], vectors[1])
    other = embeddings.cosine(vectors[0], vectors[2])
    assert same > other
    assert sum(x * x for x in vectors[2]) == pytest.approx(1.0)


def test_a_background_statement_does_not_join_the_article_claim(
    tmp_path: Path, nlp: Language
) -> None:
    from sayso.api import analyze
    from sayso.corpus.api import Corpus

    earlier = "Arvel sent rifles to the Kessin rebels in March, officials in Dorra said on Monday."
    later = (
        "Arvel delivered rifles and mortars to the Kessin rebels, the ministry said on Tuesday. "
        "The shipments continued through April, a diplomat said. "
        "The fighting has displaced 30,000 people, aid agencies said."
    )
    with Corpus(tmp_path / "c.duckdb") as corpus:
        for text in (earlier, later):
            corpus.add_record(analyze(text, nlp=nlp))
        rows = corpus.con.execute(
            "SELECT k.text, l.corpus_claim_id, l.score FROM claim_links l "
            "JOIN claims k ON k.article_id = l.article_id AND k.id = l.claim_id"
        ).fetchall()
    link = {str(text).split()[1]: (int(cid), float(score)) for text, cid, score in rows}
    arms = link["sent"][0]
    assert link["delivered"][0] == arms
    # Too little to link on its own, but it shares the predicate class (shipments: supply)
    # with the arms claim just told: the article's context joins it.
    assert link["shipments"][0] == arms
    assert 0.5 < link["delivered"][1] <= 1.0 and link["shipments"][1] < 1.0
    # Shares nothing telling with the arms claim: a claim of its own, context or not.
    assert link["fighting"][0] != arms


def _two_bridge_claims(con: duckdb.DuckDBPyConnection, *, then_other: bool) -> tuple[int, int]:
    """Two stored reports of a bridge blown up, kept apart by a strict model (and, with
    ``then_other``, an unrelated corpus claim stored after them)."""
    _story(con)
    strict_model = link_model.LinkModel(("lexical",), (1.0,), 0.0, threshold=0.99)
    never_merge = link_model.LinkModel(("centroid",), (1.0,), 0.0, threshold=0.99)
    with link_model.using(strict_model), link_model.using_merge(never_merge):
        north = _add(con, "n", {"c1": {"w:bridge": 1.0, "w:blow": 1.0, "w:ferry": 1.0}})["c1"]
        south = _add(con, "s", {"c1": {"w:bridge": 1.0, "w:blow": 1.0, "w:tunnel": 1.0}})["c1"]
        if then_other:
            _add(con, "other", {"c1": {"w:election": 1.0, "w:vote": 1.0}})
    assert north < south
    return north, south


def test_two_corpus_claims_a_later_claim_shows_to_be_one_are_merged(
    con: duckdb.DuckDBPyConnection,
) -> None:
    north, south = _two_bridge_claims(con, then_other=True)
    # A claim with both their words joins one and brings the two together.
    links = _add(con, "both", {"c1": {"w:bridge": 1.0, "w:blow": 1.0, "w:river": 1.0}})
    assert links["c1"] == north
    merged = con.execute(
        "SELECT DISTINCT corpus_claim_id FROM claim_links WHERE claim_id = 'c1' "
        "AND article_id IN (SELECT article_id FROM claims WHERE text IN ('n c1', 's c1'))"
    ).fetchall()
    assert merged == [(north,)]
    assert con.execute("SELECT count(*) FROM corpus_claims WHERE id = ?", [south]).fetchone() == (
        0,
    )
    assert con.execute("SELECT old_id, new_id FROM corpus_claim_merges").fetchall() == [
        (south, north)
    ]
    assert linking.resolve_claim_id(con, south) == north
    assert linking.resolve_claim_id(con, north) == north
    # `sayso claim SOUTH` shows the claim it lives on in.
    assert queries.claim_timeline(con, south).id == north
    (members,) = con.execute(
        "SELECT members FROM link_centroids WHERE corpus_claim_id = ?", [north]
    ).fetchone() or (None,)
    assert members == 3
    assert con.execute(
        "SELECT count(*) FROM link_centroid_features WHERE corpus_claim_id = ?", [south]
    ).fetchone() == (0,)
    # The linker's tables after the merge are what its links give.
    before = [con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in linking.TABLES]
    linking.rebuild_tables(con)
    after = [con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in linking.TABLES]
    assert after == before


def _lead_with_background(con: duckdb.DuckDBPyConnection, *, statements: bool) -> int:
    """A stored lead claim pooling a short sluice quote with a long background quote (forty
    words of its own); its corpus claim id."""
    sluice = {"w:sluice": 1.0, "w:reservoir": 1.0, "w:drain": 1.0, "w:flood": 1.0}
    background = {f"w:background{n}": 1.0 for n in range(40)}
    feats = ClaimFeatures({**sluice, **background})
    if statements:
        feats.parts = [sluice, background]
    record = ArticleAnalysis(text="Article lead.", claims=[Claim(id="c1", text="lead c1")])
    store.add_article(con, record, {"c1": feats})
    row = con.execute("SELECT max(corpus_claim_id) FROM claim_links").fetchone()
    assert row is not None
    return int(row[0])


def test_a_claim_repeating_one_statement_of_a_pooled_lead_joins_it(tmp_path: Path) -> None:
    # Against the lead's pooled centroid the repeat scores low (its three words are three of
    # forty-four); against the lead's sluice statement, three of four words are the same: the
    # statements make the link surer than the pooled words alone.
    scores = {}
    for statements in (True, False):
        con = store.connect(tmp_path / f"s{statements}.duckdb")
        _story(con)
        lead = _lead_with_background(con, statements=statements)
        repeat_words = {"w:sluice": 1.0, "w:reservoir": 1.0, "w:drain": 1.0, "w:gate": 1.0}
        repeat = _add(con, "repeat", {"c1": repeat_words})
        row = con.execute(
            "SELECT score FROM claim_links WHERE corpus_claim_id = ? AND claim_id = 'c1' "
            "ORDER BY score LIMIT 1",
            [lead],
        ).fetchone()
        scores[statements] = float(row[0]) if row and repeat["c1"] == lead else 0.0
        statements_stored = con.execute(
            "SELECT count(DISTINCT statement) FROM link_statements WHERE corpus_claim_id = ?",
            [lead],
        ).fetchone()
        # The lead's statements (two, or the pooled one), and the repeat's when it joined.
        assert statements_stored == ((2 if statements else 1) + (repeat["c1"] == lead),)
        if statements:
            assert repeat["c1"] == lead
        con.close()
    assert scores[True] > scores[False]


def test_a_store_from_before_weighted_centroids_is_rebuilt(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _story(con)
    con.execute("ALTER TABLE link_centroid_features DROP COLUMN weight")
    linking.ensure_tables(con)
    rows = con.execute("SELECT count(*), count(weight) FROM link_centroid_features").fetchone()
    assert rows is not None and rows[0] == rows[1] > 0


def test_a_store_from_before_statement_matching_gets_its_statements(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _story(con)
    expected = con.execute("SELECT * FROM link_statements ORDER BY ALL").fetchall()
    con.execute("DROP TABLE link_statements")
    linking.ensure_tables(con)
    # Each stored article claim is one statement again, numbered in the order it was linked.
    assert con.execute("SELECT * FROM link_statements ORDER BY ALL").fetchall() == expected


def test_the_newest_corpus_claim_is_not_merged_away(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # The store numbers new corpus claims from max(id) + 1: freeing the highest id would
    # hand it out again, so that merge waits for a later article.
    north, south = _two_bridge_claims(con, then_other=False)
    _add(con, "both", {"c1": {"w:bridge": 1.0, "w:blow": 1.0, "w:river": 1.0}})
    ids = {int(r[0]) for r in con.execute("SELECT id FROM corpus_claims").fetchall()}
    assert {north, south} <= ids and south == max(ids)
    assert con.execute("SELECT count(*) FROM corpus_claim_merges").fetchone() == (0,)


def test_a_claim_with_content_of_its_own_must_share_some_of_it(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The article's context alone does not pull a statement with its own proposition into
    the article's corpus claim ("Insurance rates for ships had doubled" beside a strike); a
    reaction with no words of its own still follows the context."""
    _story(con)
    strike = {**STORY, "w:strike": 1.0, "w:terminal": 1.0, "w:grain": 1.0}
    first = _add(con, "first", {"c1": strike})
    links = _add(
        con,
        "second",
        {
            "c1": {**strike, "w:night": 1.0},
            "c2": {"w:insurance": 1.0, "w:rate": 1.0, "w:double": 1.0, "w:vessel": 1.0},
        },
    )
    assert links["c1"] == first["c1"]
    assert links["c2"] != first["c1"]
    stored = linking._Centroid(members=2, features={"w:strike": 2, "w:terminal": 2})
    weak = {"w:lie": 1.0}
    assert linking.shares_its_content(weak, stored, {}, 100)
    assert not linking.shares_its_content(
        {"w:insurance": 1.0, "w:rate": 1.0}, stored, {"w:insurance": 1, "w:rate": 1}, 100
    )


def test_a_merge_of_claims_worded_with_opposite_polarity_reverses_the_moved_links(
    con: duckdb.DuckDBPyConnection,
) -> None:
    con.execute(
        "INSERT INTO corpus_claims (id, text, negated) VALUES "
        "(1, 'Drones crossed the border', false), (2, 'No drone crossed the border', true)"
    )
    con.execute(
        "INSERT INTO claim_links (article_id, claim_id, corpus_claim_id, score, reversed) "
        "VALUES ('a1', 'c1', 1, 1.0, false), ('a2', 'c1', 2, 1.0, false), "
        "('a3', 'c1', 2, 1.0, true)"
    )
    linking._apply_merges(con, [(2, 1)])
    rows = con.execute(
        "SELECT article_id, corpus_claim_id, reversed FROM claim_links ORDER BY 1"
    ).fetchall()
    assert rows == [("a1", 1, False), ("a2", 1, True), ("a3", 1, False)]


def _pooled_article(
    con: duckdb.DuckDBPyConnection,
    hospital_words: tuple[str, ...] = ("w:hospital", "w:strike"),
    held_by: tuple[str, ...] = ("s1", "s2"),
    reversing: tuple[str, ...] = (),
) -> str:
    """An article whose one claim pools a statement about the supply with one about the
    hospital (as the article analysis may group a speaker's statements); its id."""
    text = "Tessa said Arvel supplied the rebels. Tessa said a drone hit the hospital."
    supply = {**STORY, "w:supply": 1.0, "w:rebel": 1.0}
    hospital = {**STORY, **dict.fromkeys(hospital_words, 1.0)}
    feats = ClaimFeatures({**supply, **hospital})
    feats.parts = [supply, hospital]
    feats.part_statements = ["s1", "s2"]

    def statement(n: int, start: int, end: int) -> Statement:
        return Statement(
            id=f"s{n}",
            speaker=Speaker(name="Tessa"),
            cue=TextSpan(text="said", span=(start - 5, start - 1)),
            content=TextSpan(text=text[start:end], span=(start, end)),
            quote_type="indirect",
            claim="c1",
            commitment=2,
            reverses_claim=f"s{n}" in reversing,
        )

    statements = [statement(1, 11, 36), statement(2, 49, 73)]
    claim = Claim(
        id="c1",
        text="Arvel supplied the rebels",
        stances=[
            ClaimStance(
                holder="Tessa",
                stance="denies" if s.reverses_claim else "asserts",
                commitment=-2 if s.reverses_claim else 2,
                statement=s.id,
                span=s.content.span,
            )
            for s in statements
            if s.id in held_by
        ],
    )
    record = ArticleAnalysis(text=text, statements=statements, claims=[claim])
    added = store.add_article(con, record, {"c1": feats})
    # One claim and one statement linked apart from it: two units, both linked.
    assert (added.claims, added.statements_apart, added.linked_claims) == (1, 1, 2)
    return added.article_id


def test_a_statement_pooled_with_another_claim_is_linked_where_its_words_say(
    con: duckdb.DuckDBPyConnection,
) -> None:
    stored = _story(con)
    aid = _pooled_article(con)
    links = dict(
        con.execute(
            "SELECT claim_id, corpus_claim_id FROM claim_links WHERE article_id = ?", [aid]
        ).fetchall()
    )
    # The claim goes with the supply claim; its hospital statement, on its own, with the
    # hospital claim: a unit of its own, ``c1/s2``, in every table the queries read.
    assert links == {"c1": stored["supply"], "c1/s2": stored["hospital"]}
    assert con.execute(
        "SELECT id, claim_id FROM statements WHERE article_id = ? ORDER BY id", [aid]
    ).fetchall() == [("s1", "c1"), ("s2", "c1/s2")]
    assert con.execute(
        "SELECT claim_id, statement_id FROM stances WHERE article_id = ? ORDER BY ALL", [aid]
    ).fetchall() == [("c1", "s1"), ("c1/s2", "s2")]
    texts = dict(con.execute("SELECT id, text FROM claims WHERE article_id = ?", [aid]).fetchall())
    assert texts["c1/s2"] == "a drone hit the hospital"
    holders = [e.holder for e in queries.claim_timeline(con, stored["hospital"]).entries]
    assert "Tessa" in holders
    # The linker's tables count the unit as the store holds it.
    before = [con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in linking.TABLES]
    linking.rebuild_tables(con)
    after = [con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in linking.TABLES]
    assert after == before


def test_a_statement_linked_apart_stays_where_its_words_sent_it(
    con: duckdb.DuckDBPyConnection,
) -> None:
    stored = _story(con)
    # A model that trusts the article's context: once the rest of the claim joined the
    # supply claim, the hospital statement (which names the rebels too) scored again would
    # follow it there ("previous"). No merges, to see the linking alone.
    trusting = link_model.LinkModel(("lexical", "previous"), (8.0, 6.0), -4.0, threshold=0.3)
    never = link_model.LinkModel(("centroid",), (0.0,), -10.0, threshold=0.5)
    with link_model.using(trusting), link_model.using_merge(never):
        aid = _pooled_article(con, hospital_words=("w:hospital", "w:strike", "w:rebel"))
    links = dict(
        con.execute(
            "SELECT claim_id, corpus_claim_id FROM claim_links WHERE article_id = ?", [aid]
        ).fetchall()
    )
    assert links == {"c1": stored["supply"], "c1/s2": stored["hospital"]}


@pytest.mark.parametrize("held_by", [("s1",), ("s2",)])
def test_a_statement_linked_apart_and_the_rest_of_its_claim_each_hold_its_speakers_stance(
    con: duckdb.DuckDBPyConnection, held_by: tuple[str, ...]
) -> None:
    # The claim keeps one stance per speaker, taken from one of Tessa's two statements;
    # once the hospital statement is linked apart, each unit has Tessa's stance from its
    # own statement, whichever one the claim took. The hospital statement's words restate
    # its article claim reversed: its unit is worded as it is (negatively), and Tessa
    # asserts those words; in the corpus claim that counts as the link's polarity says.
    _story(con)
    aid = _pooled_article(con, held_by=held_by, reversing=("s2",))
    stances = con.execute(
        "SELECT claim_id, holder, stance, statement_id FROM stances WHERE article_id = ? "
        "ORDER BY ALL",
        [aid],
    ).fetchall()
    assert stances == [("c1", "Tessa", "asserts", "s1"), ("c1/s2", "Tessa", "asserts", "s2")]
    reversed_ = dict(
        con.execute(
            "SELECT claim_id, reversed FROM claim_links WHERE article_id = ?", [aid]
        ).fetchall()
    )
    # The stored hospital claim is worded positively: the negative unit counts reversed.
    assert reversed_ == {"c1": False, "c1/s2": True}


def test_a_claim_whose_statements_agree_stays_one_unit(con: duckdb.DuckDBPyConnection) -> None:
    stored = _story(con)
    supply = {**STORY, "w:supply": 1.0, "w:rebel": 1.0}
    feats = ClaimFeatures({**supply, "w:rifle": 1.0})
    feats.parts = [supply, {**STORY, "w:supply": 1.0, "w:rifle": 1.0}]
    feats.part_statements = ["s1", "s2"]
    centroids, df, total = _linker_state(con)
    model = link_model.active_model()
    whole = linking.best_candidate(model, feats, None, centroids, df, total, [])
    units = linking.split_claim(model, feats, whole, centroids, df, total, [])
    assert [statement for statement, _, _ in units] == [None]
    assert _add(con, "rifles", {"c1": feats})["c1"] == stored["supply"]


def _linker_state(
    con: duckdb.DuckDBPyConnection,
) -> tuple[dict[int, linking._Centroid], dict[str, int], int]:
    """The stored corpus claims, document frequencies and claim count, as the linker reads
    them."""
    batch = linking.LinkBatch(con)
    words = [str(r[0]) for r in con.execute("SELECT feature FROM link_feature_df").fetchall()]
    centroids = batch.candidates([w for w in words if w.startswith("w:")])
    return centroids, batch.df_of(words), batch.total()


def test_the_article_page_shows_where_each_unit_went(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from sayso.serve.app import create_app

    db = tmp_path / "pooled.duckdb"
    con = store.connect(db)
    stored = _story(con)
    aid = _pooled_article(con)
    con.close()
    with TestClient(create_app(db)) as client:
        page = client.get(f"/articles/{aid}").text
    assert f'href="/claims/{stored["supply"]}"' in page
    assert f'href="/claims/{stored["hospital"]}"' in page
    assert "linked apart from its claim:</span> a drone hit the hospital" in page


def test_the_ingest_summary_counts_statements_linked_apart() -> None:
    from sayso.corpus.ingest import IngestReport

    report = IngestReport(
        stored=1, claims=3, statements_apart=1, linked_claims=2, new_corpus_claims=2
    )
    assert "3 claims and 1 statement linked apart from its claim: 2 linked to earlier " in (
        report.summary()
    )
    assert "3 claims: 2 linked" in IngestReport(claims=3, linked_claims=2).summary()

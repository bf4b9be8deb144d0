"""Credibility of claims and reliability of sources, on a synthetic world with known truth.

The world (generated, no article text): claims true or false with probability 0.5; sources
with known sensitivity (asserts a true claim) and specificity (denies a false claim): three
reliable, two noisy, one that denies everything, two that assert (nearly) everything.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest

from sayso.corpus.credibility import (
    ClaimCredibility,
    Observation,
    credibility,
    observations_from_store,
    vote_weight,
    weighted_vote,
)
from sayso.corpus.store import connect

#: name: (sensitivity, specificity, probability of voting on a claim)
SOURCES: dict[str, tuple[float, float, float]] = {
    "reliable 1": (0.9, 0.9, 0.35),
    "reliable 2": (0.85, 0.9, 0.35),
    "reliable 3": (0.9, 0.85, 0.35),
    "noisy 1": (0.6, 0.6, 0.35),
    "noisy 2": (0.55, 0.6, 0.35),
    "always denies": (0.0, 1.0, 0.6),
    "always asserts 1": (1.0, 0.0, 0.5),
    "always asserts 2": (1.0, 0.1, 0.5),
}
EARLY = dt.date(2026, 1, 15)


def world(seed: int, n_claims: int = 300) -> tuple[np.ndarray, list[Observation]]:
    rng = np.random.default_rng(seed)
    truth = rng.random(n_claims) < 0.5
    obs = []
    for c in range(n_claims):
        for name, (sens, spec, rate) in SOURCES.items():
            if rng.random() < rate:
                p_assert = sens if truth[c] else 1 - spec
                stance = "asserts" if rng.random() < p_assert else "denies"
                obs.append(Observation(c, name, stance, date=EARLY))
    return truth, obs


def accuracy(truth: np.ndarray, claims: Mapping[Any, ClaimCredibility]) -> float:
    scored = [(c.p_true > 0.5) == truth[k] for k, c in claims.items() if c.n_votes]
    assert scored
    return sum(scored) / len(scored)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_recovers_truth_better_than_weighted_vote(seed: int) -> None:
    truth, obs = world(seed)
    model = accuracy(truth, credibility(obs).claims)
    vote = accuracy(truth, weighted_vote(obs))
    assert model >= vote + 0.03, (model, vote)
    assert model >= 0.75


def test_recovers_the_two_rates_of_each_source() -> None:
    _, obs = world(11)
    src = credibility(obs).sources
    for name in ("reliable 1", "reliable 2", "reliable 3"):
        assert src[name].sensitivity > 0.7 and src[name].specificity > 0.7, src[name]
    denier = src["always denies"]
    assert denier.specificity > 0.9 and denier.false_denial_rate > 0.8
    asserter = src["always asserts 1"]
    assert asserter.sensitivity > 0.9 and asserter.false_assertion_rate > 0.8
    assert asserter.n_denies == 0 and asserter.n == asserter.n_asserts


def test_denier_denials_weigh_little() -> None:
    """A true claim asserted by one reliable source and denied by the always-denier."""
    _, obs = world(12)
    claim = [
        Observation("x", "reliable 1", "asserts", date=EARLY),
        Observation("x", "always denies", "denies", date=EARLY),
    ]
    assert weighted_vote(obs + claim)["x"].p_true == 0.5
    assert credibility(obs + claim).claims["x"].p_true > 0.8


def test_a_rarely_seen_source_is_smoothed_toward_the_prior() -> None:
    _, obs = world(13)
    once = [Observation(1000, "new outlet", "asserts"), Observation(1000, "reliable 1", "asserts")]
    r = credibility(obs + once)
    new = r.sources["new outlet"]
    assert new.n == 1
    assert 0.6 < new.sensitivity < 0.9 and 0.6 < new.specificity < 0.8
    # without the prior, one agreeing vote makes it (nearly) perfect
    raw = credibility(obs + once, prior_strength=0).sources["new outlet"]
    assert raw.sensitivity > 0.99
    # a stronger prior keeps it closer to the prior reliability
    strong = credibility(obs + once, prior_strength=50).sources["new outlet"]
    assert abs(strong.sensitivity - 0.7) < abs(new.sensitivity - 0.7)


def test_repeaters_count_once() -> None:
    obs = [Observation(1, "governor", "asserts"), Observation(1, "ministry", "denies")]
    obs += [Observation(1, f"outlet {i}", "asserts", depends_on="governor") for i in range(5)]
    for claims in (credibility(obs).claims, weighted_vote(obs)):
        c = claims[1]
        assert (c.n_votes, c.votes_for, c.votes_against) == (2, 1, 1)
        assert c.sources_for == ("governor",)
        assert c.p_true == pytest.approx(0.5)
    assert sorted(credibility(obs).sources) == ["governor", "ministry"]
    # the repeaters counted as independent sources would outvote the ministry
    independent = [Observation(o.claim_id, o.holder_key, o.stance) for o in obs]
    assert credibility(independent).claims[1].p_true > 0.8


@pytest.mark.parametrize("seed", [14, 15])
def test_collapsing_a_repeater_group_helps_in_the_world(seed: int) -> None:
    """Five outlets relay every vote of a noisy source: counted apart, they agree with each
    other, look reliable and outvote the reliable sources."""
    truth, obs = world(seed)
    relayed = [
        Observation(o.claim_id, f"relay {i}", o.stance, date=o.date, depends_on=o.holder_key)
        for o in obs
        if o.holder_key == "noisy 1"
        for i in range(5)
    ]
    grouped = accuracy(truth, credibility(obs + relayed).claims)
    ungrouped = accuracy(
        truth,
        credibility(
            [Observation(o.claim_id, o.holder_key, o.stance) for o in obs + relayed]
        ).claims,
    )
    assert grouped == pytest.approx(accuracy(truth, credibility(obs).claims))
    assert grouped > ungrouped + 0.03


@pytest.mark.parametrize("label", ["cannot_confirm", "doubts", "conditional", "questions"])
def test_not_confirming_is_not_denying(label: str) -> None:
    _, obs = world(15)
    base = [Observation("y", "reliable 2", "asserts", date=EARLY)]
    others = [Observation("y", name, label, date=EARLY) for name in ("reliable 1", "reliable 3")]
    alone = credibility(obs + base).claims["y"]
    with_others = credibility(obs + base + others).claims["y"]
    assert with_others.p_true == pytest.approx(alone.p_true)
    assert (with_others.votes_against, with_others.no_vote, with_others.n_votes) == (0, 2, 1)
    assert weighted_vote(obs + base + others)["y"].p_true == 1.0
    denied = [Observation("y", name, "denies", date=EARLY) for name in ("reliable 1", "reliable 3")]
    assert credibility(obs + base + denied).claims["y"].p_true < 0.2


def test_hedges_are_weaker_than_assertions() -> None:
    _, obs = world(16)
    p = {
        label: credibility([*obs, Observation("z", "reliable 1", label)]).claims["z"].p_true
        for label in ("asserts", "hedges")
    }
    assert p["asserts"] > p["hedges"] > 0.5
    assert vote_weight("hedges") == 0.5


def test_commitment_when_no_label() -> None:
    obs = [
        Observation(1, "a", None, commitment=3),
        Observation(1, "b", None, commitment=-1),  # doubts: no vote
        Observation(1, "c", None, commitment=-3),
    ]
    c = weighted_vote(obs)[1]
    assert (c.votes_for, c.votes_against, c.no_vote) == (1, 1, 1)


def test_as_of_uses_only_earlier_observations() -> None:
    """A claim denied early, confirmed later by a reliable source."""
    _, obs = world(17)
    story = [
        Observation("w", "always denies", "denies", date=dt.date(2026, 3, 3)),
        Observation("w", "noisy 1", "doubts", date=dt.date(2026, 3, 3)),
        Observation("w", "reliable 1", "asserts", date=dt.date(2026, 3, 9)),
        Observation("w", "reliable 3", "asserts", date=None),  # undated: only without as_of
    ]
    before = credibility(obs + story, as_of=dt.date(2026, 3, 8)).claims["w"]
    on_day = credibility(obs + story, as_of=dt.date(2026, 3, 9)).claims["w"]
    after = credibility(obs + story, as_of=dt.date(2026, 6, 1)).claims["w"]
    every = credibility(obs + story).claims["w"]
    assert before.p_true < 0.5 and (before.votes_for, before.votes_against) == (0, 1)
    assert on_day.p_true > 0.6 and on_day.votes_for == 1
    assert after.p_true == pytest.approx(on_day.p_true)
    assert every.votes_for == 2 and every.p_true > on_day.p_true
    assert "w" not in credibility(obs + story, as_of=dt.date(2026, 3, 2)).claims


def test_a_holder_who_changes_line_counts_by_the_latest_stance() -> None:
    obs = [
        Observation(1, "spokesman", "doubts", date=dt.date(2026, 3, 3)),
        Observation(1, "spokesman", "asserts", date=dt.date(2026, 3, 9)),
        Observation(2, "spokesman", "asserts", date=dt.date(2026, 3, 9)),
        Observation(2, "spokesman", "denies", date=dt.date(2026, 3, 3)),  # older, listed later
    ]
    votes = weighted_vote(obs)
    assert votes[1].votes_for == 1 and votes[1].no_vote == 0
    assert votes[2].votes_for == 1 and votes[2].votes_against == 0
    early = weighted_vote(obs, as_of=dt.date(2026, 3, 5))
    assert early[1].n_votes == 0 and early[2].votes_against == 1


def test_deterministic_and_order_independent() -> None:
    _, obs = world(18)
    a, b = credibility(obs), credibility(obs)
    assert a == b
    shuffled = list(obs)
    random.Random(0).shuffle(shuffled)
    c = credibility(shuffled)
    for k, claim in a.claims.items():
        assert c.claims[k].p_true == pytest.approx(claim.p_true, abs=1e-6)
    assert a.converged and a.iterations < 200


def test_empty_and_tuples() -> None:
    r = credibility([])
    assert r.claims == {} and r.sources == {}
    r = credibility([(1, "a", "cannot_confirm"), (2, "b", "asserts")], prior_truth=0.3)
    assert r.claims[1].p_true == pytest.approx(0.3) and r.claims[1].n_votes == 0
    assert r.claims[2].p_true > 0.3


HIT = "Depot hit, the governor and mayor said."


def _store_with_stances(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(f"{tmp_path}/c.duckdb")
    articles = [
        ("a1", dt.date(2026, 3, 2), "2026-03-02 10:00:00"),
        ("a2", dt.date(2026, 3, 3), "2026-03-03 10:00:00"),
        ("a3", dt.date(2026, 3, 9), "2026-03-09 10:00:00"),
    ]
    for aid, published, ingested in articles:
        con.execute(
            "INSERT INTO articles (id, published, ingested_at) VALUES (?, ?, ?)",
            [aid, published, ingested],
        )
    # (article, local claim, n, holder_key, stance, commitment, quote, own date)
    stances = [
        ("a1", "c1", 0, "governor", "asserts", 3, HIT, None),
        ("a1", "c1", 1, "mayor", "asserts", 3, HIT, None),
        ("a1", "c1", 2, "ministry", "denies", -3, "The ministry denied it.", None),
        ("a2", "k", 0, "author@b.example", "asserts", 3, HIT, None),
        ("a2", "k", 1, "un", "cannot_confirm", 0, "The UN could not confirm it.", None),
        ("a2", "k", 2, "governor", "asserts", 3, HIT, None),
        ("a3", "c9", 0, "ministry", "asserts", 3, "It was hit.", dt.date(2026, 3, 8)),
    ]  # fmt: skip
    for aid, cid, n, key, stance, commitment, quote, date in stances:
        con.execute(
            "INSERT INTO stances (article_id, claim_id, n, holder, holder_key, stance, "
            "commitment, quote, date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [aid, cid, n, key, key, stance, commitment, quote, date],
        )
    for aid, cid in (("a1", "c1"), ("a2", "k"), ("a3", "c9")):
        con.execute(
            "INSERT INTO claim_links (article_id, claim_id, corpus_claim_id, score) "
            "VALUES (?, ?, 7, 1.0)",
            [aid, cid],
        )
    return con


def test_observations_from_store(tmp_path: Path) -> None:
    con = _store_with_stances(tmp_path)
    obs = observations_from_store(con)
    assert {o.claim_id for o in obs} == {7}
    by_holder = {(o.article_id, o.holder_key): o for o in obs}
    # holders sharing one sentence in one article are independent
    assert by_holder[("a1", "mayor")].depends_on is None
    # the same sentence in a later article, under another holder, repeats the first one
    assert by_holder[("a2", "author@b.example")].depends_on == "governor"
    assert by_holder[("a2", "governor")].depends_on is None
    # a stance's own date wins over the article's
    assert by_holder[("a3", "ministry")].date == dt.date(2026, 3, 8)
    assert [o.date for o in obs] == sorted(o.date for o in obs if o.date)
    c = credibility(obs).claims[7]
    assert (c.votes_for, c.votes_against, c.no_vote) == (3, 0, 1)  # governor, mayor, ministry
    early = observations_from_store(con, as_of=dt.date(2026, 3, 7))
    assert len(early) == 6
    c = credibility(early).claims[7]
    assert (c.votes_for, c.votes_against) == (2, 1)
    con.close()


def test_observations_from_store_skip_near_duplicate_copies(tmp_path: Path) -> None:
    from sayso.corpus.neardup import ensure_tables

    con = _store_with_stances(tmp_path)
    ensure_tables(con)
    con.execute("INSERT INTO article_duplicates VALUES ('a2', 'a1', 0.9)")
    obs = observations_from_store(con)
    assert {o.article_id for o in obs} == {"a1", "a3"}
    assert credibility(obs).claims[7].no_vote == 0
    con.close()


@pytest.mark.filterwarnings("ignore")
def test_agrees_with_crowdkit_dawid_skene() -> None:
    pd = pytest.importorskip("pandas")
    aggregation = pytest.importorskip("crowdkit.aggregation")
    _, obs = world(19)
    frame = pd.DataFrame(
        [
            {"task": o.claim_id, "worker": o.holder_key, "label": int(o.stance == "asserts")}
            for o in obs
        ]
    )
    theirs = aggregation.DawidSkene(n_iter=100).fit_predict(frame)
    ours = credibility(obs, prior_strength=0, learn_prior_truth=True).claims
    agree = [int(ours[task].p_true > 0.5) == int(label) for task, label in theirs.items()]
    assert len(agree) > 250
    assert sum(agree) / len(agree) > 0.9


def test_corpus_api_gives_credibility_for_stored_claims(tmp_path: Path) -> None:
    from sayso import Corpus

    with Corpus(tmp_path / "c.duckdb") as corpus:
        corpus.add(
            "Officials said a missile strike damaged the dam near the river port.",
            published="2026-05-04",
        )
        corpus.add(
            "The watchdog confirmed that a missile strike damaged the dam near the river port.",
            published="2026-05-09",
        )
        result, vote = corpus.credibility()
    assert len(result.claims) >= 1
    claim = max(result.claims.values(), key=lambda c: c.n_votes)
    assert claim.votes_for >= 2 and claim.p_true > 0.5
    assert set(vote) == set(result.claims)


def test_a_stance_recalled_as_earlier_does_not_replace_the_holders_own_latest() -> None:
    """'The ministry had denied it' in a later article is no newer vote than the ministry's
    own confirmation; it counts only for a holder with no other stance."""
    story = [
        Observation("q", "ministry", "asserts", date=dt.date(2026, 3, 9)),
        Observation("q", "ministry", "denies", date=dt.date(2026, 3, 12), recap=True),
        Observation("q", "army", "denies", date=dt.date(2026, 3, 12), recap=True),
    ]
    c = credibility(story).claims["q"]
    assert (c.votes_for, c.votes_against) == (1, 1)  # the ministry asserts, the army denies

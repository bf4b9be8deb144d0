"""Credibility of corpus claims and reliability of their sources (truth discovery).

Many holders assert or deny the same corpus claim; some are reliable, some deny everything,
some assert everything, some are seen once. :func:`credibility` estimates, for each claim, the
probability that it is true, and for each source two rates, by expectation-maximisation over
a latent truth per claim: the two-coin model of Dawid & Skene (1979), as used for truth
discovery by Zhao et al. (2012, "A Bayesian approach to discovering truth from conflicting
sources", the latent truth model), with separate rates for false assertions and false denials
and Beta priors on both. :func:`weighted_vote` is the baseline it is compared with.

What counts as a vote (see :data:`VOTE_WEIGHTS`): ``asserts`` (+1), ``hedges`` (+0.5),
``denies`` (-1). ``doubts``, ``cannot_confirm``, ``conditional`` and ``questions`` are *not*
votes: "we cannot confirm" says nothing about whether the claim is false. Each voter's latest
vote on a claim (by date, then input order; a stance the article recalls as taken earlier,
"had denied", counts only when the voter has no other) is the one that counts, and a holder who only
repeats another source (``depends_on``) votes as that source, so a chain of repeaters counts
once.

>>> obs = [
...     Observation(1, "governor", "asserts"),
...     Observation(1, "ministry", "denies"),
...     Observation(1, "un", "cannot_confirm"),
...     Observation(1, "outlet a", "asserts", depends_on="governor"),
... ]
>>> result = credibility(obs)
>>> c = result.claims[1]
>>> c.n_votes, c.votes_for, c.votes_against, c.no_vote
(2, 1, 1, 1)
>>> round(c.p_true, 2)
0.5
>>> sorted(result.sources)
['governor', 'ministry']
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np

#: Vote weight of each stance label: positive asserts the claim, negative denies it. Labels
#: not listed (doubts, cannot_confirm, conditional, questions) are no vote.
VOTE_WEIGHTS: Mapping[str, float] = {"asserts": 1.0, "hedges": 0.5, "denies": -1.0}

#: Default prior mean of a source's sensitivity and specificity (Beta prior).
PRIOR_RELIABILITY = 0.7
#: Default prior strength: the Beta prior is worth this many (weighted) votes.
PRIOR_STRENGTH = 4.0
#: EM stops when no claim's probability moves by more than this, or after MAX_ITER rounds.
TOLERANCE = 1e-6
MAX_ITER = 200
#: Rates are kept inside [EPS, 1 - EPS] so that log-likelihoods stay finite.
EPS = 1e-6

ClaimKey = Hashable


@dataclass(frozen=True)
class Observation:
    """One holder's stance on one claim.

    ``stance`` is a stance label (``asserts``, ``hedges``, ``denies``, ...); when it is None,
    ``commitment`` decides (>= 2 asserts, 1 hedges, <= -2 denies, else no vote).
    ``depends_on`` is a group key: the source this holder only repeats. Observations with the
    same ``depends_on`` (or whose ``depends_on`` is another observation's holder) vote as
    one source.
    """

    claim_id: ClaimKey
    holder_key: str
    stance: str | None = None
    date: dt.date | None = None
    article_id: str | None = None
    depends_on: str | None = None
    commitment: int | None = None
    #: Recalled as taken earlier ("had denied"): any other stance of the holder is later.
    recap: bool = False

    @property
    def voter(self) -> str:
        """Whom the vote counts for: the source repeated, else the holder."""
        return self.depends_on or self.holder_key


@dataclass
class ClaimCredibility:
    """The estimate for one claim."""

    p_true: float
    n_votes: int  # voters with a vote (after collapsing repeaters, latest vote each)
    votes_for: int  # voters asserting or hedging
    votes_against: int  # voters denying
    no_vote: int = 0  # voters whose latest stance is not a vote (cannot confirm, doubts, ...)
    sources_for: tuple[str, ...] = ()
    sources_against: tuple[str, ...] = ()


@dataclass
class SourceReliability:
    """One source's estimated rates (posterior means under the Beta priors)."""

    sensitivity: float  # P(asserts | claim true): 1 - rate of false denials
    specificity: float  # P(denies | claim false): 1 - rate of false assertions
    n: int  # claims it voted on
    n_asserts: int = 0
    n_denies: int = 0

    @property
    def false_assertion_rate(self) -> float:
        """P(asserts | claim false)."""
        return 1.0 - self.specificity

    @property
    def false_denial_rate(self) -> float:
        """P(denies | claim true)."""
        return 1.0 - self.sensitivity


@dataclass
class CredibilityResult:
    """Per claim the probability it is true; per source its two rates."""

    claims: dict[ClaimKey, ClaimCredibility]
    sources: dict[str, SourceReliability]
    iterations: int = 0
    converged: bool = True
    prior_truth: float = 0.5
    params: dict[str, Any] = field(default_factory=dict)


def vote_weight(
    stance: str | None, commitment: int | None = None, weights: Mapping[str, float] | None = None
) -> float:
    """The signed weight of a stance as a vote (0.0: no vote).

    >>> vote_weight("asserts"), vote_weight("hedges"), vote_weight("denies")
    (1.0, 0.5, -1.0)
    >>> vote_weight("cannot_confirm"), vote_weight("doubts")
    (0.0, 0.0)
    >>> vote_weight(None, 3), vote_weight(None, -1), vote_weight(None, -3)
    (1.0, 0.0, -1.0)
    """
    table = VOTE_WEIGHTS if weights is None else weights
    if stance is None:
        if commitment is None:
            return 0.0
        if commitment >= 2:
            stance = "asserts"
        elif commitment == 1:
            stance = "hedges"
        elif commitment <= -2:
            stance = "denies"
        else:
            return 0.0
    return float(table.get(stance, 0.0))


def _as_observation(item: Observation | tuple[Any, ...]) -> Observation:
    return item if isinstance(item, Observation) else Observation(*item)


@dataclass
class _Votes:
    """The votes after filtering by date, collapsing repeaters and keeping the latest."""

    claims: list[ClaimKey]  # every claim seen (with or without votes)
    voters: list[str]  # every voter with at least one vote
    claim_idx: np.ndarray  # per vote
    voter_idx: np.ndarray
    weight: np.ndarray  # > 0
    positive: np.ndarray  # bool
    no_vote: dict[ClaimKey, int]


def _votes(
    observations: Iterable[Observation | tuple[Any, ...]],
    as_of: dt.date | None,
    weights: Mapping[str, float] | None,
) -> _Votes:
    latest: dict[tuple[ClaimKey, str], tuple[tuple[bool, dt.date, int], float]] = {}
    claims: dict[ClaimKey, None] = {}
    for order, item in enumerate(observations):
        o = _as_observation(item)
        if as_of is not None and (o.date is None or o.date > as_of):
            continue
        claims.setdefault(o.claim_id, None)
        key = (o.claim_id, o.voter)
        rank = (not o.recap, o.date or dt.date.min, order)
        seen = latest.get(key)
        if seen is None or rank >= seen[0]:
            latest[key] = (rank, vote_weight(o.stance, o.commitment, weights))
    claim_pos = {c: i for i, c in enumerate(claims)}
    voters: dict[str, int] = {}
    rows: list[tuple[int, int, float]] = []
    no_vote: dict[ClaimKey, int] = {}
    for (claim, voter), (_, w) in latest.items():
        if w == 0.0:
            no_vote[claim] = no_vote.get(claim, 0) + 1
            continue
        rows.append((claim_pos[claim], voters.setdefault(voter, len(voters)), w))
    arr = np.array(rows, dtype=float).reshape(-1, 3)
    return _Votes(
        claims=list(claims),
        voters=list(voters),
        claim_idx=arr[:, 0].astype(np.int64),
        voter_idx=arr[:, 1].astype(np.int64),
        weight=np.abs(arr[:, 2]),
        positive=arr[:, 2] > 0,
        no_vote=no_vote,
    )


def _claim_summaries(v: _Votes, p_true: np.ndarray) -> dict[ClaimKey, ClaimCredibility]:
    pro: dict[int, list[str]] = {}
    con: dict[int, list[str]] = {}
    for c, s, pos in zip(
        v.claim_idx.tolist(), v.voter_idx.tolist(), v.positive.tolist(), strict=True
    ):
        (pro if pos else con).setdefault(c, []).append(v.voters[s])
    out = {}
    for i, claim in enumerate(v.claims):
        f, a = sorted(pro.get(i, [])), sorted(con.get(i, []))
        out[claim] = ClaimCredibility(
            p_true=float(p_true[i]),
            n_votes=len(f) + len(a),
            votes_for=len(f),
            votes_against=len(a),
            no_vote=v.no_vote.get(claim, 0),
            sources_for=tuple(f),
            sources_against=tuple(a),
        )
    return out


def weighted_vote(
    observations: Iterable[Observation | tuple[Any, ...]],
    *,
    as_of: dt.date | None = None,
    prior_truth: float = 0.5,
    weights: Mapping[str, float] | None = None,
) -> dict[ClaimKey, ClaimCredibility]:
    """Baseline: per claim, the share of assert weight among the vote weight.

    The same votes as :func:`credibility` (latest per voter, repeaters collapsed), every
    source trusted equally. A claim without votes gets ``prior_truth``.

    >>> votes = weighted_vote([(1, "a", "asserts"), (1, "b", "hedges"), (1, "c", "denies")])
    >>> round(votes[1].p_true, 2)
    0.6
    """
    v = _votes(observations, as_of, weights)
    n = len(v.claims)
    pro = np.bincount(v.claim_idx, weights=v.weight * v.positive, minlength=n)
    total = np.bincount(v.claim_idx, weights=v.weight, minlength=n)
    p = np.where(total > 0, pro / np.maximum(total, EPS), prior_truth)
    return _claim_summaries(v, p)


def _logit(p: float) -> float:
    p = min(max(p, EPS), 1 - EPS)
    return math.log(p / (1 - p))


def credibility(
    observations: Iterable[Observation | tuple[Any, ...]],
    *,
    as_of: dt.date | None = None,
    prior_truth: float = 0.5,
    prior_strength: float = PRIOR_STRENGTH,
    prior_reliability: float = PRIOR_RELIABILITY,
    learn_prior_truth: bool = False,
    weights: Mapping[str, float] | None = None,
    max_iter: int = MAX_ITER,
    tol: float = TOLERANCE,
) -> CredibilityResult:
    """Estimate each claim's probability of being true and each source's two rates, by EM.

    Model: claim ``c`` is true with prior probability ``prior_truth``; a source ``s`` that
    votes on a true claim asserts it with probability ``sensitivity[s]`` (else denies it);
    on a false claim it denies it with probability ``specificity[s]`` (else asserts it).
    Both rates have a Beta prior with mean ``prior_reliability`` worth ``prior_strength``
    votes (0: maximum likelihood, no smoothing). A hedge is half a vote (its likelihood
    term and its count are weighted 0.5). EM starts from the weighted vote and stops when
    no claim moves by more than ``tol`` or after ``max_iter`` rounds; it is deterministic.
    ``learn_prior_truth`` re-estimates the share of true claims each round (as Dawid & Skene
    do). ``as_of`` keeps only observations dated on or before it (undated ones are dropped).

    Two sources agree on ten claims (five true, five false); a third denies everything, so
    its denials of the true claims weigh little:

    >>> obs = [(c, s, "asserts" if c < 5 else "denies") for c in range(10) for s in "ab"]
    >>> obs += [(c, "denier", "denies") for c in range(10)]
    >>> r = credibility(obs)
    >>> round(r.claims[0].p_true, 2), round(weighted_vote(obs)[0].p_true, 2)
    (0.96, 0.67)
    >>> round(r.sources["denier"].false_denial_rate, 2)
    0.69
    """
    v = _votes(observations, as_of, weights)
    n_claims, n_voters = len(v.claims), len(v.voters)
    w, pos = v.weight, v.positive
    neg = ~pos
    alpha = max(prior_strength, 0.0)
    r0 = prior_reliability
    # start from the weighted vote, pulled towards the prior
    pro = np.bincount(v.claim_idx, weights=w * pos, minlength=n_claims)
    total = np.bincount(v.claim_idx, weights=w, minlength=n_claims)
    q = (pro + prior_truth) / (total + 1.0)
    pi = prior_truth
    iterations, converged = 0, n_claims == 0 or len(w) == 0
    sens = np.full(n_voters, r0)
    spec = np.full(n_voters, r0)
    for iterations in range(1, max_iter + 1):  # noqa: B007 - reported after the loop
        # M-step: the rates given the current truth probabilities
        qv = q[v.claim_idx]
        sens = (alpha * r0 + np.bincount(v.voter_idx, w * qv * pos, n_voters)) / np.maximum(
            alpha + np.bincount(v.voter_idx, w * qv, n_voters), EPS
        )
        spec = (alpha * r0 + np.bincount(v.voter_idx, w * (1 - qv) * neg, n_voters)) / (
            np.maximum(alpha + np.bincount(v.voter_idx, w * (1 - qv), n_voters), EPS)
        )
        sens = np.clip(sens, EPS, 1 - EPS)
        spec = np.clip(spec, EPS, 1 - EPS)
        if learn_prior_truth and n_claims:
            pi = float(np.clip(q.mean(), EPS, 1 - EPS))
        # E-step: the truth probabilities given the rates
        s = v.voter_idx
        llr = np.where(
            pos,
            np.log(sens[s]) - np.log(1 - spec[s]),
            np.log(1 - sens[s]) - np.log(spec[s]),
        )
        logodds = _logit(pi) + np.bincount(v.claim_idx, w * llr, n_claims)
        new_q = 1.0 / (1.0 + np.exp(-logodds))
        delta = float(np.max(np.abs(new_q - q))) if n_claims else 0.0
        q = new_q
        if delta <= tol:
            converged = True
            break
    p = np.where(total > 0, q, pi)
    n_asserts = np.bincount(v.voter_idx, pos.astype(float), n_voters)
    n_denies = np.bincount(v.voter_idx, neg.astype(float), n_voters)
    sources = {
        name: SourceReliability(
            sensitivity=float(sens[i]),
            specificity=float(spec[i]),
            n=int(n_asserts[i] + n_denies[i]),
            n_asserts=int(n_asserts[i]),
            n_denies=int(n_denies[i]),
        )
        for i, name in enumerate(v.voters)
    }
    return CredibilityResult(
        claims=_claim_summaries(v, p),
        sources=sources,
        iterations=iterations,
        converged=converged,
        prior_truth=pi,
        params={
            "prior_strength": alpha,
            "prior_reliability": r0,
            "learn_prior_truth": learn_prior_truth,
            "as_of": as_of,
        },
    )


def observations_from_store(
    con: duckdb.DuckDBPyConnection, as_of: dt.date | None = None
) -> list[Observation]:
    """The stances in a corpus store as observations on corpus claims.

    The claim is the corpus claim (``claim_links``); the date is the stance's date, else its
    article's publication date; order is date, then ingest order. A holder whose quoted
    evidence is, word for word and with the same stance, a quote that an earlier article
    gave another holder on the same corpus claim (a syndicated copy, or the same statement
    attributed differently) depends on that article's first holder with that quote; holders
    sharing one sentence in one article stay independent. When the store has the view
    ``counted_stances`` (near-duplicate articles, :mod:`sayso.corpus.neardup`), the stances
    of near-duplicate copies are left out, as the other counting queries do. ``as_of`` keeps
    only stances dated on or before it.

    >>> import tempfile, os
    >>> from sayso.corpus.store import connect
    >>> con = connect(os.path.join(tempfile.mkdtemp(), "c.duckdb"))
    >>> observations_from_store(con)
    []
    """
    has_view = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_name = 'counted_stances'"
    ).fetchone()
    table = "counted_stances" if has_view and has_view[0] else "stances"
    from sayso.corpus.store import flag_column

    rows = con.execute(
        f"""
        SELECT l.corpus_claim_id, st.holder_key, st.stance, st.commitment,
               coalesce(st.date, a.published) AS d, st.article_id, st.quote,
               {flag_column(con, table, "st", "recap")}
        FROM {table} st
        JOIN claim_links l ON l.article_id = st.article_id AND l.claim_id = st.claim_id
        JOIN articles a ON a.id = st.article_id
        WHERE ?::DATE IS NULL OR coalesce(st.date, a.published) <= ?::DATE
        ORDER BY d NULLS LAST, a.ingested_at, st.article_id, st.claim_id, st.n
        """,
        [as_of, as_of],
    ).fetchall()
    # per (claim, quote, stance): the first article with it and that article's holders
    first: dict[tuple[int, str, str], tuple[str, list[str]]] = {}
    out = []
    for claim, holder, stance, commitment, date, aid, quote, recap in rows:
        text = " ".join(str(quote or "").casefold().split())
        depends_on = None
        if text:
            key = (int(claim), text, str(stance))
            first_article, holders = first.setdefault(key, (aid, []))
            if aid == first_article:
                if holder not in holders:
                    holders.append(holder)
            elif holder not in holders:
                depends_on = holders[0]
        out.append(
            Observation(
                claim_id=int(claim),
                holder_key=str(holder),
                stance=stance,
                date=date,
                article_id=aid,
                depends_on=depends_on,
                commitment=None if commitment is None else int(commitment),
                recap=bool(recap),
            )
        )
    return out


def store_credibility(
    con: duckdb.DuckDBPyConnection, as_of: dt.date | None = None, **options: Any
) -> tuple[CredibilityResult, dict[ClaimKey, ClaimCredibility]]:
    """:func:`credibility` and :func:`weighted_vote` over a whole corpus store.

    Source rates are learned from every corpus claim, so this reads all stances; keyword
    ``options`` go to :func:`credibility`.

    >>> import tempfile, os
    >>> from sayso.corpus.store import connect
    >>> con = connect(os.path.join(tempfile.mkdtemp(), "c.duckdb"))
    >>> result, vote = store_credibility(con)
    >>> result.claims, vote
    ({}, {})
    """
    obs = observations_from_store(con, as_of=as_of)
    return credibility(obs, as_of=as_of, **options), weighted_vote(obs, as_of=as_of)

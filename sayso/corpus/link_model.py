"""The learned decision of the claim linker: is this article claim the same claim as that
corpus claim?

:func:`pair_features` describes one (article claim, candidate corpus claim) pair by a few
numbers the linker computes anyway: the IDF-weighted cosine with the corpus claim's centroid,
the best match of one of their statements, the specific words, entities, numbers and
predicate-argument pairs the two share, where the article put its earlier claims (the corpus
claim of its lead, of its preceding claim) and, with the ``embeddings`` extra, the cosine of
the evidence embeddings. :class:`LinkModel` is a logistic regression over them, trained by
:mod:`sayso.corpus.train_linking` on the project's own invented stories (never the held-out
one) and shipped as ``sayso/data/linking_model.json``, one model per linking method. The
linker joins the candidate with the highest probability when it reaches the threshold.

>>> model = LinkModel(names=("lexical", "previous"), coef=(6.0, 2.0), intercept=-3.0)
>>> round(model.probability([0.5, 1.0]), 3), round(model.probability([0.1, 0.0]), 3)
(0.881, 0.083)
>>> sorted(shipped_models())
['embeddings+lexical', 'lexical', 'merge:embeddings+lexical', 'merge:lexical']
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from sayso.corpus import embeddings

if TYPE_CHECKING:
    from sayso.corpus.linking import _Centroid

MODEL_FILE = "linking_model.json"

#: The pair features, in the order of :func:`pair_features`.
FEATURE_NAMES: tuple[str, ...] = (
    "lexical",  # cosine of the claim and the corpus claim's centroid (IDF-weighted)
    "statement",  # best cosine of one of its statements with one of the corpus claim's
    "shared_words",  # specific content words both have (log 1 + n)
    "word_coverage",  # share of the claim's content-word IDF mass the corpus claim has
    "shared_pairs",  # predicate-argument pairs both have (log 1 + n)
    "shared_entities",  # specific entities both have (log 1 + n)
    "shared_numbers",  # numbers both have (log 1 + n)
    "same_article",  # an earlier claim of the article joined or started it
    "previous",  # the article's preceding claim is in it
    "lead",  # the article's first claim is in it
    "no_words_previous",  # the claim has no content word and the preceding claim is in it
    "embedding",  # cosine of the evidence embeddings (0 without the extra)
)

#: The features of a pair of corpus claims (:func:`merge_features`), which the merge model
#: reads to decide whether they are one claim.
MERGE_FEATURE_NAMES: tuple[str, ...] = (
    "centroid",  # cosine of their IDF-weighted centroids
    "key_words",  # key words both have (log 1 + n; at least half of the members of each)
    "shared_words",  # specific content words both have (log 1 + n)
    "shared_pairs",  # predicate-argument pairs both have (log 1 + n)
    "shared_entities",  # specific entities both have (log 1 + n)
    "shared_numbers",  # numbers both have (log 1 + n)
    "smaller",  # members of the smaller one (log 1 + n)
    "larger",  # members of the larger one (log 1 + n)
    "same_article",  # the article being linked has units in both (it told them apart)
    "merge_embedding",  # cosine of their summed evidence embeddings (0 without the extra)
)


@dataclass(frozen=True)
class LinkModel:
    """A logistic regression over some of :data:`FEATURE_NAMES`."""

    names: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    #: The probability from which a claim joins its best candidate.
    threshold: float = 0.5
    #: How it was trained and what it scored (kept as read from the model file).
    info: Mapping[str, Any] = field(default_factory=dict)

    def probability(self, values: Sequence[float]) -> float:
        """The probability that the pair is one claim, from its features (model order)."""
        z = self.intercept + sum(c * v for c, v in zip(self.coef, values, strict=True))
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0

    def select(self, features: Mapping[str, float]) -> list[float]:
        """The values of this model's features, in its order, from a name -> value map."""
        return [features[name] for name in self.names]

    def to_json(self) -> dict[str, Any]:
        """The model as one JSON object (an entry of ``linking_model.json``'s ``models``)."""
        return {
            "features": list(self.names),
            "coef": [round(c, 6) for c in self.coef],
            "intercept": round(self.intercept, 6),
            "threshold": self.threshold,
            **dict(self.info),
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> LinkModel:
        """Read a model written by :meth:`to_json`; an unknown feature name is an error."""
        names = tuple(str(n) for n in obj["features"])
        unknown = set(names) - set(FEATURE_NAMES) - set(MERGE_FEATURE_NAMES)
        if unknown:
            raise ValueError(f"unknown linking features: {sorted(unknown)}")
        coef = tuple(float(c) for c in obj["coef"])
        if len(coef) != len(names):
            raise ValueError("linking model: one coefficient per feature expected")
        info = {
            k: v for k, v in obj.items() if k not in {"features", "coef", "intercept", "threshold"}
        }
        return cls(names, coef, float(obj["intercept"]), float(obj.get("threshold", 0.5)), info)


@lru_cache(maxsize=1)
def shipped_models() -> dict[str, LinkModel]:
    """The models in ``sayso/data/linking_model.json``, by linking method."""
    text = resources.files("sayso").joinpath("data", MODEL_FILE).read_text("utf-8")
    return {method: LinkModel.from_json(m) for method, m in json.loads(text)["models"].items()}


_override: list[LinkModel] = []


def active_model() -> LinkModel:
    """The model the linker uses: one set by :func:`using`, else the shipped model of this
    process's linking method (:func:`sayso.corpus.embeddings.method`), else the lexical one."""
    if _override:
        return _override[-1]
    models = shipped_models()
    return models.get(embeddings.method(), models["lexical"])


@contextmanager
def using(model: LinkModel) -> Iterator[LinkModel]:
    """Link with ``model`` inside the block (training and cross-validation)."""
    _override.append(model)
    try:
        yield model
    finally:
        _override.pop()


_merge_override: list[LinkModel] = []

#: The prefix of a merge model's entry in the model file: ``merge:<linking method>``.
MERGE_PREFIX = "merge:"


def active_merge_model() -> LinkModel:
    """The model that decides whether two corpus claims are one (:func:`merge_features`):
    one set by :func:`using_merge`, else the shipped one of this process's linking method,
    else the lexical one."""
    if _merge_override:
        return _merge_override[-1]
    models = shipped_models()
    return models.get(MERGE_PREFIX + embeddings.method(), models[MERGE_PREFIX + "lexical"])


@contextmanager
def using_merge(model: LinkModel) -> Iterator[LinkModel]:
    """Merge corpus claims with ``model`` inside the block (training, cross-validation)."""
    _merge_override.append(model)
    try:
        yield model
    finally:
        _merge_override.pop()


@dataclass
class ArticleContext:
    """The corpus claims the article's earlier claims are in, in their order."""

    clusters: list[int] = field(default_factory=list)

    @property
    def previous(self) -> int | None:
        return self.clusters[-1] if self.clusters else None

    @property
    def lead(self) -> int | None:
        return self.clusters[0] if self.clusters else None


def pair_features(
    feats: Mapping[str, float],
    vector: Sequence[float] | None,
    cid: int,
    centroid: _Centroid,
    df: Mapping[str, int],
    total: int,
    context: ArticleContext,
) -> dict[str, float]:
    """The features of (a claim, a candidate corpus claim), by name (:data:`FEATURE_NAMES`)."""
    from sayso.corpus import linking

    def idf_of(f: str) -> float:
        return linking.idf(df.get(f, 0), total)

    shared = [f for f in feats if f in centroid.features]
    words = [f for f in feats if f.startswith("w:")]
    word_mass = sum(idf_of(f) for f in words)
    covered = sum(idf_of(f) for f in shared if f.startswith("w:"))
    semantic = 0.0
    if vector is not None and len(vector) and centroid.vector is not None:
        semantic = embeddings.cosine(vector, centroid.vector)

    def count(prefix: str, *, specific_only: bool = False) -> float:
        return _count_shared(shared, prefix, df, total, specific_only=specific_only)

    return {
        "lexical": linking.centroid_score(feats, centroid, df, total),
        "statement": linking.statement_score(feats, centroid, df, total),
        "shared_words": count("w:", specific_only=True),
        "word_coverage": covered / word_mass if word_mass else 0.0,
        "shared_pairs": count("p:"),
        "shared_entities": count("e:", specific_only=True),
        "shared_numbers": count("n:"),
        "same_article": float(cid in context.clusters),
        "previous": float(cid == context.previous),
        "lead": float(cid == context.lead),
        "no_words_previous": float(not words and cid == context.previous),
        "embedding": semantic,
    }


def candidate_features(
    feats: Mapping[str, float],
    vector: Sequence[float] | None,
    candidates: Sequence[int],
    centroids: Mapping[int, _Centroid],
    df: Mapping[str, int],
    total: int,
    context: ArticleContext,
) -> list[tuple[int, dict[str, float]]]:
    """:func:`pair_features` of a claim with each of its candidate corpus claims, in order:
    what the linker scores and what the training replays."""
    return [
        (c, pair_features(feats, vector, c, centroids[c], df, total, context)) for c in candidates
    ]


def merge_features(
    a: _Centroid,
    b: _Centroid,
    df: Mapping[str, int],
    total: int,
    *,
    same_article: bool,
) -> dict[str, float]:
    """The features of a pair of corpus claims, by name (:data:`MERGE_FEATURE_NAMES`)."""
    from sayso.corpus import linking

    shared = a.features.keys() & b.features.keys()

    def count(prefix: str, *, specific_only: bool = True) -> float:
        return _count_shared(shared, prefix, df, total, specific_only=specific_only)

    keys = sum(1 for f in shared if a.is_key_word(f, df, total) and b.is_key_word(f, df, total))
    semantic = 0.0
    if a.vector is not None and b.vector is not None:
        semantic = embeddings.cosine(a.vector, b.vector)
    return {
        "centroid": linking.centroid_similarity(a, b, df, total),
        "key_words": math.log1p(keys),
        "shared_words": count("w:"),
        "shared_pairs": count("p:", specific_only=False),
        "shared_entities": count("e:"),
        "shared_numbers": count("n:", specific_only=False),
        "smaller": math.log1p(min(a.members, b.members)),
        "larger": math.log1p(max(a.members, b.members)),
        "same_article": float(same_article),
        "merge_embedding": semantic,
    }


def _count_shared(
    shared: Iterable[str],
    prefix: str,
    df: Mapping[str, int],
    total: int,
    *,
    specific_only: bool,
) -> float:
    """log(1 + n) of the ``shared`` features of one kind (``prefix``), only the specific ones
    (IDF from :data:`~sayso.corpus.linking.SPECIFIC_IDF`) when asked."""
    from sayso.corpus import linking

    n = sum(
        1
        for f in shared
        if f.startswith(prefix)
        and (not specific_only or linking.idf(df.get(f, 0), total) >= linking.SPECIFIC_IDF)
    )
    return math.log1p(n)

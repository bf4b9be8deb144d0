"""Train the claim linker's model on stories with gold claims, and cross-validate it.

    python -m sayso.corpus.train_linking STORY_DIR... [--out sayso/data/linking_model.json]
        [--cross-validate] [--features NAME,...]

Each story directory is a claim-linking gold set as ``sayso evaluate linking`` reads it
(articles in publication order and ``gold.jsonl``). The articles are analysed as the ingest
analyses them; each gold quote is mapped to its article claim (as the evaluation maps it), and
an article claim takes the gold key most of its quotes have (claims without a gold quote are
background: each is its own claim).

The linker is then replayed with the gold decisions (*teacher forcing*): article by article,
claim by claim, every candidate corpus claim the linker would compare (:func:`~sayso.corpus.
linking.candidates_of`) gives one example, the pair's :func:`~sayso.corpus.link_model.
pair_features`, labelled 1 when the candidate is the claim's gold claim; then the claim joins
its gold claim. The comparisons of claims without a gold key (background the gold leaves out,
or statements about a story claim nobody annotated) count with weight
:data:`BACKGROUND_WEIGHT`. A logistic regression (scikit-learn) over those examples is a first
model; it then links the stories itself (:data:`ROLL_IN_ROUNDS`), and the comparisons it meets
there, after its own mistakes, are added before the final fit (:func:`pair_examples`).
A second logistic regression, the *merge model*, decides whether two corpus claims are one
(:func:`~sayso.corpus.link_model.merge_features`: their centroids' cosine, the key words,
words, entities, numbers and predicate-argument pairs they share, their sizes, whether the
article being linked has claims in both). Its examples are the pairs the linker would
compare after each claim, as the linking model links the stories; it then merges on its own
for one more round (:data:`MERGE_ROLL_IN_ROUNDS`) and the pairs met after its merges are
added (:func:`fit_merge`). It replaces a hand-set rule (centroid cosine from 0.25 and a
shared key word), which the learned model beat in leave-one-story-out F1 (docs/linking.md).
``--cross-validate`` first leaves each story out in turn, trains on the others and scores the
left-out story with ``sayso evaluate linking`` (the honest figure for a story the model did
not see); the model written is then trained on all the stories.

The model is trained for this process's linking method: without the ``embeddings`` extra on
the lexical features, with it on those and the embedding cosine. ``--out`` updates that
method's entries of the model file (``<method>`` and ``merge:<method>``) and keeps the
other method's.

Only the project's own invented stories are trained on (``training/linking/`` and
``tests/fixtures/linking``); ``tests/fixtures/linking-heldout`` stays held out.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from spacy.language import Language

from sayso.corpus import embeddings, link_model, linking
from sayso.corpus.evaluate_linking import (
    GOLD_FILE,
    evaluate_linking,
    locate,
    read_gold,
    story_files,
)
from sayso.corpus.link_model import (
    FEATURE_NAMES,
    MERGE_FEATURE_NAMES,
    ArticleContext,
    LinkModel,
    candidate_features,
)
from sayso.errors import SaysoError

#: The features of the lexical model (all but the embedding cosine).
LEXICAL_FEATURES: tuple[str, ...] = tuple(n for n in FEATURE_NAMES if n != "embedding")
#: Inverse regularisation strength of the logistic regression (1.0 beat 0.1 and 10 in
#: leave-one-story-out cross-validation; 10 made a story collapse into one corpus claim).
C = 1.0
#: The weight of the comparisons of claims without a gold key (background, or statements
#: nobody annotated): they teach that an article's context alone does not make one claim.
BACKGROUND_WEIGHT = 0.25
#: The probability from which a claim joins a corpus claim (0.3 against 0.25, 0.35, 0.4 and
#: 0.45, by leave-one-story-out F1 on the training stories, with the roll-in round).
THRESHOLD = 0.3
#: Rounds of training on the comparisons the model meets when it links on its own
#: (:func:`pair_examples` with a policy), after the round on gold replays.
ROLL_IN_ROUNDS = 1


@dataclass
class StoryArticle:
    """One analysed article of a story: its claims' features, in order, and gold keys."""

    name: str
    features: dict[str, linking.Features]
    labels: dict[str, str]


def read_story(directory: Path, nlp: Language) -> list[StoryArticle]:
    """Analyse a story's articles (file-name order) and give each article claim its gold key."""
    from sayso.build import build_record
    from sayso.ingest import load_source
    from sayso.pipeline import run_pipeline

    gold_path = directory / GOLD_FILE
    if not gold_path.is_file():
        raise SaysoError(f"no {GOLD_FILE} in {directory}")
    mentions = read_gold(gold_path)
    files = story_files(directory)
    story: list[StoryArticle] = []
    for path in files:
        article = load_source(str(path))
        doc = run_pipeline(nlp, article.text, article.published)
        record = build_record(doc, article)
        votes: dict[str, Counter[str]] = {}
        for mention in mentions:
            if mention.article == path.name:
                _, claim, _ = locate(record, mention.quote)
                if claim is not None:
                    votes.setdefault(claim, Counter())[mention.claim] += 1
        labels = {claim: count.most_common(1)[0][0] for claim, count in votes.items()}
        story.append(StoryArticle(path.name, linking.article_claim_features(record, doc), labels))
    return story


@dataclass
class Examples:
    """Rows of features (in a model's order), their labels and weights."""

    rows: list[list[float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)

    def add(self, row: list[float], label: bool, weight: float) -> None:
        self.rows.append(row)
        self.labels.append(int(label))
        self.weights.append(weight)


def pair_examples(
    story: Sequence[StoryArticle],
    names: Sequence[str] = LEXICAL_FEATURES,
    policy: LinkModel | None = None,
    merges: Examples | None = None,
    merge_names: Sequence[str] = (),
    merge_policy: LinkModel | None = None,
) -> tuple[list[list[float]], list[int], list[float]]:
    """The linker's comparisons over a story: one row of features (``names``) per (claim,
    candidate corpus claim), labelled 1 when the candidate holds the claim's gold claim.

    Without ``policy`` the story is replayed with the gold decisions (each claim joins its
    gold claim). With one, the claims are linked by that model as the linker decides
    (:func:`~sayso.corpus.linking.choose_candidate`; without its merges of corpus claims), and
    the comparisons are those it meets on its own: a corpus claim an article's first claim
    started by mistake, followed by the article's next claims, and so on. A model trained
    only on gold replays never sees its own mistakes as context (*exposure bias*); adding
    these rows teaches it what they look like. A candidate holds a gold claim when most of
    its members with a gold key have that key.

    With ``merges``, each time a claim has joined (or started) a corpus claim, that corpus
    claim and each other one sharing a specific content word with it are a pair the merge
    model would compare: one row of :func:`~sayso.corpus.link_model.merge_features`
    (``merge_names``) each, labelled 1 when the two hold the same gold claim (weight
    :data:`BACKGROUND_WEIGHT` when either holds none). With ``merge_policy`` too, the pairs
    that model merges are merged, as the linker does, and the comparisons are those met
    after its merges."""
    state = _Replay()
    centroids, keys_of, df = state.centroids, state.keys_of, state.df
    cluster_of: dict[str, int] = {}
    rows: list[list[float]] = []
    labels: list[int] = []
    weights: list[float] = []
    started = 0
    for article in story:
        context = ArticleContext()
        for claim, feats in article.features.items():
            state.total += 1
            total = state.total
            for f in feats:
                df[f] = df.get(f, 0) + 1
            key = article.labels.get(claim)
            vector = getattr(feats, "vector", None)
            cands = linking.candidates_of(feats, centroids, context.clusters)
            scored = candidate_features(feats, vector, cands, centroids, df, total, context)
            for cid, values in scored:
                held = state.held(cid)
                rows.append([values[n] for n in names])
                labels.append(int(key is not None and held == key))
                weights.append(1.0 if key is not None else BACKGROUND_WEIGHT)
            if policy is None:
                target = cluster_of.get(key) if key is not None else None
            else:
                chosen = linking.choose_candidate(policy, feats, scored, centroids, df, total)
                target = chosen[1] if chosen is not None else None
            if target is None:
                started += 1
                target = started
                centroids[target] = linking._Centroid()
                keys_of[target] = Counter()
                if key is not None and policy is None:
                    cluster_of[key] = target
            centroids[target].add(feats, vector)
            if key is not None:
                keys_of[target][key] += 1
            context.clusters.append(target)
            if merges is not None:
                state.merge_rows(merges, merge_names, target, context)
            if merge_policy is not None:
                state.merge(merge_policy, target, context)
    return rows, labels, weights


@dataclass
class _Replay:
    """The linker's state while a story is replayed: corpus claims, the gold keys of their
    members, document frequencies, claims counted."""

    centroids: dict[int, linking._Centroid] = field(default_factory=dict)
    keys_of: dict[int, Counter[str]] = field(default_factory=dict)
    df: dict[str, int] = field(default_factory=dict)
    total: int = 0

    def held(self, cid: int) -> str | None:
        """The gold claim corpus claim ``cid`` holds: most of its annotated members'."""
        keys = self.keys_of[cid]
        return keys.most_common(1)[0][0] if keys else None

    def merge_rows(
        self, out: Examples, names: Sequence[str], target: int, context: ArticleContext
    ) -> None:
        """The merge model's comparisons of corpus claim ``target`` with the others."""
        held = self.held(target)
        for other in linking.merge_candidates(target, self.centroids, self.df, self.total):
            other_held = self.held(other)
            values = link_model.merge_features(
                self.centroids[target],
                self.centroids[other],
                self.df,
                self.total,
                same_article=other in context.clusters,
            )
            gold = held is not None and other_held is not None
            out.add(
                [values[n] for n in names],
                gold and held == other_held,
                1.0 if gold else BACKGROUND_WEIGHT,
            )

    def merge(self, policy: LinkModel, target: int, context: ArticleContext) -> None:
        """Merge the corpus claims ``policy`` merges with ``target`` into the oldest."""
        partners = linking.merge_partners(
            policy, target, self.centroids, self.df, self.total, set(context.clusters)
        )
        for other in partners:
            keep, gone = sorted((target, other))
            if keep not in self.centroids or gone not in self.centroids:
                continue
            self.centroids[keep].merge(self.centroids.pop(gone))
            self.keys_of[keep].update(self.keys_of.pop(gone))
            context.clusters = [keep if c == gone else c for c in context.clusters]
            target = keep


def fit(
    stories: Sequence[Sequence[StoryArticle]],
    names: Sequence[str] = LEXICAL_FEATURES,
    info: dict[str, Any] | None = None,
) -> LinkModel:
    """A logistic regression over the pair examples of all ``stories``."""
    from sklearn.linear_model import LogisticRegression

    rows: list[list[float]] = []
    labels: list[int] = []
    weights: list[float] = []
    policy: LinkModel | None = None
    for _ in range(1 + ROLL_IN_ROUNDS):
        for story in stories:
            r, y, w = pair_examples(story, names, policy)
            rows += r
            labels += y
            weights += w
        if len(set(labels)) < 2:
            raise SaysoError("the stories give no pair of one claim and no pair of two: no model")
        fitted = LogisticRegression(C=C, max_iter=2000).fit(rows, labels, sample_weight=weights)
        model = LinkModel(
            tuple(names),
            tuple(float(c) for c in fitted.coef_[0]),
            float(fitted.intercept_[0]),
            threshold=THRESHOLD,
        )
        policy = model  # the next round links the stories with this model
    meta = {"examples": len(labels), "positives": sum(labels), **(info or {})}
    return replace(model, info=meta)


#: The probability from which two corpus claims are merged, without and with the embedding
#: cosine (among 0.5, 0.6 and 0.7, by leave-one-story-out F1 on the training stories:
#: lexical 0.563, 0.579, 0.557; with embeddings 0.551 at 0.6, 0.567 at 0.7).
MERGE_THRESHOLD = 0.6
MERGE_THRESHOLD_EMBEDDINGS = 0.7
#: Rounds of training the merge model on the comparisons met when it merges on its own.
MERGE_ROLL_IN_ROUNDS = 1


def merge_names(names: Sequence[str]) -> tuple[str, ...]:
    """The merge model's features for a linking model's: all, but the embedding cosine only
    when the linking model has it."""
    return tuple(n for n in MERGE_FEATURE_NAMES if n != "merge_embedding" or "embedding" in names)


def fit_merge(
    stories: Sequence[Sequence[StoryArticle]],
    policy: LinkModel,
    names: Sequence[str] = LEXICAL_FEATURES,
    info: dict[str, Any] | None = None,
) -> LinkModel:
    """A logistic regression over the merge comparisons met when ``policy`` links the
    ``stories`` (:func:`pair_examples` with ``merges``)."""
    from sklearn.linear_model import LogisticRegression

    chosen = merge_names(names)
    examples = Examples()
    merger: LinkModel | None = None
    for _ in range(1 + MERGE_ROLL_IN_ROUNDS):
        for story in stories:
            pair_examples(
                story, names, policy, merges=examples, merge_names=chosen, merge_policy=merger
            )
        if len(set(examples.labels)) < 2:
            raise SaysoError("the stories give no pair of corpus claims to merge and none to keep")
        fitted = LogisticRegression(C=C, max_iter=2000).fit(
            examples.rows, examples.labels, sample_weight=examples.weights
        )
        merger = LinkModel(
            chosen,
            tuple(float(c) for c in fitted.coef_[0]),
            float(fitted.intercept_[0]),
            threshold=MERGE_THRESHOLD_EMBEDDINGS if "embedding" in names else MERGE_THRESHOLD,
            info={
                "examples": len(examples.labels),
                "positives": sum(examples.labels),
                **(info or {}),
            },
        )
    assert merger is not None
    return merger


def cross_validate(
    directories: Sequence[Path],
    stories: Sequence[Sequence[StoryArticle]],
    names: Sequence[str] = LEXICAL_FEATURES,
) -> dict[str, dict[str, float]]:
    """Leave each story out, train on the others, score it with ``sayso evaluate linking``."""
    scores: dict[str, dict[str, float]] = {}
    for i, directory in enumerate(directories):
        others = [s for j, s in enumerate(stories) if j != i]
        model = fit(others, names)
        with link_model.using(model), link_model.using_merge(fit_merge(others, model, names)):
            result = evaluate_linking(directory, examples=0)
        scores[directory.name] = {
            **{k: round(float(result["pairs"][k]), 3) for k in ("precision", "recall", "f1")},
            "unannotated_in_gold_claims": round(float(result["unannotated_claims"]["share"]), 3),
        }
    return scores


def method_features() -> tuple[str, ...]:
    """The features of the model for this process's linking method."""
    if embeddings.method() == "lexical":
        return LEXICAL_FEATURES
    return (*LEXICAL_FEATURES, "embedding")


def write_model(path: Path, method: str, model: LinkModel) -> None:
    """Set ``method``'s entry of the model file at ``path`` (created if missing)."""
    data: dict[str, Any] = {"models": {}}
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
    data["about"] = (
        "Claim-linking models (sayso.corpus.link_model), one per linking method; "
        "written by python -m sayso.corpus.train_linking (docs/linking.md)."
    )
    data.setdefault("models", {})[method] = model.to_json()
    data["models"] = dict(sorted(data["models"].items()))
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m sayso.corpus.train_linking DIR...``: train, write the model, print it."""
    parser = argparse.ArgumentParser(prog="python -m sayso.corpus.train_linking")
    parser.add_argument("directories", type=Path, nargs="+", help="stories with gold.jsonl")
    parser.add_argument("--out", type=Path, help="set this method's model in this JSON file")
    parser.add_argument(
        "--cross-validate", action="store_true", help="leave-one-story-out scores first"
    )
    parser.add_argument(
        "--features", help="comma-separated feature names (default: the linking method's)"
    )
    args = parser.parse_args(argv)
    names = tuple(args.features.split(",")) if args.features else method_features()
    from sayso.pipeline import load_pipeline

    try:
        unknown = set(names) - set(FEATURE_NAMES)
        if unknown:
            raise SaysoError(f"unknown features: {', '.join(sorted(unknown))}")
        nlp = load_pipeline()
        directories = [Path(d) for d in args.directories]
        stories = [read_story(d, nlp) for d in directories]
        info: dict[str, Any] = {"trained_on": [d.as_posix() for d in directories]}
        if args.cross_validate and len(stories) > 1:
            info["leave_one_story_out"] = cross_validate(directories, stories, names)
        model = fit(stories, names, info=info)
        merger = fit_merge(stories, model, names, info={"trained_on": info["trained_on"]})
    except SaysoError as exc:
        print(f"sayso: error: {exc}", file=sys.stderr)
        return 2
    method = embeddings.method()
    if args.out is not None:
        write_model(args.out, method, model)
        write_model(args.out, link_model.MERGE_PREFIX + method, merger)
    print(
        json.dumps(
            {method: model.to_json(), link_model.MERGE_PREFIX + method: merger.to_json()},
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

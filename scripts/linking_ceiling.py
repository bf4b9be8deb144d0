"""How far can cross-article claim linking go on a story, whatever the linker?

Usage::

    .venv/bin/python scripts/linking_ceiling.py STORY_DIR [STORY_DIR ...]

For each story (a claim-linking gold set as ``sayso evaluate linking`` reads it), the
articles are analysed as the ingest analyses them and every gold quote is mapped to its
article claim (as the evaluation maps it). Two figures per story, one line each, then one
JSON object with all of them as the last line:

- **oracle**: the pairwise precision and recall ``sayso evaluate linking`` would print if
  every article claim were linked to the gold claim most of its quotes have. What is left
  below 1.0 is lost in the article analysis: quotes of two gold claims in one article claim.
- **nearest**: for each article claim with a gold key that an earlier article already told,
  whether the earlier article claim most like it (cosine of IDF-weighted features, the
  linker's lexical view) has the same gold key; weighted by gold quotes. A linker that
  trusts lexical similarity cannot do much better than this share on the claims it links.
  With the ``embeddings`` extra installed, the same by the cosine of the evidence
  embeddings (``nearest_embedding``).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sayso.build import build_record  # noqa: E402
from sayso.corpus import linking  # noqa: E402
from sayso.corpus.evaluate_linking import (  # noqa: E402
    GOLD_FILE,
    locate,
    pairwise_scores,
    read_gold,
    story_files,
)
from sayso.ingest import load_source  # noqa: E402
from sayso.pipeline import load_pipeline, run_pipeline  # noqa: E402


@dataclass
class ArticleClaim:
    article: int
    claim: str
    features: dict[str, float]
    quotes: Counter[str]  # gold key -> quotes of it in this claim
    vector: list[float] | None = None  # the evidence embedding, with the extra

    @property
    def key(self) -> str | None:
        return self.quotes.most_common(1)[0][0] if self.quotes else None


def read_claims(directory: Path, nlp: Any) -> list[ArticleClaim]:
    """The story's article claims in publication order, with their gold quotes."""
    mentions = read_gold(directory / GOLD_FILE)
    files = story_files(directory)
    claims: list[ArticleClaim] = []
    for number, path in enumerate(files):
        article = load_source(str(path))
        doc = run_pipeline(nlp, article.text, article.published)
        record = build_record(doc, article)
        quotes: dict[str, Counter[str]] = {c.id: Counter() for c in record.claims}
        for mention in mentions:
            if mention.article == path.name:
                _, claim, _ = locate(record, mention.quote)
                if claim is not None:
                    quotes[claim][mention.claim] += 1
        features = linking.article_claim_features(record, doc)
        claims += [
            ArticleClaim(number, c, dict(f), quotes[c], getattr(f, "vector", None))
            for c, f in features.items()
        ]
    return claims


def oracle(claims: list[ArticleClaim]) -> dict[str, float]:
    """Pairwise scores of the gold quotes with every article claim linked to its key."""
    gold: list[str] = []
    predicted: list[str | None] = []
    for claim in claims:
        for key, n in claim.quotes.items():
            gold += [key] * n
            predicted += [claim.key] * n
    scores = pairwise_scores(gold, predicted)
    return {k: round(float(scores[k]), 3) for k in ("precision", "recall", "f1")}


def nearest(claims: list[ArticleClaim], by_embedding: bool = False) -> dict[str, float]:
    """Share of gold quotes whose article claim's nearest earlier claim has its key."""
    df = Counter(f for c in claims for f in c.features)
    vectors = [
        {
            f: w * linking.idf(df[f], len(claims))
            for f, w in c.features.items()
            if not f.startswith("p:")
        }
        for c in claims
    ]
    if by_embedding:
        vectors = [dict(enumerate(c.vector or [])) for c in claims]  # type: ignore[misc]
    right = wrong = first = 0
    for i, claim in enumerate(claims):
        if claim.key is None:
            continue
        quotes = sum(claim.quotes.values())
        earlier = [j for j in range(i) if claims[j].article != claim.article]
        if not any(claims[j].key == claim.key for j in earlier):
            first += quotes
            continue
        best = max(earlier, key=lambda j: _cosine(vectors[i], vectors[j]))
        if claims[best].key == claim.key:
            right += quotes
        else:
            wrong += quotes
    told = right + wrong
    return {
        "right": round(right / told, 3) if told else 0.0,
        "quotes_told_before": told,
        "quotes_first_told": first,
    }


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(w * b[f] for f, w in a.items() if f in b)
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directories", type=Path, nargs="+")
    args = parser.parse_args(argv)
    nlp = load_pipeline()
    result: dict[str, Any] = {}
    for directory in args.directories:
        claims = read_claims(directory, nlp)
        found = {"oracle": oracle(claims), "nearest": nearest(claims)}
        if all(c.vector for c in claims):
            found["nearest_embedding"] = nearest(claims, by_embedding=True)
        result[directory.name] = found
        o, n = found["oracle"], found["nearest"]
        line = (
            f"{directory.name:28s} oracle P {o['precision']:.3f} R {o['recall']:.3f}   "
            f"nearest earlier claim right for {n['right']:.0%} of "
            f"{n['quotes_told_before']} quotes"
        )
        if "nearest_embedding" in found:
            line += f" ({found['nearest_embedding']['right']:.0%} by embedding)"
        print(line)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

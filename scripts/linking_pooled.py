"""How much of the claim-linking error comes from article claims that pool two gold claims?

Usage::

    .venv/bin/python scripts/linking_pooled.py STORY_DIR [STORY_DIR ...]

For each story (a claim-linking gold set as ``sayso evaluate linking`` reads it), the
articles are ingested into a fresh store and every gold quote is mapped to its statement,
article claim and corpus claim, as the evaluation maps them. An article claim is *pooled*
when its quotes belong to two or more gold claims: the article analysis grouped them, and
the linker can only link the article claim as a whole. Printed per story, one line each,
then one JSON object with all of them as the last line:

- ``pooled``: quotes in pooled article claims, of all matched quotes;
- ``now``: pairwise precision and recall (what ``sayso evaluate linking`` prints);
- ``pooled_placed``: the same if the quotes of pooled article claims had been linked to the
  corpus claim most quotes of their gold claim are in (what a linker working statement by
  statement could reach at best, the rest unchanged);
- ``within``: pairwise precision and recall of the article analysis's grouping alone, over
  pairs of quotes of one article (same article claim vs same gold claim).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sayso.corpus.api import Corpus  # noqa: E402
from sayso.corpus.evaluate_linking import (  # noqa: E402
    GOLD_FILE,
    _map_mentions,
    _scores_over,
    pairwise_scores,
    read_gold,
    story_files,
)


def story_figures(directory: Path) -> dict[str, Any]:
    mentions = read_gold(directory / GOLD_FILE)
    files = story_files(directory)
    with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "pooled.duckdb") as corpus:
        corpus.ingest(files, progress=False)
        _map_mentions(corpus, mentions)
    matched = [m for m in mentions if m.matched and m.article_claim is not None]
    keys: dict[tuple[str, str], set[str]] = {}
    for m in matched:
        keys.setdefault((m.article, str(m.article_claim)), set()).add(m.claim)
    pooled = {key for key, claims in keys.items() if len(claims) > 1}
    main = {
        claim: Counter(m.corpus_claim for m in matched if m.claim == claim).most_common(1)[0][0]
        for claim in {m.claim for m in matched}
    }
    in_pooled = [(m.article, str(m.article_claim)) in pooled for m in matched]
    gold = [m.claim for m in matched]
    now = pairwise_scores(gold, [m.corpus_claim for m in matched])
    placed = pairwise_scores(
        gold,
        [main[m.claim] if p else m.corpus_claim for m, p in zip(matched, in_pooled, strict=True)],
    )
    within = _scores_over(
        gold,
        [m.article_claim for m in matched],
        [
            (i, j)
            for i, j in combinations(range(len(matched)), 2)
            if matched[i].article == matched[j].article
        ],
    )
    return {
        "story": directory.name,
        "quotes": len(matched),
        "pooled": sum(in_pooled),
        "now": [round(now["precision"], 3), round(now["recall"], 3)],
        "pooled_placed": [round(placed["precision"], 3), round(placed["recall"], 3)],
        "within": [round(within["precision"], 3), round(within["recall"], 3)],
        "within_pairs": {
            "grouped": within["predicted_pairs"],
            "gold": within["true_pairs"],
            "both": within["correct_pairs"],
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stories", type=Path, nargs="+")
    args = parser.parse_args(argv)
    results = []
    for directory in args.stories:
        r = story_figures(directory)
        results.append(r)
        print(
            f"{r['story']}: pooled {r['pooled']}/{r['quotes']} quotes; P/R now "
            f"{r['now'][0]:.3f}/{r['now'][1]:.3f}, pooled placed {r['pooled_placed'][0]:.3f}/"
            f"{r['pooled_placed'][1]:.3f}; within-article grouping {r['within'][0]:.3f}/"
            f"{r['within'][1]:.3f}",
            flush=True,
        )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

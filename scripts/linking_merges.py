"""Which corpus claims the linker merges while a story is ingested, and why.

Usage::

    .venv/bin/python scripts/linking_merges.py STORY_DIR

The story's articles (``evaluate_linking.story_files``, in file-name order) are ingested
one by one into a fresh store; each merge the merge model decides
(:func:`sayso.corpus.linking.merge_partners`) is printed as one line: the article, the
corpus claim the unit just joined and its members, the one it takes in and its members
(negative ids are corpus claims the article started), the merge model's probability and
the features that are not 0. The last line counts the merges and how many of them join two
corpus claims the same article has claims in.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from sayso.corpus import link_model, linking
from sayso.corpus.api import Corpus
from sayso.corpus.evaluate_linking import story_files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("story", type=Path, help="a directory of articles")
    args = parser.parse_args(argv)
    files = story_files(args.story)
    if not files:
        print(f"no articles in {args.story}", file=sys.stderr)
        return 2
    current = [""]
    merges = [0, 0]  # all, of two corpus claims of the article being linked
    decide = linking.merge_partners

    def logged(
        merger: link_model.LinkModel,
        cid: int,
        centroids: Mapping[int, linking._Centroid],
        df: Mapping[str, int],
        total: int,
        article_clusters: set[int],
    ) -> list[int]:
        partners = decide(merger, cid, centroids, df, total, article_clusters)
        for other in partners:
            same = cid in article_clusters and other in article_clusters
            values = link_model.merge_features(
                centroids[cid], centroids[other], df, total, same_article=same
            )
            p = merger.probability(merger.select(values))
            shown = {k: round(v, 2) for k, v in values.items() if v}
            print(
                f"{current[0]}: {cid} ({centroids[cid].members}) <- {other} "
                f"({centroids[other].members}) p={p:.3f} {shown}"
            )
            merges[0] += 1
            merges[1] += same
        return partners

    linking.merge_partners = logged
    try:
        with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "m.duckdb") as corpus:
            for path in files:
                current[0] = path.name
                corpus.ingest([path], workers=0)
    finally:
        linking.merge_partners = decide
    print(f"{merges[0]} merges, {merges[1]} of two corpus claims the article has claims in")
    return 0


if __name__ == "__main__":
    sys.exit(main())

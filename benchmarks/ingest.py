"""Corpus ingest speed and memory against ``sayso analyze`` alone, same articles, one process.

    python benchmarks/ingest.py [--articles 2000] [--checkpoint 500] [--seed 7] [--keep DIR]

Generates ``--articles`` short invented articles (``benchmarks/generate_corpus.py``), loads the
pipeline once, then

1. analyses every article with ``sayso.api.analyze_article`` (the work of ``sayso analyze``,
   no store) and times it;
2. ingests the same articles into a fresh store with ``Corpus.ingest`` (analysis, features,
   linking and the DuckDB writes), as two JSON Lines files: the first ``--checkpoint``
   articles, then the rest, reading the process's resident memory (RSS) after each;

and prints articles per second of each, their ratio (ingest / analysis; target >= 0.8), the
RSS after ``--checkpoint`` and after all articles (it should stay flat), the peak RSS, and
the store's size per article. The last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_corpus import generate


def rss_mb() -> float:
    """The current resident set size of this process, in MB (Linux ``/proc``; else peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def peak_rss_mb() -> float:
    """The peak resident set size of this process so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def _write(path: Path, articles: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for article in articles:
            handle.write(json.dumps(article, ensure_ascii=False) + "\n")


def run(n: int, checkpoint: int, seed: int, workdir: Path) -> dict[str, Any]:
    """Run the benchmark in ``workdir``; returns the figures."""
    import datetime as dt

    from sayso.api import analyze_article
    from sayso.corpus import Corpus
    from sayso.ingest.article import Article
    from sayso.pipeline import load_pipeline

    articles = list(generate(n, seed))
    checkpoint = min(checkpoint, n)
    chars = sum(len(a["text"]) for a in articles)
    words = sum(len(a["text"].split()) for a in articles)
    nlp = load_pipeline()
    warm = list(generate(3, seed + 1000))
    for a in warm:  # warm-up: first calls load lexicons and models lazily
        analyze_article(Article(text=a["text"]), nlp=nlp)
    rss_loaded = rss_mb()

    start = time.perf_counter()
    for a in articles:
        analyze_article(
            Article(
                text=a["text"],
                title=a["title"],
                source=a["source"],
                url=a["url"],
                published=dt.date.fromisoformat(a["published"]),
            ),
            nlp=nlp,
        )
    analyze_s = time.perf_counter() - start
    rss_after_analyze = rss_mb()
    print(
        f"analysis alone: {n} articles in {analyze_s:.1f} s ({n / analyze_s:.1f}/s)",
        file=sys.stderr,
    )

    first, rest = workdir / "first.jsonl", workdir / "rest.jsonl"
    _write(first, articles[:checkpoint])
    _write(rest, articles[checkpoint:])
    db = workdir / "corpus.duckdb"
    stored = 0
    with Corpus(db) as corpus:
        start = time.perf_counter()
        report = corpus.ingest([first], nlp=nlp)
        first_s = time.perf_counter() - start
        stored += report.stored
        rss_checkpoint = rss_mb()
        print(
            f"ingest: {report.stored} articles in {first_s:.1f} s, RSS {rss_checkpoint:.0f} MB",
            file=sys.stderr,
        )
        start = time.perf_counter()
        report2 = corpus.ingest([rest], nlp=nlp) if n > checkpoint else None
        rest_s = time.perf_counter() - start
        stored += report2.stored if report2 else 0
        rss_end = rss_mb()
        counts = corpus.counts()
    ingest_s = first_s + rest_s
    print(
        f"ingest: {stored} articles in {ingest_s:.1f} s ({stored / ingest_s:.1f}/s), "
        f"RSS {rss_end:.0f} MB",
        file=sys.stderr,
    )
    size = sum(p.stat().st_size for p in workdir.glob("corpus.duckdb*"))
    analyze_rate = n / analyze_s
    ingest_rate = stored / ingest_s
    return {
        "articles": n,
        "stored": stored,
        "words_per_article": round(words / n, 1),
        "chars_per_article": round(chars / n, 1),
        "analyze_articles_per_s": round(analyze_rate, 2),
        "ingest_articles_per_s": round(ingest_rate, 2),
        "ratio": round(ingest_rate / analyze_rate, 3),
        "ingest_first_articles_per_s": round(checkpoint / first_s, 2),
        "ingest_rest_articles_per_s": round((stored - checkpoint) / rest_s, 2) if rest_s else None,
        "checkpoint": checkpoint,
        "rss_mb_pipeline_loaded": round(rss_loaded, 1),
        "rss_mb_after_analysis": round(rss_after_analyze, 1),
        "rss_mb_at_checkpoint": round(rss_checkpoint, 1),
        "rss_mb_at_end": round(rss_end, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "store_bytes": size,
        "store_kib_per_article": round(size / 1024 / max(stored, 1), 2),
        "corpus_claims": counts.get("corpus_claims"),
        "claims": counts.get("claims"),
        "statements": counts.get("statements"),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--checkpoint", type=int, default=500, help="RSS read after this many")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep the store and inputs in this directory")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        if any(args.keep.glob("corpus.duckdb*")):
            parser.error(f"{args.keep} already holds a store")
        result = run(args.articles, args.checkpoint, args.seed, args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = run(args.articles, args.checkpoint, args.seed, Path(tmp))
    print(
        f"analysis {result['analyze_articles_per_s']}/s, "
        f"ingest {result['ingest_articles_per_s']}/s, ratio {result['ratio']} (target >= 0.8); "
        f"RSS {result['rss_mb_at_checkpoint']} MB at "
        f"{result['checkpoint']}, {result['rss_mb_at_end']} MB at {result['stored']}; "
        f"store {result['store_kib_per_article']} KiB/article"
    )
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())

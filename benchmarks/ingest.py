"""Corpus ingest speed and memory against ``sayso analyze`` alone, same articles.

    python benchmarks/ingest.py [--articles 2000] [--checkpoint 500] [--seed 7] [--keep DIR]
                                [--workers 1]

Generates ``--articles`` short invented articles (``benchmarks/generate_corpus.py``), loads the
pipeline once, then

1. analyses every article with ``sayso.api.analyze_article`` (the work of ``sayso analyze``,
   no store) and times it, reading the resident memory (RSS) after ``--checkpoint`` articles
   and at the end, and the size of spaCy's string store;
2. ingests the same articles into a fresh store with one ``Corpus.ingest`` (the same
   analysis and claim features, with ``--workers 1`` in a worker process that loads its own
   pipeline, which the time includes; then linking and the DuckDB writes on a writer
   thread), as two JSON Lines files: the first ``--checkpoint`` articles, then the rest,
   reading the RSS of this process and of its child processes (the worker) once
   ``--checkpoint`` articles are stored and at the end;
3. analyses every article alone again (the machine is shared: a second baseline, taken
   after the ingest, shows how much the load changed meanwhile).

It prints articles per second of each, the ratio of ingest to the mean of the two baselines
(target >= 0.8), RSS at the checkpoint and at the end of both the analysis and the ingest
(it should stay flat), the peak RSS (of this process, and of the worker: together they are
what the ingest needs), the store's size per article, and the time spent in
claim linking (``linking.link_claims``) and near-duplicate detection (``neardup``) per
article, wall-clock and CPU of the writer thread. The last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO, cast

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


def child_rss_mb() -> tuple[float, float]:
    """Current and peak RSS of this process's child processes together, in MB (Linux)."""
    now = peak = 0.0
    for pid in _children():
        try:
            status = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:  # already gone
            continue
        for line in status:
            if line.startswith("VmRSS:"):
                now += int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak += int(line.split()[1]) / 1024
    return now, peak


def _children() -> list[int]:
    pids: list[int] = []
    try:
        for task in Path("/proc/self/task").iterdir():
            pids += [int(p) for p in (task / "children").read_text().split()]
    except OSError:
        pass
    return pids


class ChildWatcher(threading.Thread):
    """Reads the RSS of this process's children every ``interval`` seconds while it runs:
    the last reading (the worker exits as the ingest ends) and the highest peak."""

    def __init__(self, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.last = 0.0
        self.peak = 0.0
        self.halt = threading.Event()

    def run(self) -> None:
        """Sample until :attr:`halt` is set."""
        while not self.halt.wait(self.interval):
            now, peak = child_rss_mb()
            if now:
                self.last = now
            self.peak = max(self.peak, peak)


class StoredCounter(io.TextIOBase):
    """The ingest's ``err`` stream: counts ``stored`` lines (``verbose``), reads RSS of this
    process and its children once ``checkpoint`` articles are stored, passes other lines on."""

    def __init__(self, checkpoint: int) -> None:
        self.checkpoint = checkpoint
        self.stored = 0
        self.at_checkpoint: tuple[float, float, float, float] | None = None  # s, self, child, peak
        self.start = time.perf_counter()

    def write(self, text: str) -> int:
        """Count or pass on one message."""
        for line in text.splitlines():
            if line.startswith("stored "):
                self.stored += 1
                if self.stored == self.checkpoint:
                    child, peak = child_rss_mb()
                    self.at_checkpoint = (time.perf_counter() - self.start, rss_mb(), child, peak)
            elif line.strip():
                print(line, file=sys.stderr)
        return len(text)


def _write(path: Path, articles: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for article in articles:
            handle.write(json.dumps(article, ensure_ascii=False) + "\n")


class StepTimer:
    """Wall-clock and thread CPU seconds spent in wrapped functions (called on any thread)."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """``fn``, timed under ``name``."""

        def timed(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - wall
                self.cpu[name] = self.cpu.get(name, 0.0) + time.thread_time() - cpu

        return timed


def analyse_all(articles: list[dict[str, str]], nlp: Any, checkpoint: int) -> tuple[float, float]:
    """Analyse every article as ``sayso analyze`` does; seconds taken, RSS at ``checkpoint``."""
    import datetime as dt

    from sayso.api import analyze_article
    from sayso.ingest.article import Article

    rss_at = 0.0
    start = time.perf_counter()
    for i, a in enumerate(articles, start=1):
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
        if i == checkpoint:
            rss_at = rss_mb()
    return time.perf_counter() - start, rss_at


def run(n: int, checkpoint: int, seed: int, workdir: Path, workers: int = 1) -> dict[str, Any]:
    """Run the benchmark in ``workdir``; returns the figures."""
    from sayso.api import analyze_article
    from sayso.corpus import Corpus, linking, neardup
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
    strings_before = len(nlp.vocab.strings)

    analyze_s, rss_analysis_checkpoint = analyse_all(articles, nlp, checkpoint)
    rss_after_analyze = rss_mb()
    strings_after = len(nlp.vocab.strings)
    print(
        f"analysis alone: {n} articles in {analyze_s:.1f} s ({n / analyze_s:.1f}/s), "
        f"RSS {rss_analysis_checkpoint:.0f} MB at {checkpoint}, {rss_after_analyze:.0f} MB "
        f"at {n}; spaCy strings {strings_before} -> {strings_after}",
        file=sys.stderr,
    )

    first, rest = workdir / "first.jsonl", workdir / "rest.jsonl"
    _write(first, articles[:checkpoint])
    _write(rest, articles[checkpoint:])
    db = workdir / "corpus.duckdb"
    timer = StepTimer()
    # The store calls these through their modules, so wrapping the module attributes times
    # every call (on the writer thread).
    original = (linking.link_claims, neardup.check_and_remember)
    linking.link_claims = timer.wrap("link_claims", linking.link_claims)
    neardup.check_and_remember = timer.wrap("neardup", neardup.check_and_remember)
    counter = StoredCounter(checkpoint)
    watcher = ChildWatcher()
    watcher.start()
    try:
        with Corpus(db) as corpus:
            counter.start = start = time.perf_counter()
            report = corpus.ingest(
                [first, rest], nlp=nlp, workers=workers, verbose=True, err=cast(TextIO, counter)
            )
            ingest_s = time.perf_counter() - start
            stored = report.stored
            rss_end = rss_mb()
            watcher.halt.set()
            watcher.join()
            child_end, child_peak = watcher.last, watcher.peak
            counts = corpus.counts()
    finally:
        linking.link_claims, neardup.check_and_remember = original
    first_s, rss_checkpoint, child_checkpoint, _ = counter.at_checkpoint or (ingest_s, 0, 0, 0)
    rest_s = ingest_s - first_s
    print(
        f"ingest (workers={workers}): {stored} articles in {ingest_s:.1f} s "
        f"({stored / ingest_s:.1f}/s), RSS {rss_checkpoint:.0f} MB + worker "
        f"{child_checkpoint:.0f} MB at {checkpoint}, {rss_end:.0f} MB + worker "
        f"{child_end:.0f} MB at {stored}",
        file=sys.stderr,
    )
    rerun_s, _ = analyse_all(articles, nlp, checkpoint)
    print(
        f"analysis alone again: {n} articles in {rerun_s:.1f} s ({n / rerun_s:.1f}/s)",
        file=sys.stderr,
    )
    size = sum(p.stat().st_size for p in workdir.glob("corpus.duckdb*"))
    analyze_rate, rerun_rate = n / analyze_s, n / rerun_s
    baseline = (analyze_rate + rerun_rate) / 2
    ingest_rate = stored / ingest_s
    per_article = {
        f"{name}_ms_per_article": round(timer.wall.get(name, 0.0) * 1000 / max(stored, 1), 2)
        for name in ("link_claims", "neardup")
    }
    per_article.update(
        {
            f"{name}_cpu_ms_per_article": round(timer.cpu.get(name, 0.0) * 1000 / max(stored, 1), 2)
            for name in ("link_claims", "neardup")
        }
    )
    return {
        "articles": n,
        "stored": stored,
        "words_per_article": round(words / n, 1),
        "chars_per_article": round(chars / n, 1),
        "analyze_articles_per_s": round(analyze_rate, 2),
        "analyze_again_articles_per_s": round(rerun_rate, 2),
        "ingest_articles_per_s": round(ingest_rate, 2),
        "ratio": round(ingest_rate / baseline, 3),
        "ratio_first_baseline": round(ingest_rate / analyze_rate, 3),
        "ingest_ms_per_article": round(ingest_s * 1000 / max(stored, 1), 2),
        "analyze_ms_per_article": round(1000 / baseline, 2),
        "ingest_first_articles_per_s": round(checkpoint / first_s, 2),
        "ingest_rest_articles_per_s": round((stored - checkpoint) / rest_s, 2)
        if rest_s > 0
        else None,
        "checkpoint": checkpoint,
        "rss_mb_pipeline_loaded": round(rss_loaded, 1),
        "rss_mb_analysis_at_checkpoint": round(rss_analysis_checkpoint, 1),
        "rss_mb_after_analysis": round(rss_after_analyze, 1),
        "spacy_strings_before": strings_before,
        "spacy_strings_after": strings_after,
        "workers": workers,
        "rss_mb_at_checkpoint": round(rss_checkpoint, 1),
        "rss_mb_at_end": round(rss_end, 1),
        "worker_rss_mb_at_checkpoint": round(child_checkpoint, 1),
        "worker_rss_mb_at_end": round(child_end, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "worker_peak_rss_mb": round(child_peak, 1),
        "peak_rss_mb_together": round(peak_rss_mb() + child_peak, 1),
        "store_bytes": size,
        "store_kib_per_article": round(size / 1024 / max(stored, 1), 2),
        "corpus_claims": counts.get("corpus_claims"),
        "claims": counts.get("claims"),
        "statements": counts.get("statements"),
        **per_article,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--checkpoint", type=int, default=500, help="RSS read after this many")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep the store and inputs in this directory")
    parser.add_argument(
        "--workers", type=int, choices=(0, 1), default=1, help="0: analyse in-process"
    )
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        if any(args.keep.glob("corpus.duckdb*")):
            parser.error(f"{args.keep} already holds a store")
        result = run(args.articles, args.checkpoint, args.seed, args.keep, args.workers)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = run(args.articles, args.checkpoint, args.seed, Path(tmp), args.workers)
    print(
        f"analysis {result['analyze_articles_per_s']}/s (again after the ingest: "
        f"{result['analyze_again_articles_per_s']}/s), ingest {result['ingest_articles_per_s']}/s, "
        f"ratio {result['ratio']} (target >= 0.8, workers={result['workers']}); ingest RSS "
        f"{result['rss_mb_at_checkpoint']} + worker {result['worker_rss_mb_at_checkpoint']} MB "
        f"at {result['checkpoint']}, {result['rss_mb_at_end']} + worker "
        f"{result['worker_rss_mb_at_end']} MB at {result['stored']}, peak together "
        f"{result['peak_rss_mb_together']} MB "
        f"(analysis alone: {result['rss_mb_analysis_at_checkpoint']} -> "
        f"{result['rss_mb_after_analysis']} MB); store {result['store_kib_per_article']} "
        f"KiB/article; per article: linking {result['link_claims_ms_per_article']} ms "
        f"({result['link_claims_cpu_ms_per_article']} ms CPU), near-duplicates "
        f"{result['neardup_ms_per_article']} ms ({result['neardup_cpu_ms_per_article']} ms CPU)"
    )
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())

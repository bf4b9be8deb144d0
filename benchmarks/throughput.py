"""Throughput and memory of the sayso pipeline, against bare spaCy in the same process.

    python benchmarks/throughput.py [TEXT_DIR] [--max-texts N] [--memory-mb 1]
    python benchmarks/throughput.py --components [--component-chars 200000]

Analyses the same texts twice: once with bare ``nlp.pipe`` of the house model, once with
the whole sayso pipeline (and the record built), and prints words per second for each and
their ratio (target: sayso >= 0.7 x bare spaCy). Then analyses one article of about 1 MB in a
child process and prints its peak memory (target: under 1.5 GB).

TEXT_DIR defaults to ../shared/data/polnear/dev/text (any directory of .txt files works);
without it, the bundled example article is repeated.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"
EXAMPLE = ROOT / "examples" / "missile-transfer.md"


def load_texts(directory: Path, limit: int) -> list[str]:
    if directory.is_dir():
        files = sorted(directory.glob("*.txt"))[:limit]
        if files:
            return [f.read_text(encoding="utf-8") for f in files]
    print(f"no texts in {directory}; repeating the example article", file=sys.stderr)
    return [EXAMPLE.read_text(encoding="utf-8")] * 40


def words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def time_bare(texts: list[str]) -> float:
    import spacy

    from sayso.pipeline import SPACY_MODEL

    nlp = spacy.load(SPACY_MODEL)
    list(nlp.pipe(texts[:2]))  # warm-up
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return time.perf_counter() - start


def time_sayso(texts: list[str]) -> float:
    from sayso.api import analyze_article
    from sayso.ingest.article import Article
    from sayso.pipeline import load_pipeline

    nlp = load_pipeline()
    for t in texts[:2]:  # warm-up
        analyze_article(Article(text=t), nlp=nlp)
    start = time.perf_counter()
    for t in texts:
        analyze_article(Article(text=t), nlp=nlp)
    return time.perf_counter() - start


def peak_memory_mb(texts: list[str], target_mb: float) -> dict[str, float]:
    """Analyse one ~target_mb article in a child process; its peak RSS in MB."""
    article, n = [], 0
    while n < target_mb * 1_000_000:
        for t in texts:
            article.append(t)
            n += len(t.encode("utf-8")) + 2
            if n >= target_mb * 1_000_000:
                break
    path = ROOT / "benchmarks" / ".big-article.txt"
    path.write_text("\n\n".join(article), encoding="utf-8")
    code = (
        "import sys, time, resource, sayso\n"
        "t=time.perf_counter(); r=sayso.analyze(sys.argv[1]); s=time.perf_counter()-t\n"
        "print(len(r.text), len(r.statements), s)\n"
    )
    try:
        out = subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
        ).stdout.split()
    finally:
        path.unlink(missing_ok=True)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "article_chars": float(out[0]),
        "statements": float(out[1]),
        "seconds": float(out[2]),
        "peak_rss_mb": peak_kb / 1024,
    }


def component_seconds(texts: list[str], chars: int) -> dict[str, float]:
    """Seconds each sayso component takes on one long article, run again on the parsed doc."""
    from spacy.tokens import Doc

    from sayso.pipeline import load_pipeline, split_chunks

    article = "\n\n".join(texts * (1 + chars // max(1, sum(map(len, texts)))))[:chars]
    nlp = load_pipeline()
    core = [name for name in nlp.pipe_names if not name.startswith("sayso_")]
    with nlp.select_pipes(enable=core):
        parts = list(nlp.pipe(split_chunks(article), batch_size=2))
    doc = Doc.from_docs(parts, ensure_whitespace=False)
    seconds: dict[str, float] = {}
    for name, component in nlp.pipeline:
        if name.startswith("sayso_"):
            start = time.perf_counter()
            doc = component(doc)
            seconds[name] = round(time.perf_counter() - start, 3)
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("text_dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--max-texts", type=int, default=60)
    parser.add_argument("--memory-mb", type=float, default=1.0)
    parser.add_argument("--components", action="store_true", help="per-component seconds")
    parser.add_argument("--component-chars", type=int, default=200_000)
    args = parser.parse_args(argv)

    texts = load_texts(args.text_dir, args.max_texts)
    if args.components:
        seconds = component_seconds(texts, args.component_chars)
        for name, value in seconds.items():
            print(f"{name:<18} {value:>7.3f} s on {args.component_chars} chars")
        print(json.dumps(seconds))
        return
    n_words = words(texts)
    bare = time_bare(texts)
    full = time_sayso(texts)
    memory = peak_memory_mb(texts, args.memory_mb)
    result = {
        "texts": len(texts),
        "words": n_words,
        "bare_spacy_words_per_s": round(n_words / bare),
        "sayso_words_per_s": round(n_words / full),
        "ratio_sayso_to_bare": round(bare / full, 3),
        "big_article_chars": int(memory["article_chars"]),
        "big_article_seconds": round(memory["seconds"], 1),
        "big_article_peak_rss_mb": round(memory["peak_rss_mb"]),
    }
    print(f"bare spaCy : {result['bare_spacy_words_per_s']:>8} words/s")
    print(f"sayso      : {result['sayso_words_per_s']:>8} words/s")
    print(f"ratio      : {result['ratio_sayso_to_bare']:.3f} (target >= 0.7)")
    print(
        f"1 MB article: {result['big_article_chars']} chars in "
        f"{result['big_article_seconds']} s, peak {result['big_article_peak_rss_mb']} MB "
        "(target < 1536 MB)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()

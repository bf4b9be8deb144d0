"""Load on ``sayso serve`` over loopback: requests per second and p50/p99 latency.

    python benchmarks/serve.py [--db FILE] [--count 60] [--concurrency 4] [--time-limit 60]
                               [--sizes 1,4,16] [--claim-count 400] [--charts 20]

Starts ``sayso serve`` on a free 127.0.0.1 port (over ``--db``, or over a store built from
``tests/fixtures/linking``), then for each endpoint sends at most ``--count`` requests from
``--concurrency`` client threads, stopping early once ``--time-limit`` seconds have passed:

* ``POST /api/analyze`` with invented articles of ``--sizes`` template articles each
  (``benchmarks/generate_corpus.py``; every request a different text, so no cache helps);
* ``GET /claims/{id}`` over the corpus claims in turn;

and times the first draw of ``--charts`` claim charts (``/claims/{id}/timeline.svg``, drawn
once per claim, then cached), one at a time.

Once the server has stopped, the same work runs in this process, one call at a time and
with no HTTP, as the baseline: ``sayso.api.analyze_article`` on the same texts, and the
claim page's model and template (``CorpusView.claim_page`` + ``claim.html``) on the same
claim ids (``Corpus.claim``, the store query alone, is printed too). It prints requests/s,
p50 and p99 latency per endpoint, and the ratio (server requests/s / in-process calls/s).
The last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The server runner the browser tests use: one way to start `sayso serve` on loopback.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))

from generate_corpus import generate
from live_server import LiveServer, build_corpus


@dataclass
class Load:
    """What one bounded run measured."""

    name: str
    sent: int
    ok: int
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]

    @property
    def per_s(self) -> float:
        """Completed requests (any status) per second of wall time."""
        return self.sent / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        """The figures, rounded, as a dict."""
        lat = np.array(self.latencies) * 1000 if self.latencies else np.array([np.nan])
        return {
            "requests": self.sent,
            "ok": self.ok,
            "seconds": round(self.seconds, 2),
            "per_s": round(self.per_s, 2),
            "p50_ms": round(float(np.percentile(lat, 50)), 1),
            "p99_ms": round(float(np.percentile(lat, 99)), 1),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
        }


def run_load(
    name: str,
    call: Callable[[int], int],
    count: int,
    concurrency: int,
    time_limit: float,
) -> Load:
    """Run ``call(i)`` for i in 0..count-1 on ``concurrency`` threads, until done or timed out.

    ``call`` returns the HTTP status (200 for an in-process call that returned).
    """
    lock = threading.Lock()
    next_i = 0
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    deadline = time.perf_counter() + time_limit

    def worker() -> None:
        nonlocal next_i
        while True:
            with lock:
                if next_i >= count or time.perf_counter() > deadline:
                    return
                i = next_i
                next_i += 1
            start = time.perf_counter()
            try:
                status = call(i)
            except (httpx.HTTPError, OSError):
                status = 0  # connection-level failure
            took = time.perf_counter() - start
            with lock:
                latencies.append(took)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker) for _ in range(max(1, concurrency))]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    ok = sum(n for s, n in statuses.items() if 200 <= s < 300)
    return Load(name, len(latencies), ok, seconds, latencies, statuses)


def texts_of_size(size: int, count: int, seed: int) -> list[str]:
    """``count`` different texts, each ``size`` generated articles joined into one."""
    arts = [a["text"] for a in generate(size * count, seed)]
    return ["\n\n".join(arts[i * size : (i + 1) * size]) for i in range(count)]


def client_pool(base: str, concurrency: int) -> Callable[[], httpx.Client]:
    """One keep-alive ``httpx.Client`` per thread (a browser keeps its connection too)."""
    local = threading.local()
    clients: list[httpx.Client] = []

    def get() -> httpx.Client:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=base, timeout=120.0)
            clients.append(local.client)
        client: httpx.Client = local.client
        return client

    get.clients = clients  # type: ignore[attr-defined]
    return get


def claim_ids(base: str, limit: int) -> list[Any]:
    """Ids of up to ``limit`` corpus claims, read from ``GET /api/claims``."""
    body = httpx.get(f"{base}/api/claims", params={"limit": limit}, timeout=60).json()
    rows = body["claims"] if isinstance(body, dict) else body
    return [row["id"] for row in rows][:limit]


def report(load: Load, baseline: Load | None) -> dict[str, Any]:
    """Print one line for ``load`` (and its baseline); the figures as a dict."""
    out = load.summary()
    line = (
        f"{load.name:<28} {out['per_s']:>8.2f} req/s  p50 {out['p50_ms']:>8.1f} ms  "
        f"p99 {out['p99_ms']:>8.1f} ms  ({load.sent} requests, {load.ok} ok)"
    )
    if baseline is not None:
        out["baseline"] = baseline.summary()
        out["ratio"] = round(load.per_s / baseline.per_s, 3) if baseline.per_s else None
        line += f"; in-process {baseline.per_s:.2f}/s, ratio {out['ratio']}"
    print(line, flush=True)
    return out


def run(args: argparse.Namespace, db: Path) -> dict[str, Any]:
    """Serve ``db``, load it, stop it, then measure the in-process baselines."""
    sizes: list[int] = args.sizes
    texts = {size: texts_of_size(size, args.count, args.seed + size) for size in sizes}
    loads: dict[str, Load] = {}
    with LiveServer(db) as server:
        base = server.url
        print(f"server: {base} over {db}", file=sys.stderr)
        # Warm-up: the first analyses load lexicons and models lazily.
        for text in texts_of_size(1, 2, args.seed + 999):
            httpx.post(f"{base}/api/analyze", json={"text": text}, timeout=120).raise_for_status()
        for size in sizes:
            client = client_pool(base, args.concurrency)
            batch = texts[size]

            def analyze_call(i: int, batch: Sequence[str] = batch, c: Any = client) -> int:
                resp = c().post("/api/analyze", json={"text": batch[i], "published": "2026-05-01"})
                return int(resp.status_code)

            name = f"POST /api/analyze x{size}"
            loads[name] = run_load(
                name, analyze_call, args.count, args.concurrency, args.time_limit
            )
            for c in client.clients:  # type: ignore[attr-defined]
                c.close()
        ids = claim_ids(base, 100)
        if not ids:
            raise SystemExit("benchmarks/serve.py: the corpus has no claims to load")
        # The first claim page may do one-time work (caches): timed on its own, not mixed
        # into the load.
        start = time.perf_counter()
        httpx.get(f"{base}/claims/{ids[0]}", timeout=120).raise_for_status()
        first_claim_s = time.perf_counter() - start
        print(f"first claim page: {first_claim_s * 1000:.0f} ms", file=sys.stderr)
        client = client_pool(base, args.concurrency)

        def claim_call(i: int) -> int:
            return int(client().get(f"/claims/{ids[i % len(ids)]}").status_code)

        claim_page = run_load(
            "GET /claims/{id}", claim_call, args.claim_count, args.concurrency, args.time_limit
        )
        for c in client.clients:  # type: ignore[attr-defined]
            c.close()
        # The chart a claim page shows is drawn once per claim (matplotlib), then cached:
        # time the first draw of each, one at a time.
        charts: list[float] = []
        for cid in ids[: args.charts]:
            start = time.perf_counter()
            httpx.get(f"{base}/claims/{cid}/timeline.svg", timeout=120).raise_for_status()
            charts.append(time.perf_counter() - start)

    # Baselines, with the server stopped so they have the machine to themselves.
    from sayso.api import analyze_article
    from sayso.corpus import Corpus
    from sayso.ingest.article import Article
    from sayso.pipeline import load_pipeline

    nlp = load_pipeline()
    for text in texts_of_size(1, 2, args.seed + 999):
        analyze_article(Article(text=text), nlp=nlp)
    results: dict[str, Any] = {}
    for size in sizes:
        name = f"POST /api/analyze x{size}"
        batch = texts[size]
        done = loads[name].sent  # the same texts the server analysed

        def direct(i: int, batch: Sequence[str] = batch) -> int:
            analyze_article(Article(text=batch[i]), nlp=nlp)
            return 200

        baseline = run_load(f"analyze_article x{size}", direct, done, 1, args.time_limit)
        results[name] = report(loads[name], baseline)
        results[name]["words_per_text"] = round(
            sum(len(t.split()) for t in batch[:done]) / max(done, 1)
        )
    # The claim page's own work in this process: the app's page model and template, no HTTP.
    from sayso.serve.app import page_env
    from sayso.serve.corpus_views import CorpusView

    with Corpus(db, read_only=True) as corpus:
        view = CorpusView(corpus)
        template = page_env().get_template("claim.html")
        template.render(corpus=view, page=view.claim_page(ids[0]))  # one-time work, as above

        def build(i: int) -> int:
            template.render(corpus=view, page=view.claim_page(ids[i % len(ids)]))
            return 200

        baseline = run_load("claim page in-process", build, claim_page.sent, 1, args.time_limit)

        def query(i: int) -> int:
            corpus.claim(ids[i % len(ids)])
            return 200

        store = run_load("Corpus.claim", query, claim_page.sent, 1, args.time_limit)
    results["GET /claims/{id}"] = report(claim_page, baseline)
    results["GET /claims/{id}"]["first_ms"] = round(first_claim_s * 1000, 1)
    results["GET /claims/{id}"]["store_query"] = store.summary()
    print(f"{'  Corpus.claim (query only)':<28} {store.per_s:>8.2f} calls/s", flush=True)
    if charts:
        ms = np.array(charts) * 1000
        results["GET /claims/{id}/timeline.svg"] = {
            "first_draws": len(charts),
            "p50_ms": round(float(np.percentile(ms, 50)), 1),
            "max_ms": round(float(ms.max()), 1),
        }
        print(
            f"{'GET /claims/{id}/timeline.svg':<28} first draw of {len(charts)} charts: "
            f"p50 {np.percentile(ms, 50):.0f} ms, max {ms.max():.0f} ms",
            flush=True,
        )
    return {
        "concurrency": args.concurrency,
        "count": args.count,
        "claim_count": args.claim_count,
        "charts": args.charts,
        "time_limit_s": args.time_limit,
        "endpoints": results,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="serve this store (default: a new one)")
    parser.add_argument("--count", type=int, default=60, help="analyze requests per size")
    parser.add_argument("--claim-count", type=int, default=400, help="claim page requests")
    parser.add_argument("--charts", type=int, default=20, help="claim charts drawn, first time")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument(
        "--time-limit", type=float, default=60.0, help="seconds per endpoint, at most"
    )
    parser.add_argument(
        "--sizes",
        type=lambda s: [int(x) for x in s.split(",") if x],
        default=[1, 4, 16],
        help="template articles per analysed text (about 110 words each)",
    )
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    if args.count < 1 or args.claim_count < 1 or args.concurrency < 1 or args.time_limit <= 0:
        parser.error("--count, --claim-count, --concurrency and --time-limit must be positive")
    if args.db is not None:
        if not args.db.exists():
            parser.error(f"{args.db} does not exist")
        result = run(args, args.db)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "corpus.duckdb"
            start = time.perf_counter()
            counts = build_corpus(db)
            print(
                f"corpus: {counts['articles']} articles in {time.perf_counter() - start:.1f} s",
                file=sys.stderr,
            )
            result = run(args, db)
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())

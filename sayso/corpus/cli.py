"""The corpus subcommands of ``sayso``: ingest, claims, claim, sources, search, export.

    sayso ingest articles/ feed.jsonl --db corpus.duckdb
    sayso claims --db corpus.duckdb
    sayso claim 3 --db corpus.duckdb [--plot claim3.png]
    sayso sources --db corpus.duckdb
    sayso search "fuel depot" --db corpus.duckdb
    sayso export --db corpus.duckdb --format parquet --out tables/

``sayso.cli`` adds them with :func:`register`; ``python -m sayso.corpus.cli`` runs them alone.
The query commands print rich tables, or one JSON object with ``--json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sayso.errors import SaysoError

DEFAULT_DB = "corpus.duckdb"


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db", type=Path, default=Path(DEFAULT_DB), help=f"the corpus file (default {DEFAULT_DB})"
    )


def _as_of_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="as the corpus stood that day: stances dated on or before it only",
    )


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _print_json(data: Any) -> int:
    print(json.dumps(data, default=_json_default, sort_keys=True))
    return 0


def _date(value: Any) -> str:
    return value.isoformat() if value is not None else "-"


#: Width of tables written to a file or pipe (a terminal uses its own width).
PIPE_WIDTH = 160


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else PIPE_WIDTH)


def _ingest(args: argparse.Namespace) -> int:
    from sayso.corpus.api import Corpus

    with Corpus(args.db) as corpus:
        progress = not args.quiet and sys.stderr.isatty()
        report = corpus.ingest(
            args.paths, progress=progress, verbose=args.verbose, workers=args.workers
        )
        totals = corpus.counts()
    print(report.summary())
    print(
        f"corpus {args.db}: {totals['articles']} articles, {totals['statements']} statements, "
        f"{totals['corpus_claims']} claims"
    )
    if report.stored + report.duplicates == 0:
        # A script with a mistyped path must notice: nothing was read.
        print("sayso: error: no article was ingested", file=sys.stderr)
        return 1
    return 0


def _positive(text: str) -> int:
    """An argparse type: a whole number from 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value}")
    return value


def _claims(args: argparse.Namespace) -> int:
    from rich.table import Table

    from sayso.corpus.api import Corpus

    with Corpus(args.db, read_only=True) as corpus:
        rows = corpus.claims(limit=args.limit)
    if args.json:
        return _print_json({"claims": [asdict(r) for r in rows]})
    table = Table(title=f"Claims in {args.db}, most contested and recent first")
    for name in ("id", "claim", "contested", "+", "-", "0", "articles", "first", "last"):
        if name == "claim":
            table.add_column(name, overflow="fold", min_width=30)
        else:
            table.add_column(name, justify="right", no_wrap=True)
    for r in rows:
        table.add_row(
            str(r.id),
            r.text,
            str(r.contested),
            str(r.asserting),
            str(r.denying),
            str(r.neutral),
            str(r.articles),
            _date(r.first_date),
            _date(r.last_date),
        )
    _console().print(table)
    return 0


def _claim(args: argparse.Namespace) -> int:
    from rich.table import Table

    from sayso.corpus.api import Corpus
    from sayso.corpus.credibility import store_credibility
    from sayso.corpus.plot import chart_format, write_timeline

    if args.plot is not None:
        chart_format(str(args.plot))  # a bad name fails before any work
    with Corpus(args.db, read_only=True) as corpus:
        timeline = corpus.claim(args.id, as_of=args.as_of)
        result, vote = store_credibility(corpus.con, as_of=args.as_of)
    cred, baseline = result.claims.get(timeline.id), vote.get(timeline.id)
    timeline.p_true = None if cred is None else cred.p_true
    if args.plot is not None:
        write_timeline(timeline, args.plot)
    if args.json:
        return _print_json(
            {
                **asdict(timeline),
                "credibility": None if cred is None else asdict(cred),
                "weighted_vote": None if baseline is None else baseline.p_true,
                "as_of": args.as_of,
                "plot": args.plot,
            }
        )
    console = _console()
    if args.plot is not None:
        console.print(f"chart: {args.plot}", markup=False, soft_wrap=True)
    console.print(f"[bold]Claim {timeline.id}[/bold]: {timeline.text}", soft_wrap=True)
    if cred is not None and baseline is not None:
        when = f" as of {args.as_of}" if args.as_of else ""
        console.print(
            f"credibility{when}: p(true) = {cred.p_true:.2f} (weighted vote "
            f"{baseline.p_true:.2f}; {cred.votes_for} for, {cred.votes_against} against, "
            f"{cred.no_vote} without a vote)",
            markup=False,
            soft_wrap=True,
        )
    if timeline.first is not None:
        f = timeline.first
        console.print(
            f"first seen {_date(f.date)}: {f.holder} ({f.stance}) in {f.title or f.article_id}",
            markup=False,
            soft_wrap=True,
        )
    table = Table(title="Timeline")
    for name in ("date", "holder", "stance", "commitment", "quote", "article"):
        table.add_column(name, overflow="fold", min_width=40 if name == "quote" else None)
    for e in timeline.entries:
        where = " ".join(x for x in (e.outlet, e.title or e.article_id) if x)
        table.add_row(
            _date(e.date),
            e.holder,
            e.stance,
            f"{e.commitment:+d}",
            e.quote,
            where,
            end_section=False,
        )
    console.print(table)
    if timeline.changes:
        console.print("[bold]Changes of line[/bold]")
        for c in timeline.changes:
            console.print(
                f"{c.after.holder}: {c.before.stance} on {_date(c.before.date)} -> "
                f"{c.after.stance} on {_date(c.after.date)}",
                markup=False,
                soft_wrap=True,
            )
    else:
        console.print("no holder changed their line")
    return 0


def _sources(args: argparse.Namespace) -> int:
    from rich.table import Table

    from sayso.corpus.api import Corpus
    from sayso.corpus.credibility import store_credibility
    from sayso.corpus.queries import STANCE_LABELS

    with Corpus(args.db, read_only=True) as corpus:
        rows = corpus.sources(limit=args.limit, as_of=args.as_of)
        reliability = store_credibility(corpus.con, as_of=args.as_of)[0].sources
    if args.json:
        return _print_json(
            {
                "sources": [
                    {
                        **asdict(r),
                        "reliability": (
                            asdict(reliability[r.holder_key])
                            if r.holder_key in reliability
                            else None
                        ),
                    }
                    for r in rows
                ]
            }
        )
    table = Table(title=f"Sources in {args.db}")
    table.add_column("holder", overflow="fold", min_width=20)
    table.add_column("stances", justify="right")
    for label in STANCE_LABELS:
        table.add_column(label.replace("_", " "), justify="right")
    for name in ("claims", "articles", "first", "last"):
        table.add_column(name, justify="right")
    for r in rows:
        table.add_row(
            r.name,
            str(r.stances),
            *(str(r.counts[label]) for label in STANCE_LABELS),
            str(r.claims),
            str(r.articles),
            _date(r.first_date),
            _date(r.last_date),
        )
    console = _console()
    console.print(table)
    rel_table = Table(title="Reliability (from the votes on every claim; see docs/credibility.md)")
    rel_table.add_column("holder", overflow="fold", min_width=20)
    for name in ("votes", "asserts", "denies", "false assertions", "false denials"):
        rel_table.add_column(name, justify="right")
    for r in rows:
        rel = reliability.get(r.holder_key)
        if rel is not None:
            rel_table.add_row(
                r.name,
                str(rel.n),
                str(rel.n_asserts),
                str(rel.n_denies),
                f"{rel.false_assertion_rate:.2f}",
                f"{rel.false_denial_rate:.2f}",
            )
    if rel_table.rows:
        console.print(rel_table)
    return 0


def _search(args: argparse.Namespace) -> int:
    from rich.table import Table

    from sayso.corpus.api import Corpus

    with Corpus(args.db, read_only=True) as corpus:
        hits = corpus.search(args.text, limit=args.limit)
    if args.json:
        return _print_json({"hits": [asdict(h) for h in hits]})
    if not hits:
        print("no matches")
        return 0
    table = Table(title=f"Search: {args.text}")
    for name in ("kind", "score", "claim", "text", "speaker", "date", "article"):
        table.add_column(name, overflow="fold")
    for h in hits:
        table.add_row(
            h.kind,
            f"{h.score:.2f}",
            str(h.corpus_claim_id or "-"),
            h.text,
            h.speaker or "",
            _date(h.date),
            f"{h.article_id}/{h.item_id}",
        )
    _console().print(table)
    return 0


def _export(args: argparse.Namespace) -> int:
    from sayso.corpus.api import Corpus

    with Corpus(args.db, read_only=True) as corpus:
        written = corpus.export(args.format, args.out)
    for name, path in written.items():
        print(f"{name}: {path}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the corpus subcommands to ``sayso``'s subparsers."""
    p = subparsers.add_parser(
        "ingest",
        help="analyse articles into a corpus (files, directories, JSON Lines, feeds, WARC)",
    )
    p.add_argument(
        "paths",
        nargs="+",
        help=".txt/.md/.html files, directories, .jsonl files, RSS/Atom feeds, WARC files",
    )
    _db_arg(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--verbose", action="store_true", help="a line on stderr for each article stored"
    )
    p.add_argument(
        "--workers",
        type=int,
        choices=(0, 1),
        default=None,
        help="1: analyse in a worker process, beside the storing; 0: in this process "
        "(default: 1 above 80 articles)",
    )
    p.set_defaults(func=_ingest)

    p = subparsers.add_parser("claims", help="claims across the corpus, most contested first")
    _db_arg(p)
    p.add_argument("--limit", type=_positive, default=50)
    p.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    p.set_defaults(func=_claims)

    p = subparsers.add_parser("claim", help="one claim's timeline: who said what, when")
    p.add_argument("id", type=int, help="the claim id from `sayso claims`")
    _db_arg(p)
    _as_of_arg(p)
    p.add_argument(
        "--plot",
        type=Path,
        metavar="FILE.png|FILE.svg",
        help="also draw the timeline chart into this file (format from the suffix)",
    )
    p.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    p.set_defaults(func=_claim)

    p = subparsers.add_parser("sources", help="holders with their stances across the corpus")
    _db_arg(p)
    _as_of_arg(p)
    p.add_argument("--limit", type=_positive, default=50)
    p.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    p.set_defaults(func=_sources)

    p = subparsers.add_parser("search", help="full-text search of claims and statements")
    p.add_argument("text")
    _db_arg(p)
    p.add_argument("--limit", type=_positive, default=10)
    p.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    p.set_defaults(func=_search)

    p = subparsers.add_parser("export", help="write the corpus tables as parquet, csv or jsonl")
    _db_arg(p)
    p.add_argument("--format", choices=("parquet", "csv", "jsonl"), default="parquet")
    p.add_argument("--out", type=Path, required=True, help="directory for the table files")
    p.set_defaults(func=_export)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the corpus subcommands on their own (``python -m sayso.corpus.cli``)."""
    parser = argparse.ArgumentParser(prog="sayso", description="sayso corpus commands")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        result: int = args.func(args)
        return result
    except SaysoError as exc:
        print(f"sayso: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("sayso: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

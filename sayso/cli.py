"""The ``sayso`` command line.

    sayso analyze article.html --format text
    sayso analyze https://example.org/story --format json > record.json
    sayso analyze article.md --format html > report.html
    cat article.txt | sayso analyze -
    sayso evaluate attribution ../shared/data/polnear/dev
    sayso evaluate stance ../shared/data/emergent/emergent.csv
    sayso evaluate rhetoric ../shared/data/ptc
    sayso evaluate linking tests/fixtures/linking
    sayso train rhetoric ../shared/data/ptc --out my-model/
    sayso techniques
    sayso ingest articles/ feed.jsonl --db corpus.duckdb
    sayso claims --db corpus.duckdb
    sayso schema > article-analysis.schema.json
    sayso serve --db corpus.duckdb

Errors in the input are reported as one line on stderr with a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sayso import __version__
from sayso.errors import SaysoError

EXIT_INTERNAL = 1
EXIT_INTERRUPTED = 130


def _analyze(args: argparse.Namespace) -> int:
    from sayso.api import analyze
    from sayso.ingest import load_source

    article = load_source(args.source, allow_private=args.allow_private)
    record = analyze(article, published=args.published, title=args.title)
    fmt = args.format or ("text" if sys.stdout.isatty() else "json")
    if fmt == "json":
        sys.stdout.write(record.model_dump_json(indent=2 if args.indent else None) + "\n")
    elif fmt == "html":
        from sayso.render.html import render_html

        # The page declares UTF-8, so write UTF-8 whatever the locale.
        sys.stdout.flush()
        sys.stdout.buffer.write(render_html(record).encode("utf-8"))
    else:
        from sayso.render.text import render

        render(record)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from sayso.serve.run import serve

    return serve(
        db=args.db,
        host=args.host,
        port=args.port,
        allow_private=args.allow_private,
        max_upload_bytes=args.max_upload_bytes,
    )


def _schema(args: argparse.Namespace) -> int:
    from sayso.record import json_schema

    print(json.dumps(json_schema(), indent=2))
    return 0


def _print_result(result: dict[str, Any]) -> int:
    # The last line of stdout is always one JSON object, for scripts.
    print(json.dumps(result, sort_keys=True))
    return 0


def _evaluate_attribution(args: argparse.Namespace) -> int:
    from sayso.evaluate.attribution import evaluate_attribution

    _require_dir(args.directory)
    return _print_result(evaluate_attribution(args.directory, limit=args.limit))


def _evaluate_stance(args: argparse.Namespace) -> int:
    from sayso.evaluate.stance import run

    if not args.file.is_file():
        raise SaysoError(f"no such file: {args.file}")
    return _print_result(run(args.file))


def _evaluate_rhetoric(args: argparse.Namespace) -> int:
    from sayso.evaluate.rhetoric import evaluate_rhetoric

    _require_dir(args.directory)
    return _print_result(
        evaluate_rhetoric(args.directory, folds=args.folds, model=args.model, cache_dir=args.cache)
    )


def _train_rhetoric(args: argparse.Namespace) -> int:
    from sayso.rhetoric.model import MODEL_DIR
    from sayso.rhetoric.train import train_rhetoric

    _require_dir(args.directory)
    out = args.out or MODEL_DIR
    result = train_rhetoric(args.directory, out)
    print(f"model written to {out}", file=sys.stderr)
    return _print_result(result)


def _techniques(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from sayso.rhetoric.lexicons import load_techniques

    table = Table(title="Rhetorical techniques (SemEval-2020 Task 11 labels)", show_lines=False)
    table.add_column("technique", style="bold")
    table.add_column("what it is", overflow="fold")
    for name, definition in load_techniques().items():
        table.add_row(name, definition)
    Console().print(table)
    return 0


def _evaluate_linking(args: argparse.Namespace) -> int:
    from sayso.corpus.evaluate_linking import evaluate_linking

    _require_dir(args.directory)
    return _print_result(evaluate_linking(args.directory, db=args.db, examples=args.examples))


def _require_dir(path: Path) -> None:
    if not path.is_dir():
        raise SaysoError(f"not a directory: {path}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sayso", description="On whose say-so? Who said what in news articles."
    )
    parser.add_argument("--version", action="version", version=f"sayso {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("analyze", help="analyse one article (file, URL, or - for stdin)")
    p.add_argument("source", help="path to a .txt/.md/.html file, an http(s) URL, or -")
    p.add_argument(
        "--format",
        choices=("json", "text", "html"),
        help="json (default when piped), text (default on a terminal), or html: one "
        "self-contained page with the record drawn on the article",
    )
    p.add_argument("--published", help="the article's date (ISO), for relative dates")
    p.add_argument("--title", help="override the article's title")
    p.add_argument("--indent", action="store_true", help="pretty-print JSON")
    p.add_argument(
        "--allow-private",
        action="store_true",
        help="allow URLs on loopback, private and link-local addresses",
    )
    p.set_defaults(func=_analyze)

    p = sub.add_parser("schema", help="print the JSON Schema of the analysis record")
    p.set_defaults(func=_schema)

    ev = sub.add_parser("evaluate", help="score sayso against annotated data")
    ev_sub = ev.add_subparsers(dest="what", required=True)
    p = ev_sub.add_parser("attribution", help="PolNeAR-style brat directory")
    p.add_argument("directory", type=Path)
    p.add_argument("--limit", type=int, help="only the first N documents")
    p.set_defaults(func=_evaluate_attribution)
    p = ev_sub.add_parser("stance", help="Emergent CSV (headline stance)")
    p.add_argument("file", type=Path)
    p.set_defaults(func=_evaluate_stance)
    p = ev_sub.add_parser("rhetoric", help="PTC-style directory (SemEval-2020 Task 11 rules)")
    p.add_argument("directory", type=Path, help="with articles/ and technique-spans.tsv")
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds, by article")
    p.add_argument("--model", type=Path, help="score this trained model instead of CV")
    p.add_argument("--cache", type=Path, help="directory to cache parsed articles")
    p.set_defaults(func=_evaluate_rhetoric)
    p = ev_sub.add_parser("linking", help="claim linking across articles (articles + gold.jsonl)")
    p.add_argument("directory", type=Path)
    p.add_argument("--db", type=Path, help="keep the store here (must not exist yet)")
    p.add_argument("--examples", type=int, default=10, help="missed/wrong pairs to show")
    p.set_defaults(func=_evaluate_linking)

    tr = sub.add_parser("train", help="rebuild a shipped model from data")
    tr_sub = tr.add_subparsers(dest="what", required=True)
    p = tr_sub.add_parser("rhetoric", help="train the rhetoric model on PTC-style data")
    p.add_argument("directory", type=Path)
    p.add_argument("--out", type=Path, help="model directory (default: the shipped model's)")
    p.set_defaults(func=_train_rhetoric)

    p = sub.add_parser("techniques", help="list the rhetorical techniques with definitions")
    p.set_defaults(func=_techniques)

    p = sub.add_parser("serve", help="the web app: analyse articles, browse a corpus, JSON API")
    p.add_argument("--db", type=Path, help="a corpus store to browse (opened read-only)")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free one)")
    p.add_argument(
        "--allow-private",
        action="store_true",
        help="let the analyse form fetch URLs on loopback, private and link-local addresses",
    )
    p.add_argument(
        "--max-upload-bytes",
        type=int,
        default=5_000_000,
        help="largest text, upload or fetched page accepted (default 5000000)",
    )
    p.set_defaults(func=_serve)

    from sayso.corpus.cli import register as register_corpus

    register_corpus(sub)  # ingest, claims, claim, sources, search, export
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sayso`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except SaysoError as exc:
        print(f"sayso: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("sayso: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        if os.environ.get("SAYSO_DEBUG"):
            raise
        print(
            f"sayso: internal error: {type(exc).__name__}: {exc} (SAYSO_DEBUG=1 shows details)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())

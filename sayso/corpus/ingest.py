"""Reading many inputs into the corpus: files, directories, JSON Lines; idempotent, resumable.

Each article is analysed and then stored in its own transaction, so an ingest stopped at any
moment (Ctrl-C, ``kill -9``, power loss) leaves only whole articles in the store; running
the same command again skips every article already stored (same normalised text or same
URL) and goes on with the rest. An input that cannot be read or analysed is skipped with one
line on stderr (``sayso: skipped <input>: <reason>``) and the ingest goes on.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import duckdb
from spacy.language import Language

from sayso.build import build_record
from sayso.corpus.linking import article_claim_features
from sayso.corpus.sources_feed import (
    FEED_SUFFIXES,
    XML_SUFFIXES,
    count_feed_entries,
    is_feed_file,
    iter_feed,
)
from sayso.corpus.sources_warc import is_warc_file, iter_warc
from sayso.corpus.store import add_article, article_id, find_existing
from sayso.errors import InputError, SaysoError
from sayso.ingest import article_from_bytes, load_source
from sayso.ingest.article import Article
from sayso.pipeline import load_pipeline, run_pipeline

#: File suffixes read as articles when a directory is walked (JSON Lines are read per line).
ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})


@dataclass
class InputItem:
    """One article to ingest, or the reason an input could not be read."""

    label: str  # file path, or "path:line" for JSON Lines
    article: Article | None = None
    error: str | None = None
    outlet: str | None = None


def expand_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Files to read, in order: files as given, directories walked recursively (sorted).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.txt", "a.html", "sub/c.md", "skip.png"):
    ...     (d / name).parent.mkdir(exist_ok=True); _ = (d / name).write_text("x")
    >>> [p.relative_to(d).as_posix() for p in expand_paths([d])]
    ['a.html', 'b.txt', 'sub/c.md']
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found = [
                p
                for p in path.rglob("*")
                if p.is_file()
                and (
                    p.suffix.lower() in ARTICLE_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES
                    or is_warc_file(p)
                    or (p.suffix.lower() in XML_SUFFIXES and is_feed_file(p))
                )
            ]
            files.extend(sorted(found, key=lambda p: p.as_posix()))
        else:
            files.append(path)
    return files


def count_items(files: Sequence[Path]) -> int:
    """How many articles the files hold (a JSON Lines file counts its non-blank lines)."""
    total = 0
    for path in files:
        if path.suffix.lower() in JSONL_SUFFIXES and path.is_file():
            try:
                with path.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                total += 1
        elif is_feed_file(path):
            total += count_feed_entries(path)
        else:
            total += 1
    return total


def iter_inputs(files: Sequence[Path]) -> Iterator[InputItem]:
    """Read each file (or each JSON Lines record) into an :class:`InputItem`."""
    for path in files:
        if path.suffix.lower() in JSONL_SUFFIXES:
            yield from _iter_jsonl(path)
            continue
        if is_warc_file(path):
            yield from iter_warc(path)
            continue
        if is_feed_file(path):
            yield from iter_feed(path)
            continue
        try:
            yield InputItem(str(path), article=load_source(str(path)))
        except SaysoError as exc:
            yield InputItem(str(path), error=str(exc))


def _iter_jsonl(path: Path) -> Iterator[InputItem]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputItem(str(path), error=f"cannot read: {exc.strerror or type(exc).__name__}")
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            label = f"{path}:{number}"
            try:
                item = article_from_json_line(raw, default_source=label)
            except SaysoError as exc:
                yield InputItem(label, error=str(exc))
                continue
            yield InputItem(label, article=item[0], outlet=item[1])


def article_from_json_line(raw: bytes | str, *, default_source: str) -> tuple[Article, str | None]:
    """An article (and its outlet) from one JSON Lines record.

    Fields: ``text`` or ``html`` (one is required), optional ``url``, ``title``,
    ``published`` (ISO date), ``source`` (the outlet's name).

    >>> art, outlet = article_from_json_line(
    ...     '{"text": "The envoy said talks stalled.", "published": "2026-03-02",'
    ...     ' "source": "Daily Planet"}', default_source="x.jsonl:1")
    >>> art.text, art.published, art.source, outlet
    ('The envoy said talks stalled.', datetime.date(2026, 3, 2), 'Daily Planet', 'Daily Planet')
    >>> article_from_json_line('{"title": "t"}', default_source="x.jsonl:2")
    Traceback (most recent call last):
    ...
    sayso.errors.InputError: the JSON record has no "text" or "html" field
    """
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not a JSON object: {exc}") from None
    if not isinstance(data, dict):
        raise InputError("not a JSON object")
    for key in ("text", "html", "url", "title", "published", "source"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise InputError(f'the JSON field "{key}" is not a string')
    url = data.get("url") or None
    outlet = data.get("source") or None
    source = outlet or url or default_source
    if data.get("html"):
        article = article_from_bytes(
            data["html"].encode("utf-8"),
            source=source,
            content_type="text/html; charset=utf-8",
            url=url,
        )
    elif data.get("text"):
        text = data["text"].strip()
        if not text:
            raise InputError("the JSON record's text is empty")
        article = Article(text=text, source=source, url=url)
    else:
        raise InputError('the JSON record has no "text" or "html" field')
    if data.get("title"):
        article.title = data["title"]
    if data.get("published"):
        try:
            article.published = dt.date.fromisoformat(data["published"][:10])
        except ValueError:
            raise InputError(f"not an ISO date: {data['published']!r}") from None
    return article, outlet


@dataclass
class IngestReport:
    """What an ingest did."""

    stored: int = 0
    duplicates: int = 0
    near_duplicates: int = 0  # stored, linked to their original, stances not counted again
    failed: int = 0
    claims: int = 0
    new_corpus_claims: int = 0
    linked_claims: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Articles stored per second."""
        return self.stored / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        """One line for the terminal."""
        return (
            f"stored {self.stored} articles ({self.duplicates} already stored, "
            f"{self.failed} skipped), {self.near_duplicates} of them near-duplicates, "
            f"in {self.seconds:.1f} s, {self.rate:.1f} articles/s; "
            f"{self.claims} claims: {self.linked_claims} linked to earlier claims, "
            f"{self.new_corpus_claims} new"
        )


def ingest_paths(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[str | Path],
    *,
    nlp: Language | None = None,
    progress: bool = True,
    verbose: bool = False,
    err: TextIO | None = None,
) -> IngestReport:
    """Analyse and store every article under ``paths``; see the module docstring.

    ``verbose`` writes ``stored <input> as <article id>`` to ``err`` once each article is
    committed.
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    err = err or sys.stderr
    nlp = nlp or load_pipeline()
    files = expand_paths(paths)
    report = IngestReport()
    console = Console(file=err, soft_wrap=True, highlight=False)
    bar = Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.1f} articles/s"),
        TimeElapsedColumn(),
        console=console,
        disable=not progress,
        transient=False,
    )

    def say(message: str) -> None:
        if progress:
            bar.console.print(message, markup=False, highlight=False, soft_wrap=True)
        else:
            print(message, file=err, flush=True)

    start = time.perf_counter()
    try:
        with bar:
            task = bar.add_task("ingest", total=count_items(files), rate=0.0)
            for item in iter_inputs(files):
                try:
                    stored = _ingest_one(con, item, nlp, report)
                    if verbose and stored is not None:
                        say(f"stored {item.label} as {stored}")
                except SaysoError as exc:
                    report.failed += 1
                    report.errors.append(f"{item.label}: {exc}")
                    say(f"sayso: skipped {item.label}: {exc}")
                except (KeyboardInterrupt, duckdb.Error):
                    raise
                except Exception as exc:  # one bad article must not stop a long ingest
                    report.failed += 1
                    message = f"{item.label}: internal error: {type(exc).__name__}: {exc}"
                    report.errors.append(message)
                    say(f"sayso: skipped {message}")
                report.seconds = time.perf_counter() - start
                bar.update(task, advance=1, rate=report.rate)
    except KeyboardInterrupt:
        report.seconds = time.perf_counter() - start
        say(
            f"sayso: stopped after storing {report.stored} articles; "
            "run the same command again to go on"
        )
        raise
    report.seconds = time.perf_counter() - start
    return report


def _ingest_one(
    con: duckdb.DuckDBPyConnection,
    item: InputItem,
    nlp: Language,
    report: IngestReport,
) -> str | None:
    """Analyse and store one item; the article id when it was stored, else None."""
    if item.error is not None or item.article is None:
        raise InputError(item.error or "nothing to read")
    article = item.article
    if not article.text.strip():
        raise InputError("the article has no text to analyse")
    if find_existing(con, article_id(article.text), article.url) is not None:
        report.duplicates += 1
        return None
    doc = run_pipeline(nlp, article.text, article.published)
    record = build_record(doc, article)
    features = article_claim_features(record, doc)
    added = add_article(con, record, features, input_name=item.label, outlet=item.outlet)
    if not added.stored:
        report.duplicates += 1
        return None
    report.stored += 1
    report.near_duplicates += added.duplicate_of is not None
    report.claims += added.claims
    report.new_corpus_claims += added.new_corpus_claims
    report.linked_claims += added.linked_claims
    return added.article_id

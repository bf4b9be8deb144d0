"""Reading many inputs into the corpus: files, directories, JSON Lines; idempotent, resumable.

Articles are analysed one by one in the calling thread while a writer thread stores the
analysed ones (:func:`sayso.corpus.store.add_articles`), up to :data:`BATCH_SIZE` articles
(or what arrived within :data:`BATCH_WAIT` seconds) in one transaction. Each
transaction holds whole articles only, so an ingest stopped at any moment (Ctrl-C,
``kill -9``, power loss) leaves only whole articles in the store; running the same command
again skips every article already stored (same normalised text or same URL) and goes on with
the rest. An input that cannot be read or analysed is skipped with one line on stderr
(``sayso: skipped <input>: <reason>``) and the ingest goes on.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

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
from sayso.corpus.store import Added, Pending, add_articles, article_id, find_existing
from sayso.errors import InputError, SaysoError
from sayso.ingest import article_from_bytes, load_source
from sayso.ingest.article import Article
from sayso.pipeline import load_pipeline, run_pipeline

#: File suffixes read as articles when a directory is walked (JSON Lines are read per line).
ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
#: Most articles written in one transaction; also how many analysed articles may wait for the
#: writer (they are small: records and claim features, the spaCy docs are not kept).
BATCH_SIZE = 32
#: Longest a batch waits for more articles after its first (seconds): a commit costs ~2 ms
#: and each statement of the batch is shared by its articles, so fuller batches are cheaper;
#: this bounds how much analysed work a crash can lose.
BATCH_WAIT = 1.0
#: DuckDB settings while an ingest runs (restored after). Its statements are small, so one
#: thread does them with less overhead and leaves the other core to the analysis. Memory
#: stays flat as the store grows: DuckDB caches at most ``memory_limit`` of the file, and a
#: checkpoint every 4 MB of log moves what was written out of memory (without it, written
#: rows and their index entries stay in memory until the 16 MB default; measured in
#: ``benchmarks/ingest.py``). Should a batch still run out of memory, the limit is doubled.
INGEST_SETTINGS: dict[str, str | None] = {
    "threads": "1",
    "memory_limit": "'64MB'",
    "checkpoint_threshold": "'4MB'",
}


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
            article = load_source(str(path))
            yield InputItem(str(path), article=article, outlet=article.outlet)
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
    committed. ``con`` must not be used by anything else until this returns.
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
    in_flight: dict[str, int] = {}  # ids and URLs queued for the writer, not yet reported

    def done(task_id: Any) -> None:
        report.seconds = time.perf_counter() - start
        bar.update(task_id, advance=1, rate=report.rate)

    def skipped(label: str, message: str) -> None:
        report.failed += 1
        report.errors.append(f"{label}: {message}")
        say(f"sayso: skipped {label}: {message}")

    def collect(task_id: Any, writer: _Writer, *, wait: bool = False) -> None:
        """Report what the writer has committed (every outcome when ``wait``)."""
        while True:
            try:
                outcome = writer.outbox.get(timeout=0.05) if wait else writer.outbox.get_nowait()
            except queue.Empty:
                if wait and writer.is_alive():
                    continue
                if wait and not writer.outbox.empty():
                    continue
                return
            item, pending, added, message = outcome
            for key in _keys(pending):
                in_flight[key] -= 1
                if not in_flight[key]:
                    del in_flight[key]
            if added is None:
                skipped(item.label, message or "not stored")
            elif not added.stored:
                report.duplicates += 1
            else:
                _count(report, added)
                if verbose:
                    say(f"stored {item.label} as {added.article_id}")
            done(task_id)

    writer = _Writer(con)
    reader = con.cursor()  # the main thread's own connection: `con` belongs to the writer
    task = bar.add_task("ingest", total=count_items(files), rate=0.0)
    restore = _apply_settings(con, INGEST_SETTINGS)
    writer.start()
    try:
        with bar:
            for item in iter_inputs(files):
                collect(task, writer)
                if writer.failure is not None:
                    break
                try:
                    pending = _analyse(reader, item, nlp, in_flight)
                except SaysoError as exc:
                    skipped(item.label, str(exc))
                    done(task)
                    continue
                except (KeyboardInterrupt, duckdb.Error):
                    raise
                except Exception as exc:  # one bad article must not stop a long ingest
                    skipped(item.label, f"internal error: {type(exc).__name__}: {exc}")
                    done(task)
                    continue
                if pending is None:
                    report.duplicates += 1
                    done(task)
                    continue
                for key in _keys(pending):
                    in_flight[key] = in_flight.get(key, 0) + 1
                writer.put((item, pending))
            writer.finish()
            collect(task, writer, wait=True)
    except KeyboardInterrupt:
        writer.abandon()
        collect(task, writer)
        report.seconds = time.perf_counter() - start
        say(
            f"sayso: stopped after storing {report.stored} articles; "
            "run the same command again to go on"
        )
        raise
    finally:
        writer.abandon()
        reader.close()
        _apply_settings(con, restore)
    if writer.failure is not None:
        raise writer.failure
    report.seconds = time.perf_counter() - start
    return report


def _apply_settings(
    con: duckdb.DuckDBPyConnection, settings: Mapping[str, str | None]
) -> dict[str, str | None]:
    """Set DuckDB options (values as SQL literals, None: the default); returns what to pass
    to restore the previous ones (None where it was the default, which is restored exactly;
    DuckDB shows sizes rounded)."""
    before: dict[str, str | None] = {}
    for name, value in settings.items():
        row = con.execute("SELECT current_setting(?)", [name]).fetchone()
        con.execute(f"RESET {name}")
        default = con.execute("SELECT current_setting(?)", [name]).fetchone()
        if row is not None and row != default:
            before[name] = "'" + str(row[0]).replace("'", "''") + "'"
        else:
            before[name] = None
        if value is not None:
            con.execute(f"SET {name} = {value}")
    return before


def _keys(pending: Pending) -> list[str]:
    """What identifies an article while it waits to be written: its id, and its URL."""
    record = pending.record
    return [article_id(record.text), *([f"url:{record.url}"] if record.url else [])]


def _count(report: IngestReport, added: Added) -> None:
    report.stored += 1
    report.near_duplicates += added.duplicate_of is not None
    report.claims += added.claims
    report.new_corpus_claims += added.new_corpus_claims
    report.linked_claims += added.linked_claims


def _analyse(
    reader: duckdb.DuckDBPyConnection,
    item: InputItem,
    nlp: Language,
    in_flight: Mapping[str, int],
) -> Pending | None:
    """Analyse one item for the writer; None when it is already stored or queued."""
    if item.error is not None or item.article is None:
        raise InputError(item.error or "nothing to read")
    article = item.article
    if not article.text.strip():
        raise InputError("the article has no text to analyse")
    aid = article_id(article.text)
    if aid in in_flight or (article.url and f"url:{article.url}" in in_flight):
        return None
    if find_existing(reader, aid, article.url) is not None:
        return None
    doc = run_pipeline(nlp, article.text, article.published)
    record = build_record(doc, article)
    features = article_claim_features(record, doc)
    return Pending(record, features, input_name=item.label, outlet=item.outlet)


#: What the writer reports per article: the input, what was queued, the result (None when
#: it could not be stored) and, then, why.
_Outcome = tuple[InputItem, Pending, Added | None, str | None]


class _Writer(threading.Thread):
    """Stores analysed articles in order, a batch per transaction, beside the analysis.

    DuckDB releases the GIL while it runs a statement, so writing overlaps the analysis of
    the next articles. A batch is what arrives within :data:`BATCH_WAIT` of its first
    article, at most :data:`BATCH_SIZE` articles.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        super().__init__(name="sayso-corpus-writer", daemon=True)
        self.con = con
        self.inbox: queue.Queue[tuple[InputItem, Pending] | None] = queue.Queue(BATCH_SIZE)
        self.outbox: queue.Queue[_Outcome] = queue.Queue()
        self.failure: BaseException | None = None  # a store error: the ingest stops
        self._stop_now = threading.Event()

    def put(self, entry: tuple[InputItem, Pending]) -> None:
        """Queue an analysed article (waits while the queue is full and the writer alive)."""
        while self.is_alive():
            try:
                self.inbox.put(entry, timeout=0.1)
                return
            except queue.Full:
                continue

    def finish(self) -> None:
        """No more articles: write what is queued, then stop."""
        while self.is_alive():
            try:
                self.inbox.put(None, timeout=0.1)
                return
            except queue.Full:
                continue

    def abandon(self) -> None:
        """Stop after the transaction under way (committed or rolled back); drop the queue."""
        self._stop_now.set()
        while True:
            try:
                self.inbox.get_nowait()
            except queue.Empty:
                break
        if self.is_alive():
            self.inbox.put(None)
            self.join()

    def run(self) -> None:
        """Write batches until :meth:`finish` or :meth:`abandon`."""
        try:
            while not self._stop_now.is_set():
                entry = self.inbox.get()
                if entry is None:
                    return
                batch = [entry]
                last = False
                deadline = time.monotonic() + BATCH_WAIT
                while len(batch) < BATCH_SIZE and not self._stop_now.is_set():
                    try:
                        more = self.inbox.get(timeout=max(deadline - time.monotonic(), 0))
                    except queue.Empty:
                        break
                    if more is None:
                        last = True
                        break
                    batch.append(more)
                if self._stop_now.is_set() or not self._write(batch) or last:
                    return
        except BaseException as exc:  # reported to the main thread, which raises it
            self.failure = exc

    def _write(self, batch: list[tuple[InputItem, Pending]]) -> bool:
        """Write one batch; on an error, each article alone, so one bad article is skipped."""
        try:
            results = add_articles(self.con, [pending for _, pending in batch])
        except duckdb.OutOfMemoryException:
            if not self._more_memory():
                raise
            return self._write(batch)
        except Exception as exc:
            if len(batch) > 1:
                return all(self._write([entry]) for entry in batch)
            if isinstance(exc, duckdb.Error):
                self.failure = exc
                return False
            item, pending = batch[0]
            message = f"internal error: {type(exc).__name__}: {exc}"
            self.outbox.put((item, pending, None, message))
            return True
        for (item, pending), added in zip(batch, results, strict=True):
            self.outbox.put((item, pending, added, None))
        return True

    def _more_memory(self) -> bool:
        """Double DuckDB's memory limit (up to 16 GiB); False when it cannot grow."""
        row = self.con.execute("SELECT current_setting('memory_limit')").fetchone()
        now = _size_bytes(str(row[0])) if row else None
        if now is None or now >= 16 * 2**30:
            return False
        self.con.execute(f"SET memory_limit = '{2 * now // 2**10}KiB'")
        return True


def _size_bytes(text: str) -> int | None:
    """Bytes in a DuckDB size such as ``61.0 MiB``.

    >>> _size_bytes("61.0 MiB"), _size_bytes("1.5 GiB"), _size_bytes("lots")
    (63963136, 1610612736, None)
    """
    number, _, unit = text.partition(" ")
    scale = {"bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}.get(unit)
    try:
        return int(float(number) * scale) if scale else None
    except ValueError:
        return None

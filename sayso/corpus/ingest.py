"""Reading many inputs into the corpus: files, directories, JSON Lines; idempotent, resumable.

Articles are analysed one by one in the calling thread while a writer thread stores the
analysed ones (:func:`sayso.corpus.store.add_articles`), up to :data:`BATCH_SIZE` articles
(or what arrived within :data:`BATCH_WAIT` seconds) in one transaction. Each
transaction holds whole articles only, so an ingest stopped at any moment (Ctrl-C,
``kill -9``, power loss) leaves only whole articles in the store; running the same command
again skips every article already stored (same normalised text or same URL) and goes on with
the rest. An input that cannot be read or analysed is skipped with one line on stderr
(``sayso: skipped <input>: <reason>``) and the ingest goes on.

A larger ingest (more than :data:`WORKER_MIN_ARTICLES` articles, or ``workers=1``) runs the
analysis in one worker process (:class:`_AnalysisWorker`) with its own pipeline, so the
analysis no longer shares the GIL with the claim linking and near-duplicate detection of the
writer thread; the parent checks for duplicates, stores and links, in the order of the inputs,
so the store is the same as with the analysis in-process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TextIO

import duckdb
from spacy.language import Language

from sayso.build import build_record
from sayso.corpus.linking import article_claim_features, linking_method
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
#: Above this many articles an ingest analyses in a worker process by default. Starting one
#: (a fresh interpreter that loads its own pipeline, while this process need not load one)
#: breaks even at about 70 articles (measured in ``docs/corpus.md``).
WORKER_MIN_ARTICLES = 80
#: Articles sent to the worker and not yet back: enough to keep it busy while the parent
#: stores, few enough that memory stays flat.
WORKER_IN_FLIGHT = 2 * BATCH_SIZE
#: Longest wait for the worker's next result (seconds; the first includes loading the
#: pipeline) before the ingest stops with an error; a dead worker is noticed at once.
WORKER_TIMEOUT = 300.0


@dataclass
class InputItem:
    """One article to ingest, or the reason an input could not be read."""

    label: str  # file path, or "path:line" for JSON Lines
    article: Article | None = None
    error: str | None = None
    outlet: str | None = None

    @classmethod
    def unreadable(cls, path: Path, exc: OSError) -> InputItem:
        """The item for an input file that cannot be opened or read."""
        return cls(str(path), error=f"cannot read: {exc.strerror or type(exc).__name__}")


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
        yield InputItem.unreadable(path, exc)
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
    statements_apart: int = 0  # linked apart from their claim, counted as new or linked
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
            f"{self.claims} claims{self._apart()}: {self.linked_claims} linked to earlier "
            "claims, "
            f"{self.new_corpus_claims} new ({linking_method()} linking)"
        )

    def _apart(self) -> str:
        n = self.statements_apart
        if n == 1:
            return " and 1 statement linked apart from its claim"
        return f" and {n} statements linked apart from their claims" if n else ""


def ingest_paths(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[str | Path],
    *,
    nlp: Language | None = None,
    progress: bool = True,
    verbose: bool = False,
    err: TextIO | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Analyse and store every article under ``paths``; see the module docstring.

    ``verbose`` writes ``stored <input> as <article id>`` to ``err`` once each article is
    committed. ``con`` must not be used by anything else until this returns. ``workers``:
    0 analyses in this process (with ``nlp``), 1 in a worker process (which loads its own
    pipeline; ``nlp`` is then not used); None (the default) uses the worker when no ``nlp``
    is given and the inputs hold more than :data:`WORKER_MIN_ARTICLES` articles.
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
    if workers not in (None, 0, 1):
        raise InputError(f"workers must be 0 or 1, not {workers}")
    files = expand_paths(paths)
    total = count_items(files)
    if workers is None:
        workers = 1 if nlp is None and total > WORKER_MIN_ARTICLES else 0
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
    ctrl_c = _CtrlC()
    in_flight: dict[str, int] = {}  # ids and URLs queued for the writer, not yet reported

    def hold(keys: list[str]) -> None:
        for key in keys:
            in_flight[key] = in_flight.get(key, 0) + 1

    def release(keys: list[str]) -> None:
        for key in keys:
            in_flight[key] -= 1
            if not in_flight[key]:
                del in_flight[key]

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
            ctrl_c.check()
            try:
                outcome = writer.outbox.get(timeout=0.05) if wait else writer.outbox.get_nowait()
            except queue.Empty:
                if wait and writer.is_alive():
                    continue
                if wait and not writer.outbox.empty():
                    continue
                return
            item, pending, added, message = outcome
            release(_keys(pending))
            if added is None:
                skipped(item.label, message or "not stored")
            elif not added.stored:
                report.duplicates += 1
            else:
                _count(report, added)
                if verbose:
                    say(f"stored {item.label} as {added.article_id}")
            done(task_id)

    def analysed(item: InputItem, pending: Pending) -> None:
        hold(_keys(pending))
        writer.put((item, pending))

    def in_process(task_id: Any, language: Language) -> None:
        for item in iter_inputs(files):
            collect(task_id, writer)
            if writer.failure is not None:
                return
            try:
                article = _unseen(reader, item, in_flight)
                if article is None:
                    report.duplicates += 1
                    done(task_id)
                    continue
                pending = _analysis(language, article, item.label, item.outlet)
            except SaysoError as exc:
                skipped(item.label, str(exc))
                done(task_id)
                continue
            except (KeyboardInterrupt, duckdb.Error):
                raise
            except Exception as exc:  # one bad article must not stop a long ingest
                skipped(item.label, _internal(exc))
                done(task_id)
                continue
            analysed(item, pending)

    def in_worker(task_id: Any, worker: _AnalysisWorker) -> None:
        # Sent to the worker and not back yet, in order, with the keys that stand for them
        # in `in_flight` meanwhile (so a repeat among them is a duplicate, as in-process).
        sent: deque[tuple[InputItem, list[str]]] = deque()

        def receive_one() -> None:
            item, keys = sent.popleft()
            pending, message = worker.receive(ctrl_c.check)
            release(keys)
            if pending is None:
                skipped(item.label, message or "not analysed")
                done(task_id)
            else:
                analysed(item, pending)

        for item in iter_inputs(files):
            collect(task_id, writer)
            if writer.failure is not None:
                return
            try:
                article = _unseen(reader, item, in_flight)
            except SaysoError as exc:
                skipped(item.label, str(exc))
                done(task_id)
                continue
            if article is None:
                report.duplicates += 1
                done(task_id)
                continue
            keys = _article_keys(article.text, article.url)
            hold(keys)
            worker.send(article, item.label, item.outlet)
            sent.append((item, keys))
            while len(sent) >= WORKER_IN_FLIGHT:
                receive_one()
                collect(task_id, writer)
        while sent and writer.failure is None:
            receive_one()
            collect(task_id, writer)

    # Started first: the worker loads its pipeline while this process opens the inputs.
    worker = _AnalysisWorker() if workers else None
    writer = _Writer(con)
    reader = con.cursor()  # the main thread's own connection: `con` belongs to the writer
    task = bar.add_task("ingest", total=total, rate=0.0)
    restore = _apply_settings(con, INGEST_SETTINGS)
    writer.start()
    try:
        with bar, ctrl_c:
            if worker is not None:
                in_worker(task, worker)
            else:
                in_process(task, nlp or load_pipeline())
            writer.finish()
            collect(task, writer, wait=True)
            ctrl_c.check()
    except KeyboardInterrupt:
        ctrl_c.requested = False  # handled: the report of what was stored must not raise again
        if worker is not None:
            worker.stop()
        writer.abandon()
        collect(task, writer)
        report.seconds = time.perf_counter() - start
        say(
            f"sayso: stopped after storing {report.stored} articles; "
            "run the same command again to go on"
        )
        raise
    finally:
        if worker is not None:
            worker.stop()
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
    return _article_keys(pending.record.text, pending.record.url)


def _article_keys(text: str, url: str | None) -> list[str]:
    return [article_id(text), *([f"url:{url}"] if url else [])]


def _internal(exc: BaseException) -> str:
    return f"internal error: {type(exc).__name__}: {exc}"


def _count(report: IngestReport, added: Added) -> None:
    report.stored += 1
    report.near_duplicates += added.duplicate_of is not None
    report.claims += added.claims
    report.statements_apart += added.statements_apart
    report.new_corpus_claims += added.new_corpus_claims
    report.linked_claims += added.linked_claims


def _unseen(
    reader: duckdb.DuckDBPyConnection, item: InputItem, in_flight: Mapping[str, int]
) -> Article | None:
    """The item's article to analyse; None when it is already stored or queued."""
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
    return article


def _analysis(nlp: Language, article: Article, label: str, outlet: str | None) -> Pending:
    """Analyse one article for the writer (in this process or in the worker)."""
    doc = run_pipeline(nlp, article.text, article.published)
    record = build_record(doc, article)
    features = article_claim_features(record, doc)
    return Pending(record, features, input_name=label, outlet=outlet)


class _AnalysisWorker:
    """One process that analyses articles in the order they are sent (see :func:`serve`).

    A fresh interpreter (``python -c``), not a fork: forking a process that runs DuckDB and a
    writer thread could copy locks they hold, and unlike ``multiprocessing``'s spawn it does
    not run the caller's main module again. Articles and results go through two pipes as
    pickles; the worker pickles each result itself, so one that cannot be sent is reported
    as that article's error instead of lost.
    """

    def __init__(self) -> None:
        from_parent, to_worker = os.pipe()
        from_worker, to_parent = os.pipe()
        env = dict(os.environ)
        # The worker imports sayso (and its dependencies) from where this process does.
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from sayso.corpus.ingest import serve; serve()",
                str(from_parent),
                str(to_parent),
            ],
            pass_fds=(from_parent, to_parent),
            env=env,
            stdin=subprocess.DEVNULL,
            # Its own process group: Ctrl-C in a terminal reaches the parent only, which
            # decides how to stop (the worker also ignores SIGINT, should it be sent one).
            process_group=0,
        )
        os.close(from_parent)
        os.close(to_parent)
        self.tx = Connection(to_worker, readable=False)
        self.rx = Connection(from_worker, writable=False)
        self.outstanding = 0  # articles sent, results not received yet

    def send(self, article: Article, label: str, outlet: str | None) -> None:
        """Send an article (the worker reads them as they come; the caller bounds how many)."""
        try:
            self.tx.send_bytes(pickle.dumps((article, label, outlet), pickle.HIGHEST_PROTOCOL))
        except OSError:
            raise self._died() from None
        self.outstanding += 1

    def receive(self, check: Callable[[], None] | None = None) -> tuple[Pending | None, str | None]:
        """The next result in sending order: the analysis, or None and why it failed.

        Raises :class:`SaysoError` when the worker died or gave nothing for
        :data:`WORKER_TIMEOUT` seconds; ``check`` is called while waiting (Ctrl-C).
        """
        deadline = time.monotonic() + WORKER_TIMEOUT
        while not self.rx.poll(0.2):
            if check is not None:
                check()
            if self.process.poll() is not None and not self.rx.poll(0.5):
                raise self._died()
            if time.monotonic() > deadline:
                raise SaysoError(f"the analysis worker gave no result for {WORKER_TIMEOUT:.0f} s")
        try:
            payload, message = pickle.loads(self.rx.recv_bytes())
        except (EOFError, OSError):
            raise self._died() from None
        self.outstanding -= 1
        if payload is None:
            if message is not None and message.startswith("fatal: "):
                raise SaysoError(f"the analysis worker failed: {message.removeprefix('fatal: ')}")
            return None, message
        pending: Pending = pickle.loads(payload)
        return pending, None

    def _died(self) -> SaysoError:
        try:
            code: int | None = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:  # its pipe broke, yet it still runs
            code = None
        how = f"exit code {code}" if code is None or code >= 0 else f"signal {-code}"
        return SaysoError(f"the analysis worker stopped unexpectedly ({how})")

    def stop(self) -> None:
        """End the worker: closing its pipe ends it; a busy or stuck one is terminated."""
        idle = not self.outstanding
        self.tx.close()
        if idle:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.rx.close()


class _CtrlC:
    """Ctrl-C during an ingest, acted on between steps instead of inside a store query.

    Python raises ``KeyboardInterrupt`` wherever the main thread is; inside a DuckDB query
    the client turns it into ``RuntimeError: Query interrupted`` or, at the end of a
    query, drops it, and the ingest went on. Here the first Ctrl-C only sets a flag, and
    :meth:`check`, called between articles and while waiting, raises ``KeyboardInterrupt``
    from plain Python code; a second one raises at once, wherever the ingest is stuck.
    Installed only in the main thread (where signals go), and not where SIGINT is ignored
    (``nohup``, a background job)."""

    def __init__(self) -> None:
        self.requested = False
        self._previous: Any = None
        self._installed = False

    def __enter__(self) -> _CtrlC:
        if threading.current_thread() is threading.main_thread():
            previous = signal.getsignal(signal.SIGINT)
            if previous is not signal.SIG_IGN:
                # None: a handler set outside Python; the default is the closest stand-in.
                self._previous = signal.SIG_DFL if previous is None else previous
                signal.signal(signal.SIGINT, self._handle)
                self._installed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)
            self._installed = False

    def _handle(self, signum: int, frame: object) -> None:
        if self.requested:
            raise KeyboardInterrupt  # the second Ctrl-C: stop now
        self.requested = True

    def check(self) -> None:
        """Raise ``KeyboardInterrupt`` if Ctrl-C was pressed."""
        if self.requested:
            raise KeyboardInterrupt


def serve() -> None:
    """The worker process (started by :class:`_AnalysisWorker`): analyse each article sent.

    The pipe numbers to read from and write to are ``sys.argv[1:3]``. A thread reads the
    articles as they come, so the parent never waits to send; when the parent's end closes
    (the ingest is done, or the parent was killed, even with ``kill -9``) the worker exits at
    once. Ctrl-C is the parent's to handle (it stops the worker), so the worker ignores it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    rx = Connection(int(sys.argv[1]), writable=False)
    tx = Connection(int(sys.argv[2]), readable=False)
    jobs: queue.Queue[bytes] = queue.Queue()

    def read() -> None:
        try:
            while True:
                jobs.put(rx.recv_bytes())
        except (EOFError, OSError):
            os._exit(0)  # nothing more will come, and nobody waits for what is under way

    def send(result: tuple[bytes | None, str | None]) -> None:
        try:
            tx.send_bytes(pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
        except OSError:  # the parent is gone
            os._exit(0)

    threading.Thread(target=read, name="sayso-analysis-reader", daemon=True).start()
    try:
        nlp = load_pipeline()
    except Exception as exc:
        send((None, f"fatal: cannot load the pipeline: {type(exc).__name__}: {exc}"))
        return
    while True:
        article, label, outlet = pickle.loads(jobs.get())
        try:
            result: tuple[bytes | None, str | None] = (
                pickle.dumps(_analysis(nlp, article, label, outlet), pickle.HIGHEST_PROTOCOL),
                None,
            )
        except SaysoError as exc:
            result = (None, str(exc))
        except Exception as exc:  # one bad article must not stop a long ingest
            result = (None, _internal(exc))
        send(result)


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
        self._offer(entry)

    def finish(self) -> None:
        """No more articles: write what is queued, then stop."""
        self._offer(None)

    def _offer(self, entry: tuple[InputItem, Pending] | None) -> None:
        # A writer that died (store error) takes nothing more: do not wait on a full queue.
        while self.is_alive():
            try:
                self.inbox.put(entry, timeout=0.1)
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
            self.outbox.put((item, pending, None, _internal(exc)))
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

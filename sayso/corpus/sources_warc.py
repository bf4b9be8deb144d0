"""WARC files (e.g. Common Crawl news) as corpus input: one article per HTML response.

:func:`iter_warc` reads a ``.warc`` or ``.warc.gz`` file with ``warcio`` and yields an
:class:`~sayso.corpus.ingest.InputItem` per ``response`` record whose HTTP status is 200
and whose Content-Type is HTML (``text/html``, ``application/xhtml+xml``; a record without
a Content-Type is taken when its body sniffs as HTML). Everything else (``request``,
``metadata``, ``warcinfo``, ``revisit`` records, redirects, errors, images, PDFs) is passed
over silently. Nothing is fetched: the page is the archived payload (chunked transfer
encoding and gzip/deflate/brotli content encoding are decoded by ``warcio``).

Each article gets ``url`` = ``WARC-Target-URI`` and ``source`` = the same URL (the store
derives the outlet from its host); its date is the one the page declares, else the day of
``WARC-Date`` (the capture date). The item's label is ``<path>@<offset>``, the record's byte
offset in the file, as Common Crawl indexes cite records.

A truncated or corrupt file stops the iteration: the whole records read so far are yielded,
then one item with an error (``the WARC file is truncated at byte N ...``), which the ingest
reports as one skipped line. A record cut short is never yielded. (Tested by cutting a
small WARC at every byte: only cuts at record boundaries, which leave a valid shorter file,
go unreported.) warcio's own warnings about malformed records are kept off stderr.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sayso.errors import SaysoError
from sayso.ingest import MAX_BYTES, article_from_bytes, detect_kind
from sayso.ingest.fetch import content_type_mime, human_size

if TYPE_CHECKING:
    from sayso.corpus.ingest import InputItem

#: File names read as WARC (compared case-insensitively with the end of the name).
WARC_SUFFIXES = (".warc", ".warc.gz")
_HTML_MIME = frozenset({"text/html", "application/xhtml+xml"})
_CHUNK = 1 << 16


def is_warc_file(path: str | Path) -> bool:
    """Whether a file is read as WARC: its name ends in ``.warc`` or ``.warc.gz``.

    >>> is_warc_file("CC-NEWS-20260302.warc.gz"), is_warc_file("a.WARC"), is_warc_file("a.gz")
    (True, True, False)
    """
    return Path(path).name.lower().endswith(WARC_SUFFIXES)


def warc_date(value: str | None) -> dt.date | None:
    """The day of a ``WARC-Date`` (ISO 8601, usually UTC), or None if it is not a date.

    >>> warc_date("2026-03-02T23:59:01Z"), warc_date("yesterday")
    (datetime.date(2026, 3, 2), None)
    """
    from sayso.corpus.store import iso_date

    return iso_date(value)


def iter_warc(path: str | Path) -> Iterator[InputItem]:
    """The HTML articles of a WARC file (see the module docstring), in file order."""
    from sayso.corpus.ingest import InputItem

    path = Path(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputItem.unreadable(path, exc)
        return
    with handle:
        records = _archive_iterator(handle)
        stream = iter(records)
        offset = end = 0
        n_read = 0
        while True:
            failure: str | None = None
            # warcio writes warnings about malformed records to stderr; count them instead.
            with contextlib.redirect_stderr(io.StringIO()):
                try:
                    record = next(stream, None)
                    if record is None:
                        break
                    payload = _payload(record)
                    # Drains the record (warcio reads it to its end to learn its length).
                    offset = records.get_record_offset()
                    end = offset + records.get_record_length()
                    complete = _drained(record)
                except Exception as exc:  # warcio raises many kinds on corrupt input
                    where = f"after byte {offset}" if n_read else "at its start"
                    reason = (str(exc).splitlines() or [""])[0][:200]
                    failure = (
                        f"the WARC file is truncated or corrupt {where}; read {n_read} records "
                        f"({type(exc).__name__}{': ' + reason if reason else ''})"
                    )
            if failure is not None:
                yield InputItem(f"{path}@{offset}", error=failure)
                return
            label = f"{path}@{offset}"
            if not complete:
                yield InputItem(
                    label,
                    error=f"the WARC file is truncated at byte {offset} (a record ends early); "
                    f"read {n_read} records before it",
                )
                return
            n_read += 1
            if payload is not None:
                yield _item(label, record, *payload)
        if records.err_count:
            yield InputItem(
                f"{path}@{offset}",
                error=f"the WARC file is corrupt: {records.err_count} records are not followed "
                f"by a blank line (a wrong Content-Length, or not a WARC file); read {n_read} "
                "records",
            )
        elif records.truncated_gzip or _leftover(handle, end):
            yield InputItem(
                f"{path}@{end}",
                error=f"the WARC file is truncated after byte {end} (what follows is not a "
                f"whole record); read {n_read} records",
            )


def _archive_iterator(handle: Any) -> Any:
    """A warcio ``ArchiveIterator`` that notes whether the last gzip member was cut short."""
    from warcio.archiveiterator import ArchiveIterator

    class _Records(ArchiveIterator):
        truncated_gzip = False

        def close(self) -> None:
            decompressor = getattr(self.reader, "decompressor", None) if self.reader else None
            if decompressor is not None and getattr(decompressor, "eof", True) is False:
                self.truncated_gzip = True
            super().close()

    return _Records(handle)


def _leftover(handle: Any, end: int) -> bool:
    """Whether the file holds more than blank lines after the last whole record."""
    handle.seek(end)
    while chunk := handle.read(_CHUNK):
        if chunk.strip():
            return True
    return False


def _drained(record: Any) -> bool:
    """Read what is left of the record's block; False if the file ended before it did."""
    if record.format.startswith("warc") and not record.rec_headers.get_header("Content-Length"):
        return False  # mandatory in WARC: the headers themselves were cut off
    raw = record.raw_stream
    while raw.read(_CHUNK):
        pass
    return int(getattr(raw, "limit", 0) or 0) <= 0


def _payload(record: Any) -> tuple[str | None, bytes] | None:
    """The Content-Type and body of an HTML 200 response; None for any other record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    content_type = record.http_headers.get_header("Content-Type")
    mime = content_type_mime(content_type) if content_type else ""
    if mime and mime not in _HTML_MIME:
        return None
    data = record.content_stream().read(MAX_BYTES + 1)
    if not mime and detect_kind(data[:65536]) != "html":
        return None
    return content_type, data


def _item(label: str, record: Any, content_type: str | None, data: bytes) -> InputItem:
    """The response as an article, or an item with the reason it is not one."""
    from sayso.corpus.ingest import InputItem

    if len(data) > MAX_BYTES:
        return InputItem(label, error=f"the page is over the {human_size(MAX_BYTES)} size limit")
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    try:
        article = article_from_bytes(
            data, source=url or label, content_type=content_type or "text/html", url=url
        )
    except SaysoError as exc:
        return InputItem(label, error=str(exc))
    except Exception as exc:  # one odd page must not stop the archive
        return InputItem(label, error=f"internal error: {type(exc).__name__}: {exc}")
    if article.published is None:
        article.published = warc_date(record.rec_headers.get_header("WARC-Date"))
    return InputItem(label, article=article)

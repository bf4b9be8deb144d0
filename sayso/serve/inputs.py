"""Turn what a browser or API client sends (text, HTML, a file, a URL) into an Article.

Everything here is hostile input: sizes are capped, uploads must be text of a known type,
and a URL is only ever fetched (never read as a local path) under the CLI's address rules.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath

from sayso.errors import InputError
from sayso.ingest import article_from_bytes, load_source
from sayso.ingest.article import Article
from sayso.ingest.decode import sniff_binary
from sayso.ingest.fetch import content_type_mime, human_size

#: Upload Content-Types accepted as they are.
UPLOAD_TYPES = frozenset(
    {"text/plain", "text/html", "application/xhtml+xml", "text/markdown", "text/x-markdown"}
)
#: With no useful Content-Type (browsers send application/octet-stream for unknown
#: extensions), the file name must have one of these endings.
UPLOAD_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml")
_HTTP_URL = re.compile(r"^https?://", re.IGNORECASE)


class TooLarge(InputError):
    """The input is over the server's size cap (HTTP 413)."""

    status_code = 413


class WrongType(InputError):
    """The upload is not a text, Markdown or HTML file (HTTP 415)."""

    status_code = 415


class NotFound(InputError):
    """No such article, claim or source, or no corpus open (HTTP 404)."""

    status_code = 404


def check_size(n: int, limit: int, what: str) -> None:
    """Raise :class:`TooLarge` when ``n`` bytes are over ``limit``.

    >>> check_size(10, 10, "the text")
    >>> check_size(11, 10, "the text")
    Traceback (most recent call last):
    ...
    sayso.serve.inputs.TooLarge: the text is over the 10 bytes size limit
    """
    if n > limit:
        raise TooLarge(f"{what} is over the {human_size(limit)} size limit")


def from_text(text: str, *, html: bool = False, max_bytes: int) -> Article:
    """An article from pasted text (kind sniffed, as ``sayso analyze -``) or from HTML."""
    data = text.encode("utf-8")
    check_size(len(data), max_bytes, "the text")
    return article_from_bytes(
        data, source=None, content_type="text/html; charset=utf-8" if html else None
    )


def from_upload(
    data: bytes, *, filename: str | None, content_type: str | None, max_bytes: int
) -> Article:
    """An article from an uploaded file: size cap, then type check, then extraction.

    >>> from_upload(b"\\x89PNG\\r\\n\\x1a\\n", filename="a.txt", content_type="text/plain",
    ...             max_bytes=100)
    Traceback (most recent call last):
    ...
    sayso.serve.inputs.WrongType: the file is binary data (a PNG image), not text
    """
    check_size(len(data), max_bytes, "the file")
    name = PurePath(filename).name if filename else None
    mime = content_type_mime(content_type) if content_type else ""
    suffix = PurePath(name).suffix.lower() if name else ""
    if mime not in UPLOAD_TYPES:
        if mime not in ("", "application/octet-stream") or suffix not in UPLOAD_SUFFIXES:
            raise WrongType(
                f"unsupported file type {mime or suffix or '(none)'}: "
                "upload a .txt, .md or .html file"
            )
        content_type = None  # decide by the file name and the content
    kind = sniff_binary(data)
    if kind is not None:
        raise WrongType(f"the file is binary data ({kind}), not text")
    return article_from_bytes(data, source=name, content_type=content_type, filename=name)


def from_url(url: str, *, allow_private: bool, max_bytes: int) -> Article:
    """An article fetched from an http(s) URL (private addresses refused unless allowed).

    >>> from_url("/etc/passwd", allow_private=False, max_bytes=100)
    Traceback (most recent call last):
    ...
    sayso.errors.InputError: refused URL '/etc/passwd': only http:// and https:// URLs are fetched
    """
    url = url.strip()
    # Checked here so that load_source never reads a local file named by a client.
    if not _HTTP_URL.match(url):
        raise InputError(f"refused URL {url[:80]!r}: only http:// and https:// URLs are fetched")
    return load_source(url, allow_private=allow_private, max_bytes=max_bytes)


def parse_date(value: str | None, what: str = "published") -> dt.date | None:
    """An optional ISO date from a form or query field (empty means none).

    >>> parse_date("2026-04-02"), parse_date(" ")
    (datetime.date(2026, 4, 2), None)
    >>> parse_date("2 April")
    Traceback (most recent call last):
    ...
    sayso.errors.InputError: published: not an ISO date (YYYY-MM-DD): '2 April'
    """
    if value is None or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{what}: not an ISO date (YYYY-MM-DD): {value.strip()[:40]!r}") from None

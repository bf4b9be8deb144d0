"""Ingestion: a file, URL, stdin or bytes in; an :class:`~sayso.ingest.article.Article` out.

Kinds: HTML (by Content-Type, ``.html``/``.htm``/``.xhtml``, or sniffing ``<!doctype``,
``<html``, ``<body``, several ``<p>``/``<div>`` tags), Markdown (by Content-Type,
``.md``/``.markdown``, or sniffing front matter / headings / link syntax), else plain text.

``Article.source`` is what the user gave (file path, URL, or ``"-"`` for stdin) so that
every record points back at its input; the site name an HTML page declares (or a Markdown
front matter ``source``) is used only when no path/URL is known, e.g. for bytes passed in
directly; it is kept in ``Article.outlet`` either way. For URLs, ``Article.url`` is the final
URL after redirects.

All problems with the input raise :class:`~sayso.errors.InputError` (file, text) or
:class:`~sayso.errors.FetchError` (URL) with a one-line message.
"""

from __future__ import annotations

import codecs
import re
import sys
from pathlib import Path

from sayso.errors import InputError
from sayso.ingest.article import Article
from sayso.ingest.decode import decode_bytes
from sayso.ingest.fetch import (
    content_type_charset,
    content_type_mime,
    fetch_url,
    human_size,
)
from sayso.ingest.html import extract_html
from sayso.ingest.markdown import extract_markdown, extract_plain, looks_like_markdown

__all__ = ["MAX_BYTES", "Article", "article_from_bytes", "detect_kind", "load_source"]

MAX_BYTES = 10 * 1024 * 1024  # 10 MiB, for files, stdin and URLs

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_HTML_EXT = (".html", ".htm", ".xhtml", ".shtml")
_MD_EXT = (".md", ".markdown", ".mdown", ".mkd")
_HTML_MIME = frozenset({"text/html", "application/xhtml+xml"})
_MD_MIME = frozenset({"text/markdown", "text/x-markdown"})
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|meta|title|article|main|div|p|section|h[1-6]|table)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_ROOT = re.compile(rb"<(?:html|body|!doctype\s+html)\b", re.IGNORECASE)
_HTML_TAGS = re.compile(
    rb"</?(?:p|div|br|span|a|h[1-6]|li|ul|ol|article|section|table|td|em|strong)\b[^>]{0,2000}>",
    re.IGNORECASE,
)


def load_source(
    source: str,
    *,
    allow_private: bool = False,
    max_bytes: int = MAX_BYTES,
    timeout: float = 20.0,
) -> Article:
    """Read an article from a file path, an http(s) URL, or ``"-"`` (standard input).

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("wb", suffix=".txt", delete=False) as f:
    ...     _ = f.write(b"Border talks stall\\n\\nThe envoy said talks had stalled.\\n")
    >>> art = load_source(f.name)
    >>> art.title, art.text, art.source == f.name
    ('Border talks stall', 'The envoy said talks had stalled.\\n', True)
    >>> os.unlink(f.name)
    """
    if source == "-":
        data = _read_stream(getattr(sys.stdin, "buffer", None), max_bytes, "standard input")
        return article_from_bytes(data, source="-")
    if _URL.match(source.strip()):
        page = fetch_url(
            source.strip(), allow_private=allow_private, max_bytes=max_bytes, timeout=timeout
        )
        return article_from_bytes(
            page.data,
            source=source.strip(),
            content_type=page.content_type,
            url=page.url,
            filename=page.filename,
        )
    return article_from_bytes(_read_file(source, max_bytes), source=source, filename=source)


def article_from_bytes(
    data: bytes,
    *,
    source: str | None,
    content_type: str | None = None,
    url: str | None = None,
    filename: str | None = None,
) -> Article:
    """Decode and extract an article from raw bytes (HTML, Markdown or plain text).

    >>> art = article_from_bytes(b"# Talks stall\\n\\nThe envoy *said* so.", source=None)
    >>> art.title, art.text
    ('Talks stall', 'The envoy said so.')
    >>> article_from_bytes(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00", source="x.png")
    Traceback (most recent call last):
    ...
    sayso.errors.InputError: the input is binary data (a PNG image), not text
    """
    if not data.strip():
        raise InputError("the input is empty" if not data else "the input contains only whitespace")
    kind = detect_kind(data, content_type=content_type, filename=filename)
    text = decode_bytes(data, charset=content_type_charset(content_type), is_html=kind == "html")
    if kind == "html":
        article = extract_html(text, url=url)
    elif kind == "markdown":
        article = extract_markdown(text)
    else:
        article = extract_plain(text)
    # What the user named (path, URL, "-") wins over the site name or front-matter source.
    if source is not None:
        article.source = source
    article.url = url
    if not article.text.strip():
        raise InputError(f"no article text left in the {kind} input after removing its markup")
    return article


def detect_kind(
    data: bytes, *, content_type: str | None = None, filename: str | None = None
) -> str:
    """``"html"``, ``"markdown"`` or ``"text"``: by Content-Type, file extension, then content.

    >>> detect_kind(b"<!DOCTYPE html><p>x</p>"), detect_kind(b"x", filename="a.md")
    ('html', 'markdown')
    >>> detect_kind(b"<p>x</p>", content_type="text/markdown")
    'markdown'
    >>> detect_kind(b"The envoy said the talks stalled.")
    'text'
    """
    mime = content_type_mime(content_type) if content_type else ""
    if mime in _HTML_MIME:
        return "html"
    if mime in _MD_MIME:
        return "markdown"
    suffix = Path(filename).suffix.lower() if filename else ""
    if suffix in _HTML_EXT:
        return "html"
    if suffix in _MD_EXT:
        return "markdown"
    head = _ascii_view(data[:65536])
    if _HTML_START.match(head) or _HTML_ROOT.search(head) or len(_HTML_TAGS.findall(head)) >= 3:
        return "html"
    if looks_like_markdown(head.decode("latin-1")):
        return "markdown"
    return "text"


def _ascii_view(data: bytes) -> bytes:
    """Bytes an ASCII regex can sniff, also for UTF-16 input (drop the NULs)."""
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE):
        if data.startswith(bom):
            data = data[len(bom) :]
            break
    else:
        if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            data = data[2:]
    return data.replace(b"\x00", b"") if b"\x00" in data[:64] else data


def _read_file(source: str, max_bytes: int) -> bytes:
    path = Path(source).expanduser()
    try:
        if path.is_dir():
            raise InputError(f"{source} is a directory, not a file")
        if not path.exists():
            raise InputError(f"no such file: {source}")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{source} is {human_size(size)}, over the {human_size(max_bytes)} size limit"
            )
        with path.open("rb") as handle:
            return _read_stream(handle, max_bytes, source)
    except InputError:
        raise
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"cannot read {source}: {reason}") from None


def _read_stream(stream: object, max_bytes: int, name: str) -> bytes:
    read = getattr(stream, "read", None)
    if read is None:
        raise InputError(f"cannot read {name}")
    try:
        data = read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or type(exc).__name__}") from None
    if not isinstance(data, bytes):
        raise InputError(f"cannot read {name}: not a byte stream")
    if len(data) > max_bytes:
        raise InputError(f"{name} is over the {human_size(max_bytes)} size limit")
    return data

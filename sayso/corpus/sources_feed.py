"""RSS and Atom feeds as corpus input: one article per entry that carries its text.

:func:`iter_feed` parses a feed file with ``feedparser`` (RSS 0.9x/1.0/2.0, Atom 0.3/1.0)
and yields an :class:`~sayso.corpus.ingest.InputItem` per entry:

- text: the entry's ``content`` (the longest HTML or text part), else its ``summary``; HTML
  goes through the same extractor as HTML files (``sayso.ingest.article_from_bytes``);
- ``url``: the entry's ``link``; ``title``: its title; ``published``: its published (else
  updated) date, else a date the HTML declares;
- ``source`` and outlet: the feed's title (else the entry link, else the label).

Entry links are never fetched: an entry with neither content nor summary is skipped with
one line (``no text in the feed entry (links are not fetched)``). A file that is not a feed
at all gives one error item. Labels are ``<path>#<n>``, ``n`` the entry's 1-based position.

Which files are feeds: ``.rss`` and ``.atom`` files, and ``.xml`` files whose root element
is ``<rss>``, ``<feed>`` or ``<rdf:RDF>`` (:func:`is_feed_file`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sayso.errors import SaysoError
from sayso.ingest import article_from_bytes
from sayso.ingest.article import Article
from sayso.ingest.fetch import human_size

if TYPE_CHECKING:
    from sayso.corpus.ingest import InputItem

#: Suffixes always read as feeds; ``.xml`` is read as a feed when its root element is one.
FEED_SUFFIXES = frozenset({".rss", ".atom"})
XML_SUFFIXES = frozenset({".xml"})
#: Largest feed file read (feeds with full content can be large).
MAX_FEED_BYTES = 64 * 1024 * 1024

_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*"
    rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)\b",
    re.DOTALL | re.IGNORECASE,
)
_ENTRY_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>]")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})


def looks_like_feed(head: bytes) -> bool:
    """Whether bytes start with a feed's root element (``rss``, ``feed``, ``rdf:RDF``).

    >>> looks_like_feed(b'<?xml version="1.0"?>\\n<rss version="2.0"><channel>')
    True
    >>> looks_like_feed(b'<feed xmlns="http://www.w3.org/2005/Atom">')
    True
    >>> looks_like_feed(b'<?xml version="1.0"?><sitemap>'), looks_like_feed(b"<html>")
    (False, False)
    """
    return _ROOT.match(head) is not None


def is_feed_file(path: str | Path) -> bool:
    """Whether a file is read as a feed: ``.rss``/``.atom``, or ``.xml`` with a feed root."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in FEED_SUFFIXES:
        return True
    if suffix not in XML_SUFFIXES:
        return False
    try:
        with path.open("rb") as handle:
            return looks_like_feed(handle.read(4096))
    except OSError:
        return False


def count_feed_entries(path: str | Path) -> int:
    """About how many entries a feed file holds (counts ``<item>``/``<entry>`` tags), >= 1."""
    try:
        return max(1, len(_ENTRY_TAG.findall(Path(path).read_bytes()[:MAX_FEED_BYTES])))
    except OSError:
        return 1


def iter_feed(path: str | Path) -> Iterator[InputItem]:
    """The articles of a feed file, in feed order (see the module docstring)."""
    import feedparser

    from sayso.corpus.ingest import InputItem

    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FEED_BYTES:
            yield InputItem(
                str(path),
                error=f"the feed is {human_size(size)}, over the "
                f"{human_size(MAX_FEED_BYTES)} size limit",
            )
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputItem.unreadable(path, exc)
        return
    # A stream, not a path or URL: feedparser then reads it and fetches nothing.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        if not parsed.get("version") or parsed.get("bozo"):
            reason = parsed.get("bozo_exception")
            detail = f": {str(reason).splitlines()[0]}" if reason else ""
            yield InputItem(str(path), error=f"not a readable RSS or Atom feed{detail}")
        else:
            yield InputItem(str(path), error="the feed has no entries")
        return
    feed_title = _clean(parsed.get("feed", {}).get("title"))
    for n, entry in enumerate(entries, start=1):
        label = f"{path}#{n}"
        try:
            article = entry_article(entry, feed_title=feed_title, label=label)
        except SaysoError as exc:
            yield InputItem(label, error=str(exc))
            continue
        yield InputItem(label, article=article, outlet=feed_title)


def entry_article(entry: Any, *, feed_title: str | None, label: str) -> Article:
    """One feed entry (a ``feedparser`` entry dict) as an article; InputError without text.

    >>> art = entry_article({"title": "Talks stall", "link": "https://news.example/a",
    ...     "summary": "<p>The envoy said the talks had stalled.</p>",
    ...     "summary_detail": {"type": "text/html"},
    ...     "published_parsed": time.struct_time((2026, 3, 2, 9, 0, 0, 0, 61, 0))},
    ...     feed_title="Daily Planet", label="f.rss#1")
    >>> art.text, art.title, art.url, art.published, art.source
    ('The envoy said the talks had stalled.', 'Talks stall', 'https://news.example/a', \
datetime.date(2026, 3, 2), 'Daily Planet')
    """
    from sayso.errors import InputError

    body, kind = _entry_body(entry)
    if not body.strip():
        raise InputError("no text in the feed entry (links are not fetched)")
    url = _clean(entry.get("link"))
    source = feed_title or url or label
    if kind in _HTML_TYPES or "<" in body:
        article = article_from_bytes(
            body.encode("utf-8"),
            source=source,
            content_type="text/html; charset=utf-8",
            url=url,
        )
    else:
        article = Article(text=body.strip(), source=source, url=url)
    title = _clean(entry.get("title"))
    if title:
        article.title = title
    published = _entry_date(entry)
    if published is not None:
        article.published = published
    return article


def _entry_body(entry: Any) -> tuple[str, str]:
    """The entry's longest content part, else its summary, with its type."""
    parts = [
        (str(part.get("value") or ""), str(part.get("type") or ""))
        for part in entry.get("content") or []
    ]
    parts = [p for p in parts if p[0].strip()]
    if parts:
        return max(parts, key=lambda p: len(p[0]))
    summary = str(entry.get("summary") or "")
    detail = entry.get("summary_detail") or {}
    return summary, str(detail.get("type") or "")


def _entry_date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            # feedparser gives UTC; keep the UTC day.
            return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC).date()
    return None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None

"""HTML -> article text and metadata, with trafilatura and a strict lxml fallback.

The main text comes from :func:`trafilatura.bare_extraction` (comments, tables, images and
links off). Its XML body is flattened block by block, so paragraphs, headings, list items
and quotes are separated by a blank line (``"\\n\\n"``) and ``<br>`` becomes ``"\\n"``.
A leading heading identical to the title is dropped (the title goes to ``Article.title``).

If trafilatura finds nothing (very short pages, odd markup), a fallback walks the lxml tree
after removing ``script``, ``style``, ``nav``, ``header``, ``footer``, ``aside``, ``form``
and similar elements, and keeps the text of paragraphs, headings, list items and quotes.
If that yields nothing either, :class:`~sayso.errors.InputError` is raised.

Script and style content never reaches the text: both extractors drop those elements, and
event-handler attributes or ``javascript:`` links are attributes, which are never read.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from sayso.errors import InputError
from sayso.ingest.article import Article

__all__ = ["extract_html"]

# trafilatura logs warnings for every odd page ("empty HTML tree", "parsed tree length").
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)

# trafilatura output tags that start a new block (everything else is inline).
_BLOCK_TAGS = frozenset(
    {"body", "doc", "main", "p", "head", "list", "item", "quote", "code", "table", "row", "div"}
)
_SKIP_TAGS = frozenset({"graphic", "note", "fw"})

# Elements whose text is never article text (fallback extractor).
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "math",
    "button",
    "select",
    "textarea",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "head",
    "menu",
    "dialog",
)
# Pruned before trafilatura sees the tree: its own baseline fallback would otherwise dump
# menus into the text of short or truncated pages.
_PRUNE = [
    "//nav",
    "//footer",
    "//aside",
    "//form",
    "//menu",
    "//noscript",
    "//template",
    "//header[not(ancestor::article)]",
    "//*[@role='navigation' or @role='banner' or @role='contentinfo' or @aria-hidden='true']",
]
_FALLBACK_BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td"}
)
_SPACES = re.compile(r"[^\S\n]+")
_AROUND_NL = re.compile(r" *\n *")
_MANY_NL = re.compile(r"\n{2,}")
_WS = re.compile(r"\s+")
_TITLE_SUFFIX = re.compile(r"^\s*[|\-–—:•·]\s+\S")  # "Headline | Site", "Headline - Site"
_BREAK = "\x00"  # block separator inside the flattened stream (never in decoded text)


def extract_html(html: str, *, url: str | None = None) -> Article:
    """Extract the article body and metadata from an HTML page.

    >>> page = ("<html><head><title>Talks stall</title><script>var x='hidden';</script>"
    ...         "</head><body><nav>Home | World</nav><article><h1>Talks stall</h1>"
    ...         "<p>The envoy said the talks had stalled over the border checkpoints.</p>"
    ...         "<p>The ministry denied that any deadline had been set for the deal.</p>"
    ...         "</article></body></html>")
    >>> art = extract_html(page)
    >>> art.title
    'Talks stall'
    >>> print(art.text)
    The envoy said the talks had stalled over the border checkpoints.
    <BLANKLINE>
    The ministry denied that any deadline had been set for the deal.
    """
    if not html.strip():
        raise InputError("the HTML document is empty")
    doc = _trafilatura(html, url=url)
    text = ""
    if doc is not None and getattr(doc, "body", None) is not None:
        text = _flatten(doc.body)
    if not text:
        retry = _trafilatura(html, url=url, favor_recall=True)
        if retry is not None and getattr(retry, "body", None) is not None:
            text = _flatten(retry.body)
            doc = doc or retry
    if not text:
        text = _fallback_text(html)
    if not text:
        raise InputError("no article text found in the HTML (only navigation, scripts or markup)")

    title = _clean(getattr(doc, "title", None)) if doc is not None else None
    if doc is None:
        title = _fallback_title(html)
    text = _drop_title_heading(text, title)
    return Article(
        text=text,
        title=title,
        authors=_split_authors(getattr(doc, "author", None)),
        published=_parse_date(getattr(doc, "date", None)),
        source=_clean(getattr(doc, "sitename", None)),  # the site's name
        outlet=_clean(getattr(doc, "sitename", None)),
    )


def _trafilatura(html: str, *, url: str | None, favor_recall: bool = False) -> Any:
    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            favor_recall=favor_recall,
            prune_xpath=_PRUNE,
        )
    except Exception:  # trafilatura/lxml on hostile markup: fall back, never crash
        return None


def _flatten(body: Any) -> str:
    """Turn trafilatura's XML body into blocks separated by blank lines."""
    return _join_blocks("".join(_stream(body)))


def _stream(el: Any) -> Iterator[str]:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP_TAGS:
        return
    if tag == "lb":
        yield "\n"
        return
    block = tag in _BLOCK_TAGS
    if block:
        yield _BREAK
    elif tag == "cell":
        yield " "
    if el.text:
        yield el.text
    for child in el:
        yield from _stream(child)
        if child.tail:
            yield child.tail
    if block:
        yield _BREAK


def _join_blocks(stream: str) -> str:
    blocks = []
    for raw in stream.split(_BREAK):
        block = _AROUND_NL.sub("\n", _SPACES.sub(" ", raw)).strip()
        block = _MANY_NL.sub("\n", block)
        if block:
            blocks.append(block)
    return "\n\n".join(blocks)


def _fallback_text(html: str) -> str:
    """Strict lxml extraction: drop non-content elements, keep block texts."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError, TypeError):
        return ""
    for bad in list(root.iter(*_DROP_TAGS, etree.Comment, etree.ProcessingInstruction)):
        if bad.getparent() is not None:
            bad.drop_tree()  # keeps the tail text that followed the element
    body = root.find("body")
    if body is None:
        body = root
    parts: list[str] = []
    for el in body.iter():
        if el.tag in _FALLBACK_BLOCKS and not _has_block_ancestor(el, body):
            parts.append(_BREAK + el.text_content() + _BREAK)
    if not parts:
        parts.append(body.text_content())
    return _join_blocks("".join(parts))


def _has_block_ancestor(el: Any, stop: Any) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in _FALLBACK_BLOCKS:
            return True
        parent = parent.getparent()
    return False


def _fallback_title(html: str) -> str | None:
    try:
        meta = trafilatura.extract_metadata(html)
    except Exception:
        return None
    return _clean(getattr(meta, "title", None)) if meta is not None else None


def _drop_title_heading(text: str, title: str | None) -> str:
    if not title:
        return text
    first, sep, rest = text.partition("\n\n")
    head = _WS.sub(" ", first).strip().casefold()
    wanted = title.casefold()
    if sep and head and (head == wanted or _TITLE_SUFFIX.match(wanted[len(head) :])):
        return rest
    return text


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = _WS.sub(" ", value).strip()
    return value or None


def _split_authors(value: object) -> list[str]:
    cleaned = _clean(value)
    if cleaned is None:
        return []
    authors: list[str] = []
    for part in cleaned.split(";"):
        name = part.strip()
        if name and name not in authors:
            authors.append(name)
    return authors


def _parse_date(value: object) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None

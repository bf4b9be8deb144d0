"""Markdown and plain text -> article text plus title/authors/date.

Markdown is turned into plain prose for the analysis:

* a YAML front matter block (``---`` ... ``---``) fills ``title``, ``date``/``published``,
  ``author``/``authors`` and ``source`` (a small ``key: value`` reader, lists as
  ``[a, b]`` or ``- a`` lines; no YAML dependency);
* the first level-1 heading (``# Title`` or a ``===`` underlined line) becomes the title
  unless the front matter has one, and is removed from the text; other headings keep their
  text without the ``#`` markers;
* emphasis, inline code and link syntax are unwrapped (``[text](url)`` -> ``text``), images,
  footnote markers, reference definitions, inline HTML tags, horizontal rules and fenced
  code blocks are removed, list bullets and ``>`` quote markers are stripped;
* lines of one paragraph are joined with a space (Markdown soft wraps), list items stay on
  their own line, and blocks are separated by a blank line.

Plain text is kept exactly as decoded, except for a title and byline at the top: the first
line is taken as the title (and removed from the text) when it is short (< 200 characters,
at most 30 words), does not end in sentence punctuation (``. ! ? : ; ,`` or an ellipsis,
ignoring closing quotes; a Title-Cased line of 3+ words may end in ``?`` or ``!``), and is
followed by a blank line and more text. A following
``By Jane Roe and John Doe`` line, alone in its block, becomes the authors and is removed too.
Everything removed is kept in ``Article.title``/``authors``, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import re

from sayso.errors import InputError
from sayso.ingest.article import Article

__all__ = ["extract_markdown", "extract_plain", "looks_like_markdown"]


_FRONT_END = re.compile(r"^(?:---|\.\.\.)\s*$")
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_QUOTE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+")
_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S+")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<\"'])")
_IMAGE = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REFLINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_FOOTNOTE = re.compile(r"\[\^[^\]]+\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_CODE = re.compile(r"(`+)(.+?)\1")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")
_EM_UNDER = re.compile(r"(?<![_\w])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![_\w])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_SPACES = re.compile(r"[ \t]+")
_SPECIAL = re.compile(r"[\\`\[<*_~]")
_UNESCAPE = re.compile("[\ue000-\ue07f]")

_MD_SIGNALS = (
    re.compile(r"^ {0,3}#{1,6} \S", re.MULTILINE),
    re.compile(r"\[[^\]\n]+\]\((?:https?://|/|#|\.)[^)\s]*\)"),
    re.compile(r"^ {0,3}\S[^\n]*\n {0,3}={3,}[ \t]*$", re.MULTILINE),
    re.compile(r"\*\*[^*\n]+\*\*"),
    re.compile(r"^[ \t]*[-*+] \S", re.MULTILINE),
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:[^\n]*\n){0,60}?(?:title|date|author)\s*:", re.I)

_END_PUNCT = ".!?:;,…"
_CLOSERS = "\"'”’»)]"
_BYLINE = re.compile(r"^[Bb]y[ \t]+([A-Z][^\n]{1,120})$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")


def looks_like_markdown(text: str) -> bool:
    """Guess whether ``text`` is Markdown: front matter, or two kinds of Markdown syntax.

    >>> looks_like_markdown("# Talks stall\\n\\nThe envoy said [more](https://x.org/a).")
    True
    >>> looks_like_markdown("The envoy said talks had stalled. # not a heading")
    False
    """
    head = text[:20000]
    if _FRONT_MATTER.match(head):
        return True
    hits = sum(1 for pattern in _MD_SIGNALS if pattern.search(head))
    if hits >= 2:
        return True
    # A lone "# Heading" on the first line is enough.
    return bool(_ATX.match(head.lstrip("\n").split("\n", 1)[0]) and head.lstrip().startswith("# "))


def extract_markdown(text: str) -> Article:
    """Convert Markdown to plain prose, with title and front matter metadata.

    >>> md = ("---\\ntitle: Border talks\\ndate: 2025-03-04\\nauthors: [Jane Roe, John Doe]\\n"
    ...       "---\\n# Border talks\\n\\nThe **minister** said talks with [Sylvania](https://e.x)"
    ...       "\\nhad stalled.\\n\\n- 40 observers\\n- 3 checkpoints\\n")
    >>> art = extract_markdown(md)
    >>> art.title, art.authors, art.published
    ('Border talks', ['Jane Roe', 'John Doe'], datetime.date(2025, 3, 4))
    >>> extract_markdown("---\\nsource: Morvan Observer\\n---\\nTalks stalled.").outlet
    'Morvan Observer'
    >>> print(art.text)
    The minister said talks with Sylvania had stalled.
    <BLANKLINE>
    40 observers
    3 checkpoints
    """
    meta, body = _front_matter(text)
    title = _meta_str(meta, "title")
    result = Article(
        text="",
        title=title,
        authors=_meta_authors(meta),
        published=_meta_date(meta),
        source=_meta_str(meta, "source") or _meta_str(meta, "site") or _meta_str(meta, "url"),
        outlet=_meta_str(meta, "source") or _meta_str(meta, "site"),
    )
    blocks = _md_blocks(_HTML_COMMENT.sub("", body), result)
    if blocks and not result.authors:
        authors = _byline(blocks[0])
        if authors:
            result.authors = authors
            blocks = blocks[1:]
    result.text = "\n\n".join(blocks)
    return result


def extract_plain(text: str) -> Article:
    """Take a title (and byline) off the top of plain text; keep the rest exactly as is.

    >>> art = extract_plain("Ceasefire talks stall\\n\\nBy Jane Roe\\n\\nThe envoy said so.\\n")
    >>> art.title, art.authors, art.text
    ('Ceasefire talks stall', ['Jane Roe'], 'The envoy said so.\\n')
    >>> extract_plain("The envoy said so.\\n\\nThe minister denied it.").title is None
    True
    """
    result = Article(text=text)
    stripped = text.lstrip()
    first, sep, rest = stripped.partition("\n\n")
    candidate = first.strip()
    if sep and "\n" not in candidate and _is_title(candidate) and rest.strip():
        result.title = candidate
        text = rest.lstrip("\n")
        head, sep2, after = text.partition("\n\n")
        authors = _byline(head.strip()) if sep2 and "\n" not in head.strip() else []
        if authors and after.strip():
            result.authors = authors
            text = after.lstrip("\n")
        result.text = text
    return result


def _is_title(line: str) -> bool:
    if not line or len(line) >= 200 or len(line.split()) > 30:
        return False
    if _BULLET.match(line) or _BYLINE.match(line):
        return False
    core = line.rstrip(_CLOSERS).rstrip()
    if not core:
        return False
    if core[-1] in "?!":  # "Will the Truce Hold?" is a headline, "Why did it fail?" is not
        return len(line.split()) >= 3 and _title_cased(core)
    return core[-1] not in _END_PUNCT


def _title_cased(line: str) -> bool:
    words = [w for w in _WORD.findall(line) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _byline(block: str) -> list[str]:
    match = _BYLINE.match(block)
    if not match or "\n" in block:
        return []
    names = [n.strip(" .") for n in _AUTHOR_SPLIT.split(match.group(1))]
    names = [n for n in names if n]
    if not names or any(len(n.split()) > 5 or not n[0].isupper() for n in names):
        return []
    return names


# --- front matter ------------------------------------------------------------------------


def _front_matter(text: str) -> tuple[dict[str, str | list[str]], str]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, min(len(lines), 200)):
        if _FRONT_END.match(lines[end]):
            break
    else:
        if _FRONT_MATTER.match(text):
            raise InputError("the front matter has no closing '---' line")
        return {}, text
    meta: dict[str, str | list[str]] = {}
    key: str | None = None
    for line in lines[1:end]:
        match = _FRONT_KEY.match(line)
        if match:
            key = match.group(1).lower()
            value = match.group(2).strip()
            if value.startswith("[") and value.endswith("]"):
                meta[key] = [_unquote(v) for v in value[1:-1].split(",") if v.strip()]
            elif value:
                meta[key] = _unquote(value)
            else:
                meta[key] = []
        elif key is not None and line.strip().startswith("- "):
            current = meta.get(key)
            items = current if isinstance(current, list) else []
            items.append(_unquote(line.strip()[2:]))
            meta[key] = items
    return meta, "\n".join(lines[end + 1 :])


def _unquote(value: str) -> str:
    """A front matter scalar without its quotes, with YAML's escapes undone: ``\\"`` and
    ``\\\\`` in double quotes, ``''`` in single quotes.

    >>> _unquote('"\\\\"We held\\\\": the colonel"'), _unquote("'It''s over'"), _unquote("plain")
    ('"We held": the colonel', "It's over", 'plain')
    """
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return _DOUBLE_QUOTED_ESCAPE.sub(lambda m: m.group(1), value[1:-1])
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


_DOUBLE_QUOTED_ESCAPE = re.compile(r'\\(["\\/])')


def _meta_str(meta: dict[str, str | list[str]], key: str) -> str | None:
    value = meta.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    return value.strip() or None if isinstance(value, str) else None


def _meta_authors(meta: dict[str, str | list[str]]) -> list[str]:
    for key in ("authors", "author", "byline"):
        value = meta.get(key)
        if isinstance(value, list):
            return [v for v in (x.strip() for x in value) if v]
        if isinstance(value, str) and value.strip():
            return [v for v in _AUTHOR_SPLIT.split(value.strip()) if v]
    return []


def _meta_date(meta: dict[str, str | list[str]]) -> dt.date | None:
    """The publication date of the front matter: ISO ("2026-04-05", "2026-04-05T09:30Z") or
    written out with a year ("April 5, 2026", "5 April 2026"); anything else is an error, not
    an article without a date.

    >>> _meta_date({"published": "April 5, 2026"}), _meta_date({"date": "5 Apr 2026"})
    (datetime.date(2026, 4, 5), datetime.date(2026, 4, 5))
    >>> _meta_date({"published": "true", "date": "2026-04-05"})
    datetime.date(2026, 4, 5)
    >>> _meta_date({"published": "05/04/2026"})
    Traceback (most recent call last):
    sayso.errors.InputError: front matter published: '05/04/2026' is not a date (use YYYY-MM-DD)
    >>> _meta_date({"published": "April 2026"})
    Traceback (most recent call last):
    sayso.errors.InputError: front matter published: 'April 2026' is not a date (use YYYY-MM-DD)
    >>> _meta_date({"published": "last week"})
    Traceback (most recent call last):
    sayso.errors.InputError: front matter published: 'last week' is not a date (use YYYY-MM-DD)
    """
    unreadable: tuple[str, str] | None = None
    for key in ("published", "date", "pubdate", "published_at", "publication_date"):
        value = _meta_str(meta, key)
        if not value or value.lower() in ("true", "false"):  # Jekyll's "published: true"
            continue
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
        written = _written_date(value)
        if written is not None:
            return written
        unreadable = unreadable or (key, value)
    if unreadable is not None:
        key, value = unreadable
        raise InputError(f"front matter {key}: {value!r} is not a date (use YYYY-MM-DD)")
    return None


_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
_MONTH_NAME = re.compile(r"[A-Za-z]{3,}")


def _written_date(value: str) -> dt.date | None:
    """A date written out with its month's name and year ("April 5, 2026"), without guessing
    missing parts or the order of numbers ("05/04/2026" is April or May)."""
    if not _YEAR.search(value) or not _MONTH_NAME.search(value):
        return None
    from dateutil import parser

    try:
        # Parsed twice with other defaults: a part the text leaves out shows as a difference.
        one = parser.parse(value, default=dt.datetime(1, 1, 1)).date()
        two = parser.parse(value, default=dt.datetime(2, 2, 2)).date()
    except (ValueError, OverflowError):
        return None
    return one if one == two else None


# --- body ----------------------------------------------------------------------------------


def _md_blocks(body: str, result: Article) -> list[str]:
    blocks: list[str] = []
    para: list[str] = []  # joined with spaces
    items: list[str] = []  # list items, joined with newlines
    fence: str | None = None
    want_title = result.title is None
    front_title = result.title

    def flush() -> None:
        if para:
            blocks.append(" ".join(para))
            para.clear()
        if items:
            blocks.append("\n".join(items))
            items.clear()

    def heading(level: int, content: str) -> None:
        nonlocal want_title
        flush()
        content = _inline(content)
        if not content:
            return
        if level == 1 and want_title:
            result.title = content
            want_title = False
            return
        if front_title is not None and not blocks and content.casefold() == front_title.casefold():
            return  # the front matter title repeated as the first heading
        blocks.append(content)

    for raw in body.split("\n"):
        if fence is not None:
            if raw.strip().startswith(fence):
                fence = None
            continue
        fence_match = _FENCE.match(raw)
        if fence_match:
            flush()
            fence = fence_match.group(1)
            continue
        line = _QUOTE.sub("", raw)
        if not line.strip():
            flush()
            continue
        atx = _ATX.match(line)
        if atx:
            heading(len(atx.group(1)), atx.group(2) or "")
            continue
        setext = _SETEXT.match(line)
        if setext and len(para) == 1 and not items:
            text = para.pop()
            heading(1 if setext.group(1)[0] == "=" else 2, text)
            continue
        if _HR.match(line) or _REFDEF.match(line) or _TABLE_SEP.match(line):
            flush()
            continue
        bullet = _BULLET.match(line)
        if bullet:
            if para:
                blocks.append(" ".join(para))
                para.clear()
            item = _inline(line[bullet.end() :])
            if item:
                items.append(item)
            continue
        if items and raw[:1] in " \t":  # continuation of a list item
            items[-1] = f"{items[-1]} {_inline(line)}".strip()
            continue
        if items:
            blocks.append("\n".join(items))
            items.clear()
        if line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            cells = [_inline(c) for c in line.strip().strip("|").split("|")]
            para.append(" | ".join(c for c in cells if c))
            continue
        text = _inline(line)
        if text:
            para.append(text)
    flush()
    return [b for b in blocks if b.strip()]


def _inline(text: str) -> str:
    if not _SPECIAL.search(text):  # most prose lines: nothing to unwrap
        return _SPACES.sub(" ", text).strip()
    if "\\" in text:
        text = _ESCAPE.sub(lambda m: chr(0xE000 + ord(m.group(1))), text)
    if "`" in text:
        text = _CODE.sub(lambda m: m.group(2).strip(), text)
    if "[" in text:
        text = _IMAGE.sub("", text)
        text = _LINK.sub(r"\1", text)
        text = _REFLINK.sub(r"\1", text)
        text = _FOOTNOTE.sub("", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
        text = _TAG.sub("", text)
    for _ in range(2):  # nested emphasis: ***x*** or **_x_**
        if "*" in text:
            text = _STRONG.sub(r"\2", text)
            text = _EM_STAR.sub(r"\1", text)
        if "_" in text:
            text = _STRONG.sub(r"\2", text)
            text = _EM_UNDER.sub(r"\1", text)
        if "~" in text:
            text = _STRIKE.sub(r"\1", text)
    text = _UNESCAPE.sub(lambda m: chr(ord(m.group(0)) - 0xE000), text)
    return _SPACES.sub(" ", text).strip()

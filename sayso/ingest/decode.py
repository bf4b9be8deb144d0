"""Bytes -> text: BOMs, declared charsets, strict UTF-8, then detection.

The returned text is what the analysis runs on (all character offsets refer to it), so it
is kept as is apart from two normalisations: the BOM is dropped and newlines become ``\\n``.
Binary input (NUL bytes, many control characters, a known file signature) is refused with
an :class:`~sayso.errors.InputError` instead of being "cleaned".

Order of attempts:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. UTF-16 without a BOM, recognised by its regular NUL bytes (otherwise NUL = binary);
3. strict UTF-8 (a non-ASCII text that decodes as UTF-8 almost surely *is* UTF-8);
4. UTF-8 with a few stray invalid bytes, when most non-ASCII text is valid UTF-8
   (the bad bytes become U+FFFD);
5. the declared charset (HTTP ``Content-Type`` or an HTML ``<meta charset>``), with
   ``iso-8859-1``/``ascii`` read as ``cp1252`` as browsers do;
6. ``charset-normalizer``; a guess in the Western single-byte family (cp1250, latin-1,
   mac-roman ...) is replaced by cp1252 when the bytes are valid cp1252, because
   charset-normalizer tends to pick cp1250 for short English/French/German texts and turns
   "crème" into "crčme".
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from sayso.errors import InputError

__all__ = ["decode_bytes", "normalize_newlines", "sniff_binary"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with FF FE too
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image"),
    (b"\xff\xd8\xff", 0, "a JPEG image"),
    (b"GIF87a", 0, "a GIF image"),
    (b"GIF89a", 0, "a GIF image"),
    (b"RIFF", 0, "a RIFF file (WebP/WAV/AVI)"),
    (b"\x1f\x8b", 0, "gzip-compressed data"),
    (b"BZh", 0, "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", 0, "xz-compressed data"),
    (b"(\xb5/\xfd", 0, "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive"),
    (b"PK\x03\x04", 0, "a ZIP archive (e.g. .docx/.odt/.epub)"),
    (b"%PDF-", 0, "a PDF document (convert it to text first)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "an old MS Office document"),
    (b"\x7fELF", 0, "an executable"),
    (b"MZ", 0, "a Windows executable"),
    (b"ftyp", 4, "an MP4/MOV video"),
    (b"OggS", 0, "an Ogg media file"),
    (b"ID3", 0, "an MP3 file"),
    (b"SQLite format 3\x00", 0, "an SQLite database"),
)

# Charsets that look alike on Western text; charset-normalizer's pick among them is noise.
_WESTERN = {
    "cp1250",
    "cp1252",
    "cp1254",
    "cp1257",
    "cp437",
    "cp850",
    "cp858",
    "latin_1",
    "iso8859_2",
    "iso8859_3",
    "iso8859_4",
    "iso8859_9",
    "iso8859_10",
    "iso8859_13",
    "iso8859_14",
    "iso8859_15",
    "iso8859_16",
    "mac_roman",
    "mac_latin2",
    "mac_iceland",
    "mac_turkish",
    "ascii",
}

# C0/C1 controls other than tab, newlines, form feed and ESC.
_CONTROLS = re.compile("[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_NEWLINES = re.compile(r"\r\n?|\u0085")
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)


def normalize_newlines(text: str) -> str:
    r"""Turn ``\r\n``, lone ``\r`` and NEL into ``\n``.

    >>> normalize_newlines("a\r\nb\rc")
    'a\nb\nc'
    """
    return _NEWLINES.sub("\n", text)


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format ``data`` starts with, or ``None`` if it has no known signature.

    >>> sniff_binary(b"\\x89PNG\\r\\n\\x1a\\n....")
    'a PNG image'
    >>> sniff_binary(b"Officials said.") is None
    True
    """
    for magic, offset, name in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            if magic == b"MZ" and b"This program" not in data[:512]:
                continue  # "MZ" alone is too weak a signal
            return name
    return None


def decode_bytes(data: bytes, *, charset: str | None = None, is_html: bool = False) -> str:
    """Decode article bytes to text, refusing empty and binary input.

    ``charset`` is a declared encoding (e.g. from an HTTP header); for HTML, a
    ``<meta charset>`` in the first 4 KiB counts as declared too.

    >>> decode_bytes("Caf\\u00e9 talks".encode("utf-16"))
    'Café talks'
    >>> decode_bytes(b"The envoy\\x92s reply\\r\\n")  # cp1252 apostrophe
    'The envoy’s reply\\n'
    """
    if not data:
        raise InputError("the input is empty")
    text = _decode(data, charset=charset, is_html=is_html)
    if text.startswith("\ufeff"):
        text = text[1:]
    _check_controls(text)
    text = normalize_newlines(text)
    if not text.strip():
        raise InputError("the input contains only whitespace")
    return text


def _decode(data: bytes, *, charset: str | None, is_html: bool) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"the input starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} (byte {exc.start + len(bom)})"
                ) from None
    kind = sniff_binary(data)
    if kind is not None:
        raise InputError(f"the input is binary data ({kind}), not text")
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise InputError("the input is binary data (it contains NUL bytes), not text")
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    declared = _declared(charset, data if is_html else None)
    if declared is not None:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    return _detect(data)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM has NULs at every other byte for ASCII characters."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    half = len(data) // 2
    for zeros, encoding in ((odd.count(0), "utf-16-le"), (even.count(0), "utf-16-be")):
        if zeros >= 0.6 * half:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few stray bytes: keep it UTF-8, with U+FFFD for the bad bytes."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(_NON_ASCII.findall(text)) - bad
    if good >= 2 and bad <= good:
        return text
    return None


def _declared(charset: str | None, html: bytes | None) -> str | None:
    name = charset
    if name is None and html is not None:
        match = _META_CHARSET.search(html[:4096])
        if match:
            name = match.group(1).decode("ascii", "replace")
    if not name:
        return None
    try:
        canonical = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    if canonical in {"latin-1", "iso8859-1", "ascii"}:
        return "cp1252"  # what browsers do (WHATWG Encoding Standard)
    if canonical.startswith("utf-16") or canonical.startswith("utf-32"):
        return None  # a declared UTF-16 without BOM and without NULs is a lie
    return canonical


def _detect(data: bytes) -> str:
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(
                "the input is not valid UTF-8 and its encoding could not be detected (binary data?)"
            ) from None
    encoding = codecs.lookup(best.encoding).name.replace("-", "_")
    if encoding in _WESTERN or encoding.startswith("iso8859"):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


def _check_controls(text: str) -> None:
    if "\x00" in text:
        raise InputError("the input is binary data (it contains NUL characters), not text")
    controls = len(_CONTROLS.findall(text))
    if controls and controls > 0.01 * len(text) + 2:
        raise InputError(
            f"the input looks like binary data ({controls} control characters in "
            f"{len(text)}), not text"
        )

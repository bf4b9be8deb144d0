"""Ingestion: decoding, kind detection, HTML/Markdown/plain extraction, input errors."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import random
import sys
from pathlib import Path

import pytest

from sayso.errors import InputError
from sayso.ingest import MAX_BYTES, article_from_bytes, detect_kind, load_source
from sayso.ingest.decode import decode_bytes
from sayso.ingest.html import extract_html
from sayso.ingest.markdown import extract_markdown, extract_plain, looks_like_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

SMART = (
    "The envoy\u2019s reply was blunt: \u201cWe will not withdraw from the ridge\u201d \u2014 "
    "and the talks in Orvell ended early."
)
ACCENTED = "Der Außenminister sagte in Zürich, die Gespräche seien gescheitert. Café crème."


# --- decoding -----------------------------------------------------------------------------


def test_max_bytes_is_ten_mib() -> None:
    assert MAX_BYTES == 10 * 1024 * 1024


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_decode_with_bom(codec: str) -> None:
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
    }.get(codec, b"")
    data = bom + SMART.encode(codec)
    assert decode_bytes(data) == SMART


def test_decode_utf16_without_bom() -> None:
    assert decode_bytes(SMART.encode("utf-16-le")) == SMART


def test_decode_cp1252_smart_quotes() -> None:
    assert decode_bytes(SMART.encode("cp1252")) == SMART


def test_decode_latin1() -> None:
    assert decode_bytes(ACCENTED.encode("latin-1")) == ACCENTED


def test_decode_declared_charset_wins_over_detection() -> None:
    text = "Війська відступили від мосту."
    assert decode_bytes(text.encode("cp1251"), charset="windows-1251") == text


def test_decode_html_meta_charset() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><p>\u041a\u0438\u0457\u0432</p>'
    assert "\u041a\u0438\u0457\u0432" in decode_bytes(page.encode("cp1251"), is_html=True)


def test_decode_mostly_utf8_keeps_utf8() -> None:
    text = "Caf\u00e9 talks in Z\u00fcrich and Malm\u00f6 resumed \u2014 officials said"
    data = text.encode("utf-8") + b" \x92 end"
    decoded = decode_bytes(data)
    assert decoded.startswith("Caf\u00e9 talks in Z\u00fcrich")
    assert "\ufffd" in decoded


def test_newlines_normalised_text_otherwise_kept() -> None:
    assert (
        decode_bytes(b"  One line.\r\nTwo line.\rThree.\t ") == "  One line.\nTwo line.\nThree.\t "
    )


def test_empty_and_whitespace() -> None:
    with pytest.raises(InputError, match="empty"):
        article_from_bytes(b"", source=None)
    with pytest.raises(InputError, match="whitespace"):
        article_from_bytes(b" \n\t \r\n", source=None)
    with pytest.raises(InputError, match="whitespace"):
        decode_bytes("  \n ".encode("utf-16"))


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(200)), "gzip"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"Some text\x00with a NUL byte and more text", "NUL"),
        (bytes(range(1, 32)) * 20, "control characters"),
    ],
)
def test_binary_refused(data: bytes, what: str) -> None:
    with pytest.raises(InputError, match=what) as info:
        article_from_bytes(data, source="blob")
    assert "\n" not in str(info.value)


# --- kind detection -------------------------------------------------------------------------


def test_detect_kind() -> None:
    assert detect_kind(b"plain words", content_type="text/html; charset=utf-8") == "html"
    assert detect_kind(b"plain words", filename="story.HTM") == "html"
    assert detect_kind(b"plain words", filename="story.markdown") == "markdown"
    assert detect_kind(b"  <!doctype html><title>x</title>") == "html"
    assert detect_kind(b"Intro text\n<body><p>The envoy said so.</p></body>") == "html"
    assert detect_kind(b"<p>One.</p>\n<p>Two.</p>\n<p>Three.</p>") == "html"
    assert detect_kind(b"# Talks stall\n\nThe envoy said so.") == "markdown"
    assert detect_kind(b"Talks stall\n\nThe envoy said 3 < 4 and 5 > 2.") == "text"
    assert detect_kind("<p>x</p>".encode("utf-16")) == "html"


# --- HTML -----------------------------------------------------------------------------------


def test_html_boilerplate_removed_body_kept() -> None:
    art = load_source(str(FIXTURES / "boilerplate.html"))
    assert "talks with Sylvania had stalled" in art.text
    assert "lakeside town of Orvell" in art.text
    for leak in ("SCRIPTLEAK", "STYLELEAK", "NAVLEAK", "HEADERLEAK", "ASIDELEAK", "FOOTERLEAK"):
        assert leak not in art.text, leak
    assert "window.analytics" not in art.text
    assert art.title == "Border talks stall as observers wait"
    assert not art.text.startswith("Border talks stall")  # the h1 is the title, not text
    assert art.authors == ["Mara Quell", "Tobias Renn"]
    assert art.published == dt.date(2024, 11, 19)
    assert art.source == str(FIXTURES / "boilerplate.html")
    # paragraphs separated by blank lines, soft wraps inside a paragraph become spaces
    paragraphs = art.text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("The foreign minister of Freedonia said on Tuesday")
    assert "stalled over the future" in paragraphs[0]


def test_html_sitename_used_when_no_source() -> None:
    data = (FIXTURES / "boilerplate.html").read_bytes()
    art = article_from_bytes(data, source=None)
    assert art.source == "The Freedonia Ledger"


def test_html_truncated_mid_tag() -> None:
    page = (FIXTURES / "boilerplate.html").read_text("utf-8")
    cut = page.index("already agreed") + 5
    cut_mid_tag = page.index("<p>Diplomats") + 2
    for truncated in (page[:cut], page[:cut_mid_tag]):
        art = article_from_bytes(truncated.encode(), source=None, filename="a.html")
        assert "talks with Sylvania had stalled" in art.text
        assert "SCRIPTLEAK" not in art.text and "NAVLEAK" not in art.text


def test_html_hostile_markup() -> None:
    huge = "A" * 200_000
    page = (
        "<html><head><script>alert('HEADSCRIPT')</script></head><body>"
        f'<p title="{huge}">The defence ministry said on Friday that two convoys had crossed '
        "the border overnight without permission from the monitors."
        "<img src=x onerror=\"alert('ONERRORLEAK')\">"
        "<script>document.write('BODYSCRIPT')</script></p>"
        "<p><a href=\"javascript:alert('JSLINKLEAK')\">Monitors</a> said they had counted "
        "eleven armoured vehicles and several fuel trucks near the crossing point.</p>"
        "<svg><script>alert('SVGSCRIPT')</script></svg>"
        '<iframe srcdoc="<p>IFRAMELEAK</p>"></iframe>'
        "<noscript>NOSCRIPTLEAK</noscript>"
        "</body></html>"
    )
    art = article_from_bytes(page.encode(), source=None)
    assert "two convoys had crossed" in art.text
    assert "Monitors said they had counted" in art.text
    for leak in (
        "HEADSCRIPT",
        "ONERRORLEAK",
        "BODYSCRIPT",
        "JSLINKLEAK",
        "SVGSCRIPT",
        "IFRAMELEAK",
        "NOSCRIPTLEAK",
        "alert(",
        "javascript:",
        "AAAA",
    ):
        assert leak not in art.text, leak


def test_html_without_body_is_input_error() -> None:
    page = (
        "<html><head><title>Front page</title><script>var x = 'only script';</script></head>"
        "<body><nav><a href='/'>Home</a><a href='/world'>World</a></nav>"
        "<footer>Copyright</footer></body></html>"
    )
    with pytest.raises(InputError, match="no article text"):
        article_from_bytes(page.encode(), source="page.html")
    with pytest.raises(InputError):
        article_from_bytes(b"<html><head></head><body>   </body></html>", source=None)


def test_html_heading_dropped_when_title_has_site_suffix() -> None:
    page = (
        "<html><head><title>Convoy halted at the river | Orvell Courier</title></head><body>"
        "<article><h1>Convoy halted at the river</h1>"
        "<p>Border guards stopped a convoy of forty trucks at the river crossing on Sunday, "
        "the regional governor said, citing missing permits.</p>"
        "<p>The governor said the trucks would be inspected one by one before the crossing "
        "reopens on Monday morning.</p></article></body></html>"
    )
    art = extract_html(page)
    assert art.title is not None and art.title.startswith("Convoy halted at the river")
    assert art.text.startswith("Border guards stopped a convoy")


def test_undecodable_bytes() -> None:
    rng = random.Random(3)  # random high bytes: no text encoding makes sense of them
    junk = bytes(rng.randrange(0x80, 0x100) for _ in range(5000))
    with pytest.raises(InputError, match="encoding could not be detected"):
        article_from_bytes(junk, source=None)


def test_html_short_page_uses_fallback() -> None:
    art = extract_html("<html><body><p>The envoy said talks had stalled.</p></body></html>")
    assert art.text == "The envoy said talks had stalled."


def test_html_list_items_and_line_breaks() -> None:
    page = (
        "<html><body><article><p>The ministry listed the demands of the delegation, "
        "which it said were final and would not be revised before the summit.</p>"
        "<ul><li>Withdrawal of heavy artillery from the ridge</li>"
        "<li>Return of the detained fishermen</li></ul>"
        "<p>Officials said the list was sent to the mediators in Orvell.<br>"
        "The mediators have not replied.</p></article></body></html>"
    )
    art = extract_html(page)
    assert "Withdrawal of heavy artillery from the ridge\n\nReturn of the detained" in art.text
    assert "sent to the mediators in Orvell.\nThe mediators" in art.text


# --- Markdown --------------------------------------------------------------------------------


MD = """---
title: "Ceasefire monitors arrive in the valley"
date: 2025-02-14
authors:
  - Mara Quell
  - Tobias Renn
source: The Freedonia Ledger
---

# Ceasefire monitors arrive in the valley

The first **forty monitors** arrived on Friday, the [mission](https://example.org/mission)
said in a statement, and _began_ patrolling the northern road.

![A convoy on the road](https://example.org/convoy.jpg)

## Reactions

> "This is a first step," a Sylvanian official said.

- Patrols will run daily.
* A second group is due in March.
1. Reports go to the council.

Code `like this` and a footnote[^1] and an escaped \\*star\\* stay readable.

[^1]: Not part of the article.
"""


def test_markdown_front_matter_and_cleanup() -> None:
    art = article_from_bytes(MD.encode(), source=None, filename="story.md")
    assert art.title == "Ceasefire monitors arrive in the valley"
    assert art.authors == ["Mara Quell", "Tobias Renn"]
    assert art.published == dt.date(2025, 2, 14)
    assert art.source == "The Freedonia Ledger"
    assert "Ceasefire monitors arrive" not in art.text
    assert art.text.startswith(
        "The first forty monitors arrived on Friday, the mission said in a statement, and "
        "began patrolling the northern road."
    )
    for junk in ("**", "](", "https://", "![", "#", "> ", "- Patrols", "* A", "1. "):
        assert junk not in art.text, junk
    assert "\n\nReactions\n\n" in art.text
    assert '"This is a first step," a Sylvanian official said.' in art.text
    assert "Patrols will run daily.\nA second group is due in March.\nReports go" in art.text
    assert "Code like this and a footnote and an escaped *star* stay readable." in art.text
    assert "Not part of the article" not in art.text


def test_markdown_first_h1_is_title_without_front_matter() -> None:
    art = extract_markdown("Intro line.\n\n# The real title\n\nBody text.\n\n# Second h1\n")
    assert art.title == "The real title"
    assert art.text == "Intro line.\n\nBody text.\n\nSecond h1"


def test_markdown_setext_title_and_byline() -> None:
    art = extract_markdown("Talks resume\n============\n\nBy Mara Quell\n\nThe envoy said so.\n")
    assert art.title == "Talks resume"
    assert art.authors == ["Mara Quell"]
    assert art.text == "The envoy said so."


def test_markdown_sniffed_without_extension() -> None:
    art = article_from_bytes(b"# Talks stall\n\nThe [envoy](https://e.org) said so.", source="-")
    assert (art.title, art.text, art.source) == ("Talks stall", "The envoy said so.", "-")
    assert not looks_like_markdown("The envoy said so. Prices rose 5*3 times.")


# --- plain text -------------------------------------------------------------------------------


def test_plain_headline_question_is_title() -> None:
    art = extract_plain("Will the Orvell Truce Hold?\n\nDiplomats said it might.")
    assert (art.title, art.text) == ("Will the Orvell Truce Hold?", "Diplomats said it might.")


def test_plain_title_taken_and_text_kept_verbatim() -> None:
    text = "Ceasefire talks stall in Orvell\n\nThe envoy said  talks had stalled.\nMore text.\n"
    art = article_from_bytes(text.encode(), source=None)
    assert art.title == "Ceasefire talks stall in Orvell"
    assert art.text == "The envoy said  talks had stalled.\nMore text.\n"


@pytest.mark.parametrize(
    "text",
    [
        "The envoy said talks had stalled.\n\nThe ministry denied it.",  # sentence
        "Why did the talks fail?\n\nThe ministry denied it.",  # question
        "Only one line without punctuation",  # nothing after it
        "A first line\nwith a second line\n\nBody.",  # not a single line
    ],
)
def test_plain_no_title(text: str) -> None:
    art = extract_plain(text)
    assert art.title is None
    assert art.text == text


# --- files and stdin -----------------------------------------------------------------------------


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_source(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="is a directory"):
        load_source(str(tmp_path))


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("The envoy said so.")
    path.chmod(0)
    try:
        if path.open("rb"):  # root can read anyway: nothing to test
            pytest.skip("running as root")
    except PermissionError:
        with pytest.raises(InputError, match="cannot read"):
            load_source(str(path))
    finally:
        path.chmod(0o600)


def test_over_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("The envoy said so. " * 100)
    with pytest.raises(InputError, match="over the 1 KiB size limit"):
        load_source(str(path), max_bytes=1024)
    assert load_source(str(path), max_bytes=4096).text.startswith("The envoy")


def test_file_encodings_roundtrip(tmp_path: Path) -> None:
    for name, codec in (("a.txt", "utf-16"), ("b.txt", "cp1252"), ("c.txt", "utf-8-sig")):
        path = tmp_path / name
        path.write_bytes(("Orvell talks\n\n" + SMART + "\r\n").encode(codec))
        art = load_source(str(path))
        assert art.title == "Orvell talks"
        assert art.text == SMART + "\n"
        assert art.source == str(path) and art.url is None


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(SMART.encode("cp1252")))
    monkeypatch.setattr(sys, "stdin", fake)
    art = load_source("-")
    assert art.text == SMART and art.source == "-"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 50)))
    with pytest.raises(InputError, match="standard input is over the 10 bytes size limit"):
        load_source("-", max_bytes=10)


def test_markdown_front_matter_title_keeps_its_quoted_words() -> None:
    md = '---\ntitle: "\\"We held the bridge\\": Colonel Arvo Maren"\n---\n\nThe colonel spoke.\n'
    assert extract_markdown(md).title == '"We held the bridge": Colonel Arvo Maren'


def test_markdown_front_matter_dates_are_read_or_refused() -> None:
    body = "\n\nThe envoy said the talks had stalled.\n"
    written = extract_markdown("---\ntitle: Talks\npublished: April 5, 2026\n---" + body)
    assert written.published == dt.date(2026, 4, 5)
    with pytest.raises(InputError, match="'next week' is not a date"):
        extract_markdown("---\ntitle: Talks\npublished: next week\n---" + body)
    with pytest.raises(InputError, match="no closing '---'"):
        extract_markdown("---\ntitle: Talks\npublished: 2026-04-05" + body)

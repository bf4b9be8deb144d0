"""Corpus inputs beyond files and JSON Lines: RSS/Atom feeds and WARC archives.

All feeds, pages and articles are invented for these tests; nothing is fetched.
"""

from __future__ import annotations

import datetime as dt
import gzip
import socket
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sayso.corpus.ingest import InputItem
from sayso.corpus.sources_feed import count_feed_entries, is_feed_file, iter_feed
from sayso.corpus.sources_warc import is_warc_file, iter_warc


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the test tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>The Northern Courier</title>
  <link>https://courier.example/</link>
  <description>World news</description>
  <item>
    <title>Envoy says border talks have stalled</title>
    <link>https://courier.example/2026/03/talks-stall</link>
    <pubDate>Mon, 02 Mar 2026 08:30:00 GMT</pubDate>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[
      <p>The special envoy said on Monday that talks over the disputed border crossing had
      stalled after the two delegations failed to agree on a monitoring mission.</p>
      <p>"We are further apart than we were a week ago," the envoy told reporters.</p>
      <script>alert('x')</script>
    ]]></content:encoded>
  </item>
  <item>
    <title>Grain convoy reaches the port</title>
    <link>https://courier.example/2026/03/grain</link>
    <pubDate>Tue, 03 Mar 2026 23:10:00 +0000</pubDate>
    <description>&lt;p&gt;A convoy of forty grain lorries reached the southern port on
      Tuesday, the harbour authority said.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Link only</title>
    <link>https://courier.example/2026/03/link-only</link>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Eastern Dispatch</title>
  <id>urn:example:dispatch</id>
  <updated>2026-03-05T10:00:00Z</updated>
  <entry>
    <title>Ministry denies strike on depot</title>
    <id>urn:example:dispatch:1</id>
    <link href="https://dispatch.example/depot"/>
    <updated>2026-03-05T10:00:00Z</updated>
    <published>2026-03-04T21:00:00Z</published>
    <content type="html">&lt;p&gt;The defence ministry denied on Wednesday that its
      aircraft had struck a fuel depot near the river port.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Plain text note</title>
    <id>urn:example:dispatch:2</id>
    <link href="https://dispatch.example/note"/>
    <updated>2026-03-06T07:00:00Z</updated>
    <summary type="text">Observers said they could not confirm the reports of shelling.</summary>
  </entry>
</feed>
"""


def articles(items: list[InputItem]) -> list[InputItem]:
    return [i for i in items if i.article is not None]


def test_rss_entries_become_articles(tmp_path: Path) -> None:
    path = tmp_path / "courier.rss"
    path.write_text(RSS, encoding="utf-8")
    items = list(iter_feed(path))
    assert [i.label for i in items] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    first, second, link_only = items
    assert first.article is not None and second.article is not None
    # content:encoded wins over the teaser; the script never reaches the text.
    assert first.article.text.startswith("The special envoy said on Monday")
    assert "further apart" in first.article.text
    assert "alert" not in first.article.text and "teaser" not in first.article.text
    assert first.article.url == "https://courier.example/2026/03/talks-stall"
    assert first.article.title == "Envoy says border talks have stalled"
    assert first.article.published == dt.date(2026, 3, 2)
    assert first.article.source == "The Northern Courier"
    assert first.outlet == "The Northern Courier"
    # An escaped-HTML description is used when there is no content.
    assert second.article.text.startswith("A convoy of forty grain lorries")
    assert "<p>" not in second.article.text
    assert second.article.published == dt.date(2026, 3, 3)
    # No content and no summary: skipped with a reason, the link is not fetched.
    assert link_only.article is None
    assert link_only.error is not None and "not fetched" in link_only.error


def test_atom_entries_become_articles(tmp_path: Path) -> None:
    path = tmp_path / "dispatch.atom"
    path.write_text(ATOM, encoding="utf-8")
    found = articles(list(iter_feed(path)))
    assert len(found) == 2
    depot, note = (i.article for i in found)
    assert depot is not None and note is not None
    assert depot.text.startswith("The defence ministry denied on Wednesday")
    assert depot.url == "https://dispatch.example/depot"
    assert depot.published == dt.date(2026, 3, 4)  # published, not updated
    assert depot.source == "Eastern Dispatch"
    assert note.text == "Observers said they could not confirm the reports of shelling."
    assert note.published == dt.date(2026, 3, 6)  # only updated is given


def test_which_files_are_feeds(tmp_path: Path) -> None:
    feed_xml = tmp_path / "news.xml"
    feed_xml.write_text(ATOM, encoding="utf-8")
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>')
    assert is_feed_file(feed_xml)
    assert not is_feed_file(sitemap)
    assert is_feed_file(tmp_path / "anything.rss")
    assert not is_feed_file(tmp_path / "a.html")
    assert count_feed_entries(feed_xml) == 2
    (tmp_path / "c.rss").write_text(RSS, encoding="utf-8")
    assert count_feed_entries(tmp_path / "c.rss") == 3


def test_broken_or_empty_feed_is_one_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.rss"
    broken.write_bytes(b"\x00\x01 this is not xml at all")
    items = list(iter_feed(broken))
    assert len(items) == 1 and items[0].article is None
    assert items[0].error is not None and "feed" in items[0].error
    empty = tmp_path / "empty.rss"
    empty.write_text('<rss version="2.0"><channel><title>Quiet</title></channel></rss>')
    items = list(iter_feed(empty))
    assert [i.error for i in items] == ["the feed has no entries"]
    missing = list(iter_feed(tmp_path / "missing.rss"))
    assert missing[0].error is not None and missing[0].error.startswith("cannot read")


# -- WARC ----------------------------------------------------------------------------------


def page(title: str, body: str, date: str | None = None) -> bytes:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{meta}</head><body>"
        f"<nav>Home | World | Sport</nav><article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Copyright</footer></body></html>"
    ).encode()


PAGE_A = page(
    "Talks stall at the border",
    "The envoy said on Monday that the border talks had stalled over a monitoring mission.\n"
    "Both delegations said they would return next week, according to the mediators.",
    date="2026-02-27",
)
PAGE_B = page(
    "Convoy reaches the port",
    "A convoy of forty grain lorries reached the southern port, the harbour authority said.\n"
    "Officials said the next convoy would leave within days if the corridor stayed open.",
)


def write_warc(path: Path, *, gz: bool) -> None:
    """A small WARC like a news crawl's: warcinfo, request/response pairs, odd records."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))

        def response(
            url: str,
            body: bytes,
            status: str = "200 OK",
            ctype: str = "text/html; charset=utf-8",
            date: str = "2026-03-01T12:00:00Z",
        ) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(record)

        request = writer.create_warc_record(
            "https://news.example/talks",
            "request",
            payload=BytesIO(b""),
            http_headers=StatusAndHeaders(
                "GET /talks HTTP/1.1", [("Host", "news.example")], is_http_request=True
            ),
        )
        writer.write_record(request)
        response("https://news.example/talks", PAGE_A)
        response("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n", ctype="image/png")
        response("https://news.example/old", b"", status="301 Moved Permanently")
        response(
            "https://news.example/missing", page("Not found", "No such page."), "404 Not Found"
        )
        response("https://other.example/convoy", PAGE_B, date="2026-03-04T06:00:00Z")


@pytest.mark.parametrize("gz", [False, True])
def test_warc_html_responses_become_articles(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(path, gz=gz)
    if gz:
        with gzip.open(path) as unzipped:
            assert unzipped.read(4) == b"WARC"
    items = list(iter_warc(path))
    assert [i.error for i in items] == [None, None]
    talks, convoy = (i.article for i in items)
    assert talks is not None and convoy is not None
    assert talks.url == "https://news.example/talks"
    assert talks.text.startswith("The envoy said on Monday")
    assert "Home | World" not in talks.text and "Copyright" not in talks.text
    assert talks.published == dt.date(2026, 2, 27)  # the page's own date wins
    assert convoy.url == "https://other.example/convoy"
    assert convoy.published == dt.date(2026, 3, 4)  # no date on the page: WARC-Date
    assert all(i.label.startswith(f"{path}@") for i in items)
    offsets = [int(i.label.rsplit("@", 1)[1]) for i in items]
    assert offsets[0] < offsets[1]


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_yields_what_was_readable_then_one_error(tmp_path: Path, gz: bool) -> None:
    whole = tmp_path / ("whole.warc.gz" if gz else "whole.warc")
    write_warc(whole, gz=gz)
    data = whole.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    cut.write_bytes(data[: len(data) - 300])  # inside the last response
    items = list(iter_warc(cut))
    assert items[0].article is not None
    assert items[0].article.url == "https://news.example/talks"
    assert len(items) == 2
    assert items[-1].article is None
    assert items[-1].error is not None
    assert "truncated" in items[-1].error and "\n" not in items[-1].error


def test_corrupt_warc_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc.gz"
    path.write_bytes(b"this is not a web archive\n" * 20)
    items = list(iter_warc(path))
    assert len(items) == 1 and items[0].error is not None
    assert "corrupt" in items[0].error and "\n" not in items[0].error


def test_which_files_are_warc() -> None:
    assert is_warc_file("CC-NEWS-20260301.warc.gz")
    assert is_warc_file("x.WARC")
    assert not is_warc_file("x.warc.zip")

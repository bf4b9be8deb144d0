"""URL fetching against a real local HTTP server (no external network)."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from sayso.errors import FetchError
from sayso.ingest import fetch, load_source
from sayso.ingest.fetch import address_problem, fetch_url

ARTICLE = (
    b"<!doctype html><html><head><title>Monitors reach the valley</title>"
    b'<meta property="og:site_name" content="Orvell Courier"></head><body>'
    b"<nav>Home NAVLEAK</nav><article><h1>Monitors reach the valley</h1>"
    b"<p>The first group of ceasefire monitors reached the northern valley on Friday, "
    b"the mission said, two days later than the mediators had promised.</p>"
    b"<p>A spokeswoman for the mission said the delay was caused by a damaged bridge.</p>"
    b"</article></body></html>"
)


class Handler(BaseHTTPRequestHandler):
    hosts: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, ctype: str | None, **headers: str) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if "Content_Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        Handler.hosts.append(self.headers.get("Host", ""))
        port = self.server.server_port  # type: ignore[attr-defined]
        path = self.path
        if path == "/article":
            self._send(200, ARTICLE, "text/html; charset=utf-8")
        elif path == "/story.md":
            self._send(200, b"# Bridge repaired\n\nEngineers *said* so.", "text/plain")
        elif path == "/latin":
            body = "Caf\u00e9 talks \u201cfailed\u201d, the envoy said.".encode("cp1252")
            self._send(200, body, "text/plain; charset=windows-1252")
        elif path == "/big":
            self._send(200, b"<p>" + b"The envoy said so. " * 500 + b"</p>", "text/html")
        elif path == "/big-no-length":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"The envoy said so. " * 10)
        elif path == "/bomb":
            body = gzip.compress(b"a" * 200_000)
            self._send(200, body, "text/plain", Content_Encoding="gzip")
        elif path == "/png":
            self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        elif path == "/missing":
            self._send(404, b"not here", "text/plain")
        elif path == "/r1":
            self._send(302, b"", None, Location="/r2")
        elif path == "/r2":
            self._send(301, b"", None, Location=f"http://127.0.0.2:{port}/article")
        elif path == "/to-article":
            self._send(307, b"", None, Location="/article")
        elif path == "/to-metadata":
            self._send(302, b"", None, Location="http://169.254.169.254/latest/meta-data/")
        elif path == "/to-file":
            self._send(302, b"", None, Location="file:///etc/passwd")
        elif path.startswith("/loop"):
            n = int(path[5:] or 0)
            self._send(302, b"", None, Location=f"/loop{n + 1}")
        else:
            self._send(404, b"", "text/plain")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend 127.0.0.1 (only) is a public server, to test the checks on later hops."""
    real = fetch.address_problem
    one = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(fetch, "address_problem", lambda ip: None if ip == one else real(ip))


def test_loopback_refused_by_default(server: str) -> None:
    with pytest.raises(FetchError, match=r"127\.0\.0\.1, a loopback address") as info:
        load_source(f"{server}/article")
    assert "\n" not in str(info.value)


def test_allow_private_fetches_and_extracts(server: str) -> None:
    art = load_source(f"{server}/article", allow_private=True)
    assert art.title == "Monitors reach the valley"
    assert "reached the northern valley on Friday" in art.text
    assert "NAVLEAK" not in art.text
    assert art.source == f"{server}/article"
    assert art.url == f"{server}/article"


def test_markdown_served_as_text_plain(server: str) -> None:
    art = load_source(f"{server}/story.md", allow_private=True)
    assert (art.title, art.text) == ("Bridge repaired", "Engineers said so.")


def test_charset_from_header(server: str) -> None:
    art = load_source(f"{server}/latin", allow_private=True)
    assert art.text == "Caf\u00e9 talks \u201cfailed\u201d, the envoy said."


def test_redirects_followed_and_url_is_final(server: str) -> None:
    art = load_source(f"{server}/to-article", allow_private=True)
    assert art.url == f"{server}/article"
    assert art.source == f"{server}/to-article"


def test_redirect_to_loopback_refused(server: str, loopback_is_public: None) -> None:
    # The first hops (127.0.0.1, treated as public here) pass; the last one must not.
    with pytest.raises(FetchError, match=r"127\.0\.0\.2, a loopback address"):
        fetch_url(f"{server}/r1")


def test_redirect_to_cloud_metadata_refused(server: str, loopback_is_public: None) -> None:
    with pytest.raises(FetchError, match=r"169\.254\.169\.254, a link-local address"):
        fetch_url(f"{server}/to-metadata")


def test_redirect_to_file_scheme_refused(server: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch_url(f"{server}/to-file", allow_private=True)


def test_redirect_loop_capped(server: str) -> None:
    with pytest.raises(FetchError, match="too many redirects"):
        fetch_url(f"{server}/loop", allow_private=True)


@pytest.mark.parametrize("path", ["/big", "/big-no-length", "/bomb"])
def test_too_large_refused(server: str, path: str) -> None:
    with pytest.raises(FetchError, match="over the 1000 bytes size limit"):
        fetch_url(f"{server}{path}", allow_private=True, max_bytes=1000)


def test_wrong_content_type_refused(server: str) -> None:
    with pytest.raises(FetchError, match=r"content type '?image/png"):
        fetch_url(f"{server}/png", allow_private=True)


def test_http_error_status(server: str) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_url(f"{server}/missing", allow_private=True)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/a.txt", "gopher://example.org/"]
)
def test_non_http_schemes_refused(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        load_source(url)


def test_connects_to_the_checked_address(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The name is resolved once, checked, and the connection goes to that address."""
    port = int(server.rsplit(":", 1)[1])
    real = socket.getaddrinfo
    looked_up: list[str] = []

    def fake(host: Any, *args: Any, **kwargs: Any) -> Any:
        looked_up.append(str(host))
        if host == "news.invalid":
            return real("127.0.0.1", *args, **kwargs)
        if host == "127.0.0.1":  # the socket layer "resolves" the pinned literal address
            return real(host, *args, **kwargs)
        raise socket.gaierror("unexpected lookup")

    monkeypatch.setattr(fetch.socket, "getaddrinfo", fake)
    with pytest.raises(FetchError, match=r"news\.invalid resolves to 127\.0\.0\.1"):
        fetch_url(f"http://news.invalid:{port}/article")
    Handler.hosts.clear()
    page = fetch_url(f"http://news.invalid:{port}/article", allow_private=True)
    assert page.data == ARTICLE
    assert Handler.hosts == [f"news.invalid:{port}"]
    assert looked_up.count("news.invalid") == 2  # once per fetch, by the checker only


def test_unresolvable_host(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(fetch.socket, "getaddrinfo", fail)
    with pytest.raises(FetchError, match=r"cannot resolve host 'nowhere\.invalid'"):
        load_source("https://nowhere.invalid/story")


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.5", "private"),
        ("100.64.0.1", "non-public"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:10.0.0.1", "private"),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_address_problem(address: str, problem: str | None) -> None:
    assert address_problem(ipaddress.ip_address(address)) == problem

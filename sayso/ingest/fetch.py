"""Fetch one article over http(s), refusing anything an analyst would not want fetched.

Safety rules (every redirect hop is checked the same way; redirects are followed by hand,
at most :data:`MAX_REDIRECTS`):

* only ``http`` and ``https`` URLs;
* the host is resolved with :func:`socket.getaddrinfo` and refused if *any* of its
  addresses is loopback, private, link-local, multicast, reserved, unspecified or otherwise
  not globally routable (IPv4-mapped IPv6 is unwrapped first), unless ``allow_private``;
* the connection goes to the checked IP address itself (the URL host is replaced by the IP,
  the ``Host`` header and, for https, the TLS SNI/certificate name keep the real host name),
  so a DNS answer that changes between check and connect (DNS rebinding) cannot redirect
  the request to an internal address;
* environment proxies are ignored (``trust_env=False``): a proxy would resolve the name
  itself, defeating the check. Residual risk: none known for the address check; a host
  behind a public address can of course still serve anything;
* the body is streamed with a byte cap (after content decoding, so a gzip bomb stops at the
  cap), a ``Content-Length`` over the cap is refused before reading, and the whole body must
  arrive within ``timeout`` seconds;
* only ``text/html``, ``application/xhtml+xml``, ``text/plain`` and ``text/markdown``
  responses are accepted (a response without a Content-Type is passed on and sniffed).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from email.message import Message

import httpx

from sayso.errors import FetchError

__all__ = [
    "ALLOWED_CONTENT_TYPES",
    "MAX_REDIRECTS",
    "FetchedPage",
    "address_problem",
    "content_type_charset",
    "content_type_mime",
    "fetch_url",
    "human_size",
]

MAX_REDIRECTS = 5
ALLOWED_CONTENT_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown"}
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_USER_AGENT = "sayso/0.1 (article analysis; +https://pypi.org/project/sayso/)"
_ACCEPT = "text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.8"
_MAX_ADDRESSES_TRIED = 3

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass
class FetchedPage:
    """The raw body of a fetched page and what the server said about it."""

    data: bytes
    url: str  # the final URL, after redirects
    content_type: str | None  # the full Content-Type header, parameters included
    filename: str | None  # last path segment of the final URL (for extension sniffing)


def human_size(n: int) -> str:
    """Format a byte count for messages.

    >>> human_size(10 * 1024 * 1024), human_size(1500), human_size(12)
    ('10 MiB', '1.5 KiB', '12 bytes')
    """
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def address_problem(ip: IPAddress) -> str | None:
    """Say why ``ip`` must not be fetched by default, or ``None`` if it is public.

    >>> address_problem(ipaddress.ip_address("127.0.0.1"))
    'loopback'
    >>> address_problem(ipaddress.ip_address("::ffff:169.254.169.254"))
    'link-local'
    >>> address_problem(ipaddress.ip_address("93.184.215.14")) is None
    True
    """
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "non-public"
    return None


def fetch_url(
    url: str,
    *,
    allow_private: bool = False,
    max_bytes: int = 10 * 1024 * 1024,
    timeout: float = 20.0,
) -> FetchedPage:
    """Fetch ``url`` with the safety rules of this module; raise :class:`FetchError` if refused."""
    current = _check_url(url, url)
    for _hop in range(MAX_REDIRECTS + 1):
        result = _fetch_once(
            current, allow_private=allow_private, max_bytes=max_bytes, timeout=timeout
        )
        if isinstance(result, FetchedPage):
            return result
        try:
            target = current.join(result)
        except (httpx.InvalidURL, ValueError) as exc:
            raise FetchError(f"bad redirect from {current}: {_one_line(exc)}") from None
        current = _check_url(str(target), url)
    raise FetchError(f"too many redirects (more than {MAX_REDIRECTS}) fetching {url}")


def _check_url(url: str, original: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise FetchError(f"invalid URL {url!r}: {_one_line(exc)}") from None
    if parsed.scheme not in ("http", "https"):
        via = "" if url == original else f" (redirected from {original})"
        scheme = parsed.scheme or "no scheme"
        raise FetchError(f"refusing {url}{via}: only http and https URLs are fetched, not {scheme}")
    if not parsed.host:
        raise FetchError(f"invalid URL {url!r}: no host name")
    return parsed


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {_one_line(exc)}") from None
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        raw = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 zone id
        try:
            ip = ipaddress.ip_address(raw)
        except ValueError:
            continue
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise FetchError(f"cannot resolve host {host!r}: no usable address")
    return addresses


def _fetch_once(
    url: httpx.URL, *, allow_private: bool, max_bytes: int, timeout: float
) -> FetchedPage | str:
    """One request; returns the page, or the Location of a redirect."""
    host = url.raw_host.decode("ascii")  # IDNA-encoded, as DNS, Host and SNI want it
    port = url.port or (443 if url.scheme == "https" else 80)
    addresses = _resolve(host, port)
    if not allow_private:
        for ip in addresses:
            problem = address_problem(ip)
            if problem is not None:
                raise FetchError(
                    f"refusing {url}: host {host} resolves to {ip}, a {problem} address "
                    "(use allow_private to fetch local or private addresses)"
                )
    host_header = host if url.port is None else f"{host}:{url.port}"
    if ":" in host and url.port is None:
        host_header = f"[{host}]"
    elif ":" in host:
        host_header = f"[{host}]:{url.port}"
    headers = {"Host": host_header, "User-Agent": _USER_AGENT, "Accept": _ACCEPT}
    extensions = {"sni_hostname": host} if url.scheme == "https" else {}
    last_error: Exception | None = None
    for ip in addresses[:_MAX_ADDRESSES_TRIED]:
        pinned = url.copy_with(host=str(ip))
        try:
            return _request(pinned, url, headers, extensions, max_bytes, timeout)
        except httpx.ConnectError as exc:
            last_error = exc
            continue
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {timeout:g} s fetching {url}") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"could not fetch {url}: {_one_line(exc)}") from None
    raise FetchError(f"could not connect to {url}: {_one_line(last_error)}")


def _request(
    pinned: httpx.URL,
    url: httpx.URL,
    headers: dict[str, str],
    extensions: dict[str, str],
    max_bytes: int,
    timeout: float,
) -> FetchedPage | str:
    deadline = time.monotonic() + timeout
    # A fresh client per hop: no connection reuse across host names sharing an address.
    with (
        httpx.Client(trust_env=False, follow_redirects=False, timeout=timeout) as client,
        client.stream("GET", pinned, headers=headers, extensions=extensions) as response,
    ):
        status = response.status_code
        if status in _REDIRECTS:
            location = response.headers.get("location")
            if not location:
                raise FetchError(f"HTTP {status} redirect without a Location from {url}")
            return location
        if status >= 400 or status < 200 or status >= 300:
            reason = response.reason_phrase or ""
            raise FetchError(f"HTTP {status} {reason}".rstrip() + f" from {url}")
        content_type = response.headers.get("content-type")
        if content_type:
            mime = content_type_mime(content_type)
            if mime not in ALLOWED_CONTENT_TYPES:
                raise FetchError(
                    f"refusing {url}: content type {mime or content_type!r} is not HTML, "
                    "Markdown or plain text"
                )
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise FetchError(
                f"refusing {url}: {human_size(int(length))} is over the "
                f"{human_size(max_bytes)} size limit"
            )
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > max_bytes:
                raise FetchError(
                    f"refusing {url}: the body is over the {human_size(max_bytes)} size limit"
                )
            if time.monotonic() > deadline:
                raise FetchError(f"timed out after {timeout:g} s reading {url}")
            chunks.append(chunk)
    segment = url.path.rstrip("/").rsplit("/", 1)[-1]
    return FetchedPage(
        data=b"".join(chunks),
        url=str(url),
        content_type=content_type,
        filename=segment or None,
    )


def content_type_mime(content_type: str) -> str:
    """The lower-cased media type of a Content-Type header ("" if there is none).

    >>> content_type_mime("Text/HTML; charset=utf-8")
    'text/html'
    """
    message = Message()
    message["content-type"] = content_type
    return message.get_content_type().lower() if "/" in content_type else ""


def content_type_charset(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any.

    >>> content_type_charset('text/html; charset="ISO-8859-1"')
    'ISO-8859-1'
    """
    if not content_type:
        return None
    message = Message()
    message["content-type"] = content_type
    charset = message.get_param("charset")
    return charset.strip() if isinstance(charset, str) and charset.strip() else None


def _one_line(exc: object) -> str:
    text = str(exc).strip()
    if not text:
        return type(exc).__name__
    return text.splitlines()[0]

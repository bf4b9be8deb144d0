"""The web app (``sayso serve``) through FastAPI's TestClient: pages, JSON API, safety.

A tiny invented corpus (a strike on a grain silo in the town of Pellin, asserted, denied,
not confirmed and finally admitted; and some prisoner-exchange talks) is built once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from spacy.language import Language

from sayso.corpus import Corpus
from sayso.corpus.credibility import Observation
from sayso.serve.app import CSP, create_app
from sayso.serve.corpus_views import right_later

STORY = [
    (
        "2026-02-02",
        "Silo hit in Pellin",
        "Governor Mira Solano said on Monday that a drone strike had destroyed the grain silo "
        "in Pellin. The defence ministry denied that any drone had struck the silo. The Red "
        "Cross said it could not confirm the strike.",
    ),
    (
        "2026-02-04",
        "Mayor confirms silo strike",
        "The mayor of Pellin, Tomas Brel, said a drone strike had destroyed the grain silo in "
        "Pellin. Farmers said they had lost a year of grain.",
    ),
    (
        "2026-02-05",
        "Talks in Arvik",
        "Negotiators will meet in Arvik next week to discuss a prisoner exchange, the mediator "
        "Anja Holt said on Thursday.",
    ),
    (
        "2026-02-07",
        "Ministry admits silo strike",
        "The defence ministry admitted on Saturday that a drone strike had destroyed the grain "
        "silo in Pellin. Governor Mira Solano said the town needed help.",
    ),
]

ARTICLE = (
    "Bridge talks stall\n\n"
    "The transport minister, Ilse Varga, said on Monday that the Peltra bridge would reopen "
    "in May. The opposition leader Karl Denz denied that the bridge was safe. Engineers said "
    "they could not confirm the date."
)

HOSTILE = (
    "<html><head><title>x</title><script>window.pwned = 1</script></head><body>"
    '<p>The minister said <script>alert("in text")</script> the bridge was safe.</p>'
    '<p>Officials denied it. <img src=x onerror="alert(1)"> '
    '<a href="javascript:alert(2)">javascript:alert(2)</a></p>'
    '<p onmouseover="alert(3)">An aide said "<b onclick=alert(4)>no</b>" to '
    "<svg onload=alert(5)>.</p>"
    '<iframe srcdoc="<script>alert(6)</script>"></iframe></body></html>'
)
# The same as text: it must come back as visible text, every character of it.
HOSTILE_TEXT = (
    'The envoy said <script>alert("x")</script> was fine. '
    'Officials denied it: <img src=x onerror=alert(1)> <a href="javascript:alert(2)">link</a> '
    '"><svg onload=alert(3)> and onclick="alert(4)".'
)


class Page(HTMLParser):
    """Tags, attributes, ids and the text of #article of one HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self.depth = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.tags.append((tag, d))
        if d.get("id"):
            self.ids.append(str(d["id"]))
        if self.depth:
            self.depth += 1
        elif d.get("id") == "article":
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)

    def article_text(self) -> str:
        return "".join(self.text)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            d for t, d in self.tags if t == tag and all(d.get(k) == v for k, v in attrs.items())
        ]


def assert_nothing_runs(html: str) -> Page:
    """The page has no script but the app's own file, no handler, no javascript: URL."""
    page = Page(html)
    scripts = [d for t, d in page.tags if t == "script"]
    assert all(d.get("src") == "/static/report.js" for d in scripts), scripts
    for tag, attrs in page.tags:
        assert tag not in ("iframe", "img", "svg", "object", "embed", "style", "base"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src", "action", "formaction"):
                assert not (value or "").strip().lower().startswith(("javascript:", "data:"))
    return page


def assert_secure_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-security-policy"] == CSP or "svg" in headers["content-type"]
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[-1].split(";")[0]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


@pytest.fixture(scope="module")
def story_db(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    db = tmp_path_factory.mktemp("serve") / "story.duckdb"
    with Corpus(db) as corpus:
        for i, (published, title, text) in enumerate(STORY):
            corpus.add(
                text,
                published=published,
                title=title,
                url=f"https://news.example/{i}",
                source="News Example",
                nlp=nlp,
            )
    return db


@pytest.fixture(scope="module")
def client(story_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(story_db, max_upload_bytes=20_000)) as c:
        yield c


@pytest.fixture(scope="module")
def bare(nlp: Language) -> Iterator[TestClient]:
    """The app without a corpus."""
    with TestClient(create_app(max_upload_bytes=20_000)) as c:
        yield c


# -- analyse ---------------------------------------------------------------------------


def test_analyse_page_has_the_form(bare: TestClient) -> None:
    r = bare.get("/")
    assert r.status_code == 200
    assert_secure_headers(r)
    page = Page(r.text)
    form = page.find("form", id="analyse-form")[0]
    assert form["action"] == "/analyze" and form["enctype"] == "multipart/form-data"
    for tag, id_, name in (
        ("textarea", "article-text", "text"),
        ("input", "article-url", "url"),
        ("input", "article-file", "file"),
        ("input", "article-published", "published"),
    ):
        assert page.find(tag, id=id_)[0]["name"] == name
        assert page.find("label", **{"for": id_}), f"no label for #{id_}"
    assert page.find("button", id="analyse-button")
    assert "No corpus is open" in r.text


def test_pasted_text_is_drawn_with_statements_claims_and_panels(bare: TestClient) -> None:
    r = bare.post("/analyze", data={"text": ARTICLE, "published": "2026-03-02"})
    assert r.status_code == 200, r.text
    assert_secure_headers(r)
    page = assert_nothing_runs(r.text)
    body = ARTICLE.split("\n\n", 1)[1]
    assert page.article_text() == body
    assert {"statement-panel", "claim-panel", "claims", "statements"} <= set(page.ids)
    marks = [d for t, d in page.tags if "stance-denies" in (d.get("class") or "")]
    assert marks and all(re.fullmatch(r"st-\d+", d.get("data-ref") or "") for d in marks)
    assert any("Karl Denz" in (d.get("title") or "") for d in marks)
    # The statement cards the panel is filled from, and the app's stylesheets and script.
    assert re.search(r'id="st-\d+"', r.text)
    assert page.find("link", href="/static/report.css") and page.find("script")
    assert bare.get("/static/report.js").text.count("statement-panel") >= 1


def test_api_analyze_returns_the_record(bare: TestClient) -> None:
    r = bare.post("/api/analyze", json={"text": ARTICLE, "published": "2026-03-02"})
    assert r.status_code == 200
    rec = r.json()
    speakers = {s["speaker"]["name"] for s in rec["statements"]}
    assert "Karl Denz" in " ".join(speakers)
    assert any(s["stance"] == "denies" for s in rec["statements"])
    html = bare.post("/api/analyze", json={"html": "<p>The envoy said talks had stalled.</p>"})
    assert html.json()["text"].strip() == "The envoy said talks had stalled."


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({}, 400, "nothing to analyse"),
        ({"text": "a", "url": "https://x.example/"}, 400, "one input"),
        ({"text": "The envoy said so.", "published": "May 2"}, 400, "ISO date"),
        ({"text": "x", "colour": "red"}, 422, "colour"),
        ({"text": "   "}, 400, "nothing to analyse"),
        ({"url": "file:///etc/passwd"}, 400, "only http"),
        ({"url": "/etc/passwd"}, 400, "only http"),
        ({"url": "http://127.0.0.1:9/"}, 400, "127.0.0.1"),
        ({"text": "x" * 30_000}, 413, "size limit"),
    ],
)
def test_api_analyze_bad_input_is_a_one_line_4xx(
    bare: TestClient, body: dict[str, str], status: int, words: str
) -> None:
    r = bare.post("/api/analyze", json=body)
    assert r.status_code == status, r.text
    detail = r.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail and words in detail
    assert "Traceback" not in r.text
    assert_secure_headers(r)


def test_private_urls_are_fetched_only_when_allowed(nlp: Language) -> None:
    # Nothing listens on port 9: allowed, the fetch is tried and fails; refused, it is not.
    with TestClient(create_app(allow_private=True)) as allowed:
        r = allowed.post("/api/analyze", json={"url": "http://127.0.0.1:9/"})
    assert r.status_code == 400 and "private" not in r.json()["detail"].lower()


def test_form_errors_are_html_pages(bare: TestClient) -> None:
    r = bare.post("/analyze", data={"url": "javascript:alert(document.domain)"})
    assert r.status_code == 400
    assert "text/html" in r.headers["content-type"]
    page = assert_nothing_runs(r.text)
    assert page.find("p", id="error-message") and "javascript" in r.text
    assert_secure_headers(r)


# -- hostile input ---------------------------------------------------------------------


def test_hostile_text_is_shown_exactly_and_runs_nothing(bare: TestClient) -> None:
    r = bare.post("/analyze", data={"text": HOSTILE_TEXT})
    assert r.status_code == 200
    page = assert_nothing_runs(r.text)
    assert page.article_text() == HOSTILE_TEXT
    assert "&lt;script&gt;" in r.text


@pytest.mark.parametrize("how", ["form-text", "api-html", "upload"])
def test_hostile_html_runs_nothing(bare: TestClient, how: str) -> None:
    if how == "form-text":
        r = bare.post("/analyze", data={"text": HOSTILE})
    elif how == "api-html":
        rec = bare.post("/api/analyze", json={"html": HOSTILE})
        assert rec.status_code == 200
        text = rec.json()["text"]  # the extractor drops scripts; link text stays text
        assert "pwned" not in text and 'alert("in text")' not in text and "bridge" in text
        return
    else:
        r = bare.post("/analyze", files={"file": ("page.html", HOSTILE.encode(), "text/html")})
    assert r.status_code == 200, r.text
    assert_nothing_runs(r.text)
    assert "bridge was safe" in r.text


# -- uploads ---------------------------------------------------------------------------


def test_upload_of_a_markdown_file(bare: TestClient) -> None:
    md = b"# Bridge\n\nThe opposition leader Karl Denz denied that the bridge was safe.\n"
    r = bare.post("/analyze", files={"file": ("bridge.md", md, "application/octet-stream")})
    assert r.status_code == 200
    assert Page(r.text).article_text().startswith("The opposition leader Karl Denz denied")


@pytest.mark.parametrize(
    ("name", "data", "ctype", "status"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png", 415),
        ("notes.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "text/plain", 415),
        ("report.pdf", b"%PDF-1.4 The envoy said so.", "application/octet-stream", 415),
        ("big.txt", b"The envoy said so. " * 2000, "text/plain", 413),
        ("empty.txt", b"   ", "text/plain", 400),
    ],
)
def test_bad_uploads_are_refused(
    bare: TestClient, name: str, data: bytes, ctype: str, status: int
) -> None:
    r = bare.post("/analyze", files={"file": (name, data, ctype)})
    assert r.status_code == status
    assert "Traceback" not in r.text and Page(r.text).find("p", id="error-message")


def test_a_body_over_the_cap_is_refused_before_parsing(bare: TestClient) -> None:
    big = b"x" * (20_000 + 70_000)
    r = bare.post("/analyze", files={"file": ("big.txt", big, "text/plain")})
    assert r.status_code == 413
    r = bare.post("/api/analyze", content=json.dumps({"text": "y" * 90_000}))
    assert r.status_code == 413 and "size limit" in r.json()["detail"]


def test_a_chunked_body_over_the_cap_is_cut_off(bare: TestClient) -> None:
    # No Content-Length: the bytes are counted as they arrive.
    def chunks(head: bytes, tail: bytes) -> Iterator[bytes]:
        yield head
        for _ in range(100):
            yield b"x" * 1000
        yield tail

    form = chunks(b'--b\r\nContent-Disposition: form-data; name="text"\r\n\r\n', b"\r\n--b--\r\n")
    r = bare.post(
        "/analyze", content=form, headers={"content-type": "multipart/form-data; boundary=b"}
    )
    assert r.status_code == 413
    body = chunks(b'{"text": "', b'"}')
    r = bare.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "limit" in r.json()["detail"]


# -- without a corpus ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/claims", "/sources", "/claims/1", "/articles/abc"])
def test_corpus_pages_say_no_corpus_is_open(bare: TestClient, path: str) -> None:
    r = bare.get(path)
    assert r.status_code == 404
    assert "no corpus is open" in r.text.lower()


def test_corpus_api_without_corpus(bare: TestClient) -> None:
    r = bare.get("/api/claims")
    assert r.status_code == 404 and "no corpus is open" in r.json()["detail"]


def test_openapi_schema_but_no_cdn_docs(bare: TestClient) -> None:
    schema = bare.get("/openapi.json").json()
    assert {"/api/analyze", "/api/claims", "/api/claims/{claim_id}", "/api/sources"} <= set(
        schema["paths"]
    )
    assert "/" not in schema["paths"]  # the HTML pages are not part of the API
    assert bare.get("/docs").status_code == 404 and bare.get("/redoc").status_code == 404


def test_unknown_page_is_a_404_page(bare: TestClient) -> None:
    r = bare.get("/nowhere/<script>")
    assert r.status_code == 404 and "<script>" not in r.text
    assert_secure_headers(r)


# -- the corpus ------------------------------------------------------------------------


def _silo_claim(client: TestClient) -> dict[str, object]:
    claims = client.get("/api/claims", params={"q": "silo"}).json()
    assert claims, "no silo claim"
    return max(claims, key=lambda c: c["asserting"] + c["denying"] + c["neutral"])


def test_claims_page_lists_every_claim(client: TestClient) -> None:
    every = client.get("/api/claims").json()
    r = client.get("/claims")
    assert r.status_code == 200
    page = Page(r.text)
    assert page.find("form", id="claim-filters") and page.find("table", id="claims-table")
    links = [d["href"] for d in page.find("a", **{"class": "claim-link"})]
    assert links == [f"/claims/{c['id']}" for c in every]


def test_claim_filters(client: TestClient) -> None:
    every = client.get("/api/claims").json()
    silo = client.get("/api/claims", params={"q": "silo grain"}).json()
    assert 0 < len(silo) < len(every)
    assert all("silo" in c["text"].lower() or "grain" in c["text"].lower() for c in silo)
    contested = client.get("/api/claims", params={"contested": "yes"}).json()
    calm = client.get("/api/claims", params={"contested": "no"}).json()
    assert len(contested) + len(calm) == len(every)
    assert all(c["contested"] > 0 for c in contested)
    later = client.get("/api/claims", params={"from": "2026-02-06"}).json()
    assert later and all(c["last_date"] >= "2026-02-06" for c in later)
    early = client.get("/api/claims", params={"to": "2026-02-03"}).json()
    assert early and all(c["first_date"] <= "2026-02-03" for c in early)
    arvik = client.get("/api/claims", params={"entity": "Arvik"}).json()
    # Claims naming Arvik (in the claim or its sentence): the talks, not the silo.
    assert arvik and not {c["id"] for c in arvik} & {c["id"] for c in silo}
    # The HTML page applies the same filters and keeps them in the form.
    r = client.get("/claims", params={"q": "silo grain", "contested": "yes"})
    assert 'value="silo grain"' in r.text
    assert len(Page(r.text).find("a", **{"class": "claim-link"})) == len(
        [c for c in silo if c["contested"]]
    )
    bad = client.get("/claims", params={"from": "yesterday"})
    assert bad.status_code == 400 and "ISO date" in bad.text
    assert client.get("/api/claims", params={"contested": "maybe"}).status_code == 422


def test_claim_page_links_every_stance_to_its_sentence(client: TestClient) -> None:
    claim = _silo_claim(client)
    r = client.get(f"/claims/{claim['id']}")
    assert r.status_code == 200
    page = Page(r.text)
    h1 = re.search(r'<h1 id="claim-text">(.*?)</h1>', r.text)
    assert h1 and "silo" in h1.group(1).lower()
    assert page.find("img", id="timeline-chart")[0]["src"] == f"/claims/{claim['id']}/timeline.svg"
    assert "credibility" in page.ids
    cells = [d for t, d in page.tags if t == "a" and "stance-cell" in (d.get("class") or "")]
    detail = client.get(f"/api/claims/{claim['id']}").json()
    assert len(cells) == len(detail["timeline"]["entries"]) >= 3
    labels = {e["stance"] for e in detail["timeline"]["entries"]}
    assert {"asserts", "denies"} <= labels
    for cell in cells:
        href = str(cell["href"])
        path, anchor = href.split("#")
        assert re.fullmatch(r"/articles/[0-9a-f]+", path) and anchor
        assert re.search(r"\bstance-[a-z_]+\b", str(cell["class"]))
        article = Page(client.get(path).text)
        assert anchor in article.ids, f"{href}: no such anchor on the article page"
    matrix = detail["matrix"]
    assert len(matrix["rows"]) == len({e["holder_key"] for e in detail["timeline"]["entries"]})
    assert detail["credibility"]["n_votes"] >= 2


def test_timeline_chart_is_svg(client: TestClient) -> None:
    claim = _silo_claim(client)
    r = client.get(f"/claims/{claim['id']}/timeline.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    # The chart shows the same estimate as the claim page.
    p_true = client.get(f"/api/claims/{claim['id']}").json()["credibility"]["p_true"]
    assert f"p(true) = {p_true:.2f}" in r.text
    assert b"<svg" in r.content and b"<script" not in r.content
    assert "script-src" not in r.headers["content-security-policy"]  # default-src 'none'
    assert client.get("/claims/99999/timeline.svg").status_code == 404


def test_article_page_from_the_corpus(client: TestClient) -> None:
    detail = client.get(f"/api/claims/{_silo_claim(client)['id']}").json()
    aid = detail["timeline"]["entries"][0]["article_id"]
    r = client.get(f"/articles/{aid}")
    assert r.status_code == 200
    page = assert_nothing_runs(r.text)
    record = client.get(f"/api/articles/{aid}").json()
    assert page.article_text() == record["text"]
    assert f'href="/claims/{detail["timeline"]["id"]}"' in r.text  # back to the corpus claim
    assert client.get("/articles/0000000000000000").status_code == 404
    assert client.get("/api/articles/0000000000000000").json()["detail"].startswith("no article")


def test_sources_and_a_source_page(client: TestClient) -> None:
    every = client.get("/api/sources").json()
    r = client.get("/sources")
    links = [d["href"] for d in Page(r.text).find("a", **{"class": "source-link"})]
    assert links == [f"/sources/{quote(s['holder_key'], safe='')}" for s in every]
    governor = next(s for s in every if "solano" in s["holder_key"])
    r = client.get(f"/sources/{quote(governor['holder_key'], safe='')}")
    assert r.status_code == 200
    page = Page(r.text)
    rows = page.find("table", id="source-statements")
    assert rows and "Mira Solano" in r.text and "How “right later” is defined" in r.text
    hrefs = [
        str(d["href"])
        for d in page.find("a")
        if str(d.get("href", "")).startswith("/articles/") and "#" in str(d["href"])
    ]
    assert len(hrefs) >= governor["stances"]
    data = client.get(f"/api/sources/{quote(governor['holder_key'], safe='')}").json()
    checks = data["checks"]
    assert data["right"] + data["wrong"] + data["open"] == sum(
        c["verdict"] != "undated" for c in checks
    )
    assert client.get("/sources/nobody%20at%20all").status_code == 404


def test_right_later_compares_with_what_others_said_afterwards() -> None:
    day = [f"2026-01-{d:02d}" for d in range(1, 10)]
    import datetime as dt

    d = [dt.date.fromisoformat(x) for x in day]
    obs = [
        Observation(1, "gov", "asserts", d[0]),
        Observation(1, "ministry", "denies", d[0]),
        Observation(1, "un", "asserts", d[3]),
        Observation(1, "ngo", "asserts", d[4]),
        Observation(1, "ministry", "asserts", d[6]),  # the ministry admits it later
        Observation(2, "gov", "asserts", d[5]),
        Observation(2, "ngo", "asserts", d[2]),  # before the governor: not "later"
        Observation(3, "gov", "asserts", None),
    ]
    gov = {c.claim_id: c for c in right_later("gov", obs, {})}
    assert gov[1].verdict == "right" and gov[1].later_votes == 3
    assert gov[2].verdict == "open" and gov[2].later_votes == 0
    assert gov[3].verdict == "undated"
    # The ministry's latest stance is its admission: nobody spoke after it.
    ministry = {c.claim_id: c for c in right_later("ministry", obs, {})}
    assert ministry[1].stance == "asserts" and ministry[1].verdict == "open"
    # Someone who denied it and never changed is proved wrong by the later assertions.
    obs.append(Observation(1, "spokesman", "denies", d[1]))
    assert right_later("spokesman", obs, {})[0].verdict == "wrong"


def test_bad_ids_are_4xx(client: TestClient) -> None:
    assert client.get("/claims/99999").status_code == 404
    r = client.get("/api/claims/not-a-number")
    assert r.status_code == 422 and isinstance(r.json()["detail"], str)


def test_an_internal_error_is_one_line_with_the_headers(
    story_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sayso.serve.corpus_views import CorpusView

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is on fire\nsecret internals")

    monkeypatch.setattr(CorpusView, "sources", broken)
    with TestClient(create_app(story_db), raise_server_exceptions=False) as c:
        page, api = c.get("/sources"), c.get("/api/sources")
    assert page.status_code == api.status_code == 500
    assert api.json() == {"detail": "internal error (RuntimeError)"}
    assert "secret" not in page.text and "Traceback" not in page.text
    assert_secure_headers(page)
    assert_secure_headers(api)


def test_head_is_answered_like_get_without_a_body(client: TestClient) -> None:
    # Link checkers and uptime monitors send HEAD.
    for path in ("/", "/claims", "/static/report.css"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert "default-src 'none'" in head.headers["content-security-policy"]

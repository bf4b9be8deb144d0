"""The offline HTML report: exact text, working anchors, and no way for an article to run code."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from spacy.language import Language

import sayso
from sayso.ingest.article import Article
from sayso.record import (
    ArticleAnalysis,
    Claim,
    ClaimStance,
    Entity,
    Quantity,
    RhetoricSpan,
    Segment,
    Speaker,
    Statement,
    TextSpan,
)
from sayso.render.html import (
    Mark,
    install,
    render_html,
    report_view,
    safe_href,
    script_and_hash,
    sweep,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "missile-transfer.md"

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '"><svg onload=alert(1)>',
    "</div></span><script>alert(2)</script>",
    "<style>body{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(3)">',
    "{{ 7*7 }} {% raw %}",
]
HOSTILE_TEXT = (
    "The defence ministry said on Monday that <script>alert(1)</script> drones were shot down. "
    'Officials denied that <img src=x onerror=alert(1)> had happened. "The attack '
    '<a href="javascript:alert(1)">failed</a>," a spokesman said.\r\n\r\n'
    'According to the navy, "><svg onload=alert(1)> ships were seen near the port. '
    "Either they stop </div></span><script>alert(2)</script> or they face ruin.\n\n"
    "<style>body{display:none}</style> {{ 7*7 }} {% raw %} & &amp; &lt;"
)


class PageParser(HTMLParser):
    """Collects what a browser would see: script elements, attributes, and the article text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.in_script = False
        self.attrs: list[tuple[str, str, str | None]] = []
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.metas: list[dict[str, str | None]] = []
        self.text_depth = 0  # > 0 inside the article text div
        self.text_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        d = dict(attrs)
        for name, value in attrs:
            self.attrs.append((tag, name, value))
        if d.get("id"):
            self.ids.append(str(d["id"]))
        if tag == "a" and d.get("href") is not None:
            self.hrefs.append(str(d["href"]))
        if tag == "meta":
            self.metas.append(d)
        if tag == "script":
            self.in_script = True
            self.scripts.append("")
        if self.text_depth:
            self.text_depth += 1
        elif d.get("id") == "article":
            self.text_depth = 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False
        if self.text_depth:
            self.text_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.scripts[-1] += data
        if self.text_depth:
            self.text_parts.append(data)


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def assert_safe(page: str) -> PageParser:
    p = parse(page)
    assert p.tags.count("script") == 1, "only the report's own script"
    assert "alert(" not in p.scripts[0]
    assert not any(t in p.tags for t in ("img", "svg", "iframe", "object", "embed", "form"))
    assert p.tags.count("style") == 1 and p.tags.count("meta") == 5
    for tag, name, value in p.attrs:
        assert not name.lower().startswith("on"), (tag, name, value)
        if name in ("href", "src", "action", "formaction"):
            assert not (value or "").strip().lower().startswith(("javascript:", "data:")), value
    for href in p.hrefs:
        assert href.startswith("#") or href.startswith(("http://", "https://")), href
    # The CSP allows exactly the script that is there.
    digest = base64.b64encode(hashlib.sha256(p.scripts[0].encode()).digest()).decode()
    csp = [m for m in p.metas if (m.get("http-equiv") or "").lower() == "content-security-policy"]
    assert len(csp) == 1
    policy = csp[0]["content"] or ""
    assert "default-src 'none'" in policy
    assert f"script-src 'sha256-{digest}';" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    # The CSP must come before anything the article contributes.
    assert page.index("Content-Security-Policy") < page.index("<title>")
    return p


def visible_text(p: PageParser) -> str:
    return "".join(p.text_parts)


@pytest.fixture(scope="module")
def example(nlp: Language) -> ArticleAnalysis:
    return sayso.analyze(EXAMPLE, nlp=nlp)


@pytest.fixture(scope="module")
def example_page(example: ArticleAnalysis) -> str:
    return render_html(example)


def test_example_text_is_exact(example: ArticleAnalysis, example_page: str) -> None:
    p = assert_safe(example_page)
    assert visible_text(p) == example.text
    # Stripping tags and unescaping by regex gives the same.
    body = example_page.split('id="article">', 1)[1]
    depth, out, i = 1, [], 0
    for m in re.finditer(r"<(/?)(\w+)[^>]*>", body):
        out.append(body[i : m.start()])
        i = m.end()
        if m.group(2) == "a":
            continue
        depth += -1 if m.group(1) else 1
        if depth == 0:
            break
    assert html.unescape("".join(out)) == example.text


def test_every_statement_and_claim_has_anchor_and_backlink(
    example: ArticleAnalysis, example_page: str
) -> None:
    p = parse(example_page)
    ids, hrefs = set(p.ids), set(p.hrefs)
    assert len(ids) == len(p.ids), "ids are unique"
    assert example.statements and example.claims
    for k, st in enumerate(example.statements):
        card = f"st-{k}"
        assert card in ids and f"#{card}" in hrefs, st.id
        for part in ("sp", "cue", "ct"):
            assert f"t-{card}-{part}" in ids and f"#t-{card}-{part}" in hrefs
    for k, claim in enumerate(example.claims):
        card = f"cl-{k}"
        assert card in ids and f"#{card}" in hrefs, claim.id
        for j in range(len(claim.stances)):
            assert f"t-{card}-{j}" in ids and f"#t-{card}-{j}" in hrefs
    # Every in-page link has a target, and every fact links to its text.
    assert {h[1:] for h in hrefs if h.startswith("#")} <= ids
    for prefix, items in (
        ("q", example.quantities),
        ("d", example.dates),
        ("rh", example.rhetoric),
    ):
        assert {f"#t-{prefix}-{k}" for k in range(len(items))} <= hrefs
    mentions = sum(len(e.mentions) for e in example.entities)
    assert sum(1 for h in p.hrefs if h.startswith("#t-en-")) == mentions


def test_highlights_carry_stance_and_link_to_their_entry(example: ArticleAnalysis) -> None:
    view = report_view(example)
    denial = next(k for k, s in enumerate(example.statements) if s.stance == "denies")
    opens = [e for e in view.events if e.kind == "open" and e.ref == f"st-{denial}"]
    assert {e.classes for e in opens} >= {
        "mk cue s-denies stance-denies",
        "mk content s-denies stance-denies",
    }
    refs = [e for e in view.events if e.kind == "ref" and e.ref == f"st-{denial}"]
    assert len(refs) == 1 and refs[0].text == example.statements[denial].id
    rhet = [e for e in view.events if e.kind == "open" and "rhet" in e.classes]
    assert rhet and all(example.rhetoric[0].technique in e.title for e in rhet[:1])


def test_header_shows_metadata(example: ArticleAnalysis, example_page: str) -> None:
    assert example.title and example.title in example_page
    assert example.genre is not None
    assert f"<b>{example.genre.label}</b>" in example_page and "opinion share" in example_page
    assert "examples/missile-transfer.md" in example_page
    assert 'href="examples/' not in example_page
    assert "Tehran" in example_page  # an alias in the entity table


def test_sweep_nests_overlaps_without_losing_text() -> None:
    text = "abcdefghij"
    marks = [
        Mark(0, 6, "content", "x", "A", "a"),
        Mark(3, 9, "rhet", "y", "B", "b"),
        Mark(3, 9, "sent", "z", "C", "c"),
        Mark(5, 5, "num", "w", "D", "d"),  # empty: dropped
        Mark(8, 40, "num", "v", "E", "e"),  # clipped to the text
        Mark(-4, 2, "ent", "u", "F", "f"),
    ]
    events = sweep(text, marks)
    assert "".join(e.text for e in events if e.kind == "text") == text
    depth = 0
    for e in events:
        depth += {"open": 1, "close": -1}.get(e.kind, 0)
        assert depth >= 0
    assert depth == 0
    ids = [e.id for e in events if e.kind == "open" and e.id]
    assert sorted(ids) == ["A", "B", "C", "E", "F"]
    # The rhetoric span crossing the content's end is split; its 2nd fragment has no id.
    assert sum(1 for e in events if e.kind == "open" and e.anchor == "B") == 2
    # Titles list every span covering the fragment, outer first.
    inner = next(e for e in events if e.kind == "open" and e.anchor == "B")
    assert inner.title.split("\n") == ["a", "c", "b"]


def test_safe_href() -> None:
    assert safe_href("https://news.example/a") == "https://news.example/a"
    for bad in (
        "javascript:alert(1)",
        "JaVaScRiPt:x",
        "\tjavascript:x",
        "data:text/html,x",
        "vbscript:x",
        "http:/nohost",
        "/etc/passwd",
        "https://a b",
        None,
        "",
    ):
        assert safe_href(bad) is None, bad


def test_hostile_article_through_the_pipeline(nlp: Language) -> None:
    article = Article(
        text=HOSTILE_TEXT,
        title='<script>alert("t")</script>"><svg onload=alert(1)>',
        source='"><img src=x onerror=alert(1)>',
        url="javascript:alert(1)",
        authors=["<b onmouseover=alert(1)>Eve</b>"],
    )
    rec = sayso.analyze(article, nlp=nlp)
    assert rec.statements, "the hostile text still gets analysed"
    page = render_html(rec)
    p = assert_safe(page)
    assert visible_text(p) == rec.text
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in page
    assert "javascript:alert(1)" in page  # shown as text ...
    assert 'href="javascript' not in page.lower()  # ... never as a link


def test_hostile_record_built_by_hand() -> None:
    evil = HOSTILE[0] + HOSTILE[1] + HOSTILE[3]
    text = "Xx said yy. " + " ".join(HOSTILE) + "\r\nEnd."
    rec = ArticleAnalysis(
        title=evil,
        source=HOSTILE[2],
        url='https://example.org/"><script>alert(1)</script>',
        authors=[evil],
        published=evil,
        text=text,
        entities=[Entity(id=evil, name=evil, type="person", aliases=[evil], mentions=[(0, 2)])],
        statements=[
            Statement(
                id=evil,
                speaker=Speaker(name=evil, role=evil, affiliation=evil, span=(0, 2)),
                cue=TextSpan(text=evil, span=(3, 7)),
                content=TextSpan(text=evil, span=(8, len(text))),
                quote_type="direct",
                stance="denies",
                commitment=-3,
                stance_evidence=evil,
                claim=evil,
                refers_to=evil,
                date=evil,
            ),
            Statement(
                id="s2",
                speaker=Speaker(name="nobody", span=(500, 900)),  # outside the text
                cue=TextSpan(text="said", span=(-3, 1)),
                content=TextSpan(text="x", span=(5, 2)),
                quote_type="indirect",
            ),
        ],
        claims=[
            Claim(
                id=evil,
                text=evil,
                stances=[
                    ClaimStance(
                        holder=evil, stance="asserts", commitment=3, statement=None, span=(0, 11)
                    ),
                    ClaimStance(
                        holder=evil, stance="denies", commitment=-3, statement=evil, span=(3, 30)
                    ),
                ],
            )
        ],
        quantities=[Quantity(text=evil, value=1.0, unit=evil, span=(12, 20))],
        segments=[Segment(level="sentence", label="opinion", score=0.9, span=(12, len(text)))],
        rhetoric=[
            RhetoricSpan(
                technique=evil, score=0.5, span=(10, 40), text=evil, evidence=evil, statement=evil
            )
        ],
    )
    page = render_html(rec)
    p = assert_safe(page)
    assert visible_text(p) == text
    assert 'href="https://example.org/' in page  # a real http(s) URL is a link, escaped
    assert "&#34;&gt;&lt;script&gt;" in page


def test_page_is_self_contained(example: ArticleAnalysis) -> None:
    # What `sayso analyze --format html` prints: one document, nothing loaded from outside.
    page = render_html(example)
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page


def test_article_macro_is_reusable_by_another_page(example: ArticleAnalysis) -> None:
    from jinja2 import ChoiceLoader, DictLoader, Environment, PackageLoader

    page = '{% from "_article.html" import article_view %}<main>{{ article_view(view) }}</main>'
    env = Environment(
        loader=ChoiceLoader(
            [DictLoader({"page.html": page}), PackageLoader("sayso.render", "templates")]
        ),
        autoescape=True,  # and default whitespace handling, as FastAPI's Jinja2Templates
    )
    install(env)
    out = env.get_template("page.html").render(view=report_view(example))
    p = parse(out)
    assert visible_text(p) == example.text
    assert "st-0" in p.ids and "<script" not in out
    script, source = script_and_hash()
    assert source.startswith("'sha256-") and "location.hash" in script


def test_a_statement_restating_its_claim_reversed_shows_its_stance_on_the_claim() -> None:
    record = sayso.analyze(
        "The port authority said a tanker had sunk off Marrow Point on Friday. "
        "The shipping company said its tanker had not sunk off Marrow Point."
    )
    page = render_html(record)
    assert_safe(page)
    assert "denies (-3) on it: its words restate the claim reversed" in page
    assert page.count("on it: its words restate the claim reversed") == 1

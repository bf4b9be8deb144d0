"""The offline HTML report: the article text with the record drawn on it.

``render_html(record)`` returns one self-contained HTML page (inline CSS, one small inline
script allowed by its hash in a strict Content-Security-Policy, no external requests).
Everything that comes from the article or the record is escaped by Jinja2's autoescape.

The marked-up text is built by a boundary sweep over every span start and end, so
overlapping highlights become properly nested ``<span>`` fragments and the visible text is
exactly ``record.text``. The same view model and templates serve the web app:
``report_view(record)`` builds it and ``templates/_article.html`` holds the
``article_view(view)`` macro a page can import.

>>> from sayso.record import ArticleAnalysis
>>> page = render_html(ArticleAnalysis(text="Officials said <b>no</b>."))
>>> "Officials said &lt;b&gt;no&lt;/b&gt;." in page
True
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from sayso.record import STANCE_LABELS, ArticleAnalysis, Claim, Statement
from sayso.render.text import quantity_value, technique_name

STANCES: tuple[str, ...] = STANCE_LABELS
STANCE_HELP: dict[str, str] = {
    "asserts": "states it as true",
    "hedges": "says it may be true",
    "denies": "says it is false",
    "doubts": "leans towards false",
    "cannot_confirm": "neither confirms nor denies",
    "conditional": "only if something else holds",
    "questions": "asks whether it is true",
}
CLIP = 140

# Layer order: for spans with the same start and end the lower rank is the outer element.
_RANK = {
    "para": 0,
    "sent": 1,
    "claim": 2,
    "content": 3,
    "rhet": 4,
    "speaker": 5,
    "cue": 6,
    "ent": 7,
    "num": 8,
    "date": 9,
}


@dataclass(frozen=True)
class Mark:
    """One span to draw on the text (it may be split into several nested fragments)."""

    start: int
    end: int
    layer: str
    classes: str
    anchor: str
    title: str
    ref: str | None = None
    label: str | None = None  # when set, a small link labelled so follows the span


@dataclass(frozen=True)
class Event:
    """One step of the marked-up text: ``open``/``close`` a fragment, ``text``, or ``ref``.

    ``ref`` events are empty links (``<a href="#ref">``) whose label is drawn by CSS, so
    they add no text: the way back from the text to a list entry without JavaScript.
    """

    kind: str
    text: str = ""
    classes: str = ""
    id: str | None = None
    anchor: str = ""
    title: str = ""
    ref: str | None = None


@dataclass
class TextLink:
    """A link from a list entry to its span in the text (``anchor`` None: no valid span)."""

    text: str
    anchor: str | None


@dataclass
class StatementView:
    index: int
    anchor: str
    st: Statement
    stance: str
    speaker: TextLink
    cue: TextLink
    content: TextLink
    claim_anchor: str | None
    claim_text: str | None
    refers_anchor: str | None
    #: Its stance on its claim, when its words restate the claim reversed ("denies (-3)").
    claim_stance: str | None = None


@dataclass
class HolderView:
    holder: str
    stance: str
    stance_label: str
    commitment: int
    statement_id: str | None
    statement_anchor: str | None
    evidence: TextLink


@dataclass
class ClaimView:
    index: int
    anchor: str
    claim: Claim
    holders: list[HolderView]
    counts: list[tuple[str, int]]
    contested: bool


@dataclass
class RowView:
    """A row of the rhetoric, numbers, dates or opinion tables."""

    anchor: str
    link: TextLink
    cells: list[str | TextLink]


@dataclass
class EntityView:
    anchor: str
    name: str
    type: str
    aliases: list[str]
    mentions: list[TextLink]


@dataclass
class ReportView:
    """Everything the templates need, already resolved to anchors and safe class names."""

    record: ArticleAnalysis
    events: list[Event]
    source_href: str | None
    url_href: str | None
    statements: list[StatementView] = field(default_factory=list)
    claims: list[ClaimView] = field(default_factory=list)
    rhetoric: list[RowView] = field(default_factory=list)
    opinion: list[RowView] = field(default_factory=list)
    entities: list[EntityView] = field(default_factory=list)
    quantities: list[RowView] = field(default_factory=list)
    dates: list[RowView] = field(default_factory=list)
    stances: Sequence[tuple[str, str]] = ()


def safe_href(value: str | None) -> str | None:
    """``value`` if it is a plain absolute http(s) URL, else None (then render it as text).

    >>> safe_href("https://example.org/a?b=1")
    'https://example.org/a?b=1'
    >>> safe_href("javascript:alert(1)") is None, safe_href(" https://x.org") is None
    (True, True)
    >>> safe_href("examples/missile-transfer.md") is None
    True
    """
    if not value or len(value) > 2048:
        return None
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return value


def stance_class(label: str) -> str:
    """A CSS-safe stance name: one of :data:`STANCES`, or ``unknown``."""
    return label if label in STANCES else "unknown"


def _clip(text: str, limit: int = CLIP) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _valid(span: Sequence[int] | None, n: int) -> tuple[int, int] | None:
    """The span clipped to the text, or None when nothing of it is left."""
    if span is None or len(span) != 2:
        return None
    start, end = max(0, int(span[0])), min(n, int(span[1]))
    return (start, end) if start < end else None


def sweep(text: str, marks: Iterable[Mark]) -> list[Event]:
    """Turn possibly overlapping marks into properly nested open/text/close events.

    An element that crosses a boundary of an inner one is closed and reopened around it;
    only its first fragment carries the ``id``. The text events concatenate to ``text``.

    >>> ms = [Mark(0, 9, "content", "a", "A", "a"), Mark(4, 12, "rhet", "b", "B", "b")]
    >>> tags = {"open": "<", "close": ">"}
    >>> "".join(tags.get(e.kind, e.text) for e in sweep("0123456789AB", ms))
    '<0123<45678>><9AB>'
    """
    n = len(text)
    valid: list[Mark] = []
    for m in marks:
        span = _valid((m.start, m.end), n)
        if span is not None:
            valid.append(
                Mark(span[0], span[1], m.layer, m.classes, m.anchor, m.title, m.ref, m.label)
            )
    order = sorted(range(len(valid)), key=lambda i: (valid[i].start, -valid[i].end, _key(valid[i])))
    starts: dict[int, list[int]] = {}
    for i in order:
        starts.setdefault(valid[i].start, []).append(i)
    bounds = sorted({0, n} | {m.start for m in valid} | {m.end for m in valid})
    refs: dict[int, list[Mark]] = {}
    for m in valid:
        if m.ref is not None and m.label is not None:
            refs.setdefault(m.end, []).append(m)
    events: list[Event] = []
    stack: list[int] = []
    opened: set[int] = set()

    def open_(i: int) -> None:
        m = valid[i]
        first = i not in opened
        opened.add(i)
        titles = [valid[j].title for j in stack if valid[j].title] + [m.title]
        events.append(
            Event(
                "open",
                classes=m.classes,
                id=m.anchor if first else None,
                anchor=m.anchor,
                title="\n".join(t for t in titles if t),
                ref=m.ref,
            )
        )
        stack.append(i)

    for pos, nxt in zip(bounds, [*bounds[1:], None], strict=True):
        # Close everything down to the outermost element that ends here, then reopen the
        # ones that go on.
        low = next((k for k, i in enumerate(stack) if valid[i].end <= pos), None)
        reopen: list[int] = []
        if low is not None:
            while len(stack) > low:
                i = stack.pop()
                events.append(Event("close"))
                if valid[i].end > pos:
                    reopen.append(i)
        for m in refs.get(pos, []):
            stance = " ".join(c for c in m.classes.split() if c.startswith("s-"))
            events.append(
                Event("ref", ref=m.ref, title=m.title, text=m.label or "", classes=stance)
            )
        todo = reopen + starts.get(pos, [])
        for i in sorted(todo, key=lambda i: (-valid[i].end, _key(valid[i]))):
            open_(i)
        if nxt is not None and nxt > pos:
            events.append(Event("text", text=text[pos:nxt]))
    while stack:
        stack.pop()
        events.append(Event("close"))
    return events


def _key(m: Mark) -> int:
    return _RANK.get(m.layer, 99)


def _link(text: str, span: Sequence[int] | None, anchor: str, n: int) -> TextLink:
    return TextLink(text, anchor if _valid(span, n) is not None else None)


def report_view(record: ArticleAnalysis) -> ReportView:
    """Resolve a record into the view the templates draw (marks, anchors, list entries)."""
    n = len(record.text)
    marks: list[Mark] = []
    claim_index = {c.id: k for k, c in enumerate(record.claims)}
    stmt_index = {s.id: k for k, s in enumerate(record.statements)}

    statements: list[StatementView] = []
    for k, st in enumerate(record.statements):
        anchor, stance = f"st-{k}", stance_class(st.stance)
        who = st.speaker.name + (f", {st.speaker.role}" if st.speaker.role else "")
        desc = f"{st.id}: {who} — {st.stance} ({st.commitment:+d}), {st.quote_type}"
        ck = claim_index.get(st.claim or "")
        for part, span, cls in (
            ("sp", st.speaker.span, "speaker"),
            ("cue", st.cue.span, "cue"),
            ("ct", st.content.span, "content"),
        ):
            label = {"sp": "speaker", "cue": "cue", "ct": "content"}[part]
            marks.append(
                Mark(
                    *(span or (0, 0)),
                    cls,
                    f"mk {cls} s-{stance} stance-{stance}",
                    f"t-{anchor}-{part}",
                    f"{label} of {desc}",
                    anchor,
                    st.id if cls == "content" else None,
                )
            )
        rk = stmt_index.get(st.refers_to or "")
        on_claim = record.claim_stance_of(st)
        statements.append(
            StatementView(
                index=k,
                anchor=anchor,
                st=st,
                stance=stance,
                speaker=_link(st.speaker.name, st.speaker.span, f"t-{anchor}-sp", n),
                cue=_link(st.cue.text, st.cue.span, f"t-{anchor}-cue", n),
                content=_link(_clip(st.content.text), st.content.span, f"t-{anchor}-ct", n),
                claim_anchor=f"cl-{ck}" if ck is not None else None,
                claim_text=record.claims[ck].text if ck is not None else None,
                refers_anchor=f"st-{rk}" if rk is not None else None,
                claim_stance=(
                    f"{on_claim[0]} ({on_claim[1]:+d})"
                    if st.reverses_claim and on_claim is not None
                    else None
                ),
            )
        )

    claims: list[ClaimView] = []
    for k, claim in enumerate(record.claims):
        holders: list[HolderView] = []
        for j, cs in enumerate(claim.stances):
            sk = stmt_index.get(cs.statement or "")
            ev_anchor = f"t-cl-{k}-{j}"
            marks.append(
                Mark(
                    *cs.span,
                    "claim",
                    f"mk claimev in-cl-{k}",
                    ev_anchor,
                    f"claim {claim.id}: {cs.holder} {cs.stance} ({cs.commitment:+d})",
                    # The author's own stances have no statement: their mark links the claim.
                    None if sk is not None else f"cl-{k}",
                    None if sk is not None else claim.id,
                )
            )
            holders.append(
                HolderView(
                    holder=cs.holder if cs.statement is not None else f"{cs.holder} (author)",
                    stance=stance_class(cs.stance),
                    stance_label=cs.stance,
                    commitment=max(-3, min(3, cs.commitment)),
                    statement_id=cs.statement,
                    statement_anchor=f"st-{sk}" if sk is not None else None,
                    evidence=_link(_clip(record.quote(cs.span), 90), cs.span, ev_anchor, n),
                )
            )
        counts = [(s, sum(1 for h in holders if h.stance == s)) for s in (*STANCES, "unknown")]
        signs = {(h.commitment > 0) - (h.commitment < 0) for h in holders}
        claims.append(
            ClaimView(
                index=k,
                anchor=f"cl-{k}",
                claim=claim,
                holders=holders,
                counts=[(s, c) for s, c in counts if c],
                contested=1 in signs and -1 in signs,
            )
        )

    rhetoric: list[RowView] = []
    for k, r in enumerate(record.rhetoric):
        anchor = f"rh-{k}"
        whose = r.statement or "author"
        sk = stmt_index.get(r.statement or "")
        voice: str | TextLink = TextLink(whose, f"st-{sk}") if sk is not None else whose
        marks.append(
            Mark(
                *r.span,
                "rhet",
                "mk rhet",
                f"t-{anchor}",
                f"{r.technique} ({r.score:.2f}): {r.evidence} [voice: {whose}]",
                anchor,
            )
        )
        rhetoric.append(
            RowView(
                anchor,
                _link(_clip(r.text, 90), r.span, f"t-{anchor}", n),
                [technique_name(r.technique), f"{r.score:.2f}", r.evidence, voice],
            )
        )

    opinion: list[RowView] = []
    for k, seg in enumerate(record.segments):
        if seg.label != "opinion":
            continue
        anchor = f"op-{k}"
        layer = "para" if seg.level == "paragraph" else "sent"
        marks.append(
            Mark(
                *seg.span,
                layer,
                f"mk op-{layer}",
                f"t-{anchor}",
                f"opinion {seg.level} (p = {seg.score:.2f})",
                anchor,
            )
        )
        opinion.append(
            RowView(
                anchor,
                _link(_clip(record.quote(seg.span), 110), seg.span, f"t-{anchor}", n),
                [seg.level, f"{seg.score:.2f}"],
            )
        )

    entities: list[EntityView] = []
    for k, ent in enumerate(record.entities):
        anchor = f"en-{k}"
        links: list[TextLink] = []
        for j, span in enumerate(ent.mentions):
            a = f"t-{anchor}-{j}"
            marks.append(Mark(*span, "ent", "mk ent", a, f"{ent.name} ({ent.type})", None))
            links.append(_link(record.quote(span) or "?", span, a, n))
        entities.append(EntityView(anchor, ent.name, ent.type, list(ent.aliases), links))

    quantities: list[RowView] = []
    for k, q in enumerate(record.quantities):
        anchor = f"q-{k}"
        value = quantity_value(q)
        unit = f" {q.unit}" if q.unit else ""
        marks.append(
            Mark(*q.span, "num", "mk num", f"t-{anchor}", f"number: {value}{unit}", anchor)
        )
        quantities.append(
            RowView(
                anchor,
                _link(q.text, q.span, f"t-{anchor}", n),
                [value, q.unit or "", "vague" if q.vague else "exact"],
            )
        )

    dates: list[RowView] = []
    for k, d in enumerate(record.dates):
        anchor = f"d-{k}"
        marks.append(
            Mark(
                *d.span,
                "date",
                "mk date",
                f"t-{anchor}",
                f"date: {d.value} ({d.precision})",
                anchor,
            )
        )
        dates.append(
            RowView(anchor, _link(d.text, d.span, f"t-{anchor}", n), [d.value, d.precision])
        )

    return ReportView(
        record=record,
        events=sweep(record.text, marks),
        source_href=safe_href(record.source),
        url_href=safe_href(record.url),
        statements=statements,
        claims=claims,
        rhetoric=rhetoric,
        opinion=opinion,
        entities=entities,
        quantities=quantities,
        dates=dates,
        stances=[(s, STANCE_HELP[s]) for s in STANCES],
    )


def evidence_anchor(
    record: ArticleAnalysis, statement_id: str | None, span: Sequence[int] | None = None
) -> str | None:
    """The id :func:`report_view` gives a stance's evidence in the text, for links from
    elsewhere (a corpus page links each stance back to its sentence).

    The claim-evidence mark ``t-cl-<k>-<j>`` of the claim stance with this statement and
    span; else the statement's content mark ``t-st-<k>-ct``; None when the record has
    neither (or the span is outside the text).

    >>> from sayso.record import ArticleAnalysis
    >>> rec = ArticleAnalysis.model_validate({"text": "The army said so.", "statements": [
    ...     {"id": "s1", "speaker": {"name": "The army", "span": [0, 8]},
    ...      "cue": {"text": "said", "span": [9, 13]}, "content": {"text": "so", "span": [14, 16]},
    ...      "quote_type": "indirect"}]})
    >>> evidence_anchor(rec, "s1", (0, 16)), evidence_anchor(rec, "s9")
    ('t-st-0-ct', None)
    """
    n = len(record.text)
    if span is not None and _valid(span, n) is not None:
        for k, claim in enumerate(record.claims):
            for j, cs in enumerate(claim.stances):
                if cs.statement == statement_id and tuple(cs.span) == tuple(span):
                    return f"t-cl-{k}-{j}"
    for k, st in enumerate(record.statements):
        if statement_id is not None and st.id == statement_id:
            return f"t-st-{k}-ct" if _valid(st.content.span, n) is not None else None
    return None


def _keep_cr(value: str) -> Markup:
    # A raw CR would become LF in the browser's input stream; a character reference keeps it.
    return Markup(str(escape(value)).replace("\r", "&#13;"))


def install(env: Environment) -> None:
    """Add what the report templates need (a filter, a global) to another Jinja2 environment.

    For a web app that renders ``_article.html`` with its own environment; that environment
    must have ``autoescape=True`` and a loader that finds ``sayso.render/templates``.
    """
    env.filters["keep_cr"] = _keep_cr
    env.globals["stance_help"] = STANCE_HELP


@lru_cache(maxsize=1)
def template_env() -> Environment:
    """The Jinja2 environment of the report templates (autoescape on, strict undefined)."""
    env = Environment(
        loader=PackageLoader("sayso.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install(env)
    return env


def script_and_hash() -> tuple[str, str]:
    """The report's one inline script and its CSP source (``'sha256-...'``)."""
    script = template_env().get_template("report.js").render()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return script, f"'sha256-{digest}'"


def content_security_policy(script_source: str) -> str:
    """The page's CSP: nothing may load; inline styles; only the script with this hash."""
    return (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src {script_source}; img-src data:; base-uri 'none'; form-action 'none'"
    )


def render_html(record: ArticleAnalysis) -> str:
    """One self-contained HTML page showing the article with the record drawn on it."""
    script, source = script_and_hash()
    return (
        template_env()
        .get_template("report.html")
        .render(
            view=report_view(record),
            csp=content_security_policy(source),
            script=Markup(script),
        )
    )

"""A readable terminal summary of an :class:`~sayso.record.ArticleAnalysis` (``rich``)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sayso.record import ArticleAnalysis, Quantity, Statement

STANCE_STYLE = {
    "asserts": "green",
    "hedges": "yellow",
    "denies": "red",
    "doubts": "magenta",
    "cannot_confirm": "cyan",
    "conditional": "blue",
    "questions": "white",
}
QUOTE_CHARS = 90


def _clip(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _stance(label: str, commitment: int) -> Text:
    # "cannot confirm", as the article page writes it: a narrow column then wraps between
    # words, not inside "cannot_confirm".
    return Text(f"{label.replace('_', ' ')} ({commitment:+d})", style=STANCE_STYLE.get(label, ""))


def _speaker(st: Statement) -> Text:
    text = Text(st.speaker.name, style="bold")
    if st.speaker.role and st.speaker.role != st.speaker.name:
        text.append(f"\n{st.speaker.role}", style="dim")
    return text


def render(record: ArticleAnalysis, console: Console | None = None) -> None:
    """Print the summary: header, statements, claims, numbers and dates, opinion, rhetoric."""
    console = console or Console()
    header = Text(record.title or "(untitled article)", style="bold")
    meta = [
        x for x in (record.published, ", ".join(record.authors), record.source or record.url) if x
    ]
    if meta:
        header.append("\n" + " · ".join(meta), style="dim")
    if record.genre is not None:
        header.append(
            f"\ngenre: {record.genre.label} (opinion share {record.genre.opinion_share:.0%})"
        )
    console.print(Panel(header))
    console.print(_statements_table(record))
    if record.claims:
        console.print(_claims_table(record))
    facts = _facts_table(record)
    if facts is not None:
        console.print(facts)
    opinion = _opinion_panel(record)
    if opinion is not None:
        console.print(opinion)


def _statements_table(record: ArticleAnalysis) -> Table:
    table = Table(title=f"Statements ({len(record.statements)})", show_lines=True)
    for col in ("id", "speaker / role", "cue", "stance", "content", "date"):
        table.add_column(col, overflow="fold")
    for st in record.statements:
        stance = _stance(st.stance, st.commitment)
        on_claim = record.claim_stance_of(st)
        if st.reverses_claim and on_claim is not None:
            # Its words restate its claim reversed: say so, or the claims table's stance for
            # the same speaker reads as a contradiction.
            stance.append(
                f"\n= {on_claim[0].replace('_', ' ')} {st.claim} ({on_claim[1]:+d})", style="dim"
            )
        table.add_row(
            st.id,
            _speaker(st),
            st.cue.text,
            stance,
            Text(_clip(st.content.text)).append(f"  [{st.quote_type}]", style="dim"),
            st.date or "",
        )
    return table


def _claims_table(record: ArticleAnalysis) -> Table:
    table = Table(title=f"Claims ({len(record.claims)})", show_lines=True)
    table.add_column("id")
    table.add_column("claim", overflow="fold")
    table.add_column("who holds what", overflow="fold")
    for claim in record.claims:
        holders = Text()
        for n, st in enumerate(claim.stances):
            if n:
                holders.append("\n")
            holders.append(f"{st.holder}: ")
            holders.append_text(_stance(st.stance, st.commitment))
        table.add_row(claim.id, _clip(claim.text, 120), holders)
    return table


def _facts_table(record: ArticleAnalysis) -> Table | None:
    if not record.quantities and not record.dates:
        return None
    table = Table(title="Numbers and dates")
    table.add_column("as written")
    table.add_column("value")
    table.add_column("of / precision")
    for q in record.quantities:
        table.add_row(q.text, quantity_value(q), q.unit or "")
    for d in record.dates:
        table.add_row(d.text, d.value, d.precision)
    return table


def technique_name(label: str) -> str:
    """A rhetoric technique's label as a reader writes it.

    >>> technique_name("Name_Calling,Labeling")
    'Name Calling, Labeling'
    """
    return label.replace("_", " ").replace(",", ", ")


def quantity_value(q: Quantity) -> str:
    """A quantity's value as a reader would write it.

    >>> from sayso.record import Quantity
    >>> quantity_value(Quantity(text="more than 200", value=200, low=200, vague=True, span=(0, 13)))
    '> 200'
    >>> quantity_value(Quantity(text="dozens", value=24, low=24, high=99, vague=True, span=(0, 6)))
    '24–99'
    >>> quantity_value(Quantity(text="about 40", value=40, vague=True, span=(0, 8)))
    '≈ 40'
    """
    if q.low is not None and q.high is not None:
        return f"{q.low:g}–{q.high:g}"
    if q.low is not None:
        return f"> {q.low:g}"
    if q.high is not None:
        return f"≤ {q.high:g}"
    if q.value is None:
        return "?"
    return f"≈ {q.value:g}" if q.vague else f"{q.value:g}"


def _opinion_panel(record: ArticleAnalysis) -> Panel | None:
    opinion = [s for s in record.segments if s.level == "sentence" and s.label == "opinion"]
    if not opinion and not record.rhetoric:
        return None
    parts: list[Table | Text] = []
    if opinion:
        parts.append(Text(f"{len(opinion)} sentences in the author's own opinion:", "bold"))
        for seg in opinion[:8]:
            parts.append(Text("  " + _clip(record.quote(seg.span), 110), style="italic"))
    if record.rhetoric:
        table = Table(title=f"Rhetoric ({len(record.rhetoric)})")
        table.add_column("technique")
        table.add_column("text", overflow="fold")
        table.add_column("why", overflow="fold")
        table.add_column("whose")
        for r in record.rhetoric:
            table.add_row(
                technique_name(r.technique), _clip(r.text, 70), r.evidence, r.statement or "author"
            )
        parts.append(table)
    return Panel(Group(*parts), title="Opinion and rhetoric")

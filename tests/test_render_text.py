"""The terminal summary (`sayso analyze --format text`): what a reader sees there."""

from __future__ import annotations

from rich.console import Console

from sayso.record import ArticleAnalysis, RhetoricSpan, Segment
from sayso.render.text import render


def _printed(record: ArticleAnalysis) -> str:
    console = Console(record=True, width=200, color_system=None)
    render(record, console)
    return console.export_text()


def test_rhetoric_techniques_are_named_as_a_reader_writes_them() -> None:
    text = "Cowardly leaders in Veldt have betrayed us. Either we act now or we lose everything."
    record = ArticleAnalysis(
        text=text,
        segments=[Segment(level="sentence", label="opinion", score=0.9, span=(0, len(text)))],
        rhetoric=[
            RhetoricSpan(
                technique="Name_Calling,Labeling",
                score=0.8,
                span=(0, 16),
                text="Cowardly leaders",
                evidence="loaded words: 'cowardly'",
            ),
            RhetoricSpan(
                technique="Black-and-White_Fallacy",
                score=0.7,
                span=(44, len(text)),
                text=text[44:],
                evidence="pattern: 'either ... or ...'",
            ),
        ],
    )
    out = _printed(record)
    assert "Name Calling, Labeling" in out
    assert "Black-and-White Fallacy" in out
    assert "Name_Calling" not in out and "_Fallacy" not in out


def test_a_statement_restating_its_claim_reversed_shows_its_stance_on_the_claim() -> None:
    import sayso

    record = sayso.analyze(
        "The port authority said a tanker had sunk off Marrow Point on Friday. "
        "The shipping company said its tanker had not sunk off Marrow Point."
    )
    printed = _printed(record)
    # The statements table gives both: what its words assert, and what that means for c1.
    assert "= denies c1 (-3)" in printed
    assert printed.count("= denies") == 1


def test_a_stance_label_reads_as_words_so_a_narrow_column_wraps_between_them() -> None:
    import sayso

    record = sayso.analyze("The ministry said it could not confirm that the dam had been hit.")
    console = Console(record=True, width=80, color_system=None)
    render(record, console)
    printed = console.export_text()
    assert "cannot_confi" not in printed
    assert "cannot" in printed and "confirm (+0)" in printed

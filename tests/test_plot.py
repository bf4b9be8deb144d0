"""Claim timeline charts: ``render_timeline``, ``sayso claim --plot``, ``Corpus.plot_claim``.

All names and events are invented for these tests.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from spacy.language import Language

from sayso.corpus import Corpus
from sayso.corpus.cli import main as corpus_main
from sayso.corpus.plot import STANCE_COLOURS, render_timeline
from sayso.corpus.queries import ClaimTimeline, LineChange, TimelineEntry
from sayso.errors import SaysoError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def entry(day: int | None, holder: str, stance: str, commitment: int) -> TimelineEntry:
    return TimelineEntry(
        date=None if day is None else dt.date(2026, 3, day),
        holder=holder,
        holder_key=holder.lower(),
        stance=stance,
        commitment=commitment,
        quote="...",
        article_id=f"a{day}",
        title=None,
        outlet="Harbour Post",
        url=None,
        statement_id=None,
        span=(0, 3),
    )


def story() -> ClaimTimeline:
    """Varga doubts the strike on 3 March and confirms it on 9 March; an undated denial."""
    first = entry(2, "Anton Reshetar", "asserts", 3)
    doubt = entry(3, "Ilse Varga", "doubts", -1)
    confirm = entry(9, "Ilse Varga", "asserts", 3)
    entries = [first, doubt, confirm, entry(None, "Yusuf Karram", "denies", -3)]
    return ClaimTimeline(
        id=7,
        text="a drone struck the fuel depot in Oresk",
        entries=entries,
        first=first,
        changes=[LineChange("ilse varga", doubt, confirm)],
        p_true=0.81,
    )


def svg_fills(svg: bytes) -> set[str]:
    root = ET.fromstring(svg)  # well-formed XML
    styles = " ".join(el.get("style", "") for el in root.iter())
    return {c for c in STANCE_COLOURS.values() if f"fill: {c.lower()}" in styles.lower()}


def test_chart_is_deterministic_and_coloured_by_stance() -> None:
    png = render_timeline(story(), "png")
    assert png.startswith(PNG_MAGIC)
    assert render_timeline(story(), "png") == png
    svg = render_timeline(story(), fmt="svg")
    assert render_timeline(story(), fmt="svg") == svg
    assert b"<dc:date>" not in svg
    present = {STANCE_COLOURS[s] for s in ("asserts", "doubts", "denies")}
    assert svg_fills(svg) == present  # only the stances on the claim, each in its colour


def test_chart_changes_with_the_data() -> None:
    changed = story()
    changed.p_true = 0.12
    assert render_timeline(changed, "svg") != render_timeline(story(), "svg")


def test_empty_and_undated_timelines_still_draw() -> None:
    empty = ClaimTimeline(id=1, text="nothing yet", entries=[], first=None, changes=[])
    assert render_timeline(empty).startswith(PNG_MAGIC)
    only_undated = [entry(None, "Rosa Klein", "cannot_confirm", 0)]
    timeline = ClaimTimeline(2, "undated", only_undated, only_undated[0], [])
    assert b"<svg" in render_timeline(timeline, "svg")


def test_unknown_format_is_a_sayso_error() -> None:
    with pytest.raises(SaysoError, match="png or svg"):
        render_timeline(story(), "pdf")


ARTICLES = [
    (
        "2026-03-02",
        "A drone struck the fuel depot in Oresk on Monday, the defence minister Anton "
        "Reshetar said. The foreign ministry spokeswoman Ilse Varga said there was no "
        "evidence that a drone struck the fuel depot in Oresk.",
    ),
    (
        "2026-03-09",
        "The foreign ministry spokeswoman Ilse Varga confirmed on Monday that a drone "
        "struck the fuel depot in Oresk. Residents said the fire burned for two days.",
    ),
]


@pytest.fixture()
def store(tmp_path: Path, nlp: Language) -> tuple[Path, int]:
    db = tmp_path / "c.duckdb"
    with Corpus(db) as corpus:
        for published, text in ARTICLES:
            corpus.add(text, published=published, nlp=nlp)
        claim_id = corpus.claims(limit=1)[0].id
    return db, claim_id


def test_cli_plot_writes_png_and_svg(
    store: tuple[Path, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, claim_id = store
    png, svg = tmp_path / "claim.png", tmp_path / "claim.svg"
    assert corpus_main(["claim", str(claim_id), "--db", str(db), "--plot", str(png)]) == 0
    assert png.read_bytes().startswith(PNG_MAGIC)
    assert f"chart: {png}" in capsys.readouterr().out
    assert corpus_main(["claim", str(claim_id), "--db", str(db), "--plot", str(svg)]) == 0
    assert svg_fills(svg.read_bytes())  # at least one stance marker


@pytest.mark.parametrize(
    ("name", "message"),
    [("claim.pdf", "must end in .png or .svg"), ("missing/claim.png", "cannot write")],
)
def test_cli_bad_plot_path_is_one_line(
    store: tuple[Path, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    message: str,
) -> None:
    db, claim_id = store
    target = tmp_path / name
    code = corpus_main(["claim", str(claim_id), "--db", str(db), "--plot", str(target)])
    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not target.exists()


def test_python_api_plot_claim_has_the_credibility(store: tuple[Path, int]) -> None:
    db, claim_id = store
    with Corpus(db, read_only=True) as corpus:
        timeline = corpus.claim(claim_id, credibility=True)
        assert timeline.p_true is not None
        out = corpus.plot_claim(claim_id, db.parent / "api.svg")
        assert out.read_bytes() == render_timeline(timeline, "svg")
        assert corpus.claim(claim_id).p_true is None  # not computed unless asked

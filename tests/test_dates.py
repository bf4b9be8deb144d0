"""Tests for the ``sayso_dates`` component (sentences written for these tests).

The article date is Thursday 2026-03-05 unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from sayso.components.dates import date_for_span, find_dates
from sayso.pipeline import SPACY_MODEL

PUBLISHED = dt.date(2026, 3, 5)  # a Thursday


@pytest.fixture(scope="session")
def dnlp() -> Language:
    import sayso.components.dates  # noqa: F401

    nlp = spacy.load(SPACY_MODEL)
    nlp.add_pipe("sayso_dates")
    return nlp


def _run(nlp: Language, text: str, published: dt.date | None = PUBLISHED) -> Doc:
    doc = nlp.make_doc(text)
    doc._.sayso_published = published
    return nlp(doc)


def _dates(
    nlp: Language, text: str, published: dt.date | None = PUBLISHED
) -> list[tuple[str, str, str]]:
    doc = _run(nlp, text, published)
    return [(d.span.text, d.value, d.precision) for d in doc._.sayso_dates]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The ministry said on Thursday that the convoy had left.",
            ("Thursday", "2026-03-05", "day"),
        ),
        ("Rebels shelled the depot last Monday.", ("last Monday", "2026-03-02", "day")),
        ("The envoy arrived in Ankara on Friday.", ("Friday", "2026-02-27", "day")),
        ("The two sides will meet on Friday in Geneva.", ("Friday", "2026-03-06", "day")),
        ("Negotiators are due to resume talks on Monday.", ("Monday", "2026-03-09", "day")),
        ("The talks collapsed last Thursday.", ("last Thursday", "2026-02-26", "day")),
        ("The summit opens next Thursday.", ("next Thursday", "2026-03-12", "day")),
        ("Drones struck the refinery yesterday.", ("yesterday", "2026-03-04", "day")),
        ("The foreign minister flies to Cairo today.", ("today", "2026-03-05", "day")),
        ("The vote takes place tomorrow.", ("tomorrow", "2026-03-06", "day")),
        ("Sirens sounded last night across the capital.", ("last night", "2026-03-04", "day")),
        ("The base was hit three days ago.", ("three days ago", "2026-03-02", "day")),
        ("The blockade began last month.", ("last month", "2026-02", "month")),
        ("Fighting intensified earlier this month.", ("earlier this month", "2026-03", "month")),
        ("Exports slumped last year.", ("last year", "2025", "year")),
        ("The ceasefire was signed in March.", ("March", "2026-03", "month")),
        ("The offensive began in October.", ("October", "2025-10", "month")),
        ("Elections will be held in November.", ("November", "2026-11", "month")),
        ("The treaty was signed on March 3.", ("March 3", "2026-03-03", "day")),
        ("The port fell on 24 February.", ("24 February", "2026-02-24", "day")),
        ("The port fell on 24 April.", ("24 April", "2025-04-24", "day")),
        # Neither past nor future: the day nearest the article date.
        ("Voters in Arvel choose a president on 22 March.", ("22 March", "2026-03-22", "day")),
        ("Ballots for 22 March are being printed abroad.", ("22 March", "2026-03-22", "day")),
        ("The raid on 12 December is still debated.", ("12 December", "2025-12-12", "day")),
        ("The talks will resume on 2 March.", ("2 March", "2027-03-02", "day")),
        ("The accord was signed on 3 March 2024.", ("3 March 2024", "2024-03-03", "day")),
        ("The accord was signed on March 3, 2024.", ("March 3, 2024", "2024-03-03", "day")),
        ("The accord was dated 2024-03-03.", ("2024-03-03", "2024-03-03", "day")),
        ("The rebels took the city in 2022.", ("2022", "2022", "year")),
        ("Sanctions were imposed in July 2015.", ("July 2015", "2015-07", "month")),
        ("The first strikes began in mid-March.", ("mid-March", "2026-03", "month")),
    ],
)
def test_resolution_against_article_date(
    dnlp: Language, text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in _dates(dnlp, text)


def test_weekday_with_date_is_one_mention(dnlp: Language) -> None:
    assert _dates(dnlp, "He spoke on Thursday, March 5, in Kyiv.") == [
        ("Thursday, March 5", "2026-03-05", "day")
    ]


def test_year_borrowed_in_coordinated_dates(dnlp: Language) -> None:
    got = _dates(dnlp, "Strikes hit the city on 24 February and March 3, 2024.")
    assert ("24 February", "2024-02-24", "day") in got
    assert ("March 3, 2024", "2024-03-03", "day") in got


def test_without_article_date_only_absolute_dates(dnlp: Language) -> None:
    got = _dates(dnlp, "On Thursday the ministry recalled the 3 March 2024 accord.", published=None)
    assert got == [("3 March 2024", "2024-03-03", "day")]


@pytest.mark.parametrize(
    "text",
    [
        "The shelling went on for three days.",
        "The ceasefire lasted 48 hours.",
        "A 45-year-old man was detained.",
        "May God protect the soldiers.",
        "The talks collapsed last week.",
        "The navy fired 2000 missiles at the fleet.",
        "Resolution 2231 remains in force.",
    ],
)
def test_not_dates(dnlp: Language, text: str) -> None:
    assert _dates(dnlp, text) == []


def test_date_for_span_prefers_date_of_the_cue(dnlp: Language) -> None:
    doc = _run(dnlp, "The ministry said on Thursday that troops had crossed the river on Monday.")
    cue = doc[2:3]
    assert cue.text == "said"
    assert date_for_span(doc, cue) == "2026-03-05"


def test_date_for_span_falls_back_to_sentence_and_none(dnlp: Language) -> None:
    doc = _run(
        dnlp, "Troops crossed the river on Monday, the ministry said. Nobody else commented."
    )
    said = next(t for t in doc if t.text == "said")
    assert date_for_span(doc, doc[said.i : said.i + 1]) == "2026-03-02"
    commented = next(t for t in doc if t.text == "commented")
    assert date_for_span(doc, doc[commented.i : commented.i + 1]) is None


def test_find_dates_on_blank_pipeline() -> None:
    doc = spacy.blank("en")("Talks began on 3 March 2024.")
    assert [(d.value, d.precision) for d in find_dates(doc)] == [("2024-03-03", "day")]


def test_weekday_in_noun_phrase_is_not_future(dnlp: Language) -> None:
    got = _dates(dnlp, "The outcome of Tuesday's summit won't be known for years.")
    assert got == [("Tuesday", "2026-03-03", "day")]

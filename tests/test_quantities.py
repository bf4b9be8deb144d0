"""Tests for the ``sayso_quantities`` component (sentences written for these tests)."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from sayso.components.quantities import find_quantities
from sayso.doc_types import QuantityMention
from sayso.pipeline import SPACY_MODEL


@pytest.fixture(scope="session")
def qnlp() -> Language:
    import sayso.components.quantities  # noqa: F401

    nlp = spacy.load(SPACY_MODEL)
    nlp.add_pipe("sayso_quantities")
    return nlp


def _by_text(nlp: Language, text: str) -> dict[str, QuantityMention]:
    doc = nlp(text)
    return {q.span.text: q for q in doc._.sayso_quantities}


def test_component_sets_extension(qnlp: Language) -> None:
    doc = qnlp("The army sent 10,000 troops to the border.")
    assert isinstance(doc._.sayso_quantities, list)
    assert [q.span.text for q in doc._.sayso_quantities] == ["10,000 troops"]


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("The army moved 10,000 troops north.", "10,000 troops", 10000, "troops"),
        ("Kyiv said 1,500 special forces landed.", "1,500 special forces", 1500, "special forces"),
        ("The war displaced 12 million people.", "12 million people", 12_000_000, "people"),
        ("Washington pledged $2.5bn in aid.", "$2.5bn", 2.5e9, "USD"),
        ("Washington pledged $2.5 billion in aid.", "$2.5 billion", 2.5e9, "USD"),
        ("Brussels released €40m for repairs.", "€40m", 4e7, "EUR"),
        ("The convoy drove 300 km overnight.", "300 km", 300, "km"),
        ("Turnout fell to 40% in the east.", "40%", 40, "percent"),
        ("Turnout fell to 40 per cent in the east.", "40 per cent", 40, "percent"),
        ("The brigade lost three tanks.", "three tanks", 3, "tanks"),
        ("Rebels launched a dozen drones at the port.", "a dozen drones", 12, "drones"),
        ("Engineers counted twenty-five craters.", "twenty-five craters", 25, "craters"),
        (
            "Gunners fired three hundred and fifty shells.",
            "three hundred and fifty shells",
            350,
            "shells",
        ),
        ("The navy fired 2000 missiles at the fleet.", "2000 missiles", 2000, "missiles"),
        ("Convoys carried 30 tonnes of flour.", "30 tonnes", 30, "tonnes"),
        ("Moscow budgeted 900 billion roubles for the army.", "900 billion roubles", 9e11, "RUB"),
    ],
)
def test_exact_amounts(qnlp: Language, text: str, span: str, value: float, unit: str) -> None:
    found = _by_text(qnlp, text)
    assert span in found, found
    q = found[span]
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert not q.vague
    assert q.low is None and q.high is None


def test_counted_noun_keeps_adjectives_but_not_throwaway_ones(qnlp: Language) -> None:
    found = _by_text(qnlp, "Dozens of North Korean soldiers and 10,000 new troops arrived.")
    assert found["Dozens of North Korean soldiers"].unit == "North Korean soldiers"
    assert found["10,000 new troops"].unit == "troops"


@pytest.mark.parametrize(
    ("text", "span", "low", "high", "unit"),
    [
        ("Thousands of troops massed at the border.", "Thousands of troops", 2000, 9999, "troops"),
        (
            "The siege trapped tens of thousands of civilians.",
            "tens of thousands of civilians",
            20000,
            99999,
            "civilians",
        ),
        ("Dozens of drones hit the city.", "Dozens of drones", 24, 99, "drones"),
        ("Hundreds of families fled.", "Hundreds of families", 200, 999, "families"),
        ("Several soldiers were wounded.", "Several soldiers", 3, 9, "soldiers"),
        ("A few officers resigned.", "A few officers", 2, 5, "officers"),
        (
            "Several hundred mercenaries withdrew.",
            "Several hundred mercenaries",
            300,
            900,
            "mercenaries",
        ),
        (
            "The raid killed between 200 and 300 fighters.",
            "between 200 and 300 fighters",
            200,
            300,
            "fighters",
        ),
        ("The militia fired 200-300 rockets.", "200-300 rockets", 200, 300, "rockets"),
        (
            "Nearly 2 to 3 million refugees left.",
            "Nearly 2 to 3 million refugees",
            2e6,
            3e6,
            "refugees",
        ),
    ],
)
def test_vague_amounts_and_ranges(
    qnlp: Language, text: str, span: str, low: float, high: float, unit: str
) -> None:
    found = _by_text(qnlp, text)
    assert span in found, found
    q = found[span]
    assert q.vague
    assert (q.low, q.high) == (pytest.approx(low), pytest.approx(high))
    assert q.value == pytest.approx(low)
    assert q.unit == unit


def test_bounds_and_approximations(qnlp: Language) -> None:
    found = _by_text(
        qnlp,
        "More than 500 people were detained, up to 3,000 soldiers deserted and about 1,500 "
        "shells landed.",
    )
    more = found["More than 500 people"]
    assert (more.value, more.low, more.high, more.vague) == (500, 500, None, True)
    upto = found["up to 3,000 soldiers"]
    assert (upto.value, upto.low, upto.high, upto.vague) == (3000, None, 3000, True)
    about = found["about 1,500 shells"]
    assert (about.value, about.low, about.high, about.vague) == (1500, None, None, True)


@pytest.mark.parametrize(
    "text",
    [
        "UN Resolution 2231 was adopted unanimously.",
        "The G7 condemned the strike.",
        "The invasion began in 2022.",
        "The talks opened on 3 March 2024.",
        "The second convoy was delayed.",
        "A 45-year-old man was detained.",
        "Call the hotline on +44 20 7946 0000 for help.",
        "The shelling went on for three days.",
        "The ceasefire lasted 48 hours.",
        "No one was hurt.",
    ],
)
def test_exclusions(qnlp: Language, text: str) -> None:
    doc = qnlp(text)
    texts = [q.span.text for q in doc._.sayso_quantities]
    bad_parts = ("2231", "G7", "2022", "2024", "3", "second", "45", "44", "7946", "three", "48")
    for bad in (*bad_parts, "one"):
        assert not any(bad in t for t in texts), (text, texts)


def test_su25_count_keeps_the_count_not_the_model(qnlp: Language) -> None:
    found = _by_text(qnlp, "Two Su-25 jets were shot down.")
    assert [(q.value, q.unit) for q in found.values()] == [(2, "Su-25 jets")]


def test_bare_number_without_noun(qnlp: Language) -> None:
    found = _by_text(qnlp, "The death toll rose to 1,200 on the front.")
    assert found["1,200"].value == 1200
    assert found["1,200"].unit is None


def test_blank_pipeline_still_parses_numbers() -> None:
    doc = spacy.blank("en")("Donors gave $3bn and 40% more.")
    got = [(q.span.text, q.unit) for q in find_quantities(doc)]
    assert ("$3bn", "USD") in got
    assert ("40%", "percent") in got


def test_space_separated_thousands_and_or_ranges(qnlp: Language) -> None:
    found = _by_text(qnlp, "Officials recorded more than 2 000 cases and five or six explosions.")
    cases = found["more than 2 000 cases"]
    assert (cases.value, cases.low, cases.unit) == (2000, 2000, "cases")
    blasts = found["five or six explosions"]
    assert (blasts.low, blasts.high, blasts.vague) == (5, 6, True)


@pytest.mark.parametrize(
    "text",
    [
        "It is one thing to talk and another to act.",
        "The talks moved to a two-tier format.",
        "Diplomats cited Article 5 of the treaty.",
        "He quoted AL 303 in the letter.",
        "1) Withdraw the troops.",
    ],
)
def test_no_quantity(qnlp: Language, text: str) -> None:
    assert qnlp(text)._.sayso_quantities == []

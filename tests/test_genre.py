"""Tests for sayso_genre: reporting vs opinion per sentence/paragraph, and article genre."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import sayso.components.genre
import sayso.components.rhetoric  # noqa: F401  (registers the factories)
from sayso.pipeline import SPACY_MODEL
from sayso.rhetoric.opinion import SentenceOpinion, genre

FIXTURES = Path(__file__).parent / "fixtures" / "articles"


@pytest.fixture(scope="session")
def genre_nlp() -> Language:
    nlp = spacy.load(SPACY_MODEL)
    nlp.add_pipe("sayso_rhetoric")
    nlp.add_pipe("sayso_genre")
    return nlp


@pytest.fixture(scope="session")
def genre_only_nlp() -> Language:
    nlp = spacy.load(SPACY_MODEL)
    nlp.add_pipe("sayso_genre")
    return nlp


def _doc(nlp: Language, name: str) -> Doc:
    return nlp((FIXTURES / name).read_text(encoding="utf-8"))


def _sentence_score(nlp: Language, text: str) -> float:
    doc = nlp(text)
    sents = [s for s in doc._.sayso_segments if s.level == "sentence"]
    assert len(sents) == 1, [s.span.text for s in sents]
    return sents[0].score


def test_news_report_genre(genre_nlp: Language) -> None:
    g = _doc(genre_nlp, "news_report.txt")._.sayso_genre
    assert g.label == "news report", g
    assert g.opinion_share < 0.2
    assert g.rhetoric_per_1000_words < 6
    assert set(g.scores) == {"news report", "opinion/analysis", "advocacy"}
    assert abs(sum(g.scores.values()) - 1.0) < 1e-3


def test_opinion_piece_genre(genre_nlp: Language) -> None:
    g = _doc(genre_nlp, "opinion_piece.txt")._.sayso_genre
    assert g.label in {"opinion/analysis", "advocacy"}, g
    assert g.opinion_share > 0.5
    assert g.rhetoric_per_1000_words > 30


def test_segments_sentences_then_paragraphs(genre_nlp: Language) -> None:
    doc = _doc(genre_nlp, "opinion_piece.txt")
    segs = doc._.sayso_segments
    levels = [s.level for s in segs]
    first_para = levels.index("paragraph")
    assert all(level == "sentence" for level in levels[:first_para])
    assert all(level == "paragraph" for level in levels[first_para:])
    paras = [s for s in segs if s.level == "paragraph"]
    assert len(paras) == doc.text.count("\n\n") + 1  # title + 7 paragraphs
    assert paras[0].span.text == "We must stand firm against Estrava's butchers"
    assert paras[-1].label == "opinion"
    for s in segs:
        assert s.label == ("opinion" if s.score >= 0.5 else "reporting")
        assert not s.span.text.startswith(("\n", " "))


def test_news_paragraphs_are_reporting(genre_nlp: Language) -> None:
    doc = _doc(genre_nlp, "news_report.txt")
    paras = [s for s in doc._.sayso_segments if s.level == "paragraph"]
    assert paras and all(p.label == "reporting" for p in paras), [
        (p.span.text[:40], p.score) for p in paras
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The alliance must send more air defence systems before winter.",
        "Surely nobody still believes the junta wants peace.",
        "How many more villages have to burn before the council acts?",
        "In my view, the sanctions have been a costly failure.",
        "We cannot allow this shameful betrayal to stand!",
    ],
)
def test_author_opinion_sentences(genre_only_nlp: Language, text: str) -> None:
    assert _sentence_score(genre_only_nlp, text) >= 0.5


@pytest.mark.parametrize(
    "text",
    [
        "The convoy of 40 trucks crossed the border on Friday, the ministry said.",
        "Troops withdrew from three villages near the river, according to local officials.",
        'The president said: "We must defend every metre of our land."',
        "The talks in Vienna ended without an agreement on Thursday.",
    ],
)
def test_reporting_sentences(genre_only_nlp: Language, text: str) -> None:
    assert _sentence_score(genre_only_nlp, text) < 0.5


def test_endorsed_attribution_counts_as_opinion(genre_only_nlp: Language) -> None:
    plain = _sentence_score(genre_only_nlp, 'The envoy said the ceasefire was "a shameful deal".')
    endorsed = _sentence_score(
        genre_only_nlp, 'The envoy rightly said the ceasefire was "a shameful deal".'
    )
    assert endorsed > plain


@pytest.mark.parametrize(
    "text",
    [
        # evaluative words in the author's voice
        "The hand-wringing in Western capitals misses the point entirely.",
        "Timid and cowardly governments have let the smugglers act with impunity.",
        # predictions in the author's voice
        "History will not forgive the ministers who signed this deal.",
        "Sooner or later, the bill for this blockade will arrive in Tallinn.",
        # moral judgements
        "Starving a besieged city into surrender is a war crime, whatever the generals call it.",
        # either/or ultimatums
        "Either the council enforces its own resolution now, or it will become irrelevant.",
        # discourse contrast + hedged opinion
        "Yet the envoys in Vienna seem to think that one more summit will save the truce.",
        "It seems clear that the junta never intended to hold elections.",
        # sarcasm and rhetorical questions
        "Oh yes, another strongly worded letter; that will surely stop the tanks.",
        "Who exactly believes the militia will disarm on its own?",
        # calls to action
        "It is time for the donors to stop funding the port authority.",
    ],
)
def test_opinion_cue_families(genre_only_nlp: Language, text: str) -> None:
    assert _sentence_score(genre_only_nlp, text) >= 0.5


@pytest.mark.parametrize(
    "text",
    [
        # loaded words inside a quotation stay reporting
        '"These cowardly butchers will pay for every village," the rebel commander told the crowd.',
        # scheduled future, attributed
        "The foreign ministers are expected to meet in Nicosia next Tuesday, diplomats said.",
        # plain event with a date and a number
        "Border guards detained 31 people near the Drava crossing on Saturday.",
    ],
)
def test_reporting_cue_families(genre_only_nlp: Language, text: str) -> None:
    assert _sentence_score(genre_only_nlp, text) < 0.5


def test_endorsement_flips_attribution(genre_only_nlp: Language) -> None:
    text = "The envoy rightly said the blockade of the Keln valley was illegal."
    assert _sentence_score(genre_only_nlp, text) >= 0.5


CODA_ARTICLE = "\n\n".join(
    [
        "Navy seizes tanker off the Ostmark coast",
        (
            "The Velorian navy seized an oil tanker off the Ostmark coast on Tuesday, "
            "the coast guard said. "
            "The ship was carrying about 80,000 tonnes of crude oil, according to shipping data."
        ),
        (
            "Ostmark's foreign ministry said in a statement that the seizure was "
            '"an act of piracy". '
            "A navy spokesman said the tanker had been escorted to the port of Lenz."
        ),
        (
            "The owners of the vessel said they had not been contacted by the authorities. "
            "Talks between the two governments are scheduled to resume in Lisbon next month."
        ),
        (
            "Insurers raised premiums for ships in the area by 15 percent on Wednesday, "
            "two brokers said. "
            "The navy detained a second vessel in the same waters in March."
        ),
        (
            "Yet the outrage in Ostmark misses the point. "
            "For years, its feckless leaders have looked away while smugglers ran the coast. "
            "They must act now, or they will lose the sea for a generation."
        ),
    ]
)


def test_opinion_coda_stays_news_report(genre_nlp: Language) -> None:
    doc = genre_nlp(CODA_ARTICLE)
    paras = [s for s in doc._.sayso_segments if s.level == "paragraph"]
    assert [p.label for p in paras] == ["reporting"] * 5 + ["opinion"], [
        (p.span.text[:30], p.score) for p in paras
    ]
    assert doc._.sayso_genre.label == "news report", doc._.sayso_genre


def _fake(doc: Doc, score: float, call: bool = False) -> SentenceOpinion:
    return SentenceOpinion(doc[0:1], score, {}, call)


def test_genre_thresholds(base_nlp: Language) -> None:
    doc = base_nlp("Peace now.")
    news = [_fake(doc, 0.9)] * 2 + [_fake(doc, 0.1)] * 8
    assert genre(news, 300, 0).label == "news report"
    analysis = [_fake(doc, 0.9)] * 5 + [_fake(doc, 0.1)] * 5
    assert genre(analysis, 300, 0).label == "opinion/analysis"
    advocacy = [_fake(doc, 0.9, call=True)] * 3 + [_fake(doc, 0.9)] * 4 + [_fake(doc, 0.1)] * 3
    assert genre(advocacy, 300, 0).label == "advocacy"

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

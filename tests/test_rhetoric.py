"""Tests for sayso_rhetoric: the shipped model, the rules, scoring and training code."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import sayso.components.genre
import sayso.components.rhetoric  # noqa: F401  (registers the factories)
from sayso.evaluate.rhetoric import si_scores
from sayso.pipeline import SPACY_MODEL
from sayso.rhetoric.features import doc_info
from sayso.rhetoric.lexicons import load_techniques
from sayso.rhetoric.rules import RuleHit, all_rules

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
PTC_TECHNIQUES = [
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
]


@pytest.fixture(scope="session")
def rhet_nlp() -> Language:
    nlp = spacy.load(SPACY_MODEL)
    nlp.add_pipe("sayso_rhetoric")
    nlp.add_pipe("sayso_genre")
    return nlp


@pytest.fixture(scope="session")
def news_doc(rhet_nlp: Language) -> Doc:
    return rhet_nlp((FIXTURES / "news_report.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def opinion_doc(rhet_nlp: Language) -> Doc:
    return rhet_nlp((FIXTURES / "opinion_piece.txt").read_text(encoding="utf-8"))


def _rules(nlp: Language, text: str) -> list[RuleHit]:
    return all_rules(doc_info(nlp(text)))


def _techniques(hits: list[RuleHit]) -> set[str]:
    return {h.technique for h in hits}


def test_techniques_table_has_the_14_labels() -> None:
    techniques = load_techniques()
    assert list(techniques) == PTC_TECHNIQUES
    assert all(len(d) > 20 for d in techniques.values())


def test_news_report_has_almost_no_rhetoric(news_doc: Doc) -> None:
    mentions = news_doc._.sayso_rhetoric
    assert isinstance(mentions, list)
    assert len(mentions) <= 1, [(m.span.text, m.technique) for m in mentions]


def test_opinion_piece_has_several_techniques(opinion_doc: Doc) -> None:
    mentions = opinion_doc._.sayso_rhetoric
    techniques = {m.technique for m in mentions}
    assert len(techniques) >= 6, techniques
    for expected in (
        "Loaded_Language",
        "Name_Calling,Labeling",
        "Whataboutism,Straw_Men,Red_Herring",
        "Black-and-White_Fallacy",
        "Thought-terminating_Cliches",
        "Flag-Waving",
        "Repetition",
    ):
        assert expected in techniques, (expected, techniques)
    for m in mentions:
        assert m.technique in PTC_TECHNIQUES
        assert 0.0 <= m.score <= 1.0
        assert m.evidence
        assert m.span.text.strip()


def test_loaded_words_are_cited_as_evidence(opinion_doc: Doc) -> None:
    evidence = " ".join(m.evidence for m in opinion_doc._.sayso_rhetoric)
    assert "'cowardly'" in evidence or "'thugs'" in evidence


def test_whataboutism_rule(base_nlp: Language) -> None:
    hits = _rules(
        base_nlp,
        "The envoy condemned the strike. But what about the shelling of Arlen last spring?",
    )
    what = [h for h in hits if h.technique.startswith("Whataboutism")]
    assert what and "what about" in what[0].evidence


def test_what_about_inside_a_clause_is_not_whataboutism(base_nlp: Language) -> None:
    hits = _rules(base_nlp, "Ministers asked what about the plan had changed since June.")
    assert not any(h.technique.startswith("Whataboutism") for h in hits)


def test_either_or_rule(base_nlp: Language) -> None:
    hits = _rules(base_nlp, "Either the alliance sends tanks this month or the front collapses.")
    assert "Black-and-White_Fallacy" in _techniques(hits)
    lone = _rules(base_nlp, "Neither side would say whether either delegation had arrived.")
    assert "Black-and-White_Fallacy" not in _techniques(lone)


def test_slogan_rule(base_nlp: Language) -> None:
    hits = _rules(base_nlp, "The crowd marched to the embassy. Free the harbour now!")
    slogans = [h for h in hits if h.technique == "Slogans"]
    assert slogans and slogans[0].evidence == "short exclamation"


def test_cliche_rule(base_nlp: Language) -> None:
    hits = _rules(
        base_nlp, "Critics point to the civilian toll. Well, war is war, and it is what it is."
    )
    assert "Thought-terminating_Cliches" in _techniques(hits)


def test_flag_waving_rule(base_nlp: Language) -> None:
    hits = _rules(base_nlp, "Every patriot knows our soldiers defend our homeland with honour.")
    flags = [h for h in hits if h.technique == "Flag-Waving"]
    assert len(flags) >= 2
    assert all("identity" in h.evidence for h in flags)


def test_so_called_doubt_rule(base_nlp: Language) -> None:
    hits = _rules(base_nlp, "The so-called humanitarian corridor was shelled within hours.")
    doubt = [h for h in hits if h.technique == "Doubt"]
    assert doubt
    assert "humanitarian" in base_nlp.vocab.strings or doubt[0].end > doubt[0].start + 3


def test_repetition_rule(base_nlp: Language) -> None:
    text = (
        "The brutal occupation began in May. The brutal occupation then took the port. "
        "Nobody in the valley can ignore the brutal occupation any longer."
    )
    hits = [h for h in _rules(base_nlp, text) if h.technique == "Repetition"]
    assert len(hits) == 2
    assert "repeated phrase 3 times: 'brutal occupation'" in hits[0].evidence


def test_plain_words_repeated_are_not_flagged(base_nlp: Language) -> None:
    text = (
        "The talks resumed on Monday. The talks covered prisoners. "
        "Officials said the talks would continue in the spring."
    )
    assert not [h for h in _rules(base_nlp, text) if h.technique == "Repetition"]


def test_anaphora_rule(base_nlp: Language) -> None:
    text = "Remember the siege. Remember the hunger. Remember who fired the shells."
    hits = [h for h in _rules(base_nlp, text) if h.technique == "Repetition"]
    assert len(hits) == 2
    assert hits[0].evidence == "repeated opening 'Remember' in 3 consecutive sentences"


def test_no_repetition_for_names(base_nlp: Language) -> None:
    text = (
        "Rebels Bay Radio reported the blast. Rebels Bay Radio later named the victims. "
        "Rebels Bay Radio went off air on Friday."
    )
    assert not [h for h in _rules(base_nlp, text) if h.technique == "Repetition"]


def test_si_scores_partial_credit() -> None:
    gold = {"1": [(0, 10), (20, 30)]}
    pred = {"1": [(0, 5), (40, 50)]}
    s = si_scores(pred, gold)
    assert s["precision"] == pytest.approx(0.5)  # (5/5 + 0/10) / 2
    assert s["recall"] == pytest.approx(0.25)  # (5/10 + 0) / 2
    assert s["f1"] == pytest.approx(2 * 0.5 * 0.25 / 0.75, abs=1e-3)


def test_training_code_runs_on_a_tiny_slice(
    tmp_path: Path, base_nlp: Language, tiny_ptc: Path
) -> None:
    from sayso.rhetoric.model import RhetoricModel
    from sayso.rhetoric.train import train_rhetoric

    data = tiny_ptc
    out = tmp_path / "model"
    summary = train_rhetoric(data, out, nlp=base_nlp)
    assert summary["articles"] == 3
    assert (out / "spans.crfsuite").exists() and (out / "techniques.npz").exists()
    model = RhetoricModel(out)
    assert set(model.classifier.classes) == {"Loaded_Language", "Name_Calling,Labeling"}


def test_evidence_cites_only_cues_of_the_technique_found(rhet_nlp: Language) -> None:
    # A conditional hedge ("If true") is a doubt cue, not a loaded word: it must not be shown
    # as Loaded Language with "doubt cues" as the reason.
    from sayso.rhetoric.lexicons import technique_cues
    from sayso.rhetoric.rules import _EVIDENCE_CATEGORIES

    text = (FIXTURES.parent.parent.parent / "examples" / "missile-transfer.md").read_text("utf-8")
    mentions = rhet_nlp(text)._.sayso_rhetoric
    assert not [m for m in mentions if m.span.text == "If true"]
    wording = {name: cat for cat, name in _EVIDENCE_CATEGORIES.items()}
    for m in mentions:
        for part in m.evidence.split("; "):
            category = wording.get(part.split(":", 1)[0])
            if category is not None:
                assert category in technique_cues()[m.technique], (m.technique, m.evidence)

"""Tests for sayso.stance (rules), the sayso_stance component and `sayso evaluate stance`.

All sentences are invented for these tests.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from sayso.components.stance import make_stance
from sayso.doc_types import Attribution
from sayso.evaluate.stance import evaluate_stance, run
from sayso.stance import classify_stance, refers_back
from sayso.stance.classify import classify_headline
from sayso.stance.lexicon import load_lexicon

# --- classify_stance: one or more invented sentences per label --------------------------------


@pytest.mark.parametrize(
    ("cue", "content", "sentence", "label", "commitment"),
    [
        # asserts
        ("said", "the convoy reached the city on Monday", None, "asserts", 3),
        ("confirmed", "two frigates left the port", None, "asserts", 3),
        ("believes", "the blockade will hold", None, "asserts", 2),
        ("suggested", "the envoy would return next week", None, "asserts", 2),
        # a negative proposition asserted is still an assertion
        ("said", "no troops were sent across the river", None, "asserts", 3),
        ("said", "the talks would resume in May", None, "asserts", 3),
        # hedges
        ("said", "the drones were likely launched from the coast", None, "hedges", 1),
        ("told reporters", "the general may have been wounded", None, "hedges", 1),
        ("said", "the depot was reportedly hit twice", None, "hedges", 1),
        ("wrote", "the shelling appears to have stopped", None, "hedges", 1),
        # denies
        ("denied", "sending mercenaries to the region", None, "denies", -3),
        ("rejected", "the accusation of shelling the dam", None, "denies", -3),
        ("said", "the video of the burning tanks was fake news", None, "denies", -3),
        # what the speaker could not establish, doubts or rejects in its own words
        ("said", "it could not determine who had fired first", None, "cannot_confirm", 0),
        ("said", "it would wait for proof before taking sides", None, "cannot_confirm", 0),
        ("said", "they doubted that the convoy had been stopped", None, "doubts", -1),
        ("said", 'it "categorically rejects" the accusation', None, "denies", -3),
        # a verdict on the claim's accuracy
        ("said", "the report was not accurate", None, "denies", -3),
        ("said", "the casualty figures were inaccurate", None, "denies", -3),
        # a dismissive name for the claim
        ("called", 'the drone report "a fairy tale"', None, "denies", -3),
        ("said", "the capture of the general was a bedtime story", None, "denies", -3),
        ("called", "the casualty report baseless propaganda", None, "denies", -3),
        ("said", "the massacre did not happen", None, "denies", -3),
        ("said", "the story was a fabrication", None, "denies", -3),
        (
            "dismissed",
            "the report",
            "The foreign ministry dismissed the report as unlikely.",
            "denies",
            -2,
        ),
        # doubts
        ("said", "there was no evidence at this stage of a chemical attack", None, "doubts", -1),
        ("questioned", "whether the ceasefire would last", None, "doubts", -1),
        (
            "said",
            "the account",
            "Analysts said they were sceptical of the account.",
            "doubts",
            -1,
        ),
        ("said", "the casualty figures were unverified", None, "doubts", -1),
        # cannot_confirm
        ("said", "it could not confirm the sinking of the cruiser", None, "cannot_confirm", 0),
        ("said", "it cannot confirm or deny the presence of advisers", None, "cannot_confirm", 0),
        (
            "said",
            "it had not yet reached the point of confirming the strike",
            None,
            "cannot_confirm",
            0,
        ),
        (
            "confirm",
            "the reports",
            "The navy was unable to confirm the reports.",
            "cannot_confirm",
            0,
        ),
        ("declined", "to comment on the reported strike", None, "cannot_confirm", 0),
        # conditional
        ("warned", "the shipments would be a grave escalation", None, "conditional", 0),
        ("said", "if true, this marks a major escalation", None, "conditional", 0),
        ("warned", "such a strike would constitute a war crime", None, "conditional", 0),
        ("said", "the deal, if confirmed, would end the siege", None, "conditional", 0),
        # questions
        ("asked", "whether the bridge had been destroyed", None, "questions", 0),
        ("said", "who ordered the strike on the hospital?", None, "questions", 0),
        (
            "wanted",
            "the convoy",
            "Diplomats wanted to know whether the convoy had been stopped.",
            "questions",
            0,
        ),
    ],
)
def test_classify_stance_labels(
    cue: str, content: str, sentence: str | None, label: str, commitment: int
) -> None:
    res = classify_stance(cue, content, sentence=sentence)
    assert (res.label, res.commitment) == (label, commitment), res
    assert res.evidence  # something to show the user


def test_nested_denial_in_content_is_not_the_speakers_denial() -> None:
    res = classify_stance("said", "Moscow denied moving the missiles")
    assert res.label == "asserts"


def test_evidence_points_at_the_deciding_words() -> None:
    res = classify_stance("said", "the claims were baseless and the convoy never left")
    assert res.evidence == "baseless"
    assert res.label == "denies"


def test_cue_lemma_argument_overrides_the_cue_string() -> None:
    assert classify_stance("hit back at", "the claim", cue_lemma="reject").label == "denies"
    assert classify_stance("hit back at", "the claim").label == "asserts"


def test_lexicon_forms() -> None:
    lex = load_lexicon()
    assert lex.lemma_of("flatly rejected") == "reject"
    assert lex.lemma_of("casts doubt on") == "cast doubt"
    assert lex.cue_key("doubt") == "doubts"
    assert lex.cue_key("say") == "asserts"


# --- pointing back -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cue", "content", "sentence", "expected"),
    [
        ("made", "", "A similar statement was made by the Turkish envoy.", True),
        ("said", "the same", "The Polish minister said the same.", True),
        ("echoed", "the warning", "Berlin echoed the warning on Tuesday.", True),
        ("agreed", "", "The British defence secretary agreed.", True),
        ("said", "so", "The Latvian government likewise said so.", True),
        (
            "said",
            "the two sides agreed a truce",
            "Mediators said the two sides agreed a truce.",
            False,
        ),
        ("said", "the border was closed", "The governor said the border was closed.", False),
        ("made", "a similar statement", "The envoy made a similar statement.", True),
        ("said", "the same units had withdrawn", "Kyiv said the same units had withdrawn.", False),
    ],
)
def test_refers_back(cue: str, content: str, sentence: str, expected: bool) -> None:
    assert (refers_back(cue, content, sentence=sentence) is not None) is expected


# --- the component -----------------------------------------------------------------------------


def _att(doc: Doc, speaker: str, cue: str, content: str, after: int = 0) -> Attribution:
    def span(sub: str, start_from: int):  # type: ignore[no-untyped-def]
        i = doc.text.index(sub, start_from)
        sp = doc.char_span(i, i + len(sub), alignment_mode="expand")
        assert sp is not None
        return sp

    cue_span = span(cue, after)
    content_span = span(content, after) if content else cue_span[0:0]
    return Attribution(
        cue=cue_span,
        content=content_span,
        speaker=span(speaker, after),
        speaker_name=speaker,
    )


@pytest.fixture(scope="module")
def stance_pipe(base_nlp: Language):  # type: ignore[no-untyped-def]
    return make_stance(base_nlp, "sayso_stance")


def test_component_sets_stance_and_refers_to(base_nlp: Language, stance_pipe) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The defence ministry denied that its jets had struck the market. "
        "A similar statement was made by the air force command. "
        "A local governor said the market was hit by two missiles. "
        "The United Nations said it could not confirm the number of victims."
    )
    doc = base_nlp(text)
    s2 = text.index("A similar")
    s3 = text.index("A local")
    s4 = text.index("The United Nations")
    doc._.sayso_statements = [
        _att(doc, "The defence ministry", "denied", "that its jets had struck the market"),
        _att(doc, "the air force command", "made", "", after=s2),
        _att(doc, "A local governor", "said", "the market was hit by two missiles", after=s3),
        _att(doc, "The United Nations", "said", "it could not confirm the number of victims", s4),
    ]
    doc = stance_pipe(doc)
    got = [(a.stance, a.commitment, a.refers_to) for a in doc._.sayso_statements]
    assert got == [
        ("denies", -3, None),
        ("denies", -3, 0),
        ("asserts", 3, None),
        ("cannot_confirm", 0, None),
    ]


def test_component_refers_to_most_recent_other_speaker(base_nlp: Language, stance_pipe) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Kyiv said the dam was likely mined. "
        "Warsaw said the strike was a fabrication. "
        "Vilnius said the same."
    )
    doc = base_nlp(text)
    doc._.sayso_statements = [
        _att(doc, "Kyiv", "said", "the dam was likely mined"),
        _att(doc, "Warsaw", "said", "the strike was a fabrication"),
        _att(doc, "Vilnius", "said", "the same", after=text.index("Vilnius")),
    ]
    doc = stance_pipe(doc)
    last = doc._.sayso_statements[2]
    assert (last.refers_to, last.stance, last.commitment) == (1, "denies", -3)
    assert doc._.sayso_statements[0].stance == "hedges"


def test_component_clause_frame_ignores_coordinated_clause(base_nlp: Language, stance_pipe) -> None:  # type: ignore[no-untyped-def]
    text = "Ankara confirmed the deal, but Tehran could not confirm it."
    doc = base_nlp(text)
    doc._.sayso_statements = [
        _att(doc, "Ankara", "confirmed", "the deal"),
        _att(doc, "Tehran", "confirm", "it", after=text.index("Tehran")),
    ]
    doc = stance_pipe(doc)
    assert [a.stance for a in doc._.sayso_statements] == ["asserts", "cannot_confirm"]


def test_component_handles_no_statements(base_nlp: Language, stance_pipe) -> None:  # type: ignore[no-untyped-def]
    doc = base_nlp("Nothing was said here.")
    doc = stance_pipe(doc)
    assert doc._.sayso_statements == []


# --- headlines and the Emergent evaluator --------------------------------------------------------


@pytest.mark.parametrize(
    ("headline", "label"),
    [
        ("Army denies shelling the refugee camp", "denies"),
        ("Viral photo of captured general is a hoax", "denies"),
        ("Navy seizes tanker in the strait", "asserts"),
        ("Rebel commander reportedly killed in air strike", "hedges"),
        ("Warlord may have fled the capital, sources say", "hedges"),
        ("Did the militia poison the wells?", "questions"),
        ("Did the militia really poison the wells?", "doubts"),
        ("Ministry cannot confirm or deny the sinking of the ferry", "cannot_confirm"),
    ],
)
def test_classify_headline(headline: str, label: str) -> None:
    assert classify_headline(headline).label == label


def _write_tiny_emergent(path: Path) -> Path:
    rows = []
    topics = ["dam", "bridge", "airport", "port", "depot", "pipeline", "ferry", "radar"]
    for i, topic in enumerate(topics):
        claim = f"claim-{i}"
        rows.append((f"Rebels blew up the {topic}", f"Rebels blow up the {topic}", "for", claim))
        rows.append(
            (f"Rebels blew up the {topic}", f"Rebels deny blowing up the {topic}", "against", claim)
        )
        rows.append(
            (
                f"Rebels blew up the {topic}",
                f"Rebels reportedly blew up the {topic}",
                "observing",
                claim,
            )
        )
    csv_path = path / "emergent.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "id",
                "claimHeadline",
                "articleHeadline",
                "articleHeadlineStance",
                "articleId",
                "claimId",
            ]
        )
        for i, (claim, head, stance, cid) in enumerate(rows):
            w.writerow([i, claim, head, stance, f"a{i}", cid])
    return csv_path


def test_evaluator_on_tiny_csv(tmp_path: Path) -> None:
    csv_path = _write_tiny_emergent(tmp_path)
    out = evaluate_stance(csv_path)
    json.dumps(out)  # JSON-serialisable
    assert out["n"] == 24
    # "Rebels reportedly blew up ..." is the author relaying a claim: observing, not "for".
    assert out["rules"]["accuracy"] == 1.0
    assert out["rules"]["confusion"]["observing"]["for"] == 0
    assert out["rules_relayed_observing"]["accuracy"] == 1.0
    assert out["trained_cv"]["split"] == "GroupKFold by claimId"
    assert out["trained_cv"]["n"] == 24
    # The headline figure is the shipped rules, not the best of the three methods.
    assert out["primary"] == "rules"
    assert out["accuracy"] == out["rules"]["accuracy"]


def test_epistemic_hedge_in_a_headline_still_counts_for(tmp_path: Path) -> None:
    csv_path = tmp_path / "emergent.csv"
    csv_path.write_text(
        "id,claimHeadline,articleHeadline,articleHeadlineStance,articleId,claimId\n"
        "0,Dam was hit,Dam was likely hit by a missile,for,a0,c0\n"
        "1,Dam was hit,Dam reportedly hit by a missile,observing,a1,c0\n",
        encoding="utf-8",
    )
    out = evaluate_stance(csv_path, train=False)
    assert out["rules"]["accuracy"] == 1.0


def test_run_accepts_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "emergent").mkdir()
    _write_tiny_emergent(tmp_path / "emergent")
    out = run(tmp_path)
    assert out["n"] == 24
    assert "rules" in capsys.readouterr().out

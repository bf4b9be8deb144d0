"""Tests for the brat reader and the attribution scorer, on invented sentences."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from sayso.doc_types import Attribution
from sayso.evaluate.attribution import (
    PredictedAttribution,
    cue_lemma,
    evaluate_attribution,
    gold_to_predictions,
    normalise_span,
    predictions_from_doc,
    score,
    speech_verbs,
)
from sayso.evaluate.brat import GoldAttribution, GoldDocument, read_gold

ALPHA = (
    "The foreign minister said the talks would resume in May. "
    '"The convoy was hit," an army spokesman told reporters, "and two trucks burned." '
    "Villagers believe the truce is fragile. "
    "It was reported that the northern port had closed."
)
BETA = (
    "The ceasefire held overnight, according to the monitors. "
    "Kyiv has learned that the bridge is intact."
)


def _span(text: str, piece: str, after: int = 0) -> tuple[int, int]:
    start = text.index(piece, after)
    return start, start + len(piece)


class _Ann:
    """Builds a brat .ann file line by line from substrings of a text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = []
        self.t = 0
        self.e = 0

    def span(self, kind: str, *pieces: str) -> str:
        self.t += 1
        frags = [_span(self.text, p) for p in pieces]
        offsets = ";".join(f"{s} {e}" for s, e in frags)
        shown = " ".join(self.text[s:e] for s, e in frags)
        self.lines.append(f"T{self.t}\t{kind} {offsets}\t{shown}")
        return f"T{self.t}"

    def attribution(self, cue: str, content: tuple[str, ...], source: str | None) -> None:
        cue_id = self.span("Cue", cue)
        content_id = self.span("Content", *content)
        if source is None:
            trigger = self.span("Attribution-no-source", cue)
            args = f"Attribution-no-source:{trigger} Cue:{cue_id} Content:{content_id}"
        else:
            source_id = self.span("Source", source)
            trigger = self.span("Attribution", cue)
            args = f"Attribution:{trigger} Content:{content_id} Cue:{cue_id} Source:{source_id}"
        self.e += 1
        self.lines.append(f"E{self.e}\t{args}")

    def dump(self) -> str:
        return "\n".join(self.lines) + "\n"


@pytest.fixture(scope="module")
def brat_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("brat")
    (root / "text").mkdir()
    (root / "attributions").mkdir()
    (root / "text" / "alpha_story.txt").write_text(ALPHA, encoding="utf-8")
    (root / "text" / "beta.txt").write_text(BETA, encoding="utf-8")

    ann = _Ann(ALPHA)
    ann.attribution("said", ("the talks would resume in May",), "The foreign minister")
    ann.attribution(
        "told reporters",
        ('"The convoy was hit,"', '"and two trucks burned."'),
        "an army spokesman",
    )
    ann.attribution("believe", ("the truce is fragile",), "Villagers")
    ann.attribution("was reported", ("that the northern port had closed",), None)
    ann.lines.append("T99\tDiscard 0 3\tThe")
    ann.lines.append("#1\tAnnotatorNotes T1\tinvented note")
    (root / "attributions" / "alpha_story_aa11.ann").write_text(ann.dump(), encoding="utf-8")

    # A second annotator's file for the same article: must be ignored (sorted after aa11).
    other = _Ann(ALPHA)
    other.attribution("said", ("the talks",), "The foreign minister")
    (root / "attributions" / "alpha_story_ff22.ann").write_text(other.dump(), encoding="utf-8")

    beta = _Ann(BETA)
    beta.attribution("according to", ("The ceasefire held overnight",), "the monitors")
    beta.attribution("has learned", ("that the bridge is intact",), "Kyiv")
    (root / "attributions" / "beta_aa11.ann").write_text(beta.dump(), encoding="utf-8")
    return root


def test_read_gold_roles_fragments_and_annotator(brat_dir: Path) -> None:
    docs = read_gold(brat_dir)
    assert [d.name for d in docs] == ["alpha_story", "beta"]
    alpha = docs[0]
    assert alpha.annotator == "aa11"
    assert len(alpha.attributions) == 4
    first = alpha.attributions[0]
    assert first.source_text == "The foreign minister"
    assert first.cue_text == "said"
    assert first.content_text == "the talks would resume in May"
    quote = alpha.attributions[1]
    frags = quote.fragments["content"]
    assert len(frags) == 2
    assert quote.content == (frags[0][0], frags[1][1])  # the covering span
    assert quote.content_text.startswith('"The convoy') and quote.content_text.endswith('burned."')
    assert "an army spokesman" in quote.content_text
    no_source = alpha.attributions[3]
    assert no_source.source is None and no_source.source_text == ""
    assert no_source.cue_text == "was reported"


def test_read_gold_limit(brat_dir: Path) -> None:
    assert len(read_gold(brat_dir, limit=1)) == 1


def test_cue_lemma_takes_the_verb(base_nlp: Language) -> None:
    doc = base_nlp(BETA)
    assert cue_lemma(doc, _span(BETA, "has learned")) == "learn"
    assert cue_lemma(doc, _span(BETA, "according to")) == "accord"
    doc2 = base_nlp(ALPHA)
    assert cue_lemma(doc2, _span(ALPHA, "told reporters")) == "tell"


def test_speech_verb_list() -> None:
    verbs = speech_verbs()
    assert {"say", "tell", "warn", "deny", "tweet"} <= verbs
    assert not {"believe", "accord", "show", "think", "learn"} & verbs


def test_gold_scores_perfectly_against_itself(brat_dir: Path, base_nlp: Language) -> None:
    gold = read_gold(brat_dir)
    result = score(gold, gold_to_predictions(gold), nlp=base_nlp)
    for subset in ("all", "speech_verb"):
        metrics = result[subset]
        for key in ("overlap_p", "overlap_r", "overlap_f1", "speaker_accuracy"):
            assert metrics[key] == 1.0, (subset, key)
        for role in ("source", "cue", "content"):
            assert metrics[f"exact_{role}_f1"] == 1.0, (subset, role)
    assert result["all"]["gold"] == 6
    # said, told and reported are speech verbs; believe, accord and learn are not.
    assert result["speech_verb"]["gold"] == 3


def test_evaluate_attribution_with_a_predictor(brat_dir: Path, base_nlp: Language) -> None:
    gold = {d.text: gold_to_predictions([d])[d.name] for d in read_gold(brat_dir)}
    perfect = evaluate_attribution(brat_dir, predict=lambda text: gold[text], nlp=base_nlp)
    assert perfect["documents"] == 2 and perfect["gold"] == 6
    assert perfect["all"]["overlap_f1"] == 1.0
    empty = evaluate_attribution(brat_dir, predict=lambda text: [], nlp=base_nlp)
    assert empty["all"]["overlap_r"] == 0.0 and empty["all"]["exact_cue_f1"] == 0.0


def _single(content: tuple[int, int], source: tuple[int, int] | None) -> GoldDocument:
    text = "w" * 300
    attribution = GoldAttribution(
        source=source,
        cue=(0, 4),
        content=content,
        fragments={"content": [content], **({"source": [source]} if source else {})},
        cue_lemma="say",
    )
    return GoldDocument("doc", text, [attribution])


@pytest.mark.parametrize(("covered", "found"), [(29, False), (31, True)])
def test_overlap_threshold(covered: int, found: bool) -> None:
    gold = _single((100, 200), (10, 20))
    pred = PredictedAttribution((10, 20), (0, 4), (200 - covered, 260), "say")
    metrics = score([gold], {"doc": [pred]})["all"]
    assert metrics["overlap_r"] == (1.0 if found else 0.0)
    assert metrics["overlap_p"] == (1.0 if found else 0.0)


def test_overlap_counts_only_the_gold_fragments() -> None:
    # Content in two fragments of 20 characters around a 60-character gap; a prediction
    # covering the first fragment alone covers half of the content.
    gold = _single((100, 200), None)
    gold.attributions[0].fragments["content"] = [(100, 120), (180, 200)]
    pred = PredictedAttribution(None, (0, 4), (100, 120), "say")
    assert score([gold], {"doc": [pred]})["all"]["overlap_r"] == 1.0


@pytest.mark.parametrize(
    ("gold_source", "pred_source", "correct"),
    [
        ((10, 20), (18, 30), True),  # overlapping
        ((10, 20), (20, 30), False),  # adjacent, no shared character
        ((10, 20), None, False),
        (None, None, True),  # no source on either side
        (None, (10, 20), False),
    ],
)
def test_speaker_accuracy(
    gold_source: tuple[int, int] | None, pred_source: tuple[int, int] | None, correct: bool
) -> None:
    gold = _single((100, 200), gold_source)
    pred = PredictedAttribution(pred_source, (0, 4), (100, 200), "say")
    metrics = score([gold], {"doc": [pred]})["all"]
    assert metrics["overlap_r"] == 1.0
    assert metrics["speaker_accuracy"] == (1.0 if correct else 0.0)


def test_nested_contents_pair_each_gold_with_its_own_prediction() -> None:
    outer = GoldAttribution((0, 10), (12, 16), (100, 200), fragments={"content": [(100, 200)]})
    inner = GoldAttribution((20, 30), (32, 36), (120, 150), fragments={"content": [(120, 150)]})
    inner.source_text = outer.source_text = "x"
    for a in (outer, inner):
        a.fragments["source"] = [a.source] if a.source else []
        a.cue_lemma = "say"
    gold = GoldDocument("doc", "w" * 300, [outer, inner])
    preds = [
        PredictedAttribution((0, 10), (12, 16), (100, 200), "say"),
        PredictedAttribution((20, 30), (32, 36), (120, 150), "say"),
    ]
    assert score([gold], {"doc": preds})["all"]["speaker_accuracy"] == 1.0


def test_exact_match_ignores_quotes_and_final_punctuation() -> None:
    text = 'The general said: "We will not retreat."'
    content = _span(text, '"We will not retreat."')
    cue = _span(text, "said:")
    gold_attr = GoldAttribution(
        source=_span(text, "The general"),
        cue=cue,
        content=content,
        fragments={"content": [content]},
        cue_lemma="say",
    )
    gold = GoldDocument("g", text, [gold_attr])
    pred = PredictedAttribution(
        _span(text, "The general"), _span(text, "said"), _span(text, "We will not retreat"), "say"
    )
    metrics = score([gold], {"g": [pred]})["all"]
    assert metrics["exact_content_f1"] == 1.0
    assert metrics["exact_cue_f1"] == 1.0
    shorter = PredictedAttribution(None, _span(text, "said"), _span(text, "We will not"), "say")
    assert score([gold], {"g": [shorter]})["all"]["exact_content_f1"] == 0.0
    assert normalise_span(text, content) == _span(text, "We will not retreat")


def test_speech_subset_precision_ignores_non_speech_predictions() -> None:
    gold = _single((100, 200), (10, 20))
    hit = PredictedAttribution((10, 20), (0, 4), (100, 200), "say")
    belief = PredictedAttribution(None, (220, 225), (230, 290), "believe")
    result = score([gold], {"doc": [hit, belief]})
    assert result["all"]["overlap_p"] == 0.5
    assert result["speech_verb"]["overlap_p"] == 1.0
    assert result["speech_verb"]["predicted"] == 1


def test_predictions_from_doc_reads_the_statements_contract(base_nlp: Language) -> None:
    text = "The envoy said the border would reopen."
    doc = base_nlp(text)
    doc._.sayso_statements = [
        Attribution(cue=doc[2:3], content=doc[3:7], speaker=doc[0:2], speaker_name="envoy"),
        Attribution(cue=doc[2:3], content=doc[3:7], speaker=None, speaker_name=""),
    ]
    preds = predictions_from_doc(doc)
    assert preds[0] == PredictedAttribution(
        _span(text, "The envoy"), _span(text, "said"), _span(text, "the border would reopen"), "say"
    )
    assert preds[1].source is None

"""The learned claim linker: its training stories, its training code and the shipped model.

The stories in training/linking/ are the project's own invented articles with gold claims;
the model is trained on them and on tests/fixtures/linking, never on the held-out set.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from spacy.language import Language

from sayso.corpus import link_model
from sayso.corpus.evaluate_linking import GOLD_FILE, read_gold
from sayso.corpus.train_linking import fit, pair_examples, read_story, write_model
from sayso.ingest.markdown import extract_markdown

ROOT = Path(__file__).resolve().parent.parent
STORIES = sorted(p for p in (ROOT / "training" / "linking").iterdir() if p.is_dir())
HELDOUT = ROOT / "tests" / "fixtures" / "linking-heldout"


def test_there_are_several_training_stories() -> None:
    assert len(STORIES) >= 3


@pytest.mark.parametrize("story", STORIES, ids=[p.name for p in STORIES])
def test_a_training_story_has_the_shape_of_a_gold_set(story: Path) -> None:
    articles = {p.name: extract_markdown(p.read_text("utf-8")) for p in sorted(story.glob("*.md"))}
    assert len(articles) >= 20
    assert len({a.source for a in articles.values()}) >= 5
    dates = [str(a.published) for a in articles.values()]
    assert dates == sorted(dates)  # file order is publication order
    gold = read_gold(story / GOLD_FILE)
    assert len(gold) >= 80
    by_claim: dict[str, set[str]] = defaultdict(set)
    for mention in gold:
        assert articles[mention.article].text.count(mention.quote) == 1, mention.quote
        by_claim[mention.claim].add(mention.article)
    assert len(by_claim) >= 6
    for names in by_claim.values():
        assert len(names) >= 4 and len({articles[n].source for n in names}) >= 3


def test_no_training_story_shares_a_claim_outlet_or_quote_with_the_held_out_set() -> None:
    held_gold = read_gold(HELDOUT / GOLD_FILE)
    held_outlets = {extract_markdown(p.read_text("utf-8")).source for p in HELDOUT.glob("*.md")}
    held_text = " ".join(p.read_text("utf-8") for p in HELDOUT.glob("*.md"))
    for story in STORIES:
        gold = read_gold(story / GOLD_FILE)
        assert not {m.claim for m in gold} & {m.claim for m in held_gold}
        outlets = {extract_markdown(p.read_text("utf-8")).source for p in story.glob("*.md")}
        assert not outlets & held_outlets
        assert not [m.quote for m in gold if m.quote in held_text]


def test_the_shipped_models_were_not_trained_on_the_held_out_set() -> None:
    models = link_model.shipped_models()
    methods = {"lexical", "embeddings+lexical"}
    assert set(models) == methods | {link_model.MERGE_PREFIX + m for m in methods}
    for name, model in models.items():
        trained_on = model.info["trained_on"]
        assert "tests/fixtures/linking" in trained_on
        assert not [d for d in trained_on if "heldout" in d]
        assert 0.0 < model.threshold < 1.0
        if name in methods:
            # What the models (linking and merge) scored while training: each story left
            # out in turn.
            assert set(model.info["leave_one_story_out"]) == {Path(d).name for d in trained_on}


def _tiny_story(directory: Path) -> Path:
    """Four short invented reports of two claims (a depot strike, talks)."""
    directory.mkdir()
    texts = [
        (
            "2026-02-01",
            "Harbour Post",
            "The governor said a drone strike destroyed the fuel "
            "depot at Pellin port. The ministry said ceasefire talks in Tessa would start on "
            "Friday.",
        ),
        (
            "2026-02-02",
            "Evening Ledger",
            "The defence ministry denied that a drone strike "
            "destroyed the fuel depot at Pellin port.",
        ),
        (
            "2026-02-03",
            "Morning Courier",
            "Mediators said ceasefire talks in Tessa would start on Friday, a week late.",
        ),
        (
            "2026-02-04",
            "Valley Times",
            "Firefighters said the fuel depot at Pellin port was "
            "destroyed by a drone strike on Sunday.",
        ),
    ]
    gold = [
        ("01.md", "a drone strike destroyed the fuel depot", "depot"),
        ("01.md", "ceasefire talks in Tessa would start", "talks"),
        ("02.md", "a drone strike destroyed the fuel depot", "depot"),
        ("03.md", "ceasefire talks in Tessa would start", "talks"),
        ("04.md", "the fuel depot at Pellin port was destroyed", "depot"),
    ]
    for n, (date, outlet, body) in enumerate(texts, 1):
        (directory / f"0{n}.md").write_text(
            f'---\ntitle: "Report {n}"\npublished: {date}\nsource: {outlet}\n---\n\n{body}\n',
            encoding="utf-8",
        )
    (directory / GOLD_FILE).write_text(
        "".join(json.dumps({"article": a, "quote": q, "claim": c}) + "\n" for a, q, c in gold),
        encoding="utf-8",
    )
    return directory


def test_training_replays_the_gold_decisions_and_learns_to_link_them(
    tmp_path: Path, nlp: Language
) -> None:
    story = read_story(_tiny_story(tmp_path / "tiny"), nlp)
    assert [a.name for a in story] == ["01.md", "02.md", "03.md", "04.md"]
    assert sorted(story[0].labels.values()) == ["depot", "talks"]
    rows, labels, weights = pair_examples(story)
    # Later depot reports meet the stored depot claim as a candidate labelled 1.
    assert sum(labels) >= 2 and 0 in labels
    assert len(rows) == len(labels) == len(weights)
    model = fit([story])
    positives = [model.probability(r) for r, y in zip(rows, labels, strict=True) if y]
    negatives = [model.probability(r) for r, y in zip(rows, labels, strict=True) if not y]
    assert min(positives) > max(negatives)


def test_rolling_in_with_a_model_meets_its_own_mistakes(tmp_path: Path, nlp: Language) -> None:
    """Linked by a model that never links, every claim starts a corpus claim of its own; a
    later report of the depot then meets each earlier depot claim, each labelled 1, and the
    talks claim, labelled 0 (what the model must learn from its own fragments)."""
    story = read_story(_tiny_story(tmp_path / "tiny"), nlp)
    never = link_model.LinkModel(("lexical",), (0.0,), -50.0, threshold=0.4)
    _, gold_labels, _ = pair_examples(story)
    rows, labels, weights = pair_examples(story, policy=never)
    assert len(rows) == len(labels) == len(weights)
    assert sum(labels) > sum(gold_labels)
    assert 0 in labels


def test_writing_a_model_keeps_the_other_methods_model(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    lexical = link_model.LinkModel(("lexical",), (4.0,), -2.0, threshold=0.4)
    write_model(path, "lexical", lexical)
    other = link_model.LinkModel(("lexical", "embedding"), (2.0, 3.0), -2.5)
    write_model(path, "embeddings+lexical", other)
    models = json.loads(path.read_text("utf-8"))["models"]
    assert link_model.LinkModel.from_json(models["lexical"]) == lexical
    assert link_model.LinkModel.from_json(models["embeddings+lexical"]) == other
    with pytest.raises(ValueError, match="unknown linking features"):
        link_model.LinkModel.from_json({"features": ["nope"], "coef": [1.0], "intercept": 0})

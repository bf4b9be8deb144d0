"""Claim-linking evaluation: the gold set's integrity, the pairwise scores, the quote mapping."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from spacy.language import Language

from sayso.api import analyze
from sayso.corpus.evaluate_linking import (
    evaluate_linking,
    locate,
    main,
    pairwise_scores,
    read_gold,
)
from sayso.errors import SaysoError

FIXTURE = Path(__file__).parent / "fixtures" / "linking"
FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def _articles() -> dict[str, tuple[dict[str, str], str]]:
    out = {}
    for path in sorted(FIXTURE.glob("*.md")):
        raw = path.read_text(encoding="utf-8")
        match = FRONT.match(raw)
        assert match, path
        meta = dict(line.split(": ", 1) for line in match.group(1).splitlines())
        out[path.name] = (meta, raw[match.end() :])
    return out


# -- the data set ----------------------------------------------------------------------


def test_fixture_has_the_size_the_issue_asks_for() -> None:
    articles = _articles()
    assert len(articles) >= 24
    assert len({meta["source"] for meta, _ in articles.values()}) >= 5
    for name, (meta, body) in articles.items():
        assert 150 <= len(body.split()) <= 350, name
        assert {"title", "published", "source"} <= set(meta), name
    dates = [meta["published"] for meta, _ in articles.values()]
    assert dates == sorted(dates)  # file order is date order: ingest order follows the story


def test_every_gold_quote_occurs_once_in_its_article() -> None:
    articles = _articles()
    gold = read_gold(FIXTURE / "gold.jsonl")
    for mention in gold:
        assert mention.article in articles, mention.article
        assert articles[mention.article][1].count(mention.quote) == 1, mention.quote


def test_each_gold_claim_is_told_by_several_articles_and_outlets() -> None:
    articles = _articles()
    by_claim: dict[str, set[str]] = defaultdict(set)
    for mention in read_gold(FIXTURE / "gold.jsonl"):
        by_claim[mention.claim].add(mention.article)
    assert len(by_claim) >= 6
    for claim, names in by_claim.items():
        assert len(names) >= 4, claim
        assert len({articles[n][0]["source"] for n in names}) >= 3, claim


# -- scores ----------------------------------------------------------------------------


def test_pairwise_scores_perfect_and_degenerate() -> None:
    gold = ["a", "a", "b", "b", "b"]
    perfect = pairwise_scores(gold, [7, 7, 9, 9, 9])
    assert (perfect["precision"], perfect["recall"], perfect["f1"]) == (1.0, 1.0, 1.0)
    singletons = pairwise_scores(gold, [None] * 5)
    assert singletons["predicted_pairs"] == 0 and singletons["recall"] == 0.0
    lumped = pairwise_scores(gold, [1] * 5)
    assert lumped["recall"] == 1.0 and lumped["precision"] == pytest.approx(4 / 10)


def test_none_is_never_linked_to_none() -> None:
    scores = pairwise_scores(["a", "a"], [None, None])
    assert scores["true_pairs"] == 1 and scores["correct_pairs"] == 0


def test_read_gold_rejects_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"article": "a.md", "quote": "x"}\n', encoding="utf-8")
    with pytest.raises(SaysoError, match=r"gold\.jsonl:1"):
        read_gold(path)


# -- mapping quotes to statements ------------------------------------------------------


def test_locate_maps_content_cue_sentence_and_missing(nlp: Language) -> None:
    text = (
        "The border agency said that forty lorries crossed the river bridge at night. "
        "Rain fell on the capital."
    )
    record = analyze(text, nlp=nlp)
    assert record.statements
    statement = record.statements[0]
    found, claim, reason = locate(record, "forty lorries crossed")
    assert (found, claim, reason) == (statement.id, statement.claim, None)
    found, _, reason = locate(record, "The border agency")  # in the cue's sentence
    assert found == statement.id and reason is None
    assert locate(record, "Rain fell")[2] == "no statement or author stance contains the quote"
    assert locate(record, "snow")[2] == "quote not in the article text"


# -- end to end ------------------------------------------------------------------------


def _mini_set(tmp_path: Path) -> Path:
    directory = tmp_path / "mini"
    directory.mkdir()
    texts = {
        "a.md": (
            "2026-01-02",
            "Harbour Post",
            "The governor said that a drone strike destroyed "
            "the fuel depot at Pellin port. The ministry said that the ceasefire talks in "
            "Tessa would start on Friday.",
        ),
        "b.md": (
            "2026-01-03",
            "Evening Ledger",
            "The defence ministry denied that a drone strike "
            "destroyed the fuel depot at Pellin port.",
        ),
        "c.md": (
            "2026-01-04",
            "Morning Courier",
            "Mediators said that ceasefire talks in Tessa "
            "would start on Friday, a week later than planned.",
        ),
    }
    gold = [
        ("a.md", "a drone strike destroyed the fuel depot", "depot"),
        ("a.md", "the ceasefire talks in Tessa would start", "talks"),
        ("b.md", "a drone strike destroyed the fuel depot", "depot"),
        ("c.md", "ceasefire talks in Tessa would start on Friday", "talks"),
    ]
    for name, (date, outlet, body) in texts.items():
        front = f"---\ntitle: {name}\npublished: {date}\nsource: {outlet}\n---\n\n"
        (directory / name).write_text(front + body + "\n", encoding="utf-8")
    with (directory / "gold.jsonl").open("w", encoding="utf-8") as handle:
        for article, quote, claim in gold:
            handle.write(json.dumps({"article": article, "quote": quote, "claim": claim}) + "\n")
    return directory


def test_evaluate_linking_on_a_small_set(tmp_path: Path, nlp: Language) -> None:
    result = evaluate_linking(_mini_set(tmp_path))
    json.dumps(result)  # serialisable
    assert result["articles"] == 3 and result["outlets"] == 3
    assert result["gold_claims"] == 2 and result["gold_mentions"] == 4
    assert result["matched_mentions"] == 4
    pairs = result["pairs"]
    assert pairs["true_pairs"] == 2
    # The depot statements share nearly all words: the lexical linker must join them.
    assert pairs["correct_pairs"] >= 1
    assert 0.0 <= pairs["precision"] <= 1.0 and 0.0 <= pairs["recall"] <= 1.0


def test_the_store_must_be_fresh_and_gold_present(tmp_path: Path) -> None:
    directory = _mini_set(tmp_path)
    existing = tmp_path / "old.duckdb"
    existing.write_bytes(b"")
    with pytest.raises(SaysoError, match="fresh"):
        evaluate_linking(directory, db=existing)
    (directory / "gold.jsonl").unlink()
    with pytest.raises(SaysoError, match=r"gold\.jsonl"):
        evaluate_linking(directory)


def test_main_prints_one_json_object_on_the_fixture(
    capsys: pytest.CaptureFixture[str], nlp: Language
) -> None:
    assert main([str(FIXTURE), "--examples", "3"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["articles"] >= 24 and result["gold_claims"] >= 6
    # Says whether the embeddings extra took part (the core install links lexically).
    assert result["linking_method"] in ("lexical", "embeddings+lexical")
    # Most quotes land in a statement; a drop here means statement extraction regressed.
    assert result["matched_mentions"] >= 0.9 * result["gold_mentions"]
    assert len(result["missed_examples"]) <= 3
    counts = Counter(result["corpus_claims_per_gold_claim"])
    assert set(counts) == {m.claim for m in read_gold(FIXTURE / "gold.jsonl")}


def test_a_linking_parameter_can_be_changed_for_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], nlp: Language
) -> None:
    from sayso.corpus import linking

    directory = _mini_set(tmp_path)
    before = linking.SPECIFIC_IDF
    # By default the depot statements link (test above); no probability reaches a threshold
    # above 1, and no word is specific enough for a merge: nothing is linked.
    assert main([str(directory), "--threshold", "1.01", "--set", "SPECIFIC_IDF=99"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["cross_article"]["predicted_pairs"] == 0
    assert before == linking.SPECIFIC_IDF
    # A name that is not a numeric parameter is a one-line error.
    assert main([str(directory), "--set", "linking_method=1"]) == 2
    assert capsys.readouterr().err.strip() == (
        "sayso: error: not a numeric linking parameter: linking_method"
    )

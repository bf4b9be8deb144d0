"""The held-out claim-linking set (tests/fixtures/linking-heldout): its shape and its gold.

The set is a second, unrelated story for ``sayso evaluate linking``; it is scored, never tuned
on (docs/linking-heldout.md). These tests keep it fit for that: enough articles, outlets and
claims, and every gold quote findable in the text the analysis reads.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from sayso.corpus.evaluate_linking import GOLD_FILE, GoldMention, read_gold
from sayso.ingest.article import Article
from sayso.ingest.markdown import extract_markdown

FIXTURES = Path(__file__).parent / "fixtures"
HELDOUT = FIXTURES / "linking-heldout"
TUNING = FIXTURES / "linking"


def _articles(directory: Path) -> dict[str, Article]:
    """Each article file as the ingest reads it: front matter parsed, body as plain text."""
    return {
        path.name: extract_markdown(path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.md"))
    }


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    return _articles(HELDOUT)


@pytest.fixture(scope="module")
def gold() -> list[GoldMention]:
    return read_gold(HELDOUT / GOLD_FILE)


def test_size_lengths_outlets_and_date_order(articles: dict[str, Article]) -> None:
    assert len(articles) >= 22
    assert len({a.source for a in articles.values()}) >= 5
    for name, article in articles.items():
        assert article.title and article.source and article.published, name
        assert 150 <= len(article.text.split()) <= 350, name
    # Files are named NN-slug.md in publication order, so ingest order is story order.
    dates = [str(a.published) for a in articles.values()]
    assert dates == sorted(dates)
    assert all(name[:2].isdigit() and name[2] == "-" for name in articles)


def test_every_gold_quote_occurs_once_in_its_article_body(
    articles: dict[str, Article], gold: list[GoldMention]
) -> None:
    assert len(gold) >= 100
    for mention in gold:
        assert mention.article in articles, mention.article
        assert articles[mention.article].text.count(mention.quote) == 1, mention.quote
    pairs = [(m.article, m.quote) for m in gold]
    assert len(pairs) == len(set(pairs))  # no mention listed twice


def test_each_claim_is_told_by_several_articles_and_outlets(
    articles: dict[str, Article], gold: list[GoldMention]
) -> None:
    by_claim: dict[str, set[str]] = defaultdict(set)
    for mention in gold:
        by_claim[mention.claim].add(mention.article)
    assert len(by_claim) >= 6
    for claim, names in by_claim.items():
        assert len(names) >= 4, claim
        assert len({articles[n].source for n in names}) >= 3, claim


def test_the_set_is_a_different_story_from_the_tuning_set(gold: list[GoldMention]) -> None:
    # Held out means unseen: no shared outlets or gold keys, no quote reused verbatim.
    tuning_gold = read_gold(TUNING / GOLD_FILE)
    assert not {m.claim for m in gold} & {m.claim for m in tuning_gold}
    tuning_outlets = {a.source for a in _articles(TUNING).values()}
    assert not {a.source for a in _articles(HELDOUT).values()} & tuning_outlets
    tuning_text = " ".join(a.text for a in _articles(TUNING).values())
    assert not [m.quote for m in gold if m.quote in tuning_text]

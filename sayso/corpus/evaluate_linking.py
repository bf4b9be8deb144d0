"""How well the corpus links claims across articles: pairwise precision and recall on gold.

    sayso evaluate linking tests/fixtures/linking
    python -m sayso.corpus.evaluate_linking tests/fixtures/linking [--db FILE] [--examples 10]
        [--set NAME=VALUE ...]    # a linking parameter changed for this run (ablations)
        [--threshold P]           # the linking model's probability threshold for this run

The directory holds articles (``.md``/``.txt``/``.html``) and ``gold.jsonl``, one line per
gold mention of a claim::

    {"article": "01-drones.md", "quote": "Velmora had supplied attack drones", "claim": "drones"}

``quote`` is an exact substring of the article's text that lies inside the *content* of the
statement stating or reacting to the claim, or inside the sentence of its cue, or inside the
evidence of an author stance; ``claim`` is the gold key of the proposition. The articles are
ingested (in file name order, which should be date order) into a fresh store; each quote is
mapped to its statement (the smallest content span containing it, else the statement whose
cue sentence contains it, else an author stance whose evidence contains it), the statement to
its article claim, and the article claim to its corpus claim (``claim_links``).

Over all pairs of matched mentions, a pair is *gold-linked* when the two have the same gold
key and *predicted-linked* when they map to the same corpus claim; precision and recall are
over these pairs. A mention whose statement has no claim is linked to nothing. Pairs within
one article are reported apart as well, since their grouping is the article analysis's, not
the cross-article linker's.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from sayso.corpus import link_model, linking
from sayso.corpus.api import Corpus
from sayso.corpus.ingest import ARTICLE_SUFFIXES
from sayso.corpus.linking import linking_method
from sayso.errors import SaysoError
from sayso.record import ArticleAnalysis

GOLD_FILE = "gold.jsonl"
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+|\n\s*\n")


@dataclass
class GoldMention:
    """One gold mention: where it is, which gold claim it is about, what sayso linked it to."""

    article: str
    quote: str
    claim: str
    article_id: str | None = None
    statement: str | None = None  # statement id, or "author:<claim id>" for author stances
    article_claim: str | None = None
    corpus_claim: int | None = None
    unmatched: str | None = None  # why the quote could not be mapped

    @property
    def matched(self) -> bool:
        """Whether the quote was mapped to a statement or author stance."""
        return self.unmatched is None


def read_gold(path: Path) -> list[GoldMention]:
    """Read ``gold.jsonl`` (one object per line with ``article``, ``quote``, ``claim``).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "gold.jsonl"
    >>> _ = p.write_text('{"article": "a.md", "quote": "x", "claim": "k"}\\n\\n')
    >>> [(g.article, g.quote, g.claim) for g in read_gold(p)]
    [('a.md', 'x', 'k')]
    """
    mentions: list[GoldMention] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            mentions.append(GoldMention(str(obj["article"]), str(obj["quote"]), str(obj["claim"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise SaysoError(f"{path}:{n}: not a gold mention ({exc})") from None
    return mentions


def story_files(directory: Path) -> list[Path]:
    """A story's article files (the suffixes ``sayso ingest`` reads as articles), in file
    name order, which is publication order; ``gold.jsonl`` is not one of them."""
    return sorted(
        p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
    )


def pairwise_scores(
    gold: Sequence[str], predicted: Sequence[object | None]
) -> dict[str, float | int]:
    """Pairwise precision, recall and F1 of a clustering against gold labels.

    ``predicted[i] is None`` means item ``i`` is linked to nothing (a singleton).

    >>> s = pairwise_scores(["a", "a", "a", "b"], [1, 1, 2, 2])
    >>> s["true_pairs"], s["predicted_pairs"], s["correct_pairs"]
    (3, 2, 1)
    >>> s["precision"], round(s["recall"], 3)
    (0.5, 0.333)
    """
    return _scores_over(gold, predicted, list(combinations(range(len(gold)), 2)))


def locate(record: ArticleAnalysis, quote: str) -> tuple[str | None, str | None, str | None]:
    """Map a quote to ``(statement id, article claim id, reason it failed)`` in one record.

    The statement is the one with the smallest content span containing the quote, else the
    one whose cue sentence contains it; else an author stance (no statement) whose evidence
    contains it, returned as ``author:<claim id>``.
    """
    start = record.text.find(quote)
    if start < 0:
        return None, None, "quote not in the article text"
    end = start + len(quote)
    inside = [
        s for s in record.statements if s.content.span[0] <= start and end <= s.content.span[1]
    ]
    if inside:
        best = min(inside, key=lambda s: s.content.span[1] - s.content.span[0])
        return best.id, best.claim, None
    sentences = _sentences(record)
    for statement in record.statements:
        bounds = _sentence_of(sentences, statement.cue.span[0])
        if bounds and bounds[0] <= start and end <= bounds[1]:
            return statement.id, statement.claim, None
    for claim in record.claims:
        for stance in claim.stances:
            if stance.statement is None and stance.span[0] <= start and end <= stance.span[1]:
                return f"author:{claim.id}", claim.id, None
    return None, None, "no statement or author stance contains the quote"


def evaluate_linking(
    directory: Path, *, db: Path | None = None, examples: int = 10
) -> dict[str, Any]:
    """Ingest ``directory`` into a fresh store and score cross-article claim linking.

    ``db`` keeps the store at that path (it must not exist yet); by default a temporary file
    is used and removed. Returns a JSON-serialisable dict: pairwise precision/recall/F1 over
    all pairs of matched mentions (``pairs``), over pairs from different articles
    (``cross_article``) and within one article (``within_article``), counts, the corpus
    claims each gold claim is spread over, merges of different gold claims, and up to
    ``examples`` missed and wrong pairs with their quotes.
    """
    directory = Path(directory)
    gold_path = directory / GOLD_FILE
    if not gold_path.is_file():
        raise SaysoError(f"no {GOLD_FILE} in {directory}")
    mentions = read_gold(gold_path)
    files = story_files(directory)
    if not files:
        raise SaysoError(f"no articles in {directory}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(db) if db is not None else Path(tmp) / "linking.duckdb"
        if path.exists():
            raise SaysoError(f"the store must be fresh: {path} exists")
        with Corpus(path) as corpus:
            report = corpus.ingest(files)
            links = _map_mentions(corpus, mentions)
    result = _result(directory, files, mentions, report.stored, report.failed, examples)
    result["unannotated_claims"] = _unannotated(mentions, links)
    return result


def _map_mentions(corpus: Corpus, mentions: list[GoldMention]) -> dict[tuple[str, str], int]:
    """Map each mention to its statement, article claim and corpus claim; return every
    stored article claim's corpus claim."""
    ids = {
        Path(str(row[1])).name: str(row[0])
        for row in corpus.con.execute("SELECT id, input FROM articles").fetchall()
    }
    links = {
        (str(a), str(c)): int(k)
        for a, c, k in corpus.con.execute(
            "SELECT article_id, claim_id, corpus_claim_id FROM claim_links"
        ).fetchall()
    }
    # The unit each statement is stored under: its article claim, or the statement itself
    # when the linker linked it apart from its claim.
    units = {
        (str(a), str(s)): str(c)
        for a, s, c in corpus.con.execute(
            "SELECT article_id, id, claim_id FROM statements WHERE claim_id IS NOT NULL"
        ).fetchall()
    }
    records: dict[str, ArticleAnalysis | None] = {}
    for mention in mentions:
        aid = ids.get(mention.article)
        if aid is None:
            mention.unmatched = "article not stored"
            continue
        mention.article_id = aid
        if aid not in records:
            records[aid] = corpus.record(aid)
        record = records[aid]
        if record is None:
            mention.unmatched = "article not stored"
            continue
        mention.statement, mention.article_claim, mention.unmatched = locate(record, mention.quote)
        if mention.statement is not None and mention.article_claim is not None:
            mention.article_claim = units.get((aid, mention.statement), mention.article_claim)
        if mention.article_claim is not None:
            mention.corpus_claim = links.get((aid, mention.article_claim))
    return links


def _unannotated(
    mentions: list[GoldMention], links: dict[tuple[str, str], int]
) -> dict[str, float | int]:
    """Article claims no gold quote maps to (background, or statements the gold leaves out)
    and how many of them the linker put into a corpus claim that holds gold mentions: the
    pairwise scores do not see a background statement pulled into a story claim; this does.
    """
    annotated = {(m.article_id, m.article_claim) for m in mentions if m.article_claim}
    gold_claims = {m.corpus_claim for m in mentions if m.corpus_claim is not None}
    others = [cid for key, cid in links.items() if key not in annotated]
    joined = sum(cid in gold_claims for cid in others)
    return {
        "claims": len(others),
        "in_gold_corpus_claims": joined,
        "share": joined / len(others) if others else 0.0,
    }


def _result(
    directory: Path,
    files: list[Path],
    mentions: list[GoldMention],
    stored: int,
    failed: int,
    examples: int,
) -> dict[str, Any]:
    matched = [m for m in mentions if m.matched]
    gold = [m.claim for m in matched]
    pred = [m.corpus_claim for m in matched]
    cross = [(i, j) for i, j in combinations(range(len(matched)), 2)]
    by_scope: dict[str, list[tuple[int, int]]] = {"cross_article": [], "within_article": []}
    for i, j in cross:
        same = matched[i].article == matched[j].article
        by_scope["within_article" if same else "cross_article"].append((i, j))

    spread: dict[str, Counter[int | None]] = defaultdict(Counter)
    for m in matched:
        spread[m.claim][m.corpus_claim] += 1
    merged: dict[int, Counter[str]] = defaultdict(Counter)
    for m in matched:
        if m.corpus_claim is not None:
            merged[m.corpus_claim][m.claim] += 1

    missed = [
        _pair(matched[i], matched[j])
        for i, j in by_scope["cross_article"]
        if gold[i] == gold[j] and (pred[i] is None or pred[i] != pred[j])
    ]
    wrong = [
        _pair(matched[i], matched[j])
        for i, j in cross
        if gold[i] != gold[j] and pred[i] is not None and pred[i] == pred[j]
    ]
    return {
        "directory": str(directory),
        # "lexical" when the embeddings extra is not installed (or SAYSO_EMBEDDINGS=0).
        "linking_method": linking_method(),
        "articles": len(files),
        "articles_stored": stored,
        "articles_failed": failed,
        "outlets": _outlets(files),
        "gold_claims": len({m.claim for m in mentions}),
        "gold_mentions": len(mentions),
        "matched_mentions": len(matched),
        "unmatched_mentions": len(mentions) - len(matched),
        "unmatched": [
            {"article": m.article, "quote": m.quote, "reason": m.unmatched}
            for m in mentions
            if not m.matched
        ][:examples],
        "mentions_without_claim": sum(m.corpus_claim is None for m in matched),
        "pairs": pairwise_scores(gold, pred),
        **{scope: _scores_over(gold, pred, pairs) for scope, pairs in by_scope.items()},
        "corpus_claims_per_gold_claim": {
            key: len([c for c in counts if c is not None]) for key, counts in sorted(spread.items())
        },
        "largest_share_per_gold_claim": {
            key: max(counts.values()) / sum(counts.values())
            for key, counts in sorted(spread.items())
        },
        "merges": {str(cid): dict(keys) for cid, keys in sorted(merged.items()) if len(keys) > 1},
        "missed_pairs": len(missed),
        "missed_examples": missed[:examples],
        "wrong_pairs": len(wrong),
        "wrong_examples": wrong[:examples],
    }


def _scores_over(
    gold: Sequence[str], pred: Sequence[object | None], pairs: Sequence[tuple[int, int]]
) -> dict[str, float | int]:
    true_pairs = sum(gold[i] == gold[j] for i, j in pairs)
    linked = [(i, j) for i, j in pairs if pred[i] is not None and pred[i] == pred[j]]
    correct = sum(gold[i] == gold[j] for i, j in linked)
    precision = correct / len(linked) if linked else 0.0
    recall = correct / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": true_pairs,
        "predicted_pairs": len(linked),
        "correct_pairs": correct,
    }


def _pair(a: GoldMention, b: GoldMention) -> dict[str, Any]:
    return {
        "gold": [a.claim, b.claim],
        "corpus_claims": [a.corpus_claim, b.corpus_claim],
        "a": f"{a.article}: {a.quote}",
        "b": f"{b.article}: {b.quote}",
    }


def _outlets(files: list[Path]) -> int:
    names = set()
    for path in files:
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        match = re.search(r"^source:\s*(.+)$", head, re.MULTILINE)
        if match:
            names.add(match.group(1).strip().strip("\"'"))
    return len(names)


def _sentences(record: ArticleAnalysis) -> list[tuple[int, int]]:
    spans = sorted(tuple(s.span) for s in record.segments if s.level == "sentence")
    if spans:
        return [(int(a), int(b)) for a, b in spans]
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(record.text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(record.text)))
    return bounds


def _sentence_of(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    for start, end in sentences:
        if start <= offset < end:
            return start, end
    return None


@contextmanager
def linking_parameters(settings: Sequence[str]) -> Iterator[dict[str, float]]:
    """Change numeric parameters of :mod:`sayso.corpus.linking` (``NAME=VALUE``, upper-case
    module constants such as ``DETACH_THRESHOLD``) for the duration of the block.

    >>> with linking_parameters(["DETACH_THRESHOLD=0.5"]) as changed:
    ...     changed
    {'DETACH_THRESHOLD': 0.5}
    >>> linking_parameters(["nope=1"]).__enter__()
    Traceback (most recent call last):
    ...
    sayso.errors.SaysoError: not a numeric linking parameter: nope
    """
    changed: dict[str, float] = {}
    for setting in settings:
        name, _, value = setting.partition("=")
        current = getattr(linking, name, None)
        if not name.isupper() or isinstance(current, bool) or not isinstance(current, int | float):
            raise SaysoError(f"not a numeric linking parameter: {name}")
        try:
            changed[name] = float(value)
        except ValueError:
            raise SaysoError(f"not a number: {setting}") from None
    saved = {name: getattr(linking, name) for name in changed}
    try:
        for name, number in changed.items():
            setattr(linking, name, number)
        yield changed
    finally:
        for name, old in saved.items():
            setattr(linking, name, old)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m sayso.corpus.evaluate_linking DIR``: print the result as one JSON object."""
    parser = argparse.ArgumentParser(prog="sayso evaluate linking", description=__doc__)
    parser.add_argument("directory", type=Path, help="articles and gold.jsonl")
    parser.add_argument("--db", type=Path, help="keep the store here (must not exist)")
    parser.add_argument("--examples", type=int, default=10, help="missed/wrong pairs shown")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="run with a linking parameter changed, e.g. --set DETACH_THRESHOLD=0.6",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        metavar="P",
        help="run with the linking model's probability threshold set to P",
    )
    args = parser.parse_args(argv)
    model = link_model.active_model()
    if args.threshold is not None:
        model = dataclasses.replace(model, threshold=args.threshold)
    try:
        with linking_parameters(args.set), link_model.using(model):
            result = evaluate_linking(args.directory, db=args.db, examples=args.examples)
    except SaysoError as exc:
        print(f"sayso: error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())

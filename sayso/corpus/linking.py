"""Linking the claims of one article to the corpus-level claims already stored.

Each article-level claim (``record.claims``) gets a set of weighted *features*, read from the
tokens of its evidence (the content of each statement about it, and the sentence of each
author stance):

- ``e:<name>``  an entity mentioned there, by its canonical name (weight :data:`W_ENTITY`);
- ``n:<value>`` a number (a quantity's value, or a numeral) (weight :data:`W_NUMBER`);
- ``w:<lemma>`` a content word: noun, verb, adjective, adverb or proper noun outside an
  entity or date mention, lower-cased lemma, minus stop words, speech verbs and stance cue words
  (weight :data:`W_WORD`).

Two claims ``A`` and ``B`` are compared by the weighted Jaccard index ``J = w(A∩B) /
w(A∪B)`` and the weighted overlap coefficient ``O = w(A∩B) / min(w(A), w(B))``; their score is
``(J + O) / 2``. A new claim joins the corpus claim holding its best-scoring member claim
when that score is at least :data:`LINK_THRESHOLD` and the two share at least one content
word (entities alone, e.g. "Kherson", never link two claims); otherwise it starts a new
corpus claim. Matching is single-link (best member), deterministic, and incremental: a new
article's claims are compared with the claims already stored, not with each other (the
article's own analysis already decided they differ). Being incremental, the grouping can
depend on the ingest order (single-link chains form as claims arrive).

>>> a = {"w:strike": 1.0, "w:depot": 1.0, "e:kherson": 2.0}
>>> b = {"w:strike": 1.0, "w:depot": 1.0, "w:fuel": 1.0, "e:kherson": 2.0}
>>> round(similarity(a, b), 3)
0.9
>>> round(similarity(a, {"e:kherson": 2.0, "w:shell": 1.0, "w:school": 1.0}), 3)
0.417
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources

import duckdb
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from sayso.record import ArticleAnalysis, Claim

W_WORD = 1.0
W_ENTITY = 2.0
W_NUMBER = 1.5
#: The score ``(J + O) / 2`` from which a claim joins an existing corpus claim.
LINK_THRESHOLD = 0.45

_CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV", "PROPN"})
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"^[0-9][0-9,.]*$")
_LEADING_THE = re.compile(r"^(?:the)\s+")

Features = dict[str, float]

#: Tables of the linker's own, beside the store's (none yet: it reads ``claim_features``).
TABLES: tuple[str, ...] = ()


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the linker's own tables in the store, if any are missing."""


def similarity(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """``(J + O) / 2``: weighted Jaccard and weighted overlap coefficient of two feature sets."""
    wa, wb = sum(a.values()), sum(b.values())
    if not wa or not wb:
        return 0.0
    inter = sum(w for f, w in a.items() if f in b)
    return score_from_weights(inter, wa, wb)


def score_from_weights(inter: float, wa: float, wb: float) -> float:
    """The link score from the shared weight and the two total weights.

    >>> round(score_from_weights(2.0, 4.0, 4.0), 4)
    0.4167
    """
    if inter <= 0 or wa <= 0 or wb <= 0:
        return 0.0
    jaccard = inter / (wa + wb - inter)
    overlap = inter / min(wa, wb)
    return (jaccard + overlap) / 2


def normalise_name(name: str) -> str:
    """The key under which names (entities, holders) are compared across articles.

    >>> normalise_name("  The  Kremlin's ")
    'kremlin'
    >>> normalise_name("Russia’s defence ministry")
    "russia's defence ministry"
    """
    text = unicodedata.normalize("NFKC", name).replace("’", "'").casefold()
    text = _SPACE.sub(" ", text).strip(" \t\n\"'“”.,;:")
    if text.endswith("'s"):
        text = text[:-2]
    return _LEADING_THE.sub("", text)


@lru_cache(maxsize=1)
def excluded_lemmas() -> frozenset[str]:
    """Words that say how something was said, not what: speech verbs and stance cue lemmas."""
    data = resources.files("sayso").joinpath("data")
    words: set[str] = set()
    for line in data.joinpath("speech_verbs.txt").read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            words.add(line)
    lexicon = json.loads(data.joinpath("stance_lexicon.json").read_text("utf-8"))
    for lemmas in lexicon.get("cue_lemmas", {}).values():
        words.update(w.lower() for w in lemmas if " " not in w)
    return frozenset(words | {w.lower() for w in STOP_WORDS})


def claim_evidence_spans(record: ArticleAnalysis, claim: Claim) -> list[tuple[int, int]]:
    """The character spans that state a claim: its statements' contents, author sentences."""
    contents = {s.id: s.content.span for s in record.statements}
    spans: list[tuple[int, int]] = []
    for stance in claim.stances:
        span = contents.get(stance.statement or "", stance.span)
        if span not in spans:
            spans.append(span)
    for statement in record.statements:
        if statement.claim == claim.id and statement.content.span not in spans:
            spans.append(statement.content.span)
    return spans


def article_claim_features(record: ArticleAnalysis, doc: Doc) -> dict[str, Features]:
    """Features of each claim in ``record``, read from ``doc`` (a parse of ``record.text``)."""
    if doc.text != record.text:
        raise ValueError("the doc is not a parse of the record's text")
    excluded = excluded_lemmas()
    entity_of_token: dict[int, str] = {}
    for entity in record.entities:
        key = normalise_name(entity.name)
        for s, e in entity.mentions if key else []:
            mention = doc.char_span(s, e, alignment_mode="expand")
            for token in mention or []:
                entity_of_token.setdefault(token.i, key)
    date_tokens: set[int] = set()
    for date in record.dates:
        mention = doc.char_span(date.span[0], date.span[1], alignment_mode="expand")
        date_tokens.update(token.i for token in mention or [])
    result: dict[str, Features] = {}
    for claim in record.claims:
        feats: Features = {}
        for start, end in claim_evidence_spans(record, claim):
            for q in record.quantities:
                if q.value is not None and q.span[0] >= start and q.span[1] <= end:
                    feats[f"n:{_number(q.value)}"] = W_NUMBER
            span = doc.char_span(start, end, alignment_mode="expand")
            for token in span or []:
                owner = entity_of_token.get(token.i)
                if owner is not None:
                    feats[f"e:{owner}"] = W_ENTITY
                    continue
                if token.i in date_tokens:
                    continue
                if _DIGITS.match(token.text):
                    value = _parse_number(token.text)
                    if value is not None:
                        feats[f"n:{_number(value)}"] = W_NUMBER
                    continue
                if token.pos_ not in _CONTENT_POS or not token.is_alpha:
                    continue
                lemma = token.lemma_.lower()
                if len(lemma) < 2 or lemma in excluded or token.lower_ in excluded:
                    continue
                feats.setdefault(f"w:{lemma}", W_WORD)
        result[claim.id] = feats
    return result


def link_claims(
    con: duckdb.DuckDBPyConnection, features: Mapping[str, Features]
) -> dict[str, tuple[int, float]]:
    """For each new claim, the stored corpus claim it joins (by its best member claim), if any.

    The claims of one article are matched against what is stored, not against each other:
    the article's own analysis already decided they are different claims.
    """
    rows_in = [
        {"claim": cid, "feature": f, "weight": w}
        for cid, feats in features.items()
        for f, w in feats.items()
    ]
    if not rows_in:
        return {}
    rows = con.execute(
        """
        WITH q AS (
            SELECT r.* FROM (SELECT unnest(from_json($1,
                '[{"claim": "VARCHAR", "feature": "VARCHAR", "weight": "DOUBLE"}]')) AS r)
        )
        SELECT q.claim, l.corpus_claim_id, c.feature_weight,
               sum(q.weight) AS inter,
               bool_or(starts_with(q.feature, 'w:')) AS shares_word
        FROM q
        JOIN claim_features f ON f.feature = q.feature
        JOIN claims c ON c.article_id = f.article_id AND c.id = f.claim_id
        JOIN claim_links l ON l.article_id = f.article_id AND l.claim_id = f.claim_id
        GROUP BY q.claim, l.corpus_claim_id, f.article_id, f.claim_id, c.feature_weight
        """,
        [json.dumps(rows_in)],
    ).fetchall()
    weight = {cid: sum(feats.values()) for cid, feats in features.items()}
    candidates: dict[str, list[tuple[int, float, bool]]] = {}
    for claim, corpus_id, w_other, inter, word in rows:
        score = score_from_weights(float(inter), weight[claim], float(w_other))
        candidates.setdefault(claim, []).append((int(corpus_id), score, bool(word)))
    links = {}
    for claim, found in candidates.items():
        best = best_link(found)
        if best is not None:
            links[claim] = best
    return links


def tagging_doc(nlp: Language, text: str) -> Doc:
    """Re-parse a record's text with only the tagging pipes (for records stored without a doc)."""
    tagging = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")
    wanted = [name for name in nlp.pipe_names if name in tagging]
    with nlp.select_pipes(enable=wanted):
        return nlp(text)


def best_link(candidates: Iterable[tuple[int, float, bool]]) -> tuple[int, float] | None:
    """Pick the corpus claim to join from ``(corpus_claim_id, score, shares_word)`` rows.

    Highest score wins; ties go to the older (smaller) id, so linking is deterministic.

    >>> best_link([(3, 0.6, True), (1, 0.6, True), (2, 0.9, False)])
    (1, 0.6)
    >>> best_link([(2, 0.3, True)]) is None
    True
    """
    best: tuple[int, float] | None = None
    for cid, score, shares_word in candidates:
        if not shares_word or score < LINK_THRESHOLD:
            continue
        if best is None or score > best[1] or (score == best[1] and cid < best[0]):
            best = (cid, score)
    return best


def _parse_number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").rstrip("."))
    except ValueError:
        return None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"

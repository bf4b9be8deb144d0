"""Lexicons for rhetoric and opinion: data files under ``sayso/data/`` and a matcher over them.

>>> techniques = load_techniques()
>>> len(techniques), "Loaded_Language" in techniques
(14, True)
>>> sentiment_lexicon()["cowardly"] < 0
True
"""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

#: Rhetoric cue categories in ``rhetoric_lexicon.json`` (also used as feature names).
RHETORIC_CATEGORIES = (
    "loaded",
    "labels",
    "cliches",
    "flag",
    "whatabout",
    "black_white",
    "doubt",
    "exaggeration",
    "fear",
    "bandwagon",
    "authority",
    "causal",
)
#: Opinion cue categories in ``opinion_lexicon.json``.
OPINION_CATEGORIES = (
    "obligation",
    "certainty",
    "hedge_opinion",
    "evaluative",
    "prediction",
    "first_plural",
    "first_singular",
    "reporting_phrases",
    "endorsement",
)


def load_techniques() -> dict[str, str]:
    """The 14 SemEval-2020 Task 11 technique labels, each with a one-line definition."""
    with (DATA_DIR / "techniques.tsv").open(encoding="utf-8") as fh:
        rows = csv.DictReader(fh, delimiter="\t")
        return {row["technique"]: row["definition"] for row in rows}


@lru_cache(maxsize=1)
def technique_cues() -> dict[str, frozenset[str]]:
    """The rhetoric lexicon categories that are evidence *for* each technique (the ``cues``
    column of ``techniques.tsv``): a doubt cue backs Doubt, not Loaded_Language.

    >>> sorted(technique_cues()["Name_Calling,Labeling"])
    ['labels', 'loaded']
    >>> technique_cues()["Repetition"]
    frozenset()
    """
    with (DATA_DIR / "techniques.tsv").open(encoding="utf-8") as fh:
        rows = csv.DictReader(fh, delimiter="\t")
        return {
            row["technique"]: frozenset(c for c in (row.get("cues") or "").split(",") if c)
            for row in rows
        }


@lru_cache(maxsize=1)
def rhetoric_lexicon() -> dict[str, tuple[str, ...]]:
    """Cue phrases per rhetoric category (``sayso/data/rhetoric_lexicon.json``)."""
    raw = json.loads((DATA_DIR / "rhetoric_lexicon.json").read_text(encoding="utf-8"))
    return {cat: tuple(raw[cat]) for cat in RHETORIC_CATEGORIES}


@lru_cache(maxsize=1)
def opinion_lexicon() -> dict[str, tuple[str, ...]]:
    """Cue phrases per opinion category (``sayso/data/opinion_lexicon.json``)."""
    raw = json.loads((DATA_DIR / "opinion_lexicon.json").read_text(encoding="utf-8"))
    return {cat: tuple(raw[cat]) for cat in (*OPINION_CATEGORIES, "reporting_verbs")}


@lru_cache(maxsize=1)
def sentiment_lexicon() -> dict[str, float]:
    """Word -> valence (-4..4), derived from VADER's lexicon (MIT licence).

    See :func:`build_sentiment_lexicon` for how ``rhetoric_sentiment.json`` was made.
    """
    raw = json.loads((DATA_DIR / "rhetoric_sentiment.json").read_text(encoding="utf-8"))
    return {str(k): float(v) for k, v in raw["valence"].items()}


def build_sentiment_lexicon(out: Path | None = None, min_abs: float = 1.0) -> int:
    """Regenerate ``rhetoric_sentiment.json`` from the ``vaderSentiment`` package (dev only).

    Keeps single lower-case alphabetic words with ``|valence| >= min_abs``. Returns the count.
    """
    import vaderSentiment  # pip install vaderSentiment==3.3.2 (MIT); not a runtime dependency

    src = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
    valence: dict[str, float] = {}
    for line in src.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        word, value = parts[0], float(parts[1])
        if word.isalpha() and word.islower() and abs(value) >= min_abs:
            valence[word] = value
    payload = {
        "_about": "Derived from vaderSentiment 3.3.2 vader_lexicon.txt (MIT licence, "
        f"C.J. Hutto): single lower-case words with |valence| >= {min_abs:.1f}.",
        "valence": valence,
    }
    target = out or DATA_DIR / "rhetoric_sentiment.json"
    target.write_text(json.dumps(payload, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    return len(valence)


class LexiconMatcher:
    """Marks which lexicon categories cover each token of a doc (one PhraseMatcher pass).

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> hits = LexiconMatcher(nlp.vocab)(nlp("They are cowardly thugs, what about us?"))
    >>> sorted(hits[3]), sorted(hits[5])
    (['labels'], ['whatabout'])
    """

    def __init__(self, vocab: Vocab) -> None:
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        tokenizer = spacy.blank("en").tokenizer  # tokenise entries like the model does
        lexicons = {**rhetoric_lexicon(), **{f"op_{k}": v for k, v in opinion_lexicon().items()}}
        for cat, phrases in lexicons.items():
            if cat == "op_reporting_verbs":
                continue  # lemmas, matched separately
            docs = [Doc(vocab, words=[t.text for t in tokenizer(p)]) for p in phrases]
            self.matcher.add(cat, docs)
        self.reporting_lemmas = frozenset(opinion_lexicon()["reporting_verbs"])

    def __call__(self, doc: Doc) -> list[set[str]]:
        hits: list[set[str]] = [set() for _ in range(len(doc))]
        for match_id, start, end in self.matcher(doc):
            label = doc.vocab.strings[match_id]
            for i in range(start, end):
                hits[i].add(label)
        return hits

    def matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        """All (category, start, end) token matches."""
        return [(doc.vocab.strings[m], s, e) for m, s, e in self.matcher(doc)]


@lru_cache(maxsize=4)
def lexicon_matcher(vocab: Vocab) -> LexiconMatcher:
    """A cached :class:`LexiconMatcher` for a vocab."""
    return LexiconMatcher(vocab)

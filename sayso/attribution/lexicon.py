"""Loading the attribution lexicons shipped in ``sayso/data``."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class CueLexicon:
    """Verb lemmas with the share of their occurrences that were cues in PolNeAR train, over
    all their occurrences and over those governing a finite clause ("found that ...")."""

    precision: dict[str, float]
    counts: dict[str, int]
    clause_precision: dict[str, float] = field(default_factory=dict)
    clause_totals: dict[str, int] = field(default_factory=dict)

    def cue_lemmas(self, min_precision: float, min_count: int) -> frozenset[str]:
        """Lemmas that are cues wherever they stand."""
        return frozenset(
            lemma
            for lemma, p in self.precision.items()
            if p >= min_precision and self.counts[lemma] >= min_count
        )

    def clause_cue_lemmas(self, min_precision: float, min_total: int) -> frozenset[str]:
        """Lemmas that are cues when they govern a finite clause ("the inquiry found that
        ..."), seen so at least ``min_total`` times."""
        return frozenset(
            lemma
            for lemma, p in self.clause_precision.items()
            if p >= min_precision and self.clause_totals.get(lemma, 0) >= min_total
        )


@dataclass(frozen=True)
class AttributionWords:
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    first_person: frozenset[str]
    role_nouns: frozenset[str]
    institution_nouns: frozenset[str]  # "ministry": a group speaker, not a person's role
    speech_nouns: frozenset[str]  # "statement": "a similar statement was made by X"
    speech_noun_verbs: frozenset[str]  # "make", "issue": verbs that carry a speech noun
    verification_verbs: frozenset[str]  # "verify": a cue where it cannot be done
    raising_verbs: frozenset[str]  # "it seems": the author's own hedge, nobody speaks
    #: "We think ...": cues only with a first-person subject outside quotation marks.
    author_belief_verbs: frozenset[str]
    female_words: frozenset[str]  # "spokeswoman", "Mrs": evidence of gender in the text
    male_words: frozenset[str]

    @property
    def pronouns(self) -> frozenset[str]:
        return self.person_pronouns | self.group_pronouns | self.thing_pronouns


def _data_text(name: str) -> str:
    return resources.files("sayso").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_cue_lexicon() -> CueLexicon:
    """The cue lexicon (``cue_lexicon.tsv``, built by ``scripts/build_cue_lexicon.py``)."""
    lines = [ln for ln in _data_text("cue_lexicon.tsv").splitlines() if not ln.startswith("#")]
    precision: dict[str, float] = {}
    counts: dict[str, int] = {}
    clause_precision: dict[str, float] = {}
    clause_totals: dict[str, int] = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        precision[row["lemma"]] = float(row["precision"])
        counts[row["lemma"]] = int(row["cue_count"])
        if row.get("clause_total"):
            clause_precision[row["lemma"]] = float(row["clause_precision"])
            clause_totals[row["lemma"]] = int(row["clause_total"])
    return CueLexicon(precision, counts, clause_precision, clause_totals)


@lru_cache(maxsize=1)
def load_attribution_words() -> AttributionWords:
    data = json.loads(_data_text("attribution.json"))
    p = data["pronouns"]
    return AttributionWords(
        person_pronouns=frozenset(p["person"]),
        group_pronouns=frozenset(p["group"]),
        thing_pronouns=frozenset(p["thing"]),
        first_person=frozenset(p["first_person"]),
        role_nouns=frozenset(data["role_nouns"]),
        institution_nouns=frozenset(data["institution_nouns"]),
        speech_nouns=frozenset(data["speech_nouns"]),
        speech_noun_verbs=frozenset(data["speech_noun_verbs"]),
        verification_verbs=frozenset(data.get("verification_verbs", ())),
        raising_verbs=frozenset(data["raising_verbs"]),
        author_belief_verbs=frozenset(data.get("author_belief_verbs", ())),
        female_words=frozenset(data["gender_words"]["female"]),
        male_words=frozenset(data["gender_words"]["male"]),
    )

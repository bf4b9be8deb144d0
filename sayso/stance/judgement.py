"""Statements that judge a claim named as such instead of stating one.

"The accusation was an attempt to distract from the ministry's losses" says nothing true or
false about the world in its own words; it judges the accusation, and by calling it a
distraction denies it. :func:`names_a_claim` finds such a named claim (a noun of the stance
lexicon's ``claim_nouns`` with a determiner or a possessor that points at something already
said, and no clause of its own); :func:`negative_judgement` finds the words of a copular
content whose subject is one and whose predicate is negatively evaluated (by the valence
lexicon of ``sayso/data/rhetoric_sentiment.json``): those words are the evidence of a denial.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> negative_judgement(nlp("nothing")[:]) is None
True
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from sayso.rhetoric.lexicons import sentiment_lexicon
from sayso.stance.lexicon import load_lexicon

#: Determiners that make a noun point at something already said ("the accusation").
POINTING_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "such"})
#: Dependents that give a noun a proposition of its own ("the report that troops crossed").
CLAUSAL_DEPS = frozenset({"acl", "relcl", "ccomp"})
#: Words of the predicate that carry its evaluation: its head, the head's modifiers, and a
#: verb it governs ("an attempt to distract").
_EVALUATING_DEPS = frozenset({"amod", "compound", "acl", "relcl", "xcomp", "advmod", "neg"})
#: The predicate's summed valence at which the judgement is negative (VADER's scale, -4..4;
#: "cynical" -1.6, "distract" -1.2, "smear" -1.5).
NEGATIVE_VALENCE = -1.0


def is_claim_noun(token: Token) -> bool:
    """Whether ``token`` is a noun that names a claim as such ("accusation", "report"): the
    stance lexicon's ``claim_nouns``."""
    return token.pos_ == "NOUN" and token.lemma_.lower() in load_lexicon().claim_nouns


def names_a_claim(token: Token) -> bool:
    """Whether ``token`` names a claim stated before: "the accusation", "Kyiv's claims", not
    "the report that troops crossed" (a proposition of its own) nor "claims" alone."""
    if not is_claim_noun(token):
        return False
    children = list(token.children)
    pointing = any(
        (c.dep_ == "det" and c.lower_ in POINTING_DETERMINERS) or c.dep_ == "poss" for c in children
    )
    return pointing and not any(c.dep_ in CLAUSAL_DEPS for c in children)


def negative_judgement(content: Span) -> str | None:
    """The words with which ``content`` judges a claim it names as a bad thing, if it does:
    "an attempt to distract" in "the accusation was an attempt to distract from the losses",
    "a cynical use" in "claims linking Velmora to the attack were a cynical use of a
    tragedy"; ``None`` for a content that states something, or judges without a negative
    word ("the report was a summary")."""
    root = content.root
    if root.lemma_ != "be":
        return None
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or not (names_a_claim(subject) or _claims_about(subject)):
        return None
    predicate = next((c for c in root.children if c.dep_ in ("attr", "acomp")), None)
    if predicate is None:
        return None
    words = [predicate, *(c for c in predicate.children if c.dep_ in _EVALUATING_DEPS)]
    valence = sentiment_lexicon()
    score = sum(valence.get(t.lemma_.lower(), valence.get(t.lower_, 0.0)) for t in words)
    if any(t.dep_ == "neg" for t in words) or score > NEGATIVE_VALENCE:
        return None
    first = min(t.i for t in words)
    last = max(t.right_edge.i if t.dep_ in ("acl", "xcomp") else t.i for t in words)
    return content.doc[first : last + 1].text


def _claims_about(token: Token) -> bool:
    """A plural claim noun followed by what they are about: "claims linking Velmora to the
    attack", "reports of a convoy" (the claim under discussion, told again by its topic)."""
    if not is_claim_noun(token) or token.tag_ != "NNS":
        return False
    if any(c.dep_ in ("acl", "prep") for c in token.children):
        return True
    # The parser may hang "linking ..." on the verb instead of the noun.
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return following is not None and following.tag_ == "VBG"

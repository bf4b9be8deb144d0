"""The stance lexicon (``sayso/data/stance_lexicon.json``) compiled into regexes.

Each section's phrase lists go into one token trie (:class:`PhraseTable`), so a text is
tokenised once and scanned once per section, with dictionary look-ups.

>>> lex = load_lexicon()
>>> lex.lemma_of("categorically denied")
'deny'
>>> lex.cue_key("deny")
'denies'
>>> [(h.key, h.text) for h in lex.content_hits("The video is fake news.")]
[('denies', 'fake news')]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

#: Order of precedence when a text matches phrases of several labels at the same place.
PRIORITY = (
    "questions",
    "conditional",
    "cannot_confirm",
    "denies",
    "denies_weak",
    "doubts",
    "hedges",
    "attributed",
)


@dataclass(frozen=True)
class Hit:
    """One lexicon phrase found in a text: its section key, the text matched and its offset."""

    key: str
    text: str
    start: int


_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


def _tokens(text: str, lower_only: frozenset[str] = frozenset()) -> list[tuple[str, int, int]]:
    """Lower-cased word/punctuation tokens with offsets. Words in ``lower_only`` ("may") match
    only when written in lower case (or first in the text), so the month "May" is no hedge."""
    out = []
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        low = tok.lower().replace("’", "'")
        if low in lower_only and tok != low and m.start() > 0:
            low = tok
        out.append((low, m.start(), m.end()))
    return out


class PhraseTable:
    """Phrases of several labels in a token trie; '*' in a phrase stands for any one token.

    Scanning is left to right, longest match first (ties go to the earlier label in
    :data:`PRIORITY`), matches do not overlap.

    >>> t = PhraseTable({"denies": ["fake news", "fake"], "hedges": ["may * been"]})
    >>> [(h.key, h.text) for h in t.hits("Fake news, they may have been told.")]
    [('denies', 'Fake news'), ('hedges', 'may have been')]
    """

    _END = "\x00"

    def __init__(
        self, groups: dict[str, list[str]], lower_only: frozenset[str] = frozenset()
    ) -> None:
        self._lower_only = lower_only
        self._trie: dict[str, Any] = {}
        order = sorted(groups, key=lambda k: PRIORITY.index(k) if k in PRIORITY else 99)
        for key in order:
            for phrase in groups[key]:
                toks = [t for t, _, _ in _tokens(phrase)]
                if not toks:
                    continue
                node = self._trie
                for tok in toks:
                    node = node.setdefault(tok, {})
                node.setdefault(self._END, key)

    def _walk(self, toks: list[tuple[str, int, int]], i: int) -> tuple[int, str] | None:
        best: tuple[int, str] | None = None
        stack: list[tuple[dict[str, Any], int]] = [(self._trie, i)]
        while stack:
            node, j = stack.pop()
            if self._END in node and j > i and (best is None or j > best[0]):
                best = (j, node[self._END])
            if j < len(toks):
                nxt = node.get(toks[j][0])
                if nxt is not None:
                    stack.append((nxt, j + 1))
                star = node.get("*")
                if star is not None:
                    stack.append((star, j + 1))
        return best

    def hits(self, text: str) -> list[Hit]:
        """All non-overlapping phrase matches in the text, left to right."""
        if not text or not self._trie:
            return []
        toks = _tokens(text, self._lower_only)
        out: list[Hit] = []
        i = 0
        while i < len(toks):
            if toks[i][0] in self._trie or "*" in self._trie:
                found = self._walk(toks, i)
                if found is not None:
                    j, key = found
                    start, end = toks[i][1], toks[j - 1][2]
                    out.append(Hit(key, text[start:end], start))
                    i = j
                    continue
            i += 1
        return out


def _inflections(lemma: str) -> set[str]:
    words = lemma.split()
    head, rest = words[0], words[1:]
    forms = {head, head + "s", head + "es", head + "d", head + "ed", head + "ing"}
    if head.endswith("e"):
        forms |= {head[:-1] + "ing"}
    if head.endswith("y") and len(head) > 2 and head[-2] not in "aeiou":
        forms |= {head[:-1] + "ied", head[:-1] + "ies"}
    if len(head) > 2 and head[-1] not in "aeiouwxy" and head[-2] in "aeiou":
        forms |= {head + head[-1] + "ed", head + head[-1] + "ing"}
    return {" ".join([f, *rest]) for f in forms}


class Lexicon:
    """Compiled stance lexicon. Use :func:`load_lexicon` to get the shared instance."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.commitment: dict[str, int] = {k: int(v) for k, v in data["commitment"].items()}
        self._cue: dict[str, str] = {}
        for key, lemmas in data["cue_lemmas"].items():
            for lemma in lemmas:
                self._cue.setdefault(lemma.lower(), key)
        self._forms: dict[str, str] = {}
        for lemma in self._cue:
            for form in _inflections(lemma):
                self._forms.setdefault(form, lemma)
        for form, lemma in data.get("irregular_forms", {}).items():
            self._forms[form.lower()] = lemma.lower()
        lower_only = frozenset(w.lower() for w in data.get("lower_case_only", []))
        self.frame_table = PhraseTable(data["frame_phrases"], lower_only)
        self.content_table = PhraseTable(data["content_phrases"], lower_only)
        self.headline_table = PhraseTable(
            {k: v for k, v in data["headline_phrases"].items() if not k.startswith("_")}
        )
        back = data["refers_back"]
        self.refers_back_table = PhraseTable({"refers_back": back["frame_phrases"]})
        self.refers_back_content = {p.lower() for p in back["content_exact"]}
        #: Nouns that name a claim as such ("the accusation", "these reports").
        self.claim_nouns = frozenset(n.lower() for n in back.get("claim_nouns", ()))

    def lemma_of(self, cue: str) -> str:
        """Best-guess lemma of a cue string from the lexicon's forms (else its last word)."""
        words = re.findall(r"[\w'-]+", cue.lower())
        if not words:
            return ""
        whole = " ".join(words)
        if whole in self._forms:
            return self._forms[whole]
        for i in range(len(words) - 1):
            pair = f"{words[i]} {words[i + 1]}"
            if pair in self._forms:
                return self._forms[pair]
        for word in words:
            if word in self._forms:
                return self._forms[word]
        return words[-1]

    def cue_key(self, lemma: str) -> str | None:
        """The lexicon section of a cue lemma (``denies``, ``asserts_weak`` ...) or None."""
        return self._cue.get(lemma.lower())

    def frame_hits(self, text: str) -> list[Hit]:
        """Phrases of ``frame_phrases`` in the text around the content."""
        return self.frame_table.hits(text)

    def content_hits(self, text: str) -> list[Hit]:
        """Phrases of ``content_phrases`` in the content."""
        return self.content_table.hits(text)

    def headline_hits(self, text: str) -> list[Hit]:
        """Phrases of ``headline_phrases`` in a headline."""
        return self.headline_table.hits(text)

    def refers_back_hits(self, text: str) -> list[Hit]:
        """Pointing-back phrases ('a similar statement', 'echoed') in a text."""
        return self.refers_back_table.hits(text)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Load and compile ``sayso/data/stance_lexicon.json`` (cached)."""
    path = resources.files("sayso").joinpath("data/stance_lexicon.json")
    return Lexicon(json.loads(path.read_text(encoding="utf-8")))

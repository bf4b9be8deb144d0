"""The stance lexicon (``sayso/data/stance_lexicon.json``) compiled into regexes.

Each phrase list becomes one named group of a single compiled regex per section, so a text
is scanned once per section.

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


def _phrase_regex(phrase: str) -> str:
    parts = []
    for word in phrase.split():
        parts.append(r"\S+" if word == "*" else re.escape(word))
    body = r"\s+".join(parts)
    if phrase[:1].isalnum():
        body = r"(?<![\w-])" + body
    if phrase[-1:].isalnum():
        body = body + r"(?![\w-])"
    return body


def _compile(groups: dict[str, list[str]]) -> re.Pattern[str] | None:
    alts = []
    for key in sorted(groups, key=lambda k: PRIORITY.index(k) if k in PRIORITY else 99):
        phrases = [p for p in groups[key] if p.strip()]
        if not phrases:
            continue
        phrases.sort(key=len, reverse=True)
        alts.append(f"(?P<{key}>" + "|".join(_phrase_regex(p) for p in phrases) + ")")
    if not alts:
        return None
    return re.compile("|".join(alts), re.IGNORECASE)


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
        self.frame_re = _compile(data["frame_phrases"])
        self.content_re = _compile(data["content_phrases"])
        self.headline_re = _compile(
            {k: v for k, v in data["headline_phrases"].items() if not k.startswith("_")}
        )
        back = data["refers_back"]
        self.refers_back_re = _compile({"hedges": back["frame_phrases"]})
        self.refers_back_content = {p.lower() for p in back["content_exact"]}

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

    @staticmethod
    def _hits(pattern: re.Pattern[str] | None, text: str) -> list[Hit]:
        if pattern is None or not text:
            return []
        return [
            Hit(m.lastgroup or "", m.group(0), m.start())
            for m in pattern.finditer(text)
            if m.lastgroup
        ]

    def frame_hits(self, text: str) -> list[Hit]:
        """Phrases of ``frame_phrases`` in the text around the content."""
        return self._hits(self.frame_re, text)

    def content_hits(self, text: str) -> list[Hit]:
        """Phrases of ``content_phrases`` in the content."""
        return self._hits(self.content_re, text)

    def headline_hits(self, text: str) -> list[Hit]:
        """Phrases of ``headline_phrases`` in a headline."""
        return self._hits(self.headline_re, text)

    def refers_back_hits(self, text: str) -> list[Hit]:
        """Pointing-back phrases ('a similar statement', 'echoed') in a text."""
        return self._hits(self.refers_back_re, text)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Load and compile ``sayso/data/stance_lexicon.json`` (cached)."""
    path = resources.files("sayso").joinpath("data/stance_lexicon.json")
    return Lexicon(json.loads(path.read_text(encoding="utf-8")))

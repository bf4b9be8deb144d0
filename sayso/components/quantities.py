"""``sayso_quantities``: numbers, amounts and what they count.

One pass over the tokens finds number cores (digits with optional glued scale "2.5bn",
number words "twenty-five", scale words "12 million", "a dozen", vague amounts
"tens of thousands", "several hundred"), then reads what surrounds them:

- a bound or approximation before the number ("more than", "up to", "about", "between X and
  Y") and ranges after it ("200 to 300", "200-300");
- a currency ("$", "€", "US$", "dollars" -> ISO code such as ``USD``);
- a measure unit ("%", "per cent" -> ``percent``, "km", "tonnes");
- otherwise the counted noun from the dependency parse: the noun the number modifies
  (``nummod``), or the object of "of" after a vague amount ("thousands of troops"). The
  unit keeps the head noun with its compound and adjective modifiers between the number
  and the noun ("1,500 special forces" -> ``special forces``, "dozens of North Korean
  soldiers" -> ``North Korean soldiers``), minus throw-away adjectives listed in
  ``unit_skip_modifiers`` ("10,000 new troops" -> ``troops``).

Conventions (see ``sayso/data/quantity_words.json``): ``value`` is the number, or the low
end of a vague range; ``vague`` is True whenever the text does not state one exact number
(vague words, approximations, bounds, ranges); bounds fill only ``low`` ("more than 500")
or only ``high`` ("up to 3,000"); approximations ("about 1,500") leave both empty.

Skipped: numbers inside date/time mentions (spaCy ``DATE``/``TIME`` entities and
``doc._.sayso_dates``), bare years, ordinals, ages ("45-year-old"), phone-like digit runs,
and numbers that belong to names ("Resolution 2231", "Su-25", "G7").

>>> import spacy
>>> doc = spacy.blank("en")("The fund pays $2.5bn, up to 40% of the total.")
>>> [(q.span.text, q.value, q.unit, q.high) for q in find_quantities(doc)]
[('$2.5bn', 2500000000.0, 'USD', None), ('up to 40%', 40.0, 'percent', 40.0)]
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

import numpy
from spacy.attrs import LOWER, PREFIX
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sayso.doc_types import QuantityMention

V = TypeVar("V")
Phrase = tuple[str, ...]

_NUM_RE = re.compile(r"^(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<dec>\.\d+)?(?P<suf>[a-z%]*)\.?$")
_ORDINAL_RE = re.compile(r"^\d+(?:st|nd|rd|th)$")
_DATE_LABELS = frozenset({"DATE", "TIME"})
_NOUNS = frozenset({"NOUN", "PROPN"})
_UNIT_DEPS = frozenset({"compound", "amod", "nmod", "nummod", "poss", "case"})
#: counted "nouns" that are really durations or ages; such mentions are dropped.
_TIME_NOUNS = frozenset(
    {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks"}
    | {"month", "months", "year", "years", "decade", "decades", "century", "centuries"}
    | {"night", "nights", "weekend", "weekends", "morning", "mornings"}
)


def _phrases(table: Mapping[str, V]) -> dict[Phrase, V]:
    return {tuple(k.lower().split()): v for k, v in table.items()}


@dataclass(frozen=True)
class _Lex:
    number_words: dict[str, int]
    scales: dict[str, float]
    suffix_scales: dict[str, float]
    vague: dict[Phrase, tuple[float, float]]
    multipliers: dict[Phrase, tuple[float, float]]
    modifiers: dict[Phrase, str]
    currency_symbols: dict[str, str]
    currency_words: dict[str, str]
    units: dict[Phrase, str]
    skip_modifiers: frozenset[str]
    name_contexts: frozenset[str]
    triggers: frozenset[str]


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    raw: dict[str, Any] = json.loads(
        resources.files("sayso").joinpath("data/quantity_words.json").read_text(encoding="utf-8")
    )
    vague = {k: (float(v[0]), float(v[1])) for k, v in _phrases(raw["vague_counts"]).items()}
    mult = {k: (float(v[0]), float(v[1])) for k, v in _phrases(raw["vague_multipliers"]).items()}
    modifiers = _phrases(raw["modifiers"])
    units = _phrases(raw["units"])
    number_words = {k.lower(): int(v) for k, v in raw["number_words"].items()}
    scales = {k.lower(): float(v) for k, v in raw["scales"].items()}
    symbols = {k.lower(): v for k, v in raw["currency_symbols"].items()}
    triggers = (
        set(number_words)
        | set(scales)
        | set(symbols)
        | {p[0] for p in (*vague, *mult, *modifiers)}
        | {"a", "an", "between"}
    )
    return _Lex(
        number_words=number_words,
        scales=scales,
        suffix_scales={k.lower(): float(v) for k, v in raw["suffix_scales"].items()},
        vague=vague,
        multipliers=mult,
        modifiers=modifiers,
        currency_symbols=symbols,
        currency_words={k.lower(): v for k, v in raw["currency_words"].items()},
        units=units,
        skip_modifiers=frozenset(w.lower() for w in raw["unit_skip_modifiers"]),
        name_contexts=frozenset(w.lower() for w in raw["name_contexts"]),
        triggers=frozenset(triggers),
    )


_FIRST_WORDS: dict[int, dict[str, int]] = {}


def _phrase_at(doc: Doc, i: int, table: Mapping[Phrase, V], max_len: int = 4) -> tuple[V, int]:
    """Longest entry of ``table`` starting at token ``i``: (value, length), or raise KeyError."""
    firsts = _FIRST_WORDS.get(id(table))
    if firsts is None:
        firsts = {}
        for key in table:
            firsts[key[0]] = max(firsts.get(key[0], 0), len(key))
        _FIRST_WORDS[id(table)] = firsts
    first = doc[i].lower_
    longest = firsts.get(first)
    if longest is None:
        raise KeyError(i)
    words = [first]
    for j in range(i + 1, min(i + min(longest, max_len), len(doc))):
        words.append(doc[j].lower_)
    for length in range(len(words), 0, -1):
        key = tuple(words[:length])
        if key in table:
            return table[key], length
    raise KeyError(i)


@dataclass
class _Core:
    start: int
    end: int
    value: float
    low: float | None = None
    high: float | None = None
    vague: bool = False
    unit: str | None = None
    scaled: bool = False
    factor: float = 1.0
    words_only: bool = False  # spelled-out number ("three"), needs stronger evidence
    needs_noun: bool = False  # "several", "a few": only with a counted noun
    plain_int: bool = False  # one digit token without comma/decimal/suffix (years, ids)


def _glued(prev: Token) -> bool:
    return prev.whitespace_ == ""


def _glued_hyphen(t: Token) -> bool:
    return t.text == "-" and t.whitespace_ == "" and t.i > 0 and _glued(t.doc[t.i - 1])


def _scale_after(doc: Doc, j: int, lex: _Lex, glued_only: bool) -> tuple[float, int]:
    """A scale word at ``j`` ("million", or "m"/"bn" glued to the number): (factor, length)."""
    if j >= len(doc):
        return 1.0, 0
    word = doc[j].lower_
    if word in lex.scales and word != "dozen" and not glued_only:
        return lex.scales[word], 1
    stripped = word.rstrip(".")
    if _glued(doc[j - 1]) and stripped in lex.suffix_scales:
        return lex.suffix_scales[stripped], 1
    return 1.0, 0


def _parse_digits(doc: Doc, i: int, lex: _Lex) -> _Core | None:
    tok = doc[i]
    m = _NUM_RE.match(tok.lower_)
    if m is None:
        return None
    value = float(m.group("int").replace(",", "") + (m.group("dec") or ""))
    suf = m.group("suf")
    core = _Core(start=i, end=i + 1, value=value)
    if suf:
        if suf in lex.suffix_scales:
            core.factor = lex.suffix_scales[suf]
            core.value *= core.factor
            core.scaled = True
        elif (suf,) in lex.units:
            core.unit = lex.units[(suf,)]
        else:
            return None
        return core
    if tok.text.endswith("."):
        return None
    # thousands separated by spaces: "2 000", "1 500 000"
    if tok.text.isdigit() and len(tok.text) <= 3 and tok.whitespace_ == " ":
        j = i + 1
        while (
            j < len(doc)
            and len(doc[j].text) == 3
            and doc[j].text.isdigit()
            and doc[j - 1].whitespace_ == " "
        ):
            core.value = core.value * 1000 + float(doc[j].text)
            j += 1
        if j > i + 1:
            core.end = j
            tok = doc[j - 1]
            i = j - 1
    factor, length = _scale_after(doc, i + 1, lex, glued_only=False)
    if length:
        core.value *= factor
        core.factor = factor
        core.end += length
        core.scaled = True
    else:
        core.plain_int = "," not in tok.text and "." not in tok.text
    return core


def _parse_words(doc: Doc, i: int, lex: _Lex) -> _Core | None:
    """Spelled-out numbers: "three", "twenty-five", "three hundred and fifty", "a dozen"."""
    n = len(doc)
    total = 0.0
    current = 0.0
    j = i
    seen = False
    scaled = False
    if doc[i].lower_ in ("a", "an"):
        if i + 1 < n and doc[i + 1].lower_ in lex.scales:
            current = 1.0
            j = i + 1
        else:
            return None
    while j < n:
        word = doc[j].lower_
        if word in lex.number_words:
            small = lex.number_words[word]
            tens_then_unit = current % 10 == 0 and current >= 20 and small < 10
            if seen and current % 100 != 0 and current >= 1 and small < 100 and not tens_then_unit:
                break  # "three four" is two numbers
            current += lex.number_words[word]
            seen = True
        elif word in lex.scales and (seen or current):
            factor = lex.scales[word]
            scaled = True
            if factor == 100:
                current = (current or 1.0) * 100
            else:
                total += (current or 1.0) * factor
                current = 0.0
            seen = True
        elif (
            word in ("-", "and")
            and seen
            and j + 1 < n
            and doc[j + 1].lower_ in lex.number_words
            and (word == "and" or _glued(doc[j - 1]))
        ):
            pass
        else:
            break
        j += 1
    if not seen:
        return None
    factor = lex.scales.get(doc[j - 1].lower_, 1.0) if scaled else 1.0
    return _Core(i, j, total + current, scaled=scaled, factor=factor, words_only=True)


def _parse_vague(doc: Doc, i: int, lex: _Lex) -> _Core | None:
    try:
        (lo, hi), length = _phrase_at(doc, i, lex.multipliers)
    except KeyError:
        pass
    else:
        j = i + length
        if j < len(doc) and doc[j].lower_ in lex.scales:
            factor = lex.scales[doc[j].lower_]
            return _Core(i, j + 1, lo * factor, lo * factor, hi * factor, vague=True)
    try:
        (lo, hi), length = _phrase_at(doc, i, lex.vague)
    except KeyError:
        return None
    first = doc[i].lower_
    needs_noun = first in ("several", "a", "scores")
    return _Core(i, i + length, lo, lo, hi, vague=True, needs_noun=needs_noun)


def _parse_core(doc: Doc, i: int, lex: _Lex) -> _Core | None:
    if i >= len(doc):
        return None
    text = doc[i].text
    if text[:1].isdigit():
        return _parse_digits(doc, i, lex)
    return _parse_vague(doc, i, lex) or _parse_words(doc, i, lex)


def _counted_noun(doc: Doc, core: _Core, k: int, lex: _Lex) -> tuple[str | None, int]:
    """The counted noun after the number: (unit text, end token index)."""
    n = len(doc)
    if k >= n:
        return None, k
    head: Token | None = None
    if doc[k].lower_ == "of" and core.vague:
        objs = [c for c in doc[k].children if c.dep_ == "pobj"]
        if objs and objs[0].pos_ in _NOUNS and objs[0].i - k <= 5:
            head = objs[0]
            k += 1
    else:
        last = doc[core.end - 1]
        cand = last.head
        if (
            last.dep_ in ("nummod", "compound", "quantmod", "amod", "nmod")
            and cand.i >= k
            and cand.i - k <= 4
            and cand.pos_ in _NOUNS
        ):
            head = cand
        elif doc[k].tag_ in ("NNS", "NNPS") and doc[k].pos_ in _NOUNS:
            head = doc[k]
    if head is None or (head.sent_start is True and head.i > k):
        return None, k
    if any((t.is_punct and not _glued_hyphen(t)) or t.is_space for t in doc[k : head.i]):
        return None, k  # "1) copy", "1\n\nEither way"
    if head.lower_ in _TIME_NOUNS:
        return "", head.i + 1
    # Walk left from the noun over its modifiers; a glued hyphen joins words
    # ("plain-clothes officers"); stop at throw-away adjectives, determiners, numbers.
    first = head.i
    j = head.i - 1
    while j >= k:
        t = doc[j]
        glued_hyphen = _glued_hyphen(t)
        if glued_hyphen or (
            t.dep_ in _UNIT_DEPS
            and t.lower_ not in lex.skip_modifiers
            and t.pos_ not in ("DET", "PUNCT", "NUM", "PRON", "ADV")
        ):
            j -= 1
            if not glued_hyphen:
                first = t.i
            continue
        break
    return doc[first : head.i + 1].text, head.i + 1


def _is_name_number(doc: Doc, core: _Core, lex: _Lex) -> bool:
    tok = doc[core.start]
    if core.start == 0:
        return False
    prev = doc[core.start - 1]
    if prev.lower_ in lex.name_contexts and not prev.is_punct:
        return True
    if prev.text == "-" and _glued(prev) and core.start >= 2 and doc[core.start - 2].is_alpha:
        return _glued(doc[core.start - 2])
    if core.plain_int and prev.pos_ == "PROPN" and prev.ent_type_ not in ("GPE", "NORP"):
        return tok.head.i == prev.i or prev.head.i == tok.i or tok.tag_ == "NNP"
    return False


def _counts_plural(ent: Span) -> bool:
    """A one-token "date" that counts a plural noun ("fired 2000 missiles") is a number."""
    if len(ent) != 1:
        return False
    tok = ent[0]
    head = tok.head
    return (
        tok.dep_ == "nummod"
        and head.tag_ in ("NNS", "NNPS")
        and head.i > tok.i
        and head.lower_ not in _TIME_NOUNS
    )


def _excluded_tokens(doc: Doc) -> set[int]:
    out: set[int] = set()
    for ent in doc.ents:
        if ent.label_ in _DATE_LABELS and not _counts_plural(ent):
            out.update(range(ent.start, ent.end))
    for d in doc._.sayso_dates or []:
        out.update(range(d.span.start, d.span.end))
    return out


def _is_age(doc: Doc, core: _Core) -> bool:
    n = len(doc)
    e = core.end
    if e + 1 < n and doc[e].text == "-" and doc[e + 1].lower_ in ("year", "years"):
        return True
    if e + 1 < n and doc[e].lower_ in ("year", "years") and doc[e + 1].lower_ == "old":
        return True
    return core.start > 0 and doc[core.start - 1].lower_ in ("aged", "age")


def _is_phone_like(doc: Doc, core: _Core) -> bool:
    text = doc[core.start].text
    if text.startswith("+") or (len(text) > 1 and text[0] == "0" and text[1].isdigit()):
        return True
    if not core.plain_int:
        return False
    nxt = core.end
    if nxt < len(doc) and _NUM_RE.match(doc[nxt].text) and "," not in doc[nxt].text:
        return True
    return core.start > 0 and _NUM_RE.match(doc[core.start - 1].text) is not None


def find_quantities(doc: Doc) -> list[QuantityMention]:
    """All quantity mentions in ``doc``, in text order (see the module docstring)."""
    lex = _lex()
    excluded = _excluded_tokens(doc)
    out: list[QuantityMention] = []
    if len(doc) == 0:
        return out
    # Candidate tokens in one vectorised step: trigger words or a leading digit.
    strings = doc.vocab.strings
    trigger_ids = numpy.array([strings.add(w) for w in lex.triggers], dtype="uint64")
    digit_ids = numpy.array([strings.add(str(d)) for d in range(10)], dtype="uint64")
    arr = doc.to_array([LOWER, PREFIX])
    mask = numpy.isin(arr[:, 0], trigger_ids) | numpy.isin(arr[:, 1], digit_ids)
    resume = 0
    for i in numpy.flatnonzero(mask).tolist():
        if i < resume or i in excluded:
            continue
        found = _read_quantity(doc, i, lex, excluded)
        if found is not None:
            out.append(found)
            resume = found.span.end
    return out


def _read_quantity(doc: Doc, i: int, lex: _Lex, excluded: set[int]) -> QuantityMention | None:
    n = len(doc)
    start = i
    j = i
    mod: str | None = None
    between = False
    if doc[i].lower_ == "between":
        between = True
        j = i + 1
    else:
        try:
            mod, length = _phrase_at(doc, i, lex.modifiers, max_len=3)
            j = i + length
        except KeyError:
            mod = None
    currency: str | None = None
    if j < n and doc[j].lower_ in lex.currency_symbols:
        currency = lex.currency_symbols[doc[j].lower_]
        j += 1
    core = _parse_core(doc, j, lex)
    if core is None or any(t in excluded for t in range(core.start, core.end)):
        return None
    if _ORDINAL_RE.match(doc[core.start].lower_):
        return None
    plain = currency is None and mod is None and not between
    if plain and (
        _is_name_number(doc, core, lex) or _is_age(doc, core) or _is_phone_like(doc, core)
    ):
        return None
    if (
        core.start > 0
        and doc[core.start - 1].text in ("'", "‘", "’")
        and _glued(doc[core.start - 1])
    ):
        return None  # "'17" (a year)
    value, low, high, vague = core.value, core.low, core.high, core.vague
    k = core.end
    # ranges: "200 to 300", "200-300", "between 200 and 300"
    joiners = ("and",) if between else ("to", "-", "–", "or")
    if k + 1 < n and doc[k].lower_ in joiners and not core.vague:
        k2 = k + 1
        if currency and k2 < n and doc[k2].lower_ in lex.currency_symbols:
            k2 += 1
        second = _parse_core(doc, k2, lex)
        if second is not None and not second.vague and k2 not in excluded:
            lo_v = value
            if not core.scaled and second.scaled:
                lo_v = value * second.factor  # "2 to 3 million"
            if second.value > lo_v:
                value, low, high, vague = lo_v, lo_v, second.value, True
                k = second.end
                core.unit = core.unit or second.unit
                core.plain_int = False
                core.words_only = core.words_only and second.words_only
        elif (
            second is not None
            and doc[k].text in ("-", "–")
            and core.plain_int
            and second.plain_int
            and second.value <= value
        ):
            return None  # a score or tally ("an 80-19 vote")
    elif between:
        return None
    if high is None and k < n and _glued_hyphen(doc[k]) and _glued(doc[k - 1]):
        return None  # a compound adjective: "two-tier", "one-on-one", "ten-point"
    if mod == "approx" or (mod is not None and high is not None):
        vague = True  # approximation, or a bound word before a range ("nearly 2 to 3 million")
    elif mod == "min":
        low, vague = value, True
    elif mod == "max":
        high, vague = value, True
    unit = core.unit
    if unit is None and k < n:
        try:
            unit, length = _phrase_at(doc, k, lex.units, max_len=3)
            k += length
        except KeyError:
            unit = None
    if currency is None and k < n and doc[k].lower_ in lex.currency_words:
        currency = lex.currency_words[doc[k].lower_]
        k += 1
    end = k
    if currency is not None:
        unit = currency
    elif unit is None:
        noun, end = _counted_noun(doc, core, k, lex)
        if noun == "":
            return None  # a duration or age ("three days", "40 years")
        unit = noun
        if unit is None:
            if core.needs_noun or (core.words_only and mod is None):
                return None
            if core.plain_int and 1000 <= value <= 2100 and mod is None:
                return None  # a year without a date entity
            if core.plain_int and value < 10 and mod is None and low is None:
                return None  # a lone digit: list items, scores, footnotes
        elif core.plain_int and 1900 <= value <= 2100 and mod is None and end - k > 1:
            return None  # a year before a noun phrase ("1995 state tax filings")
    if core.words_only and value == 1 and mod is None and currency is None and not core.scaled:
        return None  # "one" is mostly a pronoun or determiner ("one thing", "one of them")
    if (
        unit is None
        and core.plain_int
        and mod is None
        and core.start > 0
        and doc[core.start - 1].pos_ == "PROPN"
        and doc[core.start - 1].ent_type_ not in ("GPE", "NORP")
    ):
        return None  # a reference number after a name ("AL 303", "Canon 751")
    span = doc[start:end]
    return QuantityMention(span=span, value=value, unit=unit, low=low, high=high, vague=vague)


class SaysoQuantities:
    """The ``sayso_quantities`` pipeline component: fills ``doc._.sayso_quantities``."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.sayso_quantities = find_quantities(doc)
        return doc


@Language.factory("sayso_quantities")
def make_quantities(nlp: Language, name: str) -> SaysoQuantities:
    """Factory for the ``sayso_quantities`` component."""
    return SaysoQuantities()

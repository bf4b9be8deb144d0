"""``sayso_dates``: find date mentions and resolve them to ISO dates.

One compiled regular expression runs over the document text; each match is mapped to a
token span, checked against the parse (ambiguous bare months and years need a preposition
or a spaCy ``DATE`` entity) and resolved against the article date ``doc._.sayso_published``:

- ``on Thursday`` / ``Thursday`` -> the most recent Thursday on or before the article date,
  or the next one on or after it when the governing verb is future ("will meet on Thursday");
- ``last Thursday`` -> strictly before; ``next Thursday`` -> strictly after;
- ``yesterday``, ``today``, ``tomorrow``, ``last night``, ``three days ago``;
- ``last month``, ``earlier this month``, ``last year``, ``two years ago`` (month/year precision);
- ``in March`` -> that month of the article's year; in a past-tense sentence a month after the
  article month means the previous year (a future sentence mirrors this);
- ``March 3``, ``3 March 2024``, ``March 3, 2024``, ``2024-03-03``, ``in 2022``, ``March 2024``;
  a day without a year is the latest one on or before the article date in a past-tense
  sentence ("said on May 20"), the next one in a future sentence ("will open on May 20"), and
  otherwise the one nearest the article date ("Carvennans vote on May 20").

Week-level expressions ("last week") and durations ("for three days", "48 hours") are not
dates and are dropped. Without an article date only absolute expressions resolve.

>>> import datetime, spacy
>>> from sayso.doc_types import DateValue
>>> nlp = spacy.blank("en")
>>> doc = nlp("Talks were held on 3 March 2024 and again yesterday.")
>>> doc._.sayso_published = datetime.date(2026, 3, 5)
>>> [(d.span.text, d.value, d.precision) for d in find_dates(doc)]
[('3 March 2024', '2024-03-03', 'day'), ('yesterday', '2026-03-04', 'day')]
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sayso.doc_types import DateValue, published_date


@dataclass(frozen=True)
class _Words:
    months: dict[str, int]
    month_abbr: dict[str, int]
    weekdays: dict[str, int]
    counts: dict[str, int]
    preps: frozenset[str]
    future_aux: frozenset[str]
    future_gov: frozenset[str]
    regex: re.Pattern[str]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _words() -> _Words:
    raw: dict[str, Any] = json.loads(
        resources.files("sayso").joinpath("data/date_words.json").read_text(encoding="utf-8")
    )
    months: dict[str, int] = raw["months"]
    abbr: dict[str, int] = raw["month_abbreviations"]
    weekdays: dict[str, int] = raw["weekdays"]
    counts: dict[str, int] = raw["count_words"]
    month_any = f"(?:{_alt(list(months))}|(?:{_alt(list(abbr))})\\.?)"
    month_full = f"(?:{_alt(list(months))})"
    wd = f"(?:{_alt(list(weekdays))})"
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
    year = r"(?:1[89]\d\d|20\d\d)"
    count = f"(?:\\d{{1,3}}|{_alt(list(counts))})"
    pattern = "|".join(
        [
            r"(?P<iso>(?P<iso_y>\d{4})-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d)\b)",
            f"(?P<dmy>(?:(?P<dmy_wd>{wd}),?\\s+)?(?P<dmy_d>{day})\\s+(?:of\\s+)?"
            f"(?P<dmy_m>{month_any})(?:,?\\s+(?P<dmy_y>{year})\\b(?![,.]\\d))?)",
            f"(?P<mdy>(?:(?P<mdy_wd>{wd}),?\\s+)?(?P<mdy_m>{month_any})\\s+(?P<mdy_d>{day})"
            f"\\b(?![,.:]?\\d)(?:,?\\s+(?P<mdy_y>{year})\\b(?![,.]\\d))?)",
            f"(?P<my>(?P<my_m>{month_any}),?\\s+(?P<my_y>{year})\\b(?![,.]\\d))",
            r"(?P<relday>(?i:the\s+day\s+before\s+yesterday|yesterday|today|tomorrow|tonight"
            r"|last\s+night|this\s+(?:morning|afternoon|evening))\b)",
            r"(?P<relper>(?i:(?P<rp_pre>(?:earlier|later|early|late)\s+)?"
            r"(?P<rp_which>last|this|next)\s+(?P<rp_unit>month|year))\b)",
            f"(?P<ago>(?i:(?P<ago_n>{count})\\s+(?P<ago_u>days?|months?|years?)\\s+ago)\\b)",
            f"(?P<wday>(?:(?P<wd_mod>[Ll]ast|[Nn]ext|[Tt]his)\\s+)?(?P<wd>{wd})\\b)",
            r"(?P<mon>(?:(?P<mon_mod>(?:[Ee]arlier|[Ll]ater)\s+this|[Ee]arly|[Ll]ate|[Mm]id-?"
            f"|[Ll]ast|[Nn]ext|[Tt]his)\\s*)?(?P<mon_m>{month_full})\\b)",
            f"(?P<yr>(?P<yr_y>{year})\\b(?![,.]\\d|-\\d))",
        ]
    )
    # Only positions that start a word and can start a date are tried (7x faster than
    # letting every alternative test every position).
    starters = ["yesterday", "today", "tomorrow", "tonight", "the", "last", "this", "next"]
    starters += ["earlier", "later", "early", "late", "mid", *counts]
    prefixes = sorted({w[:2] if len(w) > 2 else w + r"\s" for w in starters})
    gate = f"(?<!\\w)(?=\\d|[A-Z]|{'|'.join(prefixes)})"
    return _Words(
        months=months,
        month_abbr=abbr,
        weekdays=weekdays,
        counts=counts,
        preps=frozenset(raw["year_or_month_prepositions"]),
        future_aux=frozenset(raw["future_auxiliaries"]),
        future_gov=frozenset(raw["future_governors"]),
        regex=re.compile(f"{gate}(?:{pattern})"),
    )


def _month(name: str) -> int:
    w = _words()
    name = name.rstrip(".")
    return w.months.get(name) or w.month_abbr[name]


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _is_future(span: Span) -> bool:
    """True when the verb governing ``span`` is future ("will meet on Friday")."""
    w = _words()
    tok: Token = span.root
    if tok.dep_ in ("poss", "compound", "amod", "nmod"):
        return False  # part of a noun phrase ("Tuesday's summit"): not an adverbial
    verb: Token | None = None
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX"):
            verb = tok
            break
        if tok.head.i == tok.i:
            break
        tok = tok.head
    if verb is None:
        return False
    chain = [verb]
    if verb.dep_ in ("xcomp", "ccomp", "conj") and verb.head.i != verb.i:
        chain.append(verb.head)
    for v in chain:
        for child in v.children:
            if child.dep_ in ("aux", "auxpass") and child.lower_ in w.future_aux:
                return True
        if v.lower_ in w.future_aux:
            return True
    if verb.dep_ == "xcomp":
        gov = verb.head
        names = {gov.lower_} | {c.lower_ for c in gov.children if c.dep_ == "acomp"}
        if names & w.future_gov:
            past = gov.tag_ in ("VBD", "VBN") or any(
                c.tag_ == "VBD" for c in gov.children if c.dep_ in ("aux", "auxpass")
            )
            return not past
    return False


def _is_past(span: Span) -> bool:
    """True when the verb governing ``span`` is in the past ("said on May 20", "had met")."""
    tok: Token = span.root
    if tok.dep_ in ("poss", "compound", "amod", "nmod"):
        return False
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX"):
            auxiliaries = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
            if any(c.tag_ == "VBD" for c in auxiliaries):
                return True  # "had met", "was signed"
            # "signed on March 3" is past; "is being printed" is not
            return tok.tag_ == "VBD" or (tok.tag_ == "VBN" and not auxiliaries)
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _nearest(candidates: list[_dt.date], pub: _dt.date) -> _dt.date:
    """The candidate closest to the publication date (the earlier one on a tie)."""
    return min(candidates, key=lambda d: (abs((d - pub).days), d))


def _prev_word(doc: Doc, span: Span) -> str:
    if span.start == 0:
        return ""
    prev = doc[span.start - 1]
    return prev.lower_.rstrip("-")


def _in_date_ent(span: Span) -> bool:
    return any(t.ent_type_ in ("DATE", "TIME") for t in span)


@dataclass
class _Raw:
    span: Span
    kind: str
    groups: dict[str, str | None]


def _weekday_date(pub: _dt.date, weekday: int, mod: str | None, future: bool) -> _dt.date:
    mod = (mod or "").lower()
    if mod == "next" or (mod != "last" and future):
        delta = (weekday - pub.weekday()) % 7
        if mod == "next" and delta == 0:
            delta = 7
        return pub + _dt.timedelta(days=delta)
    delta = (pub.weekday() - weekday) % 7
    if mod == "last" and delta == 0:
        delta = 7
    return pub - _dt.timedelta(days=delta)


def _resolve(raw: _Raw, pub: _dt.date | None) -> tuple[str, str] | None:
    """(value, precision) for one match, or None when it cannot be resolved."""
    g = raw.groups
    kind = raw.kind
    try:
        if kind == "iso":
            d = _dt.date(int(g["iso_y"] or 0), int(g["iso_m"] or 0), int(g["iso_d"] or 0))
            return d.isoformat(), "day"
        if kind in ("dmy", "mdy"):
            month = _month(g[f"{kind}_m"] or "")
            day = int(re.sub(r"\D", "", g[f"{kind}_d"] or ""))
            year_text = g[f"{kind}_y"]
            if year_text:
                return _dt.date(int(year_text), month, day).isoformat(), "day"
            if pub is None:
                return None
            year = pub.year
            d = _dt.date(year, month, day)
            if _is_future(raw.span):
                if d < pub:
                    d = _dt.date(year + 1, month, day)
            elif _is_past(raw.span):
                if d > pub:
                    d = _dt.date(year - 1, month, day)
            else:
                # Neither past nor future ("Carvennans vote on May 20", "ballots for May
                # 20"): the occurrence nearest the publication date.
                d = _nearest([_dt.date(y, month, day) for y in (year - 1, year, year + 1)], pub)
            return d.isoformat(), "day"
        if kind == "my":
            return f"{int(g['my_y'] or 0):04d}-{_month(g['my_m'] or ''):02d}", "month"
        if kind == "yr":
            return g["yr_y"] or "", "year"
        if pub is None:
            return None
        if kind == "relday":
            text = " ".join((g["relday"] or "").lower().split())
            offset = {
                "yesterday": -1,
                "last night": -1,
                "tomorrow": 1,
                "the day before yesterday": -2,
            }.get(text, 0)
            return (pub + _dt.timedelta(days=offset)).isoformat(), "day"
        if kind == "relper":
            which = (g["rp_which"] or "").lower()
            delta = {"last": -1, "this": 0, "next": 1}[which]
            if (g["rp_unit"] or "").lower() == "month":
                y, m = _shift_month(pub.year, pub.month, delta)
                return f"{y:04d}-{m:02d}", "month"
            return f"{pub.year + delta:04d}", "year"
        if kind == "ago":
            n_text = (g["ago_n"] or "").lower()
            n = int(n_text) if n_text.isdigit() else _words().counts[n_text]
            unit = (g["ago_u"] or "").lower().rstrip("s")
            if unit == "day":
                return (pub - _dt.timedelta(days=n)).isoformat(), "day"
            if unit == "month":
                y, m = _shift_month(pub.year, pub.month, -n)
                return f"{y:04d}-{m:02d}", "month"
            return f"{pub.year - n:04d}", "year"
        if kind == "wday":
            weekday = _words().weekdays[g["wd"] or ""]
            d = _weekday_date(pub, weekday, g["wd_mod"], _is_future(raw.span))
            return d.isoformat(), "day"
        if kind == "mon":
            month = _month(g["mon_m"] or "")
            mod = (g["mon_mod"] or "").lower().split()
            year = pub.year
            if mod and mod[0] == "last":
                if month >= pub.month:
                    year -= 1
            elif mod and mod[0] == "next":
                if month <= pub.month:
                    year += 1
            elif mod and mod[-1] == "this":
                pass
            elif _is_future(raw.span):
                if month < pub.month:
                    year += 1
            elif month > pub.month:
                year -= 1
            return f"{year:04d}-{month:02d}", "month"
    except (ValueError, KeyError):
        return None
    return None


_KINDS = ("iso", "dmy", "mdy", "my", "relday", "relper", "ago", "wday", "mon", "yr")
_AMBIGUOUS_MONTHS = frozenset({"May", "March"})


def _accept(doc: Doc, raw: _Raw) -> bool:
    """Parse-based checks for matches that are often not dates."""
    w = _words()
    g = raw.groups
    if raw.kind == "mon":
        if g["mon_mod"]:
            return True
        prev = _prev_word(doc, raw.span)
        if prev in w.preps:
            return True
        if g["mon_m"] in _AMBIGUOUS_MONTHS:
            return False
        return _in_date_ent(raw.span)
    if raw.kind == "yr":
        prev = _prev_word(doc, raw.span)
        if prev in w.preps:
            return True
        root = raw.span.root
        if root.dep_ == "nummod" and root.head.tag_ in ("NNS", "NNPS") and root.head.i > root.i:
            return False  # "fired 2000 missiles"
        return all(t.ent_type_ == "DATE" for t in raw.span)
    if raw.kind == "mdy" and g["mdy_m"] in _AMBIGUOUS_MONTHS and not g["mdy_y"]:
        return _prev_word(doc, raw.span) in w.preps or _in_date_ent(raw.span)
    return True


def _borrow_years(text: str, raws: list[_Raw]) -> None:
    """'24 February and March 3, 2024': a year-less date takes the year of the next one."""
    for a, b in itertools.pairwise(raws):
        if a.kind not in ("dmy", "mdy") or a.groups[f"{a.kind}_y"]:
            continue
        if b.kind not in ("dmy", "mdy") or not b.groups[f"{b.kind}_y"]:
            continue
        between = text[a.span.end_char : b.span.start_char].strip().lower()
        if between in ("and", "to", "-", "–", "or", "until", "through"):
            a.groups[f"{a.kind}_y"] = b.groups[f"{b.kind}_y"]


def find_dates(doc: Doc) -> list[DateValue]:
    """All resolvable date mentions in ``doc``, in text order.

    Relative expressions resolve against ``doc._.sayso_published`` and are dropped when it
    is not set.
    """
    w = _words()
    raws: list[_Raw] = []
    text = doc.text  # built from the tokens on each access: read it once
    for m in w.regex.finditer(text):
        kind = m.lastgroup
        if kind is None or kind not in _KINDS:
            kind = next((k for k in _KINDS if m.group(k) is not None), None)
            if kind is None:
                continue
        start, end = m.span()
        if kind == "mon" and m.group("mon_mod") is None:
            start = m.start("mon_m")
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and span.end_char - span.start_char > end - start + 3:
            # the match is glued into a longer token ("30th.https://..."): keep it only if
            # whole tokens cover it
            span = doc.char_span(start, end, alignment_mode="contract")
        if span is None or len(span) == 0:
            continue
        raw = _Raw(span=span, kind=kind, groups=m.groupdict())
        if _accept(doc, raw):
            raws.append(raw)
    _borrow_years(text, raws)
    pub = published_date(doc)
    out: list[DateValue] = []
    for raw in raws:
        resolved = _resolve(raw, pub)
        if resolved is not None:
            out.append(DateValue(span=raw.span, value=resolved[0], precision=resolved[1]))
    return out


def _governed_by(date_span: Span, cue: Span) -> bool:
    """True when the date attaches to the cue without crossing another verb."""
    cue_ids = {t.i for t in cue}
    tok = date_span.root
    for _ in range(10):
        if tok.i in cue_ids:
            return True
        if tok.head.i == tok.i:
            return False
        if tok.pos_ in ("VERB", "AUX") and tok.i not in cue_ids and tok.i != date_span.root.i:
            return False
        tok = tok.head
    return False


def date_for_span(doc: Doc, span: Span, dates: list[DateValue] | None = None) -> str | None:
    """The ISO date of a date mention in the same sentence as ``span`` (e.g. a speech cue).

    A date governed by ``span`` ("said on Thursday") wins; otherwise the nearest date in the
    sentence; otherwise None. Looks among ``dates`` when given (e.g. the sentence's dates, for
    callers asking for many spans), else ``doc._.sayso_dates`` (computed if missing).

    >>> import datetime, spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("The minister said on 4 March 2026 that talks had failed.")
    >>> date_for_span(doc, doc[2:3])
    '2026-03-04'
    """
    if dates is None:
        dates = doc._.sayso_dates
    if dates is None:
        dates = find_dates(doc)
    if not dates:
        return None
    try:
        sent = span.sent
        lo, hi = sent.start, sent.end
    except ValueError:  # no sentence boundaries (blank pipeline)
        lo, hi = 0, len(doc)
    same = [d for d in dates if d.span.start >= lo and d.span.end <= hi]
    if not same:
        return None
    if doc.has_annotation("DEP"):
        governed = [d for d in same if _governed_by(d.span, span)]
        if governed:
            same = governed

    def distance(d: DateValue) -> int:
        if d.span.end <= span.start:
            return span.start - d.span.end
        return max(0, d.span.start - span.end)

    return min(same, key=distance).value


class SaysoDates:
    """The ``sayso_dates`` pipeline component: fills ``doc._.sayso_dates``."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.sayso_dates = find_dates(doc)
        return doc


@Language.factory("sayso_dates")
def make_dates(nlp: Language, name: str) -> SaysoDates:
    """Factory for the ``sayso_dates`` component."""
    return SaysoDates()

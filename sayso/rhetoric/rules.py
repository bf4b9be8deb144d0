"""Document-level rules for techniques a token tagger sees badly: repetition and shape patterns.

Each rule returns :class:`RuleHit` objects with a readable ``evidence`` string.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from spacy.tokens import Span

from sayso.rhetoric.features import _STOP, DocInfo

#: Lexicon category -> (technique, evidence prefix, base score).
_LEXICON_RULES: dict[str, tuple[str, str, float]] = {
    "cliches": ("Thought-terminating_Cliches", "stock phrase", 0.7),
    "flag": ("Flag-Waving", "national/group identity appeal", 0.6),
    "bandwagon": (
        "Bandwagon,Reductio_ad_hitlerum",
        "appeal to the crowd or to a hated figure",
        0.55,
    ),
}


@dataclass
class RuleHit:
    """A technique found by a rule, over tokens ``start:end`` of the doc."""

    start: int
    end: int
    technique: str
    score: float
    evidence: str


#: Lexicon categories cited as evidence (beyond loaded words and labels), with their wording.
_EVIDENCE_CATEGORIES = {
    "flag": "identity words",
    "fear": "fear words",
    "doubt": "doubt cues",
    "exaggeration": "absolutes",
    "causal": "causal cues",
    "authority": "authority cues",
    "bandwagon": "crowd cues",
    "cliches": "stock phrase",
    "black_white": "either/or cues",
    "whatabout": "deflection cues",
}


def describe_hits(
    info: DocInfo,
    span: Span,
    *,
    all_cues: bool = False,
    categories: frozenset[str] | None = None,
) -> str:
    """Readable lexicon evidence inside a span, e.g. ``loaded words: 'cowardly', 'thugs'``.

    Only loaded words and labels by default; ``all_cues`` adds the other cue lexicons;
    ``categories`` keeps only those lexicon categories (a technique's own cues,
    :func:`~sayso.rhetoric.lexicons.technique_cues`).
    """

    def wanted(category: str) -> bool:
        return categories is None or category in categories

    loaded: list[str] = []
    labels: list[str] = []
    other: dict[str, list[str]] = defaultdict(list)
    for t in span:
        h = info.hits[t.i]
        if "labels" in h and wanted("labels"):
            labels.append(t.text)
        elif ("loaded" in h or abs(info.valence[t.i]) >= 2.0) and wanted("loaded"):
            loaded.append(t.text)
    if all_cues or categories is not None:
        for cat, s, e in info.matches:
            if cat in _EVIDENCE_CATEGORIES and wanted(cat) and span.start <= s and e <= span.end:
                other[_EVIDENCE_CATEGORIES[cat]].append(info.doc[s:e].text)
    parts = []
    if labels:
        parts.append("labels: " + ", ".join(f"'{w}'" for w in dict.fromkeys(labels)))
    if loaded:
        parts.append("loaded words: " + ", ".join(f"'{w}'" for w in dict.fromkeys(loaded)))
    for name, words in other.items():
        parts.append(name + ": " + ", ".join(f"'{w}'" for w in dict.fromkeys(words)))
    return "; ".join(parts)


def _sentence_bounds(info: DocInfo) -> list[tuple[int, int]]:
    return [(seq[0], seq[-1] + 1) for seq in info.sequences]


def _sent_of(bounds: list[tuple[int, int]], i: int) -> tuple[int, int]:
    lo, hi = 0, len(bounds) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if bounds[mid][0] <= i:
            lo = mid
        else:
            hi = mid - 1
    return bounds[lo] if bounds else (i, i + 1)


def _trim(info: DocInfo, start: int, end: int) -> tuple[int, int]:
    doc = info.doc
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def lexicon_rules(info: DocInfo) -> list[RuleHit]:
    """Stock phrases (clichés), flag-waving and bandwagon cues from the lexicon."""
    out: list[RuleHit] = []
    for cat, s, e in info.matches:
        rule = _LEXICON_RULES.get(cat)
        if rule is None:
            continue
        technique, prefix, score = rule
        text = info.doc[s:e].text
        out.append(RuleHit(s, e, technique, score, f"{prefix}: '{text}'"))
    return out


def pattern_rules(info: DocInfo) -> list[RuleHit]:
    """Whataboutism, black-and-white, slogans and doubt shapes, one pass over sentences."""
    doc = info.doc
    out: list[RuleHit] = []
    bounds = _sentence_bounds(info)
    for cat, s, e in info.matches:
        if cat == "whatabout":
            ss, se = _sent_of(bounds, s)
            # "what about" must open a clause to be a deflection, not "what about the plan".
            if s == ss or doc[s - 1].is_punct or doc[s - 1].lower_ in {"and", "but", "so"}:
                ss, se = _trim(info, s, se)
                out.append(
                    RuleHit(
                        ss,
                        se,
                        "Whataboutism,Straw_Men,Red_Herring",
                        0.65,
                        f"pattern: '{doc[s:e].text} ...'",
                    )
                )
        elif cat == "black_white":
            ss, se = _sent_of(bounds, s)
            if doc[s].lower_ == "either" and e - s == 1:
                ors = [t.i for t in doc[s + 1 : se] if t.lower_ == "or"]
                if not ors:
                    continue
                ev = "pattern: 'either ... or ...'"
            else:
                ev = f"pattern: '{doc[s:e].text}'"
            ss, se = _trim(info, s, se)
            out.append(RuleHit(ss, se, "Black-and-White_Fallacy", 0.6, ev))
        elif cat == "doubt" and doc[s].lower_ == "so" and e - s >= 3:
            # "so-called X": doubt cast on the name that follows.
            k = e
            while k < len(doc) and k < e + 3 and doc[k].pos_ in {"ADJ", "PROPN", "NOUN"}:
                k += 1
            if k > e:
                out.append(RuleHit(s, k, "Doubt", 0.6, "pattern: 'so-called ...'"))
    for ss, se in bounds:
        if info.text[se - 1] != "!" or info.in_quote[ss]:
            continue
        words = [i for i in range(ss, se) if not info.punct[i] and not info.space[i]]
        if 1 <= len(words) <= 6:
            s2, e2 = _trim(info, ss, se)
            out.append(RuleHit(s2, e2, "Slogans", 0.6, "short exclamation"))
    return out


def _emotive(info: DocInfo, i: int) -> bool:
    # Measured on PTC: adding VADER-valenced words triples the hits at lower precision.
    h = info.hits[i]
    return "loaded" in h or "labels" in h


def repetition_rule(info: DocInfo, min_count: int = 3, max_n: int = 4) -> list[RuleHit]:
    """Emotive words or phrases (1-4 words, not names) used ``min_count``+ times in the doc.

    A phrase counts when it holds a loaded or labelling word from the lexicon. Later
    occurrences are flagged (the first states the message, repeats hammer it in).
    """
    seen: dict[tuple[str, ...], list[int]] = defaultdict(list)
    lower, punct, pos, ent, num = info.lower, info.punct, info.pos, info.ent, info.num
    bad = [p == "PROPN" or bool(e) or nm for p, e, nm in zip(pos, ent, num, strict=True)]
    for seq in info.sequences:
        for k in range(len(seq)):
            for n in range(1, max_n + 1):
                window = seq[k : k + n]
                if len(window) < n or any(punct[i] for i in window):
                    break
                if any(bad[i] for i in window):
                    continue
                if lower[window[0]] in _STOP or lower[window[-1]] in _STOP:
                    continue
                if not any(_emotive(info, i) for i in window):
                    continue
                seen[tuple(lower[i] for i in window)].append(window[0])
    out: list[RuleHit] = []
    taken: set[int] = set()
    for gram, starts in sorted(seen.items(), key=lambda kv: (-len(kv[0]), kv[1][0])):
        if len(starts) < min_count:
            continue
        n = len(gram)
        kind = "phrase" if n > 1 else "word"
        for s in starts[1:]:
            if any(i in taken for i in range(s, s + n)):
                continue
            taken.update(range(s, s + n))
            out.append(
                RuleHit(
                    s,
                    s + n,
                    "Repetition",
                    0.4,
                    f"repeated {kind} {len(starts)} times: '{' '.join(gram)}'",
                )
            )
    return out


def anaphora_rule(info: DocInfo) -> list[RuleHit]:
    """Anaphora: consecutive sentences opening with the same (non-stop, non-name) word."""
    doc = info.doc
    out: list[RuleHit] = []
    seqs = info.sequences
    n = 0
    while n < len(seqs) - 1:
        first = doc[seqs[n][0]]
        m = n + 1
        while m < len(seqs) and info.lower[seqs[m][0]] == first.lower_:
            m += 1
        if m - n >= 2 and first.lower_ not in _STOP and first.is_alpha and first.pos_ != "PROPN":
            for k in range(n + 1, m):
                i = seqs[k][0]
                out.append(
                    RuleHit(
                        i,
                        i + 1,
                        "Repetition",
                        0.55,
                        f"repeated opening '{first.text}' in {m - n} consecutive sentences",
                    )
                )
        n = m
    return out


def all_rules(info: DocInfo) -> list[RuleHit]:
    """Every rule's hits."""
    repeated = repetition_rule(info)
    covered = {i for h in repeated for i in range(h.start, h.end)}
    for h in anaphora_rule(info):
        if not any(i in covered for i in range(h.start, h.end)):
            repeated.append(h)
            covered.update(range(h.start, h.end))
    return [*lexicon_rules(info), *pattern_rules(info), *repeated]

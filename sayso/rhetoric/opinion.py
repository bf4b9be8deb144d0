"""Reporting vs the author's opinion, per sentence and paragraph, and the article's genre.

Rules with hand-set weights (see :data:`WEIGHTS`): the author's own evaluative words,
obligations ("must", "should"), certainty markers, predictions, rhetorical questions,
exclamations, first person, and persuasion techniques push a sentence towards opinion;
attributed or quoted material, reporting verbs and numbers push it towards reporting.
Attributed material counts as opinion only when the author endorses it ("rightly").
There is no gold opinion annotation here: see ``sayso/data/models/rhetoric/CARD.md``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from sayso.doc_types import GenreLabel, RhetoricMention, SegmentLabel
from sayso.record import GenreKind, SegmentKind
from sayso.rhetoric.features import DocInfo

#: Log-odds contribution of each cue (bias is the prior log-odds of opinion).
WEIGHTS: dict[str, float] = {
    "bias": -1.6,
    "op_obligation": 2.2,
    "op_certainty": 1.6,
    "op_hedge_opinion": 1.8,
    "op_evaluative": 0.9,  # per word, up to 3
    "strong_valence": 0.35,  # per word, up to 3
    "op_prediction": 1.2,
    "op_first_plural": 1.1,
    "op_first_singular": 0.8,
    "question": 1.6,
    "exclamation": 1.2,
    "rhetoric": 0.45,  # per technique mention, up to 3
    "op_endorsement": 1.5,
    "attributed": -2.6,  # most of the sentence is attributed or quoted
    "reporting_cue": -1.4,  # a reporting verb or phrase with no attribution found
    "number": -0.4,
}
#: Sentence/paragraph probability threshold for the "opinion" label.
OPINION_THRESHOLD = 0.5
_ONCE = (
    "op_obligation",
    "op_certainty",
    "op_prediction",
    "op_first_plural",
    "op_first_singular",
    "op_hedge_opinion",
)
_PARA_RE = re.compile(r"\n[ \t\r\f\v]*\n")


@dataclass
class SentenceOpinion:
    """Opinion probability of one sentence and the cues that drove it."""

    span: Span
    score: float
    cues: dict[str, float] = field(default_factory=dict)
    call_to_action: bool = False


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _attributed_mask(doc: Doc, info: DocInfo) -> list[bool]:
    mask = list(info.in_quote)
    statements = doc._.sayso_statements or []
    for st in statements:
        for span in (getattr(st, "content", None), getattr(st, "cue", None)):
            if span is None:
                continue
            for i in range(span.start, span.end):
                mask[i] = True
    return mask


def sentence_opinions(
    doc: Doc, info: DocInfo, rhetoric: list[RhetoricMention] | None = None
) -> list[SentenceOpinion]:
    """Score every sentence of ``doc`` for opinion."""
    mask = _attributed_mask(doc, info)
    have_statements = bool(doc._.sayso_statements)
    rhet_starts = sorted((m.span.start, m.span.end) for m in (rhetoric or []))
    reporting_lemmas = _reporting_lemmas(info)
    out: list[SentenceOpinion] = []
    for seq in info.sequences:
        start, end = seq[0], seq[-1] + 1
        cues: dict[str, float] = {}
        own = [i for i in seq if not mask[i]]
        attributed_share = 1.0 - len(own) / len(seq)
        reporting = False
        endorsed = False
        for i in seq:
            hits = info.hits[i]
            if "op_endorsement" in hits:
                endorsed = True
            if info.pos[i] == "VERB" and info.lemma[i] in reporting_lemmas:
                reporting = True
            if "op_reporting_phrases" in hits:
                reporting = True
            if mask[i]:
                continue
            for h in hits:
                if h.startswith("op_") and h not in {"op_reporting_phrases", "op_endorsement"}:
                    cues[h] = cues.get(h, 0.0) + 1.0
            if abs(info.valence[i]) >= 2.0 and "op_evaluative" not in hits:
                cues["strong_valence"] = cues.get("strong_valence", 0.0) + 1.0
            if info.num[i]:
                cues["number"] = 1.0
        last = info.text[seq[-1]]
        if last == "?" and not mask[seq[-1]]:
            cues["question"] = 1.0
        if last == "!" and not mask[seq[-1]]:
            cues["exclamation"] = 1.0
        n_rhet = sum(1 for s, e in rhet_starts if start <= s < end and not mask[s])
        if n_rhet:
            cues["rhetoric"] = float(n_rhet)
        if attributed_share >= 0.5:
            cues["attributed"] = 1.0
        elif reporting and not have_statements:
            cues["reporting_cue"] = 1.0
        if endorsed:
            cues["op_endorsement"] = 1.0
        for k in _ONCE:
            if k in cues:
                cues[k] = 1.0  # count each cue family once per sentence
        z = WEIGHTS["bias"] + sum(WEIGHTS.get(k, 0.0) * min(v, 3.0) for k, v in cues.items())
        call = "op_obligation" in cues and ("op_first_plural" in cues or last == "!")
        call = call or (
            "op_obligation" in cues and not mask[seq[0]] and _imperative(doc[start:end])
        )
        out.append(SentenceOpinion(doc[start:end], round(_sigmoid(z), 4), cues, call))
    return out


def _imperative(sent: Span) -> bool:
    root = sent.root
    return root.tag_ == "VB" and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in root.children)


def _reporting_lemmas(info: DocInfo) -> frozenset[str]:
    from sayso.rhetoric.lexicons import lexicon_matcher

    return lexicon_matcher(info.doc.vocab).reporting_lemmas


def paragraphs(doc: Doc) -> list[Span]:
    """Paragraph spans: text separated by blank lines, whitespace trimmed."""
    out: list[Span] = []
    text = doc.text
    start = 0
    bounds = [(m.start(), m.end()) for m in _PARA_RE.finditer(text)]
    for s, e in [*bounds, (len(text), len(text))]:
        chunk = text[start:s]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if trail > lead:
            span = doc.char_span(start + lead, start + trail, alignment_mode="expand")
            if span is not None and len(span):
                out.append(span)
        start = e
    return out


def segment_labels(sentences: list[SentenceOpinion], doc: Doc) -> list[SegmentLabel]:
    """Sentence labels first, then one roll-up per paragraph (length-weighted mean score)."""
    segs = [
        SegmentLabel(
            s.span, "sentence", "opinion" if s.score >= OPINION_THRESHOLD else "reporting", s.score
        )
        for s in sentences
    ]
    for para in paragraphs(doc):
        inside = [s for s in sentences if para.start <= s.span.start < para.end]
        if not inside:
            continue
        weight = sum(len(s.span) for s in inside)
        score = round(sum(s.score * len(s.span) for s in inside) / weight, 4)
        label: SegmentKind = "opinion" if score >= OPINION_THRESHOLD else "reporting"
        segs.append(SegmentLabel(para, "paragraph", label, score))
    return segs


def genre(sentences: list[SentenceOpinion], n_words: int, n_rhetoric: int) -> GenreLabel:
    """Genre of the article from its opinion share, calls to action and rhetoric density."""
    n = max(1, len(sentences))
    opinion_share = sum(1 for s in sentences if s.score >= OPINION_THRESHOLD) / n
    mean_score = sum(s.score for s in sentences) / n
    calls = sum(1 for s in sentences if s.call_to_action) / n
    density = 1000.0 * n_rhetoric / max(1, n_words)
    # Log-odds per genre: interpretable, hand-set, checked on our fixtures and PTC spread.
    z_news = 2.0 - 6.0 * opinion_share - 0.08 * density
    z_opinion = -1.0 + 4.0 * mean_score + 0.03 * density
    z_adv = -3.5 + 3.0 * opinion_share + 18.0 * calls + 0.03 * density
    zs: dict[GenreKind, float] = {
        "news report": z_news,
        "opinion/analysis": z_opinion,
        "advocacy": z_adv,
    }
    mx = max(zs.values())
    ex = {k: math.exp(v - mx) for k, v in zs.items()}
    tot = sum(ex.values())
    probs = {k: round(v / tot, 4) for k, v in ex.items()}
    label = max(probs, key=lambda k: probs[k])
    return GenreLabel(
        label, round(opinion_share, 4), round(density, 2), {str(k): v for k, v in probs.items()}
    )

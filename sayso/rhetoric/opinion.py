"""Reporting vs the author's opinion, per sentence and paragraph, and the article's genre.

Every sentence gets a set of readable cues (:data:`FEATURES`), each with a log-odds weight
(``sayso/data/opinion_weights.json``, fitted by logistic regression on sayso's own labelled
development sentences, ``tests/fixtures/opinion_sentences.tsv``); the opinion probability is
``sigmoid(bias + sum(weight * min(value, cap)))``. The rule being modelled: attributed
statements are reporting unless the author endorses them ("rightly"); the author's own
evaluative claims, predictions, calls to action and moral judgements are opinion. Cue
words are data (``sayso/data/opinion_lexicon.json``); cues inside attributed or quoted
material do not count. See ``docs/opinion.md`` for the cue list and measured figures.

>>> sorted(WEIGHTS)[:3]
['attributed', 'bias', 'certainty']
>>> sigmoid_score({"obligation": 1.0, "first_plural": 1.0}) > 0.5
True
>>> sigmoid_score({"attributed": 1.0, "reporting_cue": 1.0, "date": 1.0}) < 0.5
True
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from sayso.doc_types import GenreLabel, RhetoricMention, SegmentLabel
from sayso.record import GenreKind, SegmentKind
from sayso.rhetoric.features import DocInfo, doc_info
from sayso.rhetoric.lexicons import DATA_DIR, lexicon_matcher

#: Every cue, in a fixed order (the order of the fitted weight vector).
FEATURES: tuple[str, ...] = (
    "obligation",  # must, should, need to, it is time, let us
    "certainty",  # clearly, make no mistake, the truth is
    "hedge_opinion",  # I think, it seems, arguably, it would be naive
    "evaluative",  # evaluative words: cowardly, timid, blunder, misses the point (count)
    "strong_valence",  # other strongly positive/negative words (VADER |valence| >= 2) (count)
    "moral",  # moral judgement: shame, complicit, deserve, unforgivable, looked away (count)
    "prediction",  # will face, history will, sooner or later, for a generation
    "modal",  # will/would/could/can/may/might in the author's voice
    "first_plural",  # we, us, our
    "first_singular",  # I, me, my
    "second_person",  # you, your
    "question",  # the sentence ends with "?" outside quotes
    "exclamation",  # the sentence ends with "!" outside quotes
    "rhetoric",  # persuasion-technique mentions from sayso_rhetoric (count)
    "endorsement",  # rightly, was right to
    "contrast_opener",  # the sentence opens with Yet, But, Still, For all, Oh
    "ultimatum",  # either ... or, unless, as long as
    "intensifier",  # far too, even, only, simply, once again (count)
    "generalizer",  # nobody, anyone who, those who, the world, history
    "negation",  # not, never, nothing, no longer (count)
    "contrastive_frame",  # "is not a ...", "in name only", "rather than", "is like"
    "copula_root",  # main verb is present-tense "is/are": "X is a farce"
    "present_root",  # main verb is another present-tense verb
    "past_root",  # main verb is in the past tense: a reported event
    "attributed",  # half or more of the sentence is attributed or quoted
    "reporting_cue",  # a reporting verb or phrase: said, according to, is expected to
    "number",  # a number outside quotes
    "date",  # a date or time expression outside quotes
    "entity",  # named people, organisations, places (count)
    "headline",  # no final punctuation: a title line
)
#: Features counted up to a cap (all others are 0/1).
CAPS: dict[str, float] = {
    "evaluative": 3.0,
    "strong_valence": 3.0,
    "moral": 2.0,
    "rhetoric": 3.0,
    "intensifier": 3.0,
    "negation": 2.0,
    "entity": 3.0,
}
#: Sentence/paragraph probability threshold for the "opinion" label.
OPINION_THRESHOLD = 0.5

#: Genre thresholds (see :func:`genre` and docs/opinion.md).
NEWS_MAX_SHARE = 0.3  # below this effective opinion share an article is a news report
ADVOCACY_MIN_CALLS = 0.1  # calls to action per sentence needed for advocacy
DENSITY_PER_SHARE = 0.002  # rhetoric mentions per 1000 words -> effective opinion share

_EXTRA = (
    "moral",
    "contrast_openers",
    "ultimatum",
    "intensifiers",
    "generalizers",
    "negation",
    "contrastive_frame",
    "second_person",
)
_MERGED = ("obligation", "certainty", "hedge_opinion", "evaluative", "prediction")
_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_DATES = frozenset({"DATE", "TIME"})
_FINAL = frozenset({".", "?", "!", '"', "”", "'", "’", ":", ";", "…", ")"})
_PARA_RE = re.compile(r"\n[ \t\r\f\v]*\n")


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (DATA_DIR / "opinion_lexicon.json").read_text(encoding="utf-8")
    )
    return data


@lru_cache(maxsize=1)
def load_weights() -> dict[str, float]:
    """Cue weights from ``sayso/data/opinion_weights.json`` (log-odds; ``bias`` = intercept)."""
    raw = json.loads((DATA_DIR / "opinion_weights.json").read_text(encoding="utf-8"))
    return {str(k): float(v) for k, v in raw["weights"].items()}


WEIGHTS: dict[str, float] = load_weights()


def sigmoid_score(cues: dict[str, float]) -> float:
    """Opinion probability for a dict of cue values (capped, then weighted)."""
    z = WEIGHTS["bias"] + sum(
        WEIGHTS.get(k, 0.0) * min(v, CAPS.get(k, 1.0)) for k, v in cues.items()
    )
    return 1.0 / (1.0 + math.exp(-z))


class _ExtraMatcher:
    """The opinion-only cue categories of the lexicon, in one PhraseMatcher pass."""

    def __init__(self, vocab: Vocab) -> None:
        lex = _lexicon()
        extra = lex["extra"]
        assert isinstance(extra, dict)
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        tokenizer = spacy.blank("en").tokenizer
        cats: dict[str, list[str]] = {f"x_{k}": list(v) for k, v in extra.items()}
        for k in _EXTRA:
            value = lex[k]
            assert isinstance(value, list)
            cats[k] = value
        for cat, phrases in cats.items():
            self.matcher.add(
                cat, [Doc(vocab, words=[t.text for t in tokenizer(p)]) for p in phrases]
            )
        self.author_speakers = frozenset(str(w) for w in _as_list(lex["author_speakers"]))
        self.non_attribution = frozenset(str(w) for w in _as_list(lex["non_attribution_cues"]))
        self.modals = frozenset(
            {"will", "would", "could", "can", "may", "might", "shall", "ca", "wo"}
        )

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        return [(doc.vocab.strings[m], s, e) for m, s, e in self.matcher(doc)]


def _as_list(value: object) -> list[object]:
    assert isinstance(value, list)
    return value


@lru_cache(maxsize=4)
def _extra_matcher(vocab: Vocab) -> _ExtraMatcher:
    return _ExtraMatcher(vocab)


@dataclass
class SentenceOpinion:
    """Opinion probability of one sentence and the cues that drove it."""

    span: Span
    score: float
    cues: dict[str, float] = field(default_factory=dict)
    call_to_action: bool = False


def shared_doc_info(doc: Doc) -> DocInfo:
    """The rhetoric component's cached :class:`DocInfo` for ``doc``, or a fresh one."""
    from sayso.components.rhetoric import shared_info

    try:
        return shared_info(doc)
    except Exception:  # pragma: no cover - only without the rhetoric module
        return doc_info(doc)


def _attributed_mask(doc: Doc, info: DocInfo, em: _ExtraMatcher) -> list[bool]:
    """Tokens inside quotes or inside someone else's statement (cue and content)."""
    mask = list(info.in_quote)
    for st in doc._.sayso_statements or []:
        cue = getattr(st, "cue", None)
        speaker = (getattr(st, "speaker_name", "") or "").lower()
        if cue is not None and cue.root.lemma_.lower() in em.non_attribution:
            continue  # "they seem to think", "it would be naive to expect": the author's voice
        if speaker in em.author_speakers:
            continue  # "History will judge", "We believe": not someone else's statement
        for span in (getattr(st, "content", None), cue):
            if span is None:
                continue
            for i in range(span.start, span.end):
                mask[i] = True
    return mask


def sentence_cues(
    doc: Doc, info: DocInfo, rhetoric: list[RhetoricMention] | None = None
) -> list[SentenceOpinion]:
    """Cues of every sentence of ``doc`` (score filled in), in document order."""
    em = _extra_matcher(doc.vocab)
    mask = _attributed_mask(doc, info, em)
    hits = [set(h) for h in info.hits]
    extra = em(doc)
    for cat, s, e in extra:
        name = "op_" + cat[2:] if cat.startswith("x_") else cat
        for i in range(s, e):
            hits[i].add(name)
    starts = {s for cat, s, _ in extra if cat == "contrast_openers"}
    rhet = [m.span.start for m in (rhetoric or [])]
    reporting_lemmas = lexicon_matcher(doc.vocab).reporting_lemmas
    out: list[SentenceOpinion] = []
    for seq in info.sequences:
        start, end = seq[0], seq[-1] + 1
        cues: dict[str, float] = {}
        own = [i for i in seq if not mask[i]]
        if len(seq) - len(own) >= 0.5 * len(seq):
            cues["attributed"] = 1.0
        first_word = next((i for i in seq if not info.punct[i]), seq[0])
        if first_word in starts and not mask[first_word]:
            cues["contrast_opener"] = 1.0
        for i in seq:
            h = hits[i]
            if "op_endorsement" in h:
                cues["endorsement"] = 1.0
            if "op_reporting_phrases" in h or (
                info.pos[i] == "VERB" and info.lemma[i] in reporting_lemmas
            ):
                cues["reporting_cue"] = 1.0
            if mask[i]:
                continue
            _own_token_cues(info, i, h, cues, em)
        for i in seq:
            if info.dep[i] == "ROOT" and not mask[i]:
                _root_cues(info, i, cues)
                break
        if "endorsement" in cues:  # the author adopts the attributed statement
            cues.pop("attributed", None)
            cues.pop("reporting_cue", None)
        last = seq[-1]
        if info.text[last] not in _FINAL:
            cues["headline"] = 1.0
        if info.text[last] == "?" and not mask[last]:
            cues["question"] = 1.0
        if info.text[last] == "!" and not mask[last]:
            cues["exclamation"] = 1.0
        n_rhet = sum(1 for r in rhet if start <= r < end and not mask[r])
        if n_rhet:
            cues["rhetoric"] = float(n_rhet)
        span = doc[start:end]
        out.append(SentenceOpinion(span, round(sigmoid_score(cues), 4), cues))
    for sent in out:
        sent.call_to_action = sent.score >= OPINION_THRESHOLD and (
            "obligation" in sent.cues or _imperative(sent.span)
        )
    return out


def _own_token_cues(
    info: DocInfo, i: int, h: set[str], cues: dict[str, float], em: _ExtraMatcher
) -> None:
    """Add the cues of one token in the author's own voice."""
    once = (
        ("op_obligation", "obligation"),
        ("op_certainty", "certainty"),
        ("op_hedge_opinion", "hedge_opinion"),
        ("op_prediction", "prediction"),
        ("op_first_plural", "first_plural"),
        ("op_first_singular", "first_singular"),
        ("second_person", "second_person"),
        ("ultimatum", "ultimatum"),
        ("generalizers", "generalizer"),
        ("contrastive_frame", "contrastive_frame"),
    )
    for key, name in once:
        if key in h:
            cues[name] = 1.0
    counted = (
        ("op_evaluative", "evaluative"),
        ("moral", "moral"),
        ("intensifiers", "intensifier"),
        ("negation", "negation"),
    )
    for key, name in counted:
        if key in h:
            cues[name] = cues.get(name, 0.0) + 1.0
    if abs(info.valence[i]) >= 2.0 and not h & {"op_evaluative", "moral"}:
        cues["strong_valence"] = cues.get("strong_valence", 0.0) + 1.0
    if info.tag[i] == "MD" and info.lower[i] in em.modals:
        cues["modal"] = 1.0
    if info.ent[i] in _DATES:
        cues["date"] = 1.0
    elif info.num[i]:
        cues["number"] = 1.0
    if info.ent[i] in _ENTS and (i == 0 or info.ent[i - 1] != info.ent[i]):
        cues["entity"] = cues.get("entity", 0.0) + 1.0


def _root_cues(info: DocInfo, i: int, cues: dict[str, float]) -> None:
    tag = info.tag[i]
    if info.lemma[i] == "be" and tag in {"VBZ", "VBP"}:
        cues["copula_root"] = 1.0
    elif tag in {"VBZ", "VBP"}:
        cues["present_root"] = 1.0
    elif tag == "VBD" or (
        tag == "VBN" and any(c.tag_ == "VBD" for c in info.doc[i].children)  # "was seen"
    ):
        cues["past_root"] = 1.0


def sentence_opinions(
    doc: Doc, info: DocInfo, rhetoric: list[RhetoricMention] | None = None
) -> list[SentenceOpinion]:
    """Score every sentence of ``doc`` for opinion (see :func:`sentence_cues`)."""
    return sentence_cues(doc, info, rhetoric)


def _imperative(sent: Span) -> bool:
    root = sent.root
    return root.tag_ == "VB" and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in root.children)


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
    """Genre of the article from its opinion share, calls to action and rhetoric density.

    ``effective share = opinion share + DENSITY_PER_SHARE * rhetoric per 1000 words``;
    below :data:`NEWS_MAX_SHARE` the article is a news report (a short opinion coda after
    mostly reporting stays news); above it, advocacy when calls to action make up at least
    :data:`ADVOCACY_MIN_CALLS` of the sentences, otherwise opinion/analysis. The scores are a
    softmax of the margins to those thresholds.

    >>> g = genre([], 0, 0)
    >>> g.label, g.opinion_share
    ('news report', 0.0)
    """
    n = max(1, len(sentences))
    opinion_share = sum(1 for s in sentences if s.score >= OPINION_THRESHOLD) / n
    calls = sum(1 for s in sentences if s.call_to_action) / n
    density = 1000.0 * n_rhetoric / max(1, n_words)
    effective = opinion_share + DENSITY_PER_SHARE * density
    margin = effective - NEWS_MAX_SHARE
    zs: dict[GenreKind, float] = {
        "news report": -12.0 * margin,
        "opinion/analysis": 0.0,
        "advocacy": min(12.0 * margin, 30.0 * (calls - ADVOCACY_MIN_CALLS)),
    }
    mx = max(zs.values())
    ex = {k: math.exp(v - mx) for k, v in zs.items()}
    tot = sum(ex.values())
    probs = {k: round(v / tot, 4) for k, v in ex.items()}
    label = max(probs, key=lambda k: probs[k])
    return GenreLabel(
        label, round(opinion_share, 4), round(density, 2), {str(k): v for k, v in probs.items()}
    )

"""Score attribution extraction (source, cue, content) against brat gold such as PolNeAR.

Two families of scores, each on all attributions and on the speech-verb subset:

**Exact span match per role** (as CofeNet reports it): the sets of ``(document, role, start,
end)`` are compared; precision = matched predicted / predicted, recall = matched gold / gold.
Before comparing, each span is trimmed on both sides of whitespace, quote marks, and the
punctuation ``. , ; :`` and dashes (:func:`normalise_span`), so ``said:`` matches ``said`` and
``"We will stay."`` matches ``We will stay``. A gold role that is discontinuous is compared
through its covering span (see :mod:`sayso.evaluate.brat`).

**Overlap match** (as the Gender Gap Tracker reports it): a gold attribution is *found* when
some predicted content covers at least 30% of the gold content's characters (the characters
of its fragments, so a gold quote split around "he said" counts only the quoted words).
Precision = predictions whose content covers >= 30% of some gold content / predictions;
recall = found gold / gold with a content. Among found gold attributions, the prediction with
the largest coverage is paired with it, and the speaker is correct when the predicted source
overlaps the gold source by at least one character (ties in coverage go to the prediction
with less content outside the gold); when the gold has no source, it is
correct only if the prediction has none either (``speaker_accuracy``).
``speaker_accuracy_sourced`` is the same restricted to gold attributions that have a source.

**Speech-verb subset**: gold attributions whose cue lemma (:func:`cue_head`: the cue's verb,
else its syntactic head, lemmatised by spaCy in context) is in ``sayso/data/speech_verbs.txt``.
For precision on the subset only predictions whose cue lemma is a speech verb are counted,
so a system is not penalised there for finding belief or "according to" attributions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from sayso.evaluate.brat import ROLES, GoldAttribution, GoldDocument, Span, read_gold

#: Coverage of a gold content's characters needed for an overlap match.
OVERLAP_THRESHOLD = 0.3

_QUOTES = "\"'“”‘’„‟‚‛«»‹›`´"
_TRIM = set(_QUOTES + ".,;:—–-…" + " \t\n\r\u00a0")


@dataclass
class PredictedAttribution:
    """A predicted attribution as character spans; ``cue_lemma`` is filled if left None."""

    source: Span | None
    cue: Span
    content: Span
    cue_lemma: str | None = None


Predictor = Callable[[str], list[PredictedAttribution]]


@lru_cache(maxsize=1)
def speech_verbs() -> frozenset[str]:
    """The lemmas of speech and communication verbs (``sayso/data/speech_verbs.txt``).

    >>> {"say", "tell", "deny"} <= speech_verbs()
    True
    >>> "believe" in speech_verbs()
    False
    """
    text = resources.files("sayso").joinpath("data/speech_verbs.txt").read_text("utf-8")
    words = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return frozenset(w for w in words if w)


def normalise_span(text: str, span: Span) -> Span:
    """Trim whitespace, quote marks and ``.,;:`` and dashes from both ends of ``span``.

    >>> text = 'He said: "We will stay."'
    >>> s, e = normalise_span(text, (9, 24))
    >>> text[s:e]
    'We will stay'
    >>> normalise_span(text, (3, 8))
    (3, 7)
    """
    start, end = span
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return (start, end) if start < end else span


def cue_head(doc: Doc, span: Span) -> Token | None:
    """The token that stands for a cue: its verb, else its syntactic head.

    Multiword cues are common ("has learned", "responded Friday, saying", "according to"):
    the span's root is used if it is a verb, else the first verb in the span, else the root.
    """
    cue = doc.char_span(span[0], span[1], alignment_mode="expand")
    if cue is None or len(cue) == 0:
        return None
    roots = [t for t in cue if t.head.i < cue.start or t.head.i >= cue.end or t.head.i == t.i]
    root = roots[0] if roots else cue[0]
    if root.pos_ == "VERB":
        return root
    for token in cue:
        if token.pos_ == "VERB":
            return token
    return root


def cue_lemma(doc: Doc, span: Span) -> str:
    """The lower-cased lemma of the cue's head token (see :func:`cue_head`), or ``""``."""
    head = cue_head(doc, span)
    return head.lemma_.lower() if head is not None else ""


@lru_cache(maxsize=1)
def _lemma_nlp() -> Language:
    import spacy

    from sayso.pipeline import SPACY_MODEL

    nlp = spacy.load(SPACY_MODEL, exclude=["ner"])
    nlp.max_length = 5_000_000
    return nlp


def parse_texts(texts: Sequence[str], nlp: Language | None = None) -> list[Doc]:
    """Tag and parse texts with the house spaCy model (no NER), for cue lemmas."""
    if nlp is None:
        nlp = _lemma_nlp()
    return list(nlp.pipe(texts, batch_size=16))


def fill_cue_lemmas(
    gold_docs: Sequence[GoldDocument],
    predictions: dict[str, list[PredictedAttribution]],
    docs: dict[str, Doc] | None = None,
    nlp: Language | None = None,
) -> None:
    """Set ``cue_lemma`` wherever it is None, parsing the texts that need it (in place).

    ``docs`` are already parsed documents by name; other texts are parsed with ``nlp``
    (default: the house spaCy model without NER).
    """
    docs = dict(docs or {})
    todo = [
        g
        for g in gold_docs
        if g.name not in docs
        and (
            any(a.cue_lemma is None and a.cue for a in g.attributions)
            or any(p.cue_lemma is None for p in predictions.get(g.name, []))
        )
    ]
    if todo:
        parsed = parse_texts([g.text for g in todo], nlp)
        docs.update(zip((g.name for g in todo), parsed, strict=True))
    for g in gold_docs:
        for a in g.attributions:
            if a.cue_lemma is None and a.cue is not None:
                a.cue_lemma = cue_lemma(docs[g.name], a.cue)
        for p in predictions.get(g.name, []):
            if p.cue_lemma is None:
                p.cue_lemma = cue_lemma(docs[g.name], p.cue)


def gold_to_predictions(gold_docs: Iterable[GoldDocument]) -> dict[str, list[PredictedAttribution]]:
    """Turn gold attributions into predictions (for self-checks: they must score 1.0).

    Gold attributions lacking a cue or a content are left out, like a predictor would.
    """
    result: dict[str, list[PredictedAttribution]] = {}
    for doc in gold_docs:
        result[doc.name] = [
            PredictedAttribution(a.source, a.cue, a.content, a.cue_lemma)
            for a in doc.attributions
            if a.cue is not None and a.content is not None
        ]
    return result


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _covered(fragments: Sequence[Span], span: Span) -> int:
    return sum(max(0, min(e, span[1]) - max(s, span[0])) for s, e in fragments)


def _overlaps(fragments: Sequence[Span], span: Span) -> bool:
    return _covered(fragments, span) > 0


def _score_subset(
    gold_docs: Sequence[GoldDocument],
    predictions: dict[str, list[PredictedAttribution]],
    keep_gold: Callable[[GoldAttribution], bool],
    keep_pred: Callable[[PredictedAttribution], bool],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    gold_sets: dict[str, set[tuple[str, int, int]]] = {r: set() for r in ROLES}
    pred_sets: dict[str, set[tuple[str, int, int]]] = {r: set() for r in ROLES}
    n_gold = n_found = n_pred = n_pred_match = 0
    n_speaker = n_speaker_ok = n_sourced = n_sourced_ok = 0
    for doc in gold_docs:
        text = doc.text
        golds = [a for a in doc.attributions if keep_gold(a)]
        preds = [p for p in predictions.get(doc.name, []) if keep_pred(p)]
        for role in ROLES:
            for a in golds:
                span = a.role(role)
                if span is not None:
                    gold_sets[role].add((doc.name, *normalise_span(text, span)))
            for p in preds:
                pspan: Span | None = getattr(p, role)
                if pspan is not None:
                    pred_sets[role].add((doc.name, *normalise_span(text, pspan)))
        contents = [(a, a.fragments.get("content", [])) for a in golds if a.content is not None]
        sizes = [sum(e - s for s, e in frags) for _, frags in contents]
        n_gold += len(contents)
        n_pred += len(preds)
        for p in preds:
            if any(
                size and _covered(frags, p.content) / size >= OVERLAP_THRESHOLD
                for (_, frags), size in zip(contents, sizes, strict=True)
            ):
                n_pred_match += 1
        for (a, frags), size in zip(contents, sizes, strict=True):
            # Pair with the prediction covering most of the gold content; on ties, the one
            # with the least content outside the gold.
            best: PredictedAttribution | None = None
            best_key = (0.0, 0.0)
            for p in preds:
                covered = _covered(frags, p.content)
                cov = covered / size if size else 0.0
                key = (cov, covered / max(1, p.content[1] - p.content[0]))
                if cov >= OVERLAP_THRESHOLD and key > best_key:
                    best, best_key = p, key
            if best is None:
                continue
            n_found += 1
            n_speaker += 1
            gold_source = a.fragments.get("source", [])
            if a.source is None:
                n_speaker_ok += best.source is None
            else:
                ok = best.source is not None and _overlaps(gold_source, best.source)
                n_speaker_ok += ok
                n_sourced += 1
                n_sourced_ok += ok
    for role in ROLES:
        tp = len(gold_sets[role] & pred_sets[role])
        prec, rec, f1 = _prf(tp, len(pred_sets[role]), tp, len(gold_sets[role]))
        out[f"exact_{role}_p"], out[f"exact_{role}_r"], out[f"exact_{role}_f1"] = prec, rec, f1
        out[f"exact_{role}_gold"], out[f"exact_{role}_pred"] = (
            len(gold_sets[role]),
            len(pred_sets[role]),
        )
    prec, rec, f1 = _prf(n_pred_match, n_pred, n_found, n_gold)
    out.update(
        gold=n_gold,
        predicted=n_pred,
        overlap_p=prec,
        overlap_r=rec,
        overlap_f1=f1,
        found=n_found,
        speaker_accuracy=n_speaker_ok / n_speaker if n_speaker else 0.0,
        speaker_accuracy_sourced=n_sourced_ok / n_sourced if n_sourced else 0.0,
    )
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}


def score(
    gold_docs: Sequence[GoldDocument],
    predictions: dict[str, list[PredictedAttribution]],
    docs: dict[str, Doc] | None = None,
    nlp: Language | None = None,
) -> dict[str, Any]:
    """Score predictions (by document name) against gold; see the module docstring.

    Cue lemmas left None are filled from ``docs`` (parsed spaCy docs by name) or by parsing
    the text with ``nlp`` (default: the house model). Returns
    ``{"all": {...}, "speech_verb": {...}}``, each with exact_{source,cue,content}_{p,r,f1},
    overlap_{p,r,f1} and speaker_accuracy (plus counts).
    """
    fill_cue_lemmas(gold_docs, predictions, docs, nlp)
    verbs = speech_verbs()
    return {
        "all": _score_subset(gold_docs, predictions, lambda a: True, lambda p: True),
        "speech_verb": _score_subset(
            gold_docs,
            predictions,
            lambda a: a.cue_lemma in verbs,
            lambda p: p.cue_lemma in verbs,
        ),
    }


def predictions_from_doc(doc: Doc) -> list[PredictedAttribution]:
    """Convert ``doc._.sayso_statements`` (:class:`sayso.doc_types.Attribution`) to predictions."""
    result: list[PredictedAttribution] = []
    for statement in doc._.sayso_statements or []:
        speaker = statement.speaker
        cue = (statement.cue.start_char, statement.cue.end_char)
        result.append(
            PredictedAttribution(
                source=(speaker.start_char, speaker.end_char) if speaker is not None else None,
                cue=cue,
                content=(statement.content.start_char, statement.content.end_char),
                cue_lemma=cue_lemma(doc, cue),
            )
        )
    return result


def evaluate_attribution(
    directory: Path,
    predict: Predictor | None = None,
    limit: int | None = None,
    nlp: Language | None = None,
) -> dict[str, Any]:
    """Run a predictor over a brat directory and score it (a JSON-serialisable dict).

    Without ``predict``, sayso's pipeline (``nlp`` or :func:`sayso.pipeline.load_pipeline`)
    runs over all texts with ``nlp.pipe`` and ``doc._.sayso_statements`` are scored; cue
    lemmas come from the same docs. With ``predict``, cues are lemmatised by parsing the
    texts with ``nlp`` (default: the house model without NER).
    """
    gold_docs = read_gold(Path(directory), limit=limit)
    parsed: dict[str, Doc] | None = None
    if predict is None:
        if nlp is None:
            from sayso.pipeline import load_pipeline

            nlp = load_pipeline()
        parsed = {}
        predictions: dict[str, list[PredictedAttribution]] = {}
        texts = [g.text for g in gold_docs]
        for g, doc in zip(gold_docs, nlp.pipe(texts, batch_size=16), strict=True):
            parsed[g.name] = doc
            predictions[g.name] = predictions_from_doc(doc)
    else:
        predictions = {g.name: list(predict(g.text)) for g in gold_docs}
    scores = score(gold_docs, predictions, parsed, nlp)
    return {
        "documents": len(gold_docs),
        "gold": sum(len(g.attributions) for g in gold_docs),
        **scores,
    }

"""Rule-based stance of a statement toward the proposition in its content.

The stance is toward the content *as stated*: "Officials said no troops were sent" asserts
a negative proposition (``asserts``), while "Russia denied sending troops" and "The ministry
said the reports were fake news" deny the proposition in the content (``denies``). A cue verb
inside the content that belongs to a nested speaker ("X said Y denied Z") does not count.

Decision order (first that applies): ``questions`` > ``conditional`` > ``cannot_confirm`` >
``denies`` > ``doubts`` > ``hedges`` > ``asserts``. The phrases live in
``sayso/data/stance_lexicon.json``.

>>> classify_stance("denied", "sending troops across the border")
StanceResult(label='denies', commitment=-3, evidence='denied')
>>> classify_stance("said", "the strike was likely carried out by drones")
StanceResult(label='hedges', commitment=1, evidence='likely')
>>> classify_stance("said", "it could not confirm the reports",).label
'cannot_confirm'
"""

from __future__ import annotations

from dataclasses import dataclass

from sayso.record import STANCE_LABELS, StanceLabel
from sayso.stance.lexicon import Hit, load_lexicon

LABELS = STANCE_LABELS


@dataclass(frozen=True)
class StanceResult:
    """A stance label, a commitment from -3 (certainly false) to +3 (certainly true), and the
    words that decided it (shown to users)."""

    label: StanceLabel
    commitment: int
    evidence: str


def _frame(content: str, sentence: str | None) -> str:
    """The sentence with the content cut out (only the words around the content)."""
    if not sentence:
        return ""
    if content:
        idx = sentence.find(content)
        if idx >= 0:
            return sentence[:idx] + " … " + sentence[idx + len(content) :]
    return sentence


def _first(hits: list[Hit], *keys: str) -> Hit | None:
    for hit in hits:
        if hit.key in keys:
            return hit
    return None


def classify_stance(
    cue: str,
    content: str,
    *,
    cue_lemma: str | None = None,
    sentence: str | None = None,
) -> StanceResult:
    """Stance of a statement (cue + content) toward the proposition in its content.

    ``sentence`` is the sentence the cue is in; if it contains ``content`` verbatim the content
    is cut out, and the rest (the frame: "could not confirm", "flatly denied", "asked whether")
    is searched together with the cue. Pass the frame itself if the content is not verbatim in
    the sentence.

    >>> classify_stance("dismissed", "the claim", sentence="Kyiv dismissed the claim as unlikely.")
    StanceResult(label='denies', commitment=-2, evidence='as unlikely')
    >>> classify_stance("asked", "whether the convoy had crossed the river").label
    'questions'
    >>> classify_stance("believes", "the talks will resume").commitment
    2
    """
    lex = load_lexicon()
    cm = lex.commitment
    lemma = (cue_lemma or lex.lemma_of(cue)).lower()
    cue_key = lex.cue_key(lemma) if lemma else None
    if cue_key is None and cue:
        cue_key = lex.cue_key(lex.lemma_of(cue))
    frame = _frame(content, sentence) if sentence else cue
    fhits = lex.frame_hits(frame)
    chits = lex.content_hits(content)

    # questions: "asked whether", a question as content
    hit = _first(fhits, "questions")
    if hit:
        return StanceResult("questions", cm["questions"], hit.text)
    if cue_key == "questions":
        return StanceResult("questions", cm["questions"], cue)
    if content.rstrip().rstrip("\"'”’»").endswith("?"):
        return StanceResult("questions", cm["questions"], "?")

    # conditional: "if true", "would constitute"
    hit = _first(chits, "conditional") or _first(fhits, "conditional")
    if hit:
        return StanceResult("conditional", cm["conditional"], hit.text)

    # cannot confirm: "could not confirm", "declined to comment"
    hit = _first(fhits, "cannot_confirm") or _first(chits, "cannot_confirm")
    if hit:
        return StanceResult("cannot_confirm", cm["cannot_confirm"], hit.text)
    if cue_key == "cannot_confirm":
        return StanceResult("cannot_confirm", cm["cannot_confirm"], cue)

    # denies: denial cue, denial frame, dismissal words in the content
    strong = _first(fhits, "denies") or _first(chits, "denies")
    weak = _first(fhits, "denies_weak") or _first(chits, "denies_weak")
    if cue_key == "denies":
        return StanceResult("denies", cm["denies"], strong.text if strong else cue)
    if strong:
        return StanceResult("denies", cm["denies"], strong.text)
    if weak:
        return StanceResult("denies", cm["denies_weak"], weak.text)
    if cue_key == "denies_weak":
        return StanceResult("denies", cm["denies_weak"], cue)

    # doubts: "questioned whether", "sceptical", "no evidence"
    hit = _first(fhits, "doubts")
    if hit:
        return StanceResult("doubts", cm["doubts"], hit.text)
    if cue_key == "doubts":
        return StanceResult("doubts", cm["doubts"], cue)
    hit = _first(chits, "doubts")
    if hit:
        return StanceResult("doubts", cm["doubts"], hit.text)

    # hedges: "likely", "reportedly", "may have", a speculative cue
    hit = _first(chits, "hedges")
    if hit:
        return StanceResult("hedges", cm["hedges"], hit.text)
    if cue_key == "hedges":
        return StanceResult("hedges", cm["hedges"], cue)

    if cue_key == "asserts":
        return StanceResult("asserts", cm["asserts"], cue)
    return StanceResult("asserts", cm["asserts_weak"], cue)


def refers_back(cue: str, content: str, *, sentence: str | None = None) -> str | None:
    """The words by which a statement points back to an earlier one, or None.

    "A similar statement was made by Ankara", "Paris said the same", "Berlin echoed the
    warning", "London agreed" point back; the content itself is not searched (so "said the
    two sides agreed a truce" does not), unless the whole content is "the same", "so", ....

    >>> refers_back("said", "the same", sentence="Warsaw said the same.")
    'the same'
    >>> refers_back("made", "", sentence="A similar statement was made by Ankara.")
    'A similar statement'
    >>> refers_back("made", "a similar statement")
    'a similar statement'
    >>> refers_back("said", "the same units were deployed") is None
    True
    >>> refers_back("said", "the two sides agreed a truce") is None
    True
    """
    lex = load_lexicon()
    norm = " ".join(content.lower().strip(" .,;:!\"'“”‘’").split())
    if norm in lex.refers_back_content:
        return content.strip(" .,;:!\"'“”‘’")
    # the content names an earlier statement: "made a similar statement", "repeated the same claim"
    lead = content.lstrip(" \"'“‘")
    for hit in lex.refers_back_hits(lead[:40]):
        if hit.start == 0 and hit.text.lower().startswith(("a similar", "similar", "the same")):
            return hit.text
    frame = _frame(content, sentence) if sentence else cue
    hits = lex.refers_back_hits(frame)
    return hits[0].text if hits else None


def classify_headline(headline: str) -> StanceResult:
    """Stance of a headline's author toward the claim the headline carries (no cue given).

    Denial words ("hoax", "denies", "fake", "not true") -> ``denies``; a question or doubt word
    -> ``questions``/``doubts``; words showing the author only relays the claim ("reportedly",
    "claims", "report says", "may") -> ``hedges``; otherwise ``asserts``.

    >>> classify_headline("Militia denies shelling refugee camp").label
    'denies'
    >>> classify_headline("Rebel leader reportedly killed in air strike").label
    'hedges'
    >>> classify_headline("Navy seizes tanker in the strait").label
    'asserts'
    """
    lex = load_lexicon()
    cm = lex.commitment
    base = classify_stance("", headline)
    if base.label in ("conditional", "cannot_confirm"):
        return base
    hits = lex.headline_hits(headline)
    hit = _first(hits, "denies")
    if hit:
        return StanceResult("denies", cm["denies"], hit.text)
    if base.label == "denies":
        return base
    hit = _first(hits, "doubts")
    if hit:
        if hit.text == "?":
            return StanceResult("questions", cm["questions"], hit.text)
        return StanceResult("doubts", cm["doubts"], hit.text)
    if base.label in ("doubts", "questions"):
        return base
    hit = _first(hits, "attributed")
    if hit:
        return StanceResult("hedges", cm["hedges"], hit.text)
    if base.label == "hedges":
        return base
    return StanceResult("asserts", cm["asserts"], "")

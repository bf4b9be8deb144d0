"""spaCy component ``sayso_stance``: stance and commitment of each statement.

Reads ``doc._.sayso_statements`` (filled by ``sayso_statements``) and sets, on each
:class:`~sayso.doc_types.Attribution`, ``stance`` and ``commitment`` from
:func:`sayso.stance.classify_stance` (cue text and lemma, content, and the cue's sentence with
the content cut out). A statement that points back to an earlier one ("a similar statement was
made by ...", "X said the same", "Y echoed ...") gets ``refers_to`` = index of the most recent
earlier statement (by another speaker when there is one) and takes its stance and commitment.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from sayso.attribution.extract import cannot_check
from sayso.attribution.lexicon import load_attribution_words
from sayso.doc_types import Attribution, register_extensions
from sayso.stance.classify import classify_stance, refers_back
from sayso.stance.judgement import negative_judgement
from sayso.stance.lexicon import load_lexicon


def _frame_text(att: Attribution) -> str:
    """Words of the cue's clause, with the content's characters cut out.

    The clause is the subtree of the cue's root (climbing through ``xcomp``/``acomp`` heads, so
    "was unable to confirm" is whole), without coordinated clauses ("..., and Beijing said the
    same" is not part of Moscow's statement).
    """
    root = att.cue.root
    top = root
    while top.dep_ in ("xcomp", "acomp") and top.head.i != top.i:
        top = top.head
    cut: set[int] = set()
    for tok in (top, root):
        for child in tok.children:
            if child.dep_ in ("conj", "parataxis") and child.i not in range(
                att.cue.start, att.cue.end
            ):
                cut.update(t.i for t in child.subtree)
    c0, c1 = att.content.start_char, att.content.end_char
    parts: list[str] = []
    in_content = False
    for tok in top.subtree:
        if tok.i in cut:
            continue
        if c0 <= tok.idx < c1:
            if not in_content:
                parts.append(" … ")
                in_content = True
            continue
        in_content = False
        parts.append(tok.text_with_ws)
    return "".join(parts).strip()


def _cue_lemma(cue: Span) -> str:
    root = cue.root
    lemma = root.lemma_.lower()
    particles = [t.text.lower() for t in cue if t.i > root.i and t.dep_ in ("prt", "prep")]
    if len(cue) > 1 and cue.text.lower() in ("according to",):
        return "according to"
    if particles:
        return f"{lemma} {particles[0]}"
    return lemma


def _referent(statements: list[Attribution], order: list[int], pos: int) -> int | None:
    """Index of the most recent earlier statement, preferring another speaker."""
    me = statements[order[pos]]
    earlier = order[:pos]
    for j in reversed(earlier):
        other = statements[j]
        if other.speaker_name and me.speaker_name and other.speaker_name != me.speaker_name:
            return j
    return earlier[-1] if earlier else None


class StanceComponent:
    """Sets ``stance``, ``commitment`` and ``refers_to`` on ``doc._.sayso_statements``."""

    def __init__(self, nlp: Language, name: str) -> None:
        register_extensions()
        self.name = name
        self.verification_verbs = load_attribution_words().verification_verbs

    def __call__(self, doc: Doc) -> Doc:
        statements: list[Attribution] = list(doc._.sayso_statements or [])
        order = sorted(range(len(statements)), key=lambda i: statements[i].cue.start_char)
        for pos, i in enumerate(order):
            att = statements[i]
            frame = _frame_text(att)
            content = att.content.text
            res = classify_stance(
                att.cue.text, content, cue_lemma=_cue_lemma(att.cue), sentence=frame
            )
            att.stance, att.commitment = res.label, res.commitment
            att.stance_evidence = res.evidence
            if res.label in ("asserts", "hedges") and cannot_check(
                att.cue.root, self.verification_verbs
            ):
                # "has no way of verifying what happened": however it is worded, one who
                # cannot check a claim neither asserts nor denies it.
                att.stance, att.commitment = "cannot_confirm", 0
                att.stance_evidence = f"cannot {att.cue.root.lemma_.lower()} it"
            if res.label == "asserts":
                judged = negative_judgement(att.content)
                if judged is not None:
                    # "said the accusation was an attempt to distract": asserts its words,
                    # and by them denies the claim it names.
                    att.stance = "denies"
                    att.commitment = load_lexicon().commitment["denies_weak"]
                    att.stance_evidence = judged
            att.refers_to = None
            if pos > 0 and refers_back(att.cue.text, content, sentence=frame):
                j = _referent(statements, order, pos)
                if j is not None:
                    att.refers_to = j
                    att.stance = statements[j].stance
                    att.commitment = statements[j].commitment
                    att.stance_evidence = f"points back to an earlier statement ({res.evidence})"
        doc._.sayso_statements = statements
        return doc


@Language.factory("sayso_stance")
def make_stance(nlp: Language, name: str) -> StanceComponent:
    """Factory of the ``sayso_stance`` component."""
    return StanceComponent(nlp, name)

"""``sayso_rhetoric``: persuasion techniques (SemEval-2020 Task 11 labels) with evidence.

Writes ``doc._.sayso_rhetoric``: a list of :class:`~sayso.doc_types.RhetoricMention`, sorted
by position. A CRF tags candidate spans and a classifier names their technique (model files
in ``sayso/data/models/rhetoric/``); document rules add repetition, whataboutism,
black-and-white, slogans, clichés, flag-waving and "so-called" doubt.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from sayso import doc_types
from sayso.doc_types import RhetoricMention
from sayso.rhetoric.features import DocInfo, doc_info
from sayso.rhetoric.lexicons import technique_cues
from sayso.rhetoric.model import MODEL_DIR, RhetoricModel
from sayso.rhetoric.rules import all_rules, describe_hits

#: Key in ``doc.user_data`` under which the token features for rhetoric are kept, so that
#: ``sayso_genre`` reuses them (per document: safe with concurrent requests).
_INFO_KEY = "sayso.rhetoric.doc_info"


@lru_cache(maxsize=2)
def _load_model(model_dir: str) -> RhetoricModel:
    return RhetoricModel(Path(model_dir))


def shared_info(doc: Doc) -> DocInfo:
    """The :class:`DocInfo` of ``doc``, computed once and reused by ``sayso_genre``."""
    info = doc.user_data.get(_INFO_KEY)
    if not isinstance(info, DocInfo):
        info = doc_info(doc)
        doc.user_data[_INFO_KEY] = info
    return info


class RhetoricComponent:
    """Find persuasion techniques in a doc."""

    def __init__(
        self, model_dir: str | None, min_score: float, min_score_no_cue: float, use_rules: bool
    ) -> None:
        self.model_dir = str(model_dir or MODEL_DIR)
        self.min_score = min_score
        self.min_score_no_cue = min_score_no_cue
        self.use_rules = use_rules

    @property
    def model(self) -> RhetoricModel:
        return _load_model(self.model_dir)

    def __call__(self, doc: Doc) -> Doc:
        doc._.sayso_rhetoric = self.find(doc)
        return doc

    def find(self, doc: Doc) -> list[RhetoricMention]:
        """All technique mentions in ``doc`` (model + rules), deduplicated."""
        info = shared_info(doc)
        found: list[RhetoricMention] = []
        cues = technique_cues()
        for span, tech, score, evidence in self.model.predict(doc, info):
            # A model span with no cue of its technique in it must be confident to be shown.
            if score >= self.min_score and (
                score >= self.min_score_no_cue
                or describe_hits(info, span, categories=cues.get(tech, frozenset()))
            ):
                found.append(RhetoricMention(span, tech, round(score, 3), evidence))
        if self.use_rules:
            for h in all_rules(info):
                found.append(
                    RhetoricMention(doc[h.start : h.end], h.technique, h.score, h.evidence)
                )
        return _dedupe(found)


def _dedupe(mentions: list[RhetoricMention]) -> list[RhetoricMention]:
    """Drop a mention overlapping a higher-scored one with the same technique."""
    kept: list[RhetoricMention] = []
    for m in sorted(mentions, key=lambda m: -m.score):
        clash = any(
            k.technique == m.technique and k.span.start < m.span.end and m.span.start < k.span.end
            for k in kept
        )
        if not clash:
            kept.append(m)
    return sorted(kept, key=lambda m: (m.span.start, m.span.end, m.technique))


@Language.factory(
    "sayso_rhetoric",
    default_config={
        "model_dir": None,
        "min_score": 0.35,
        "min_score_no_cue": 0.7,
        "use_rules": True,
    },
)
def make_rhetoric(
    nlp: Language,
    name: str,
    model_dir: str | None,
    min_score: float,
    min_score_no_cue: float,
    use_rules: bool,
) -> RhetoricComponent:
    """Factory for ``nlp.add_pipe("sayso_rhetoric")``.

    ``min_score``: drop model mentions below it; ``min_score_no_cue``: the bar for model
    mentions with no cue word from sayso's lexicons in them; ``use_rules``: add rule mentions.
    """
    doc_types.register_extensions()
    return RhetoricComponent(model_dir, min_score, min_score_no_cue, use_rules)

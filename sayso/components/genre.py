"""``sayso_genre``: reporting vs opinion per sentence and paragraph, and the article genre.

Writes ``doc._.sayso_segments`` (all sentences, then one roll-up per paragraph) and
``doc._.sayso_genre``. Uses ``doc._.sayso_statements`` (attributed material is reporting)
and ``doc._.sayso_rhetoric`` when those components ran; works without them.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sayso import doc_types
from sayso.components.rhetoric import _INFO_KEY, shared_info
from sayso.rhetoric.opinion import genre, segment_labels, sentence_opinions


class GenreComponent:
    """Label sentences/paragraphs as reporting or opinion and the doc's genre."""

    def __call__(self, doc: Doc) -> Doc:
        info = shared_info(doc)
        rhetoric = doc._.sayso_rhetoric or []
        sentences = sentence_opinions(doc, info, rhetoric)
        doc._.sayso_segments = segment_labels(sentences, doc)
        n_words = sum(1 for t in doc if not t.is_punct and not t.is_space)
        doc._.sayso_genre = genre(sentences, n_words, len(rhetoric))
        doc.user_data.pop(_INFO_KEY, None)  # only needed between the two components
        return doc


@Language.factory("sayso_genre")
def make_genre(nlp: Language, name: str) -> GenreComponent:
    """Factory for ``nlp.add_pipe("sayso_genre")`` (after ``sayso_rhetoric``)."""
    doc_types.register_extensions()
    return GenreComponent()

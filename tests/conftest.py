"""Shared fixtures: the spaCy model is loaded once per test session."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from sayso.pipeline import SPACY_MODEL


@pytest.fixture(scope="session")
def base_nlp() -> Language:
    """The bare house spaCy model, without sayso components."""
    return spacy.load(SPACY_MODEL)


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The full sayso pipeline."""
    from sayso.pipeline import load_pipeline

    return load_pipeline()

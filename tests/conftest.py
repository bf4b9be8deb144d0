"""Shared fixtures: the spaCy model is loaded once per test session."""

from __future__ import annotations

from pathlib import Path

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


@pytest.fixture()
def tiny_ptc(tmp_path: Path) -> Path:
    """A three-article data set in the layout of PTC, written for sayso's tests."""
    data = tmp_path / "ptc"
    (data / "articles").mkdir(parents=True)
    texts = {
        "1": "Peace talks\n\nThe cowardly thugs shelled the town. Talks would resume.",
        "2": "Border news\n\nThe barbaric regime lied again. The ministry said 40 trucks arrived.",
        "3": "Aid update\n\nThe brutal invaders are liars. A convoy reached the city on Monday.",
    }
    pairs = {"1": ("cowardly", "thugs"), "2": ("barbaric", "regime"), "3": ("brutal", "liars")}
    rows = []
    for aid, text in texts.items():
        (data / "articles" / f"article{aid}.txt").write_text(text, encoding="utf-8")
        for word, tech in zip(
            pairs[aid], ("Loaded_Language", "Name_Calling,Labeling"), strict=True
        ):
            start = text.index(word)
            rows.append(f"{aid}\t{tech}\t{start}\t{start + len(word)}")
    (data / "technique-spans.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return data

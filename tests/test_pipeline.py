"""Long articles are parsed in chunks: nothing may be lost, shifted or split."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from sayso import pipeline
from sayso.build import build_record

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "missile-transfer.md"


def test_chunks_concatenate_to_the_text() -> None:
    text = EXAMPLE.read_text(encoding="utf-8") * 3
    for size in (50, 500, 5000):
        chunks = pipeline.split_chunks(text, size=size)
        assert "".join(chunks) == text
        assert all(len(c) <= size for c in chunks)


def test_chunked_analysis_equals_whole_analysis(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").split("---", 2)[2]
    whole = build_record(pipeline.run_pipeline(nlp, text))
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 600)
    assert len(pipeline.split_chunks(text, pipeline.CHUNK_CHARS)) > 3
    chunked = build_record(pipeline.run_pipeline(nlp, text))
    assert chunked.text == text
    key = [(s.speaker.name, s.cue.span, s.content.span, s.stance) for s in whole.statements]
    assert [
        (s.speaker.name, s.cue.span, s.content.span, s.stance) for s in chunked.statements
    ] == key
    assert [e.name for e in chunked.entities] == [e.name for e in whole.entities]

"""The record: versioned, with a JSON Schema shipped in the package that matches the models."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema

import sayso
from sayso.record import SCHEMA_VERSION, ArticleAnalysis, json_schema


def shipped_schema() -> dict[str, object]:
    path = resources.files("sayso").joinpath("data", "article-analysis.schema.json")
    return json.loads(path.read_text(encoding="utf-8"))


def test_shipped_schema_is_up_to_date() -> None:
    # Regenerate with: sayso schema > sayso/data/article-analysis.schema.json
    assert shipped_schema() == json_schema()


def test_records_validate_against_the_shipped_schema() -> None:
    record = sayso.analyze(
        'The foreign ministry said on Friday that "at least 40 civilians" were evacuated.',
        published="2026-04-06",
    )
    data = json.loads(record.model_dump_json())
    jsonschema.validate(data, shipped_schema())
    assert data["schema_version"] == SCHEMA_VERSION
    assert ArticleAnalysis.model_validate(data) == record


def test_every_span_is_checkable_against_the_text() -> None:
    record = sayso.analyze(
        "Kremlin spokesman Dmitry Peskov said 3,000 troops had left Belarus on Tuesday.",
        published="2026-04-09",
    )
    for st in record.statements:
        for part in (st.cue, st.content):
            assert record.quote(part.span) == part.text
        assert st.speaker.span is not None
    for q in record.quantities:
        assert record.quote(q.span) == q.text
    for e in record.entities:
        assert all(record.quote(m) for m in e.mentions)


def test_rhetoric_in_a_quote_is_the_speakers_not_the_authors() -> None:
    record = sayso.analyze(
        '"These cowardly bandits are murderers," the defence minister said on Monday. '
        "The cowardly and shameful silence of the West must end now."
    )
    quoted = [r for r in record.rhetoric if r.span[0] < record.text.index(" the defence")]
    own = [r for r in record.rhetoric if r.span[0] > record.text.index("Monday")]
    assert quoted and all(r.statement == "s1" for r in quoted)
    assert own and all(r.statement is None for r in own)


def test_analyze_takes_a_long_one_line_text_as_text_not_a_path() -> None:
    text = "The ministry said the convoy had reached the city before dawn on Monday. " * 5
    record = sayso.analyze(text.strip())
    assert record.statements and record.text == text.strip()

"""Read the PTC corpus (SemEval-2020 Task 11 layout) and parse it with spaCy.

Layout: ``articles/article<ID>.txt`` (first line title, offsets count from the file start),
``technique-spans.tsv`` (id, technique, start, end), ``propaganda-spans.tsv`` (id, start, end).
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin


@dataclass
class Article:
    """One PTC article with its gold spans (character offsets into ``text``)."""

    id: str
    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)  # merged propaganda spans
    techniques: list[tuple[str, int, int]] = field(default_factory=list)


def ptc_dir(data_dir: Path) -> Path:
    """Accept either the shared data root or its ``ptc/`` folder."""
    return data_dir / "ptc" if (data_dir / "ptc" / "articles").is_dir() else data_dir


def load_articles(data_dir: Path, ids: Iterable[str] | None = None) -> list[Article]:
    """Load PTC articles (all, or the given ids) with their gold spans, sorted by id."""
    root = ptc_dir(data_dir)
    wanted = set(ids) if ids is not None else None
    arts: dict[str, Article] = {}
    for path in sorted((root / "articles").glob("article*.txt")):
        aid = path.stem.removeprefix("article")
        if wanted is not None and aid not in wanted:
            continue
        text = path.read_bytes().decode("utf-8")
        arts[aid] = Article(aid, text)
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    techs: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    merged = root / "propaganda-spans.tsv"
    if merged.exists():
        for row in _tsv(merged):
            spans[row[0]].append((int(row[1]), int(row[2])))
    labelled = root / "technique-spans.tsv"
    if labelled.exists():
        for row in _tsv(labelled):
            techs[row[0]].append((row[1], int(row[2]), int(row[3])))
    for aid, art in arts.items():
        art.techniques = sorted(techs.get(aid, []), key=lambda t: (t[1], t[2], t[0]))
        art.spans = sorted(spans.get(aid, [])) or merge_spans(
            [(s, e) for _, s, e in art.techniques]
        )
    return [arts[k] for k in sorted(arts)]


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping character spans.

    >>> merge_spans([(0, 5), (3, 8), (10, 12)])
    [(0, 8), (10, 12)]
    """
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.reader(fh, delimiter="\t") if len(row) >= 3]


def parse_articles(
    nlp: Language, articles: list[Article], cache_dir: Path | None = None
) -> list[Doc]:
    """Parse articles with ``nlp`` (optionally cached as a DocBin keyed on the texts)."""
    cache: Path | None = None
    if cache_dir is not None:
        key = hashlib.sha1(
            ("|".join(a.id + str(len(a.text)) for a in articles) + nlp.meta["name"]).encode()
        ).hexdigest()[:16]
        cache = cache_dir / f"ptc-{key}.spacy"
        if cache.exists():
            return list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    docs = list(nlp.pipe((a.text for a in articles), batch_size=16))
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        DocBin(store_user_data=False, docs=docs).to_disk(cache)
    return docs

"""Read attribution annotations in brat standoff format (the PolNeAR layout).

A data directory holds ``text/NAME.txt`` and ``attributions/NAME_<annotator>.ann``. In the
``.ann`` files, ``T`` lines are spans (``T3<TAB>Content 10 20;25 40<TAB>text``) and ``E``
lines tie one cue, one content and optionally one source into an attribution
(``E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1``; the trigger is
``Attribution-no-source`` when there is no source).

Decisions, so that scores are reproducible:

- When an article has several annotators' files, only the first in sorted order is read.
- A role may be discontinuous (``10 20;25 40``) and PolNeAR sometimes adds a second content
  (``Content2:T38``). Each role keeps its list of fragments (:attr:`GoldAttribution.fragments`);
  the role's span is the *covering* span, from the first fragment's start to the last
  fragment's end, which is what a single-span predictor can match exactly.
- Offsets are Python string indices into the text read as UTF-8 with newlines untouched.
- ``Discard``/``Discuss`` spans and ``AnnotatorNotes`` are ignored, as are lines that are
  continuations of a span's text containing a newline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

Span = tuple[int, int]

#: The roles an attribution has, and the brat argument names read into each.
ROLES = ("source", "cue", "content")
_ARG_ROLE = {"Source": "source", "Cue": "cue", "Content": "content", "Content2": "content"}

_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t?")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")


@dataclass
class GoldAttribution:
    """One annotated attribution: character spans of source, cue and content.

    Each role is the covering span of its fragments, or None when the role is absent.
    """

    source: Span | None
    cue: Span | None
    content: Span | None
    source_text: str = ""
    cue_text: str = ""
    content_text: str = ""
    fragments: dict[str, list[Span]] = field(default_factory=dict)
    id: str = ""
    cue_lemma: str | None = None

    def role(self, name: str) -> Span | None:
        """The covering span of role ``name`` (``source``, ``cue`` or ``content``)."""
        value: Span | None = getattr(self, name)
        return value


@dataclass
class GoldDocument:
    """One article with its gold attributions."""

    name: str
    text: str
    attributions: list[GoldAttribution] = field(default_factory=list)
    annotator: str = ""


def parse_ann(ann: str, text: str) -> list[GoldAttribution]:
    """Parse the contents of one brat ``.ann`` file into attributions, in ``E`` order.

    >>> text = "Kyiv said the bridge was hit."
    >>> ann = "T1\\tSource 0 4\\tKyiv\\nT2\\tCue 5 9\\tsaid\\n"
    >>> ann += "T3\\tContent 10 28\\tthe bridge was hit\\n"
    >>> ann += "E1\\tAttribution:T2 Content:T3 Cue:T2 Source:T1\\n"
    >>> [(a.source_text, a.cue_text, a.content_text) for a in parse_ann(ann, text)]
    [('Kyiv', 'said', 'the bridge was hit')]
    """
    spans: dict[str, list[Span]] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for line in ann.splitlines():
        t = _T_LINE.match(line)
        if t:
            fragments = []
            for part in t.group(3).split(";"):
                bounds = part.split()
                if len(bounds) == 2:
                    fragments.append((int(bounds[0]), int(bounds[1])))
            if fragments:
                spans[t.group(1)] = sorted(fragments)
            continue
        e = _E_LINE.match(line)
        if e:
            args = []
            for arg in e.group(2).split():
                key, _, ref = arg.partition(":")
                args.append((key, ref))
            events.append((e.group(1), args))
    result: list[GoldAttribution] = []
    for event_id, args in events:
        fragments_by_role: dict[str, list[Span]] = {}
        for key, ref in args:
            role = _ARG_ROLE.get(key)
            if role is None or ref not in spans:
                continue
            fragments_by_role.setdefault(role, []).extend(spans[ref])
        covering: dict[str, Span | None] = {}
        for role in ROLES:
            frags = sorted(fragments_by_role.get(role, []))
            fragments_by_role[role] = frags
            covering[role] = (frags[0][0], max(e for _, e in frags)) if frags else None
        result.append(
            GoldAttribution(
                source=covering["source"],
                cue=covering["cue"],
                content=covering["content"],
                source_text=_text(text, covering["source"]),
                cue_text=_text(text, covering["cue"]),
                content_text=_text(text, covering["content"]),
                fragments={r: f for r, f in fragments_by_role.items() if f},
                id=event_id,
            )
        )
    return result


def _text(text: str, span: Span | None) -> str:
    return text[span[0] : span[1]] if span else ""


def read_text(path: Path) -> str:
    """Read an article as UTF-8 without translating newlines (so offsets stay valid)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def ann_files(directory: Path) -> dict[str, Path]:
    """Map each article name to its first annotation file in sorted order."""
    chosen: dict[str, Path] = {}
    for path in sorted((directory / "attributions").glob("*.ann")):
        name = path.stem.rsplit("_", 1)[0]
        chosen.setdefault(name, path)
    return chosen


def read_gold(directory: Path, limit: int | None = None) -> list[GoldDocument]:
    """Read every article of a brat directory (``text/`` and ``attributions/``), sorted by name.

    Articles without a text file are skipped; ``limit`` keeps the first ``limit`` articles.
    """
    directory = Path(directory)
    docs: list[GoldDocument] = []
    for name, ann_path in sorted(ann_files(directory).items()):
        text_path = directory / "text" / f"{name}.txt"
        if not text_path.exists():
            continue
        text = read_text(text_path)
        attributions = parse_ann(read_text(ann_path), text)
        annotator = ann_path.stem.rsplit("_", 1)[1] if "_" in ann_path.stem else ""
        docs.append(GoldDocument(name, text, attributions, annotator))
        if limit is not None and len(docs) >= limit:
            break
    return docs

"""Statistics of PolNeAR attributions, and the score of a simple baseline, as Markdown.

Usage::

    .venv/bin/python scripts/polnear_stats.py [DATA_DIR] [--out docs/polnear-stats.md]

DATA_DIR is the shared data directory (default ``../shared/data`` relative to the repo root);
statistics are computed on ``polnear/train`` and the baseline is scored on ``polnear/dev``.
No article text is written out: only cue lemmas, counts and shares.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sayso.evaluate.attribution import (
    PredictedAttribution,
    cue_lemma,
    score,
    speech_verbs,
)
from sayso.evaluate.brat import GoldDocument, read_gold
from sayso.pipeline import SPACY_MODEL

REPO = Path(__file__).resolve().parent.parent
QUOTES = '"“”«»„'
OPENING = '"“«„'


def _root(doc: Doc, span: tuple[int, int]) -> Token | None:
    part = doc.char_span(span[0], span[1], alignment_mode="expand")
    if part is None or len(part) == 0:
        return None
    return part.root


def _is_quoted(text: str, span: tuple[int, int]) -> bool:
    """Content begins with an opening quote mark (after spaces) or directly follows one."""
    start, end = span
    inner = text[start:end].lstrip()
    if inner[:1] in QUOTES:
        return True
    before = text[max(0, start - 2) : start].rstrip()
    return before[-1:] in OPENING


def train_stats(docs: list[GoldDocument], parsed: list[Doc]) -> dict[str, Any]:
    """Counts and shares over gold attributions (cue lemmas from the parsed documents)."""
    verbs = speech_verbs()
    lemmas: Counter[str] = Counter()
    c: Counter[str] = Counter()
    content_lengths: list[int] = []
    for gold, doc in zip(docs, parsed, strict=True):
        for a in gold.attributions:
            c["attributions"] += 1
            if a.cue is not None:
                lemma = cue_lemma(doc, a.cue)
                lemmas[lemma] += 1
                c["with_cue"] += 1
                c["speech"] += lemma in verbs
                c["multiword_cue"] += len(a.cue_text.split()) > 1
            if a.source is None:
                c["no_source"] += 1
            else:
                c["with_source"] += 1
                root = _root(doc, a.source)
                c["pronoun_source"] += root is not None and root.pos_ == "PRON"
            if a.content is not None:
                c["with_content"] += 1
                content_lengths.append(sum(e - s for s, e in a.fragments["content"]))
                c["discontinuous_content"] += len(a.fragments["content"]) > 1
                c["quoted_content"] += _is_quoted(gold.text, a.content)
                c["quote_mark_in_content"] += any(q in a.content_text for q in QUOTES)
                if a.cue is not None:
                    if a.content[0] < a.cue[0]:
                        c["content_before_cue"] += 1
                    else:
                        c["content_after_cue"] += 1
                    c["cue_inside_content"] += a.content[0] < a.cue[0] < a.content[1]
    return {
        "counts": c,
        "lemmas": lemmas,
        "content_mean": statistics.fmean(content_lengths) if content_lengths else 0.0,
        "content_median": statistics.median(content_lengths) if content_lengths else 0.0,
        "documents": len(docs),
    }


def _subtree_span(token: Token) -> Span:
    doc = token.doc
    return doc[token.left_edge.i : token.right_edge.i + 1]


def baseline_predict(doc: Doc) -> list[PredictedAttribution]:
    """A floor: every speech verb with a subject; content = its clausal complement or object,
    else the rest of the sentence after the verb."""
    verbs = speech_verbs()
    result: list[PredictedAttribution] = []
    for token in doc:
        if token.pos_ != "VERB" or token.lemma_.lower() not in verbs:
            continue
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects:
            continue
        complements = [c for c in token.children if c.dep_ in ("ccomp", "xcomp", "dobj")]
        if complements:
            content = _subtree_span(complements[0])
        else:
            sent = token.sent
            if token.i + 1 >= sent.end:
                continue
            content = doc[token.i + 1 : sent.end]
        source = _subtree_span(subjects[0])
        result.append(
            PredictedAttribution(
                (source.start_char, source.end_char),
                (token.idx, token.idx + len(token)),
                (content.start_char, content.end_char),
                token.lemma_.lower(),
            )
        )
    return result


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def render(stats: dict[str, Any], baseline: dict[str, Any] | None) -> str:
    c: Counter[str] = stats["counts"]
    verbs = speech_verbs()
    lines = [
        "# PolNeAR statistics",
        "",
        "Produced by `scripts/polnear_stats.py` (do not edit by hand). Cue lemmas are the",
        "lemma of the cue's head verb (`sayso.evaluate.attribution.cue_head`, spaCy",
        f"`{SPACY_MODEL}`); speech verbs are `sayso/data/speech_verbs.txt`. Gold is the first",
        "annotator's file per article. No article text is reproduced here.",
        "",
        f"## polnear/train ({stats['documents']} articles, {c['attributions']} attributions)",
        "",
        "| measure | value |",
        "|---|---|",
        f"| cue is a speech verb | {_pct(c['speech'], c['with_cue'])} ({c['speech']}) |",
        f"| multiword cue | {_pct(c['multiword_cue'], c['with_cue'])} |",
        f"| no source | {_pct(c['no_source'], c['attributions'])} ({c['no_source']}) |",
        f"| source is a pronoun (of sourced) | {_pct(c['pronoun_source'], c['with_source'])} |",
        f"| content starts before the cue | {_pct(c['content_before_cue'], c['with_content'])} |",
        f"| content starts after the cue | {_pct(c['content_after_cue'], c['with_content'])} |",
        f"| cue inside the content's covering span | "
        f"{_pct(c['cue_inside_content'], c['with_content'])} |",
        f"| content opens with / follows a quotation mark | "
        f"{_pct(c['quoted_content'], c['with_content'])} |",
        f"| content contains a quotation mark | "
        f"{_pct(c['quote_mark_in_content'], c['with_content'])} |",
        f"| content in several fragments | {_pct(c['discontinuous_content'], c['with_content'])} |",
        f"| content length, mean / median chars | "
        f"{stats['content_mean']:.0f} / {stats['content_median']:.0f} |",
        "",
        "### Top 80 cue lemmas",
        "",
        "| # | lemma | count | share | speech verb |",
        "|---|---|---|---|---|",
    ]
    for i, (lemma, n) in enumerate(stats["lemmas"].most_common(80), 1):
        mark = "yes" if lemma in verbs else ""
        lines.append(f"| {i} | `{lemma}` | {n} | {_pct(n, c['with_cue'])} | {mark} |")
    if baseline is not None:
        lines += [
            "",
            f"## Floor: a dependency baseline on polnear/dev ({baseline['documents']} articles)",
            "",
            "Every speech verb (our list) with a subject is a cue; source = the subject's",
            "subtree; content = its clausal complement or object, else the rest of the",
            "sentence (`baseline_predict` in the script). sayso should beat this.",
            "",
            "| metric | all | speech-verb subset |",
            "|---|---|---|",
        ]
        keys = [k for k in baseline["all"] if not k.endswith(("_gold", "_pred"))]
        for key in keys:
            lines.append(f"| {key} | {baseline['all'][key]} | {baseline['speech_verb'][key]} |")
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Compute the statistics and write the Markdown report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "polnear-stats.md")
    parser.add_argument("--limit", type=int, default=None, help="articles per split")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    nlp: Language = spacy.load(SPACY_MODEL, exclude=["ner"])
    nlp.max_length = 5_000_000
    train = read_gold(args.data / "polnear" / "train", limit=args.limit)
    parsed = list(nlp.pipe([d.text for d in train], batch_size=16))
    stats = train_stats(train, parsed)
    baseline = None
    if not args.no_baseline:
        dev = read_gold(args.data / "polnear" / "dev", limit=args.limit)
        dev_docs = dict(zip((d.name for d in dev), nlp.pipe([d.text for d in dev]), strict=True))
        predictions = {name: baseline_predict(doc) for name, doc in dev_docs.items()}
        baseline = {"documents": len(dev), **score(dev, predictions, dev_docs)}
    text = render(stats, baseline)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"(computed in {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()

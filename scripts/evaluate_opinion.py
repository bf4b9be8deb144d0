"""Score sayso's sentence-level reporting/opinion labels on labelled TSV files.

Usage::

    .venv/bin/python scripts/evaluate_opinion.py [FILE ...] [--errors] [--fit OUT.json]

Each FILE has a header line and rows ``label<TAB>sentence`` (label ``reporting`` or
``opinion``); default: ``tests/fixtures/opinion_sentences.tsv``. Sentences are grouped into
pseudo-articles of ``--group`` sentences, one sentence per paragraph, and run through the
full pipeline (:func:`sayso.analyze`); a sentence's label is that of the paragraph segment
covering it (the roll-up of its sentence segments). Prints accuracy and precision/recall/F1
for ``opinion`` per file, then one JSON object (all files) as the last line.

``--fit OUT.json`` instead fits the cue weights of :mod:`sayso.rhetoric.opinion` by
L2-regularised logistic regression on the FILEs (use the development file only) and writes
them to ``OUT.json`` (normally ``sayso/data/opinion_weights.json``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO / "tests" / "fixtures" / "opinion_sentences.tsv"


def read_tsv(path: Path) -> list[tuple[str, str]]:
    """(label, sentence) rows of a labelled file."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    out = []
    for row in rows[1:]:
        if len(row) != 2 or row[0] not in {"reporting", "opinion"}:
            raise SystemExit(f"{path}: bad row {row!r}")
        out.append((row[0], row[1].strip()))
    return out


def _groups(rows: list[tuple[str, str]], size: int) -> list[list[tuple[str, str]]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def _article(group: list[tuple[str, str]]) -> tuple[str, list[tuple[int, int]]]:
    text = ""
    spans = []
    for _, sent in group:
        if text:
            text += "\n\n"
        spans.append((len(text), len(text) + len(sent)))
        text += sent
    return text, spans


def predict(rows: list[tuple[str, str]], group: int) -> list[tuple[str, float]]:
    """(label, opinion score) per sentence from the full pipeline."""
    import sayso

    out: list[tuple[str, float]] = []
    for chunk in _groups(rows, group):
        text, spans = _article(chunk)
        rec = sayso.analyze(text, published=dt.date(2026, 1, 1))
        paras = [s for s in rec.segments if s.level == "paragraph"]
        for start, end in spans:
            hit = [p for p in paras if p.span[0] < end and p.span[1] > start]
            if len(hit) != 1:
                raise SystemExit(f"no single paragraph segment for {text[start:end]!r}")
            out.append((hit[0].label, hit[0].score))
    return out


def metrics(gold: list[str], pred: list[str]) -> dict[str, float]:
    """Accuracy and precision/recall/F1 of the ``opinion`` label."""
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == "opinion")
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if g == "reporting" and p == "opinion")
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == "opinion" and p == "reporting")
    acc = sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / max(1, len(gold))
    prec = tp / max(1, tp + fp)
    rec = tp / max(1, tp + fn)
    f1 = 2 * prec * rec / max(1e-9, prec + rec)
    return {
        "n": len(gold),
        "accuracy": round(acc, 4),
        "opinion_precision": round(prec, 4),
        "opinion_recall": round(rec, 4),
        "opinion_f1": round(f1, 4),
    }


def fit(files: list[Path], out: Path, c: float, group: int) -> None:
    """Fit cue weights on ``files`` and write them to ``out``."""
    from sklearn.linear_model import LogisticRegression

    from sayso.pipeline import load_pipeline, run_pipeline
    from sayso.rhetoric.opinion import CAPS, FEATURES, sentence_cues, shared_doc_info

    nlp = load_pipeline()
    xs: list[list[float]] = []
    ys: list[int] = []
    names: list[str] = []
    for path in files:
        names.append(path.name)
        rows = read_tsv(path)
        for chunk in _groups(rows, group):
            text, spans = _article(chunk)
            doc = run_pipeline(nlp, text, dt.date(2026, 1, 1))
            cues = sentence_cues(doc, shared_doc_info(doc), doc._.sayso_rhetoric or [])
            for (label, _), (start, end) in zip(chunk, spans, strict=True):
                inside = [s for s in cues if start <= s.span.start_char < end]
                weight = sum(len(s.span) for s in inside)
                row = [
                    sum(min(s.cues.get(f, 0.0), CAPS.get(f, 1.0)) * len(s.span) for s in inside)
                    / weight
                    for f in FEATURES
                ]
                xs.append(row)
                ys.append(1 if label == "opinion" else 0)
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    model = LogisticRegression(C=c, max_iter=5000)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    cv = cross_val_score(model, xs, ys, cv=folds, scoring="accuracy")
    print(f"5-fold CV accuracy on the fitting data: {cv.mean():.3f} (+/- {cv.std():.3f})")
    model.fit(xs, ys)
    weights = {"bias": round(float(model.intercept_[0]), 3)}
    for f, w in zip(FEATURES, model.coef_[0], strict=True):
        weights[f] = round(float(w), 3)
    payload = {
        "_about": (
            "Log-odds weights of the reporting/opinion cues in sayso/rhetoric/opinion.py, "
            "fitted by scripts/evaluate_opinion.py --fit (scikit-learn LogisticRegression, "
            f"L2, C={c}; 5-fold CV accuracy {cv.mean():.3f}) on {', '.join(names)} only "
            f"({len(ys)} sentences written for sayso). "
            "The held-out file was not used."
        ),
        "weights": weights,
    }
    out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(weights, indent=1))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path, default=[DEFAULT])
    ap.add_argument("--group", type=int, default=10, help="sentences per pseudo-article")
    ap.add_argument("--errors", action="store_true", help="print misclassified sentences")
    ap.add_argument("--fit", type=Path, help="fit weights on FILES and write them here")
    ap.add_argument("--C", type=float, default=1.0, help="inverse L2 strength for --fit")
    args = ap.parse_args(argv)
    if args.fit:
        fit(args.files, args.fit, args.C, args.group)
        return 0
    result: dict[str, Any] = {}
    all_gold: list[str] = []
    all_pred: list[str] = []
    t0 = time.perf_counter()
    for path in args.files:
        rows = read_tsv(path)
        pred = predict(rows, args.group)
        gold = [g for g, _ in rows]
        labels = [p for p, _ in pred]
        m = metrics(gold, labels)
        result[path.name] = m
        all_gold += gold
        all_pred += labels
        print(
            f"{path.name}: n={m['n']} accuracy={m['accuracy']:.3f} "
            f"opinion P={m['opinion_precision']:.3f} R={m['opinion_recall']:.3f} "
            f"F1={m['opinion_f1']:.3f}"
        )
        if args.errors:
            for (g, s), (p, sc) in zip(rows, pred, strict=True):
                if g != p:
                    print(f"  gold={g:9s} score={sc:.2f}  {s}")
    if len(args.files) > 1:
        result["all"] = metrics(all_gold, all_pred)
    result["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())

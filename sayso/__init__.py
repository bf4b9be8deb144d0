"""sayso: on whose say-so does each claim in an article rest?

>>> import sayso
>>> record = sayso.analyze("The ministry denied the report, a spokesman said.")
>>> record.schema_version
'1.1'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["ArticleAnalysis", "Corpus", "__version__", "analyze", "analyze_article"]

if TYPE_CHECKING:
    from sayso.api import analyze, analyze_article
    from sayso.corpus import Corpus
    from sayso.record import ArticleAnalysis


def __getattr__(name: str) -> Any:
    # Lazy: spaCy imports sayso's component modules through entry points on every
    # `spacy.load`, so the package root must not pull in the whole API eagerly.
    if name in ("analyze", "analyze_article"):
        from sayso import api

        return getattr(api, name)
    if name == "ArticleAnalysis":
        from sayso.record import ArticleAnalysis

        return ArticleAnalysis
    if name == "Corpus":
        from sayso.corpus import Corpus

        return Corpus
    raise AttributeError(f"module 'sayso' has no attribute {name!r}")

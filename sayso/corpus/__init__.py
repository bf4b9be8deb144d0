"""The corpus: many analysed articles in one embedded DuckDB file, claims linked across them.

>>> from sayso.corpus import Corpus
>>> Corpus.__name__
'Corpus'
"""

from __future__ import annotations

from sayso.corpus.api import Corpus

__all__ = ["Corpus"]

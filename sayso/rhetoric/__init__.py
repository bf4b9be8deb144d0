"""Persuasion techniques (SemEval-2020 Task 11) and reporting-vs-opinion for sayso.

- :func:`sayso.rhetoric.lexicons.load_techniques`: the 14 labels with definitions.
- :func:`sayso.rhetoric.train.train_rhetoric`: train the CRF + classifier on PTC data.
- :class:`sayso.rhetoric.model.RhetoricModel`: the shipped model.
- :mod:`sayso.rhetoric.rules`: repetition and shape patterns; :mod:`sayso.rhetoric.opinion`:
  sentence/paragraph opinion scores and genre.
"""

from __future__ import annotations

from sayso.rhetoric.lexicons import load_techniques

__all__ = ["load_techniques"]

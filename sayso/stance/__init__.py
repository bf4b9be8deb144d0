"""Stance and commitment of statements toward what they report (rules over a data lexicon)."""

from sayso.stance.classify import StanceResult, classify_stance, refers_back

__all__ = ["StanceResult", "classify_stance", "refers_back"]

"""Entity helpers: the gazetteer of countries and organisations, and name normalisation."""

from sayso.entities.gazetteer import Gazetteer, GazetteerEntry, load_gazetteer, normalize_name

__all__ = ["Gazetteer", "GazetteerEntry", "load_gazetteer", "normalize_name"]

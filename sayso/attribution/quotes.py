"""Quotation regions: where direct speech starts and ends in a text.

News quotes run over several sentences and, by convention, a quote that continues into the
next paragraph re-opens there without closing the first; so a paragraph break closes any
open quote.

>>> text = 'He said: “We are ready. We will win.” Then he left.'
>>> [text[s:e] for s, e in quote_regions(text)]
['“We are ready. We will win.”']
>>> text = "''It is not reform,'' she said. ''It is tinkering.''"
>>> [text[s:e] for s, e in quote_regions(text)]
["''It is not reform,''", "''It is tinkering.''"]
"""

from __future__ import annotations

import bisect
import re

# Two apostrophes stand for a double quote in some archives and feeds (''Yes,'' he said),
# two backticks open one (``Yes,'' he said).
_QUOTE_OR_BREAK = re.compile(r"``|''|[“”\"«»„]|\n\s*\n")
_OPENERS = frozenset({"“", "«", "„", "``"})
_CLOSERS = frozenset("”»")


def quote_regions(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` offsets of quoted passages, quote marks included."""
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    for m in _QUOTE_OR_BREAK.finditer(text):
        ch = m.group()
        if ch[0] in "\n\r \t":  # paragraph break
            if open_at is not None:
                regions.append((open_at, m.start()))
                open_at = None
        elif ch in _OPENERS:
            open_at = m.start()
        elif ch in _CLOSERS:
            if open_at is not None:
                regions.append((open_at, m.end()))
                open_at = None
        elif open_at is None:  # straight quote toggles
            open_at = m.start()
        else:
            regions.append((open_at, m.end()))
            open_at = None
    if open_at is not None:
        regions.append((open_at, len(text)))
    return regions


class QuoteIndex:
    """Fast look-ups over the quote regions of one text."""

    def __init__(self, text: str) -> None:
        self.regions = quote_regions(text)
        self._starts = [s for s, _ in self.regions]

    def containing(self, start: int, end: int) -> tuple[int, int] | None:
        """The region that strictly contains ``[start, end)``, if any."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i >= 0:
            s, e = self.regions[i]
            if s < start and end <= e:
                return (s, e)
        return None

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """Regions that overlap ``[start, end)``."""
        i = max(bisect.bisect_right(self._starts, start) - 1, 0)
        out = []
        for s, e in self.regions[i:]:
            if s >= end:
                break
            if e > start:
                out.append((s, e))
        return out

    def quoted_share(self, start: int, end: int) -> float:
        """Share of ``[start, end)`` that lies inside quotation marks."""
        if end <= start:
            return 0.0
        inside = sum(min(e, end) - max(s, start) for s, e in self.overlapping(start, end))
        return inside / (end - start)

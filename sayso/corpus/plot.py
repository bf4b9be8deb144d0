"""A corpus claim's timeline as a chart: who took which stance, when.

x is the date, one row per holder (in order of their first stance, the first at the top);
each stance is a marker coloured by its label (:data:`sayso.record.STANCE_LABELS`). The
first stance on the claim is ringed, each change of line (:class:`queries.LineChange`) is an
arrow from the holder's previous stance to the new one, and the credibility estimate
(``timeline.p_true``, when known) is in the top-right corner. Undated stances are drawn after
a dashed line at the right, in timeline order.

Drawn with matplotlib's object API on the Agg canvas: no display, no pyplot state, and the
same timeline gives the same bytes (no dates in the metadata, a fixed SVG hash salt).

>>> import datetime as dt
>>> from sayso.corpus.queries import ClaimTimeline, TimelineEntry
>>> e = TimelineEntry(dt.date(2026, 3, 2), "Ilse Varga", "ilse varga", "denies", -3, "no",
...                   "a1", None, None, None, None, (0, 2))
>>> png = render_timeline(ClaimTimeline(1, "a claim", [e], e, []))
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import io
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

from sayso.corpus import queries
from sayso.errors import SaysoError
from sayso.record import STANCE_LABELS

#: Output formats :func:`render_timeline` writes.
FORMATS = ("png", "svg")

#: One colour per stance label (colour-blind-safe Okabe-Ito order, then grey).
STANCE_COLOURS: dict[str, str] = {
    "asserts": "#009E73",
    "hedges": "#56B4E9",
    "denies": "#D55E00",
    "doubts": "#E69F00",
    "cannot_confirm": "#999999",
    "conditional": "#CC79A7",
    "questions": "#0072B2",
}
_OTHER_COLOUR = "#000000"

#: Most holder rows drawn; the rest are counted in a note.
MAX_HOLDERS = 40

_RC: dict[Any, Any] = {
    "svg.hashsalt": "sayso-timeline",  # fixed ids in the SVG, so output is reproducible
    "svg.fonttype": "path",  # glyphs as paths: no font needed where the SVG is viewed
    "font.family": "DejaVu Sans",  # bundled with matplotlib: the same everywhere
    "font.size": 9,
}


def render_timeline(timeline: queries.ClaimTimeline, fmt: str = "png") -> bytes:
    """The claim's timeline chart as ``png`` or ``svg`` bytes (see the module docstring)."""
    import matplotlib

    if fmt not in FORMATS:
        raise SaysoError(f"unknown chart format {fmt!r} (png or svg)")
    with matplotlib.rc_context(_RC):
        fig = _draw(timeline)
        out = io.BytesIO()
        metadata: dict[str, Any] = (
            {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        )
        fig.savefig(out, format=fmt, metadata=metadata, dpi=100)
    return out.getvalue()


def _labels(entries: list[queries.TimelineEntry]) -> tuple[list[str], dict[str, str]]:
    """Holder keys in order of first stance, and the name each is shown by (its commonest)."""
    order: list[str] = []
    names: dict[str, Counter[str]] = {}
    for e in entries:
        if e.holder_key not in names:
            order.append(e.holder_key)
            names[e.holder_key] = Counter()
        names[e.holder_key][e.holder] += 1
    shown = {k: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for k, c in names.items()}
    return order, shown


def _positions(entries: list[queries.TimelineEntry]) -> tuple[list[float], float | None]:
    """An x per entry (matplotlib date numbers) and where the undated part starts, if any."""
    from matplotlib.dates import date2num

    dated = [date2num(e.date) for e in entries if e.date is not None]
    if not dated:
        return [float(i) for i in range(len(entries))], None
    first, last = min(dated), max(dated)
    step = max((last - first) / 12, 1.0)
    xs: list[float] = []
    undated = 0
    for e in entries:
        if e.date is not None:
            xs.append(float(date2num(e.date)))
        else:
            undated += 1
            xs.append(last + step * (1 + undated))
    return xs, (last + step if undated else None)


def _draw(timeline: queries.ClaimTimeline) -> Any:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    entries = timeline.entries
    order, shown = _labels(entries)
    hidden = max(len(order) - MAX_HOLDERS, 0)
    order = order[:MAX_HOLDERS]
    row = {key: i for i, key in enumerate(order)}
    height = 1.9 + 0.32 * max(len(order), 1)
    fig = Figure(figsize=(10, height), layout="constrained")
    ax = fig.add_subplot()
    title = "\n".join(textwrap.wrap(f"Claim {timeline.id}: {timeline.text}", 95)[:2])
    ax.set_title(title, loc="left", fontsize=10)
    credibility = (
        f"credibility p(true) = {timeline.p_true:.2f}"
        if timeline.p_true is not None
        else "credibility: not estimated"
    )
    ax.text(1.0, 1.01, credibility, transform=ax.transAxes, ha="right", va="bottom")
    if not entries:
        ax.text(0.5, 0.5, "no stances recorded", transform=ax.transAxes, ha="center")
        ax.set_axis_off()
        return fig
    xs, undated_from = _positions(entries)
    point: dict[int, tuple[float, int]] = {}
    for i, (e, x) in enumerate(zip(entries, xs, strict=True)):
        if e.holder_key in row:
            point[i] = (x, row[e.holder_key])
    index = {id(e): i for i, e in enumerate(entries)}
    for i, (x, y) in point.items():
        colour = STANCE_COLOURS.get(entries[i].stance, _OTHER_COLOUR)
        ax.scatter([x], [y], s=70, c=colour, edgecolors="white", linewidths=0.8, zorder=3)
    first = index.get(id(timeline.first)) if timeline.first is not None else None
    if first is not None and first in point:
        ax.scatter(*point[first], s=260, facecolors="none", edgecolors="black", zorder=4)
        ax.annotate(
            "first seen",
            point[first],
            xytext=(0, 11),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
    for change in timeline.changes:
        a, b = index.get(id(change.before)), index.get(id(change.after))
        if a in point and b in point and a is not None and b is not None:
            ax.annotate(
                "",
                xy=point[b],
                xytext=point[a],
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": "#444444",
                    "lw": 1.2,
                    "shrinkA": 6,
                    "shrinkB": 6,
                    "connectionstyle": "arc3,rad=-0.3",
                },
                zorder=2,
            )
    ax.set_yticks(range(len(order)), [shown[k] for k in order])
    ax.set_ylim(len(order) - 0.5, -0.8)
    ax.grid(axis="y", color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)
    if undated_from is None and all(e.date is None for e in entries):
        ax.set_xticks([])
        ax.set_xlabel("undated stances, in timeline order")
    else:
        locator = AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        lo, hi = min(xs), max(xs)
        pad = max((hi - lo) * 0.05, 1.0)
        ax.set_xlim(lo - pad, hi + pad)
        if undated_from is not None:
            # No date ticks past the line: the undated stances have no date.
            ax.set_xticks([t for t in locator() if t < undated_from])
            ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
            ax.axvline(undated_from, color="#888888", ls="--", lw=0.8)
            ax.text(undated_from, -0.75, " undated", va="top", fontsize=8, color="#555555")
    present = [s for s in STANCE_LABELS if any(e.stance == s for e in entries)]
    handles = [
        Line2D([], [], ls="", marker="o", color=STANCE_COLOURS[s], label=s.replace("_", " "))
        for s in present
    ]
    handles.append(
        Line2D([], [], ls="", marker="o", mfc="none", mec="black", ms=11, label="first seen")
    )
    if timeline.changes:
        handles.append(Line2D([], [], color="#444444", marker=">", label="change of line"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    if hidden:
        ax.text(0.0, -0.12, f"{hidden} more holders not shown", transform=ax.transAxes, fontsize=8)
    return fig


def chart_format(path: str) -> str:
    """The chart format a file name asks for, by its suffix (a one-line error otherwise).

    >>> chart_format("out.SVG"), chart_format("claim.png")
    ('svg', 'png')
    >>> chart_format("out.pdf")
    Traceback (most recent call last):
    ...
    sayso.errors.SaysoError: cannot draw the chart as out.pdf: the name must end in .png or .svg
    """
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if suffix not in FORMATS:
        raise SaysoError(f"cannot draw the chart as {path}: the name must end in .png or .svg")
    return suffix


def write_timeline(timeline: queries.ClaimTimeline, path: str | Path) -> str:
    """Draw the timeline into ``path`` (format from its suffix); returns the format.

    An unwritable path is a one-line :class:`SaysoError`.
    """
    target = Path(path)
    fmt = chart_format(str(target))
    data = render_timeline(timeline, fmt)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise SaysoError(f"cannot write {target}: {exc.strerror or type(exc).__name__}") from None
    return fmt

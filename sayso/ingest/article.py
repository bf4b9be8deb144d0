"""The ingested article: clean text plus the metadata the analysis needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Article:
    """Plain article text ready for analysis, with what is known about it.

    >>> Article(text="Officials said so.", title="T").title
    'T'
    """

    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: dt.date | None = None
    source: str | None = None  # site name, file path, or "-" for stdin
    url: str | None = None
    #: The outlet's name as the input itself declares it (a Markdown front matter
    #: ``source``/``site``, an HTML page's site name); kept when ``source`` becomes the path.
    outlet: str | None = None

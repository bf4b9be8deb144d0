"""Generate short invented war/diplomacy news articles from templates, as JSON Lines.

    python benchmarks/generate_corpus.py --articles 2000 --out corpus.jsonl [--seed 7]

Each line is ``{"text", "title", "published", "source", "url"}``, the JSON Lines input of
``sayso ingest``. Articles are 80-150 words: a lead sentence with a reported event, two to
four attributed reactions (asserting, denying, cannot-confirm, warning), a number or two, a
date and some background. Every text is different (places, people, numbers, dates and a
serial detail vary), so an ingest stores every one. All names, places and events are
invented; the templates are this project's own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

OUTLETS = [
    ("Harbour Post", "harbourpost.example"),
    ("Evening Ledger", "ledger.example"),
    ("Morning Courier", "courier.example"),
    ("Continental Wire", "contwire.example"),
    ("Eastern Dispatch", "eastdispatch.example"),
    ("Daskia Today", "daskiatoday.example"),
    ("Velmora Herald", "velmoraherald.example"),
    ("Frontline Monitor", "frontline.example"),
]

PLACES = [
    "Oresk",
    "Korvath",
    "Pellin",
    "Tessa",
    "Lesk",
    "Rhen",
    "Donja Belan",
    "Gornje Tarn",
    "Marrow Bay",
    "Kestin",
    "Vallo",
    "Sarn",
    "Ubrek",
    "Halden",
    "Mirov",
    "Tolna",
]
COUNTRIES = ["Daskia", "Velmora", "Ostrava Union", "Kerenia", "Lusia", "Barotia"]
GROUPS = ["the Ashkar Front", "the Northern Brigades", "the Free Tolna Movement", "the Sava Legion"]

SPEAKERS = [
    ("Anton Reshetar", "defence minister", "Daskia"),
    ("Ilse Varga", "foreign ministry spokeswoman", "Velmora"),
    ("Helena Moura", "UN envoy", "the United Nations"),
    ("Daniel Ferenc", "army spokesman", "Daskia"),
    ("Yusuf Karram", "militia spokesman", "the Ashkar Front"),
    ("Marta Holub", "intelligence chief", "Daskia"),
    ("Aurel Dancu", "president", "Velmora"),
    ("Anna Lindqvist", "mediator", "the Kestrel Foundation"),
    ("Pieter Lund", "weapons researcher", "Conflict Ordnance Watch"),
    ("Petar Novak", "government spokesman", "Daskia"),
    ("Rosa Klein", "satellite analyst", "Border Monitor"),
    ("Emil Rusu", "defence ministry spokesman", "Velmora"),
    ("Lena Horvat", "aid coordinator", "Morvan Medical Relief"),
    ("Goran Babic", "health ministry spokesman", "Daskia"),
]

EVENTS: list[dict[str, Any]] = [
    {
        "title": "Drone strike reported on {place} {target}",
        "lead": "A drone strike hit a {target} near {place} on {day}, killing {n} people, "
        "officials said.",
        "claim": "a drone launched by {group} struck the {target} in {place}",
        "target": ["fuel depot", "power station", "rail bridge", "grain silo", "water plant"],
    },
    {
        "title": "Shelling damages {target} in {place}",
        "lead": "Artillery fire damaged a {target} in {place} on {day}, and {n} civilians "
        "were wounded, local authorities said.",
        "claim": "{group} shelled the {target} in {place}",
        "target": ["school", "market", "hospital", "bus station", "apartment block"],
    },
    {
        "title": "{n} prisoners to be exchanged at {place}",
        "lead": "Negotiators agreed on {day} to exchange {n} prisoners at a crossing near "
        "{place}, mediators said.",
        "claim": "{n} prisoners would be exchanged at {place} within a week",
        "target": ["crossing"],
    },
    {
        "title": "Aid convoy reaches {place}",
        "lead": "A convoy of {n} lorries carrying food and medicine reached {place} on {day} "
        "after a three-day delay, aid workers said.",
        "claim": "the convoy of {n} lorries had been held up by {group} at a checkpoint",
        "target": ["convoy"],
    },
    {
        "title": "Troops massing near {place}, officials say",
        "lead": "About {n} soldiers and dozens of armoured vehicles have gathered near "
        "{place}, according to satellite images published on {day}.",
        "claim": "{country} had moved {n} troops to the border near {place}",
        "target": ["border"],
    },
    {
        "title": "{country} accused of supplying weapons to {group_short}",
        "lead": "{country} delivered {n} anti-tank missiles to {group} last month, officials "
        "in the capital said on {day}.",
        "claim": "{country} supplied {n} missiles to {group}",
        "target": ["missiles"],
    },
    {
        "title": "New sanctions announced over {place} attack",
        "lead": "Ministers announced sanctions on {n} officials on {day} over an attack on "
        "{place} that killed dozens of people.",
        "claim": "the attack on {place} had been ordered by senior officers of {country}",
        "target": ["sanctions"],
    },
]

ASSERT = [
    '"{claim_cap} — there is no doubt about it," {role} {name} said.',
    "{name}, the {role}, told reporters that {claim}.",
    "According to {name}, {claim}.",
    "{role_cap} {name} insisted that {claim}.",
    "{name} said on {day} that {claim}, citing intercepted radio traffic.",
]
DENY = [
    "{name}, the {role}, denied that {claim}.",
    '"That is a lie," {role} {name} said, rejecting claims that {claim}.',
    "{affiliation_cap} dismissed reports that {claim} as propaganda.",
    "{role_cap} {name} said it was false that {claim}.",
]
UNSURE = [
    "{name} of {affiliation} said there was no way to independently verify that {claim}.",
    "{affiliation_cap} said it had no evidence that {claim}.",
    "{role_cap} {name} said it was too early to say whether {claim}.",
    "The {outlet} could not independently confirm the reports.",
]
WARN = [
    "{name} warned that the fighting could spread to {place2} within weeks.",
    "{role_cap} {name} called for an independent investigation.",
    "{name} urged both sides to respect the truce agreed in {month}.",
]
BACKGROUND = [
    "The conflict has displaced more than {big} people since {month}.",
    "{place2} has been without electricity for {small} days.",
    "Talks mediated by {affiliation} broke down in {month}.",
    "Roads between {place} and {place2} remain closed to civilian traffic.",
    "Aid groups say {big} people in the region need food assistance.",
    "It was the {ordinal} such incident reported this month.",
]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth", "seventh"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def generate(
    n: int, seed: int = 7, start: dt.date = dt.date(2026, 1, 5)
) -> Iterator[dict[str, str]]:
    """Yield ``n`` invented articles (dicts for the JSON Lines input of ``sayso ingest``).

    >>> arts = list(generate(3, seed=1))
    >>> len(arts), len({a["text"] for a in arts}), sorted(arts[0])
    (3, 3, ['published', 'source', 'text', 'title', 'url'])
    >>> all(60 <= len(a["text"].split()) <= 170 for a in generate(50, seed=2))
    True
    """
    rng = random.Random(seed)
    for i in range(n):
        event = rng.choice(EVENTS)
        outlet, host = rng.choice(OUTLETS)
        place, place2 = rng.sample(PLACES, 2)
        group = rng.choice(GROUPS)
        published = start + dt.timedelta(days=i * 180 // max(n, 1))
        values = {
            "place": place,
            "place2": place2,
            "group": group,
            "group_short": group.removeprefix("the "),
            "country": rng.choice(COUNTRIES),
            "target": rng.choice(event["target"]),
            "n": str(rng.choice([3, 4, 7, 9, 12, 14, 17, 21, 30, 40, 55, 80, 120, 250, 600])),
            "day": rng.choice(DAYS),
            "month": rng.choice(MONTHS),
            "big": f"{rng.randint(12, 900) * 1000:,}",
            "small": str(rng.randint(2, 19)),
            "ordinal": rng.choice(ORDINALS),
            "outlet": outlet,
        }
        claim = event["claim"].format(**values)
        values["claim"] = claim
        values["claim_cap"] = _cap(claim)
        sentences = [event["lead"].format(**values)]
        speakers = rng.sample(SPEAKERS, 4)
        templates = [rng.choice(ASSERT), rng.choice(DENY), rng.choice(UNSURE)]
        if rng.random() < 0.6:
            templates.append(rng.choice(WARN))
        rng.shuffle(templates[1:])
        for template, (name, role, affiliation) in zip(templates, speakers, strict=False):
            speaker = {
                "name": name,
                "role": role,
                "role_cap": _cap(role),
                "affiliation": affiliation,
                "affiliation_cap": _cap(affiliation),
            }
            sentences.append(template.format(**values, **speaker))
        for template in rng.sample(BACKGROUND, rng.randint(1, 3)):
            sentences.append(template.format(**values, affiliation=rng.choice(SPEAKERS)[2]))
        sentences.append(f"This report was filed from {place2} (dispatch {i + 1}).")
        paragraphs = [" ".join(sentences[:2]), " ".join(sentences[2:-1]), sentences[-1]]
        yield {
            "text": "\n\n".join(paragraphs),
            "title": event["title"].format(**values),
            "published": published.isoformat(),
            "source": outlet,
            "url": f"https://{host}/{published:%Y/%m}/story-{i + 1}",
        }


def write_jsonl(path: Path, n: int, seed: int = 7) -> int:
    """Write ``n`` generated articles to ``path``; returns the number of words written."""
    words = 0
    with path.open("w", encoding="utf-8") as handle:
        for article in generate(n, seed):
            words += len(article["text"].split())
            handle.write(json.dumps(article, ensure_ascii=False) + "\n")
    return words


def main(argv: list[str] | None = None) -> int:
    """Command line: write the JSON Lines file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    words = write_jsonl(args.out, args.articles, args.seed)
    print(f"wrote {args.articles} articles ({words} words) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

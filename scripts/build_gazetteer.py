"""Build ``sayso/data/gazetteer.json`` from pycountry plus sayso's hand-written supplements.

Sources, in order of precedence when one written form could name two entries:

1. ``sayso/data/gazetteer_entities.tsv``: organisations, alliances, government metonyms,
   countries and places pycountry lacks;
2. ``sayso/data/gazetteer_aliases.tsv``: canonical names, alternative names, codes, demonyms;
3. ``sayso/data/gazetteer_capitals.tsv``: capitals (metonyms for their country);
4. pycountry (ISO 3166-1): names, official names, common names.

A form claimed by two entries at the same precedence is ambiguous and left out (listed under
``"ambiguous"`` in the output). ISO alpha codes are only used where the aliases file lists
them, because most two- and three-letter codes are English words ("IN", "IT", "AM", "CAN").

Usage::

    python scripts/build_gazetteer.py            # write sayso/data/gazetteer.json
    python scripts/build_gazetteer.py --check    # exit 1 if the checked-in file is stale
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pycountry

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "sayso" / "data"
OUTPUT = DATA_DIR / "gazetteer.json"

#: Kinds of written forms, in the order they are listed in an entry.
KINDS = ("name", "capital", "demonym", "code")


def _strip_the(text: str) -> str:
    text = text.strip()
    for prefix in ("the ", "The "):
        if text.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _pycountry_forms(name: str) -> list[str]:
    """Readable forms of a pycountry name: "Korea, Republic of" -> "Republic of Korea"."""
    forms: list[str] = []
    if "(" in name and name.endswith(")"):
        base, inner = name[:-1].split("(", 1)
        forms.append(base.strip())
        if not inner.strip().endswith("part"):
            forms.append(inner.strip())
    elif "(" in name:
        base = name.split("(", 1)[0].strip() + " " + name.split(")", 1)[1].strip()
        forms.append(" ".join(base.split()))
    else:
        forms.append(name)
    out: list[str] = []
    for form in forms:
        if ", " in form:
            head, tail = form.split(", ", 1)
            if tail.endswith((" of", " of the")) or " " not in tail:
                out.append(f"{tail} {head}")
            else:
                out.append(form)
        else:
            out.append(form)
    return out


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


def _new_entry(entry_id: str, name: str, type_: str, country: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": entry_id, "name": name, "type": type_, "country": country}
    for kind in KINDS:
        entry[kind + "s"] = []
    entry["person_ok"] = []
    return entry


def build(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Assemble the gazetteer as a JSON-ready dict (deterministic)."""
    entries: dict[str, dict[str, Any]] = {}
    # (form, entry id, kind, precedence); lower precedence number wins.
    claims: list[tuple[str, str, str, int]] = []

    def claim(form: str, entry_id: str, kind: str, precedence: int) -> None:
        form = _strip_the(form)
        if not form:
            return
        variants = [form]
        folded = _ascii_fold(form)
        if folded != form:
            variants.append(folded)
        for variant in variants:
            bucket = entries[entry_id][kind + "s"]
            if variant not in bucket:
                bucket.append(variant)
            claims.append((variant, entry_id, kind, precedence))

    # 4. pycountry
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code: str = country.alpha_2
        common = getattr(country, "common_name", None)
        readable = _pycountry_forms(country.name)
        entries[code] = _new_entry(code, common or readable[0], "country", code)
        entries[code]["alpha3"] = country.alpha_3
        names = [common] if common else []
        names += readable
        official = getattr(country, "official_name", None)
        if official:
            names += _pycountry_forms(official)
        for name in names:
            if name:
                claim(name, code, "name", 3)

    # 1. entities file (may create entries, e.g. Kosovo)
    for row in _read_tsv(data_dir / "gazetteer_entities.tsv"):
        entry_id, type_, belongs_to = row[0], row[1], row[2] or None
        row_forms = row[3].split("|")
        if entry_id in entries:
            raise ValueError(f"gazetteer_entities.tsv redefines {entry_id}")
        entries[entry_id] = _new_entry(entry_id, _strip_the(row_forms[0]), type_, belongs_to)
        if type_ == "country":
            entries[entry_id]["country"] = entry_id
        for form in row_forms:
            kind = "code" if form.replace(".", "").replace("+", "").isupper() else "name"
            claim(form, entry_id, kind, 0)

    # 3. capitals
    for row in _read_tsv(data_dir / "gazetteer_capitals.tsv"):
        code, row_forms = row[0], row[1].split("|")
        if code not in entries:
            raise ValueError(f"gazetteer_capitals.tsv: unknown country {code}")
        for form in row_forms:
            claim(form, code, "capital", 2)

    # 2. aliases
    for row in _read_tsv(data_dir / "gazetteer_aliases.tsv"):
        code, kind, row_forms = row[0], row[1], row[2].split("|")
        if code not in entries:
            raise ValueError(f"gazetteer_aliases.tsv: unknown entry {code}")
        if kind == "canonical":
            entries[code]["name"] = row_forms[0]
            claim(row_forms[0], code, "name", 1)
        elif kind == "person_ok":
            entries[code]["person_ok"].extend(row_forms)
        elif kind in KINDS:
            for form in row_forms:
                claim(form, code, kind, 1)
        else:
            raise ValueError(f"gazetteer_aliases.tsv: unknown kind {kind!r}")

    # The canonical name is always a form of its entry.
    for entry_id, entry in entries.items():
        claim(entry["name"], entry_id, "name", 1 if entry["type"] == "country" else 0)

    # Resolve each written form to one entry.
    best: dict[str, dict[str, tuple[str, int]]] = {}
    for form, entry_id, kind, precedence in claims:
        per_entry = best.setdefault(form, {})
        old = per_entry.get(entry_id)
        if old is None or precedence < old[1] or (precedence == old[1] and kind == "name"):
            per_entry[entry_id] = (kind, precedence)
    forms: dict[str, list[str]] = {}
    ambiguous: dict[str, list[str]] = {}
    for form, per_entry in best.items():
        top = min(p for _, p in per_entry.values())
        winners = sorted(e for e, (_, p) in per_entry.items() if p == top)
        if len(winners) == 1:
            forms[form] = [winners[0], per_entry[winners[0]][0]]
        else:
            ambiguous[form] = winners
    return {
        "version": 1,
        "generated_by": "scripts/build_gazetteer.py",
        "sources": {
            "pycountry": pycountry_version(),
            "supplements": [
                "gazetteer_entities.tsv",
                "gazetteer_aliases.tsv",
                "gazetteer_capitals.tsv",
            ],
        },
        "entries": dict(sorted(entries.items())),
        "forms": dict(sorted(forms.items())),
        "ambiguous": dict(sorted(ambiguous.items())),
    }


def pycountry_version() -> str:
    """The installed pycountry version (recorded in the output)."""
    from importlib.metadata import version

    return version("pycountry")


def render(gazetteer: dict[str, Any]) -> str:
    """Serialise deterministically (the checked-in file is compared byte for byte)."""
    return json.dumps(gazetteer, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="folder with the TSVs")
    parser.add_argument("--out", type=Path, default=None, help="output (default: data dir)")
    parser.add_argument("--check", action="store_true", help="fail if the output is stale")
    args = parser.parse_args(argv)
    out = args.out or args.data_dir / "gazetteer.json"
    text = render(build(args.data_dir))
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"{out} is stale: run python scripts/build_gazetteer.py", file=sys.stderr)
            return 1
        print(f"{out} is up to date")
        return 0
    out.write_text(text, encoding="utf-8")
    data = json.loads(text)
    print(
        f"wrote {out}: {len(data['entries'])} entries, {len(data['forms'])} forms, "
        f"{len(data['ambiguous'])} ambiguous forms left out"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

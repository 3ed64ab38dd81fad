"""OCHA p-codes: resolving admin-1/admin-2 names and codes to canonical names and codes.

The table is `coordination/data/geo/ocha_pcodes.csv` (HDX global p-codes). Names are
matched after folding case and accents, because 3W files write "Usulután" where the
p-code list has "Usulutan".
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .codes import fold

PCODES_PATH = Path(__file__).resolve().parent.parent / "data" / "geo" / "ocha_pcodes.csv"
# Countries whose admin-1 p-codes do not start with the ISO alpha-2 code.
_ISO2_OVERRIDES = {"TJK": "TJ"}


@dataclass(frozen=True, slots=True)
class Area:
    """One admin area from the p-code table."""

    pcode: str
    level: int
    name: str
    country: str  # ISO alpha-2
    parent: str | None  # parent p-code for admin-2


@dataclass(slots=True)
class _Index:
    """Lookups over the p-code table."""

    by_code: dict[str, Area]
    by_name: dict[tuple[str, int, str], list[Area]]  # (country, level, folded name)
    children: dict[tuple[str, str], Area]  # (parent p-code, folded name)


@cache
def _index() -> _Index:
    """Load the p-code table once."""
    rows = []
    with open(PCODES_PATH, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    iso2: dict[str, str] = dict(_ISO2_OVERRIDES)
    for row in rows:
        code = row["P-Code"]
        if row["Admin Level"] == "1" and code[:2].isalpha():
            iso2.setdefault(row["Location"], code[:2].upper())
    index = _Index({}, {}, {})
    for row in rows:
        country = iso2.get(row["Location"])
        if not country:
            continue
        level = int(row["Admin Level"])
        area = Area(row["P-Code"], level, row["Name"], country, row["Parent P-Code"] if level == 2 else None)
        index.by_code[area.pcode.upper()] = area
        index.by_name.setdefault((country, level, fold(area.name)), []).append(area)
        if area.parent:
            index.children[(area.parent.upper(), fold(area.name))] = area
    return index


def area(pcode: str | None) -> Area | None:
    """Return the area with this p-code (case-insensitive), if known."""
    return _index().by_code.get(pcode.strip().upper()) if pcode else None


def resolve_codes(admin1_code: str | None, admin2_code: str | None) -> dict[str, str]:
    """Resolve p-codes to names; an admin-2 code also gives its admin-1 and country."""
    return resolve(None, None, admin1_code, None, admin2_code)


def resolve(
    country: str | None,
    admin1_name: str | None,
    admin1_code: str | None,
    admin2_name: str | None,
    admin2_code: str | None,
) -> dict[str, str]:
    """Return what is known of an admin area: country, admin1(_code), admin2(_code).

    Codes win over names; a name is looked up within the country (and, for admin-2,
    within the admin-1 when known). An unresolved name is kept as written. The result
    is empty when nothing at all is known.
    """
    index = _index()
    found: dict[str, str] = {}
    a2 = area(admin2_code)
    a1 = area(admin1_code)
    if a2 is not None and a2.level == 2:
        a1 = a1 or area(a2.parent)
    if a1 is None and admin1_name:
        country = country or (a2.country if a2 else None)
        matches = index.by_name.get((country or "", 1, fold(admin1_name)), []) if country else []
        a1 = matches[0] if len(matches) == 1 else None
    if a2 is None and admin2_name:
        if a1 is not None:
            a2 = index.children.get((a1.pcode.upper(), fold(admin2_name)))
        elif country:
            matches = index.by_name.get((country, 2, fold(admin2_name)), [])
            a2 = matches[0] if len(matches) == 1 else None
            a1 = area(a2.parent) if a2 else None
    if a1 is not None:
        found.update(country=a1.country, admin1=a1.name, admin1_code=a1.pcode)
    elif admin1_name:
        found["admin1"] = admin1_name.strip()
    if a2 is not None and a2.level == 2:
        found.update(country=a2.country, admin2=a2.name, admin2_code=a2.pcode)
    elif admin2_name:
        found["admin2"] = admin2_name.strip()
    if country and "country" not in found and found:
        found["country"] = country
    return found

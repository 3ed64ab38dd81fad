"""OCHA p-codes: resolving admin-1/admin-2 names and codes to canonical names and codes.

The table is `coordination/data/geo/ocha_pcodes.csv` (HDX global p-codes). Names are
matched after folding case and accents, because 3W files write "Usulután" where the
p-code list has "Usulutan".
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from operator import itemgetter
from pathlib import Path

from ..geo.gazetteer import geocode, iso2_for_iso3, iso3_for_iso2, resolve_country
from ..text import fold
from .codes import country_codes

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
    anywhere: dict[tuple[int, str], list[Area]] = field(default_factory=dict)  # (level, folded name)


@cache
def _index() -> _Index:
    """Load the p-code table once (~33,000 areas)."""
    with open(PCODES_PATH, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        columns = {name: i for i, name in enumerate(next(reader))}
        take = itemgetter(columns["Location"], columns["Admin Level"], columns["P-Code"], columns["Name"],
                          columns["Parent P-Code"])
        rows = [take(row) for row in reader]
    iso2: dict[str, str] = dict(_ISO2_OVERRIDES)
    for location, level_text, code, _, _ in rows:
        # The ISO table first: Burundi's p-codes start "BDI", whose first two letters are Bangladesh's.
        known = iso2_for_iso3(location)
        if known:
            iso2.setdefault(location, known)
        elif level_text == "1" and code[:2].isalpha():
            iso2.setdefault(location, code[:2].upper())
    index = _Index({}, {}, {})
    by_code, by_name, anywhere, children = index.by_code, index.by_name, index.anywhere, index.children
    for location, level_text, code, name, parent in rows:
        country = iso2.get(location)
        if not country:
            continue
        level = int(level_text)
        area = Area(code, level, name, country, parent if level == 2 else None)
        folded = fold(name)
        by_code[code.upper()] = area
        by_name.setdefault((country, level, folded), []).append(area)
        anywhere.setdefault((level, folded), []).append(area)
        if area.parent:
            children[(area.parent.upper(), folded)] = area
    return index


_PREFIX = re.compile(r"^([A-Z]{2,3})([0-9A-Z]*)$")


def area(pcode: str | None) -> Area | None:
    """Return the area with this p-code (case-insensitive), if known.

    P-codes are written with the country's ISO alpha-2 prefix ("GN008001") or its alpha-3
    prefix ("GIN008001", as WHO and older CODs write them); either finds the area whichever
    the table uses.
    """
    if not pcode:
        return None
    code = "".join(pcode.split()).upper()
    by_code = _index().by_code
    found = by_code.get(code)
    if found is not None:
        return found
    match = _PREFIX.match(code)
    if match is None:
        return None
    letters, rest = match.groups()
    if len(letters) == 3 and (iso2 := iso2_for_iso3(letters)):
        return by_code.get(iso2 + rest)
    if len(letters) == 2 and (iso3 := iso3_for_iso2(letters)):
        return by_code.get(iso3 + rest)
    return None


def country_of_pcode(pcode: str | None) -> str | None:
    """The ISO alpha-2 country a p-code's prefix names ("GIN008999" -> "GN"), known area or not."""
    if not pcode:
        return None
    known = area(pcode)
    if known is not None:
        return known.country
    match = _PREFIX.match("".join(pcode.split()).upper())
    if match is None:
        return None
    letters = match.group(1)
    if len(letters) == 3 and (iso2 := iso2_for_iso3(letters)):
        return iso2
    return letters[:2] if letters[:2] in country_codes() else None


def parent_by_prefix(pcode: str | None) -> Area | None:
    """The admin-1 area whose p-code starts an unknown admin-2 p-code ("GIN002099" -> GN002)."""
    if not pcode or area(pcode) is not None:
        return None
    code = "".join(pcode.split()).upper()
    for cut in range(len(code) - 1, 2, -1):
        found = area(code[:cut])
        if found is not None:
            return found if found.level == 1 else None
    return None


def resolve_codes(admin1_code: str | None, admin2_code: str | None) -> dict[str, str]:
    """Resolve p-codes to names; an admin-2 code also gives its admin-1 and country."""
    return resolve(None, None, admin1_code, None, admin2_code)


@lru_cache(maxsize=1 << 14)
def _by_name(name: str, level: int, country: str | None) -> Area | None:
    """The one area of this level called `name`, in `country` or, without one, anywhere.

    The p-code table's own names first; then the gazetteer's, which knows alternative names
    and spellings ("Anbar" for "Al-Anbar", "Kabul Province"). An ambiguous name is None.
    """
    index = _index()
    key = fold(name)
    if not country and resolve_country(name):
        return None  # "Niger" with no country is the country, not Nigeria's Niger State
    matches = index.by_name.get((country, level, key), []) if country else index.anywhere.get((level, key), [])
    if len(matches) == 1:
        return matches[0]
    if matches:
        return None
    wanted = "admin1" if level == 1 else "admin2"
    found = {p.admin1_code if level == 1 else p.admin2_code
             for p in geocode(name, country) if p.precision == wanted}
    code = found.pop() if len(found) == 1 else None
    return area(code) if code else None


def resolve(
    country: str | None,
    admin1_name: str | None,
    admin1_code: str | None,
    admin2_name: str | None,
    admin2_code: str | None,
) -> dict[str, str]:
    """Return what is known of an admin area: country, admin1(_code), admin2(_code).

    Codes win over names; a name is looked up within the country (and, for admin-2,
    within the admin-1 when known). An unresolved name is kept as written. A p-code that
    is not in the table still gives its country (its prefix) and, when an admin-1 code
    starts it, its admin-1. The result is empty when nothing at all is known.
    """
    if not (admin1_name or admin1_code or admin2_name or admin2_code):
        # Nothing to look up (most IATI locations): the table is not even loaded.
        return {"country": country} if country else {}
    index = _index()
    found: dict[str, str] = {}
    a2 = area(admin2_code)
    a1 = area(admin1_code)
    if a2 is not None and a2.level == 2:
        a1 = a1 or area(a2.parent)
    a1 = a1 or parent_by_prefix(admin2_code)
    country = country or country_of_pcode(admin2_code) or country_of_pcode(admin1_code)
    if a1 is None and admin1_name:
        country = country or (a2.country if a2 else None)
        a1 = _by_name(admin1_name, 1, country)
    if a2 is None and admin2_name:
        if a1 is not None:
            a2 = index.children.get((a1.pcode.upper(), fold(admin2_name)))
        else:
            a2 = _by_name(admin2_name, 2, country)
            a1 = area(a2.parent) if a2 else None
    if a1 is not None:
        found.update(country=a1.country, admin1=a1.name, admin1_code=a1.pcode)
    elif admin1_name:
        found["admin1"] = admin1_name.strip()
    if a2 is not None and a2.level == 2:
        found.update(country=a2.country, admin2=a2.name, admin2_code=a2.pcode)
    elif admin2_name:
        found["admin2"] = admin2_name.strip()
    if country and "country" not in found:
        found["country"] = country
    return found

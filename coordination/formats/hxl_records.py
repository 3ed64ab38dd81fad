"""One initiative from a group of 3W rows: its places (fitted to the limits), title, partners, status and organisation."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import vocab
from ..geo import reverse_geocode
from ..text import fold
from . import codes
from .hxl_rows import RowValues
from .limits import IDENTIFIER


def activity_identifier(values: RowValues) -> str | None:
    """The row's activity code when it is an IATI-style activity identifier of the row's own
    organisation: its organisation identifier (#org +code) then "-", or a platform identifier
    ("XX-NONE-…", what this platform's exports write for work without one). Any other code is
    the file's own reference and only groups rows."""
    code = values.activity_code
    if not code or len(code) > IDENTIFIER or any(c.isspace() for c in code):
        return None
    if values.org_code and code.startswith(f"{values.org_code}-") and len(code) > len(values.org_code) + 1:
        return code
    return code if code.startswith("XX-NONE-") and len(code) > len("XX-NONE-") else None


@dataclass(slots=True)
class RowGroup:
    """Rows that make one initiative."""

    first_row: int
    rows: list[RowValues] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def _location(values: RowValues) -> dict[str, Any]:
    """A row's location: its most specific admin area, with coordinates if given."""
    area = values.area or {}
    country = area.get("country") or values.country
    precision = "admin2" if area.get("admin2") else "admin1" if area.get("admin1") else "country"
    if values.lat is not None and (values.loc_name or precision == "country"):
        precision = "point"
    return {
        "name": values.loc_name, "country": country,
        "admin1": area.get("admin1"), "admin2": area.get("admin2"),
        "admin1_code": area.get("admin1_code"), "admin2_code": area.get("admin2_code"),
        "lat": values.lat, "lon": values.lon, "precision": precision,
    }


TITLE_WORDS = 120  # a title derived from a long activity text is cut near here


def _title(first: RowValues, location: dict[str, Any]) -> str:
    """The activity name when given (its first sentence or words when it is a long text), else
    "<sector> in <admin-1 or country>"."""
    if first.activity_name:
        return _short_title(first.activity_name) if len(first.activity_name) > vocab.MAX_TITLE \
            else first.activity_name
    what = first.sectors[0] if first.sectors else "Activity"
    where = location.get("admin1") or codes.country_codes().get(location.get("country") or "", "")
    return f"{what} in {where}" if where else what


def group_record(group: RowGroup, source: str, language: str) -> tuple[dict[str, Any], list[str]]:
    """Build the initiative record of one group of rows, and what was left out of it."""
    first = group.rows[0]
    warnings: list[str] = []
    locations: list[dict[str, Any]] = []
    for line, values in zip(group.lines, group.rows, strict=True):
        location = _location(values)
        if not (location["country"] or location["admin1"] or location["name"] or location["lat"] is not None):
            if any((values.adm1_code, values.adm2_code, values.adm1_name, values.adm2_name)):
                written = ", ".join(v for v in (values.adm1_name, values.adm1_code, values.adm2_name,
                                                values.adm2_code) if v)
                warnings.append(f"row {line}: place {written!r} not found and no country given; "
                                "the row is kept without it")
            continue
        if location not in locations:
            locations.append(location)
    locations, too_many = _fit_locations(locations)
    if too_many:
        warnings.append(too_many)
    partners: list[dict[str, Any]] = []
    lead_key = fold(first.org_name or "")
    lead_keys = {lead_key, fold(first.org_acronym or "")} - {""}
    for values in group.rows:
        for p in values.partners:
            if lead_keys & {fold(p.name), fold(p.acronym or "")}:
                continue  # the lead organisation named again in a partner column
            partner = {"organisation": _organisation(p.name, p.type, p.acronym, None), "role": p.role}
            if partner not in partners:
                partners.append(partner)
    starts = sorted(v.start for v in group.rows if v.start)
    ends = sorted(v.end for v in group.rows if v.end)
    if starts and ends and ends[-1] < starts[0]:
        # Every end before every start: a typing slip in the file; the start is kept, the end is not.
        warnings.append(f"end {ends[-1]} is before start {starts[0]}: the end is left out")
        ends = []
    people = [v.people for v in group.rows if v.people is not None]
    budgets = [v.budget for v in group.rows if v.budget is not None]
    currencies = list(dict.fromkeys(v.currency for v in group.rows if v.currency))
    if len(currencies) > 1:
        warnings.append(f"budgets in several currencies ({', '.join(currencies)}): the budget is left out")
        budgets = []
    elif budgets and not currencies:
        warnings.append("a budget without a currency (#currency or \"#value +budget +usd\"): the budget is left out")
        budgets = []
    statuses = [v.status for v in group.rows if v.status]
    tags = list(dict.fromkeys(t for v in group.rows for t in v.sectors + v.subsectors))
    goals = list(dict.fromkeys(g for v in group.rows for g in v.goals))
    description = next((v.description for v in group.rows if v.description), "")
    if first.activity_name and len(first.activity_name) > vocab.MAX_TITLE:
        # A long activity text is a description: it opens the description, a title is derived.
        description = f"{first.activity_name}\n\n{description}".strip()
        warnings.append(f"activity text of {len(first.activity_name)} characters (more than a "
                        f"{vocab.MAX_TITLE}-character title) kept as the description; title derived from it")
    country = locations[0]["country"] if locations else None
    return {
        "title": _title(first, locations[0] if locations else {}),
        "title_generated": not first.activity_name,  # "<sector> in <place>": no text of its own
        "description": description,
        "organisation": _organisation(first.org_name or "", first.org_type, first.org_acronym, country,
                                      first.org_code),
        "partners": partners,
        "goals": goals,
        "tags": tags,
        "locations": locations,
        "start": starts[0] if starts else None,
        "end": ends[-1] if ends else None,
        # The most advanced status wins: one district still running keeps the group running.
        "status": min(statuses, key=_STATUS_ORDER.index) if statuses else None,
        "budget": round(sum(budgets), 2) if budgets else None,
        "currency": currencies[0] if budgets else None,
        "people_targeted": int(sum(people)) if people else None,
        "visibility": "public",
        "iati_identifier": activity_identifier(first),
        "language": language,
        "provenance": f"hxl:{source}#row={group.first_row}",
    }, warnings


def _short_title(text: str) -> str:
    """A title for a long activity text: its first sentence if short enough, else its first words."""
    sentence = re.split(r"(?<=[.!?;])\s", text, maxsplit=1)[0].rstrip(".;")
    if len(sentence) <= TITLE_WORDS:
        return sentence
    cut = text[:TITLE_WORDS - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > TITLE_WORDS // 2 else cut).rstrip(" ,;:.-") + "…"


_LEVELS = ("admin2", "admin1", "country")


def _fit_locations(locations: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str | None]:
    """At most `vocab.MAX_LOCATIONS` places: too many are stored as their admin-2 areas, else their
    admin-1 areas, else their countries, whichever is the finest that fits; and a warning says so.

    Each place becomes its area at that level, or a coarser one when that is all it has. A point
    with no admin area known is placed in the admin-1 area of the nearest admin-1 centroid of its
    country (`geo.reverse_geocode`, an approximation).
    """
    if len(locations) <= vocab.MAX_LOCATIONS:
        return locations, None
    known = [_with_admin1(loc) for loc in locations]
    for level in _LEVELS:
        areas = list(dict.fromkeys(_area_at(loc, level) for loc in known))
        if len(areas) <= vocab.MAX_LOCATIONS:
            fitted = [dict(area) for area in areas if area]
            kinds = sorted({a["precision"] for a in fitted}, key=_LEVELS.index)
            return fitted, (f"{len(locations)} places are more than the {vocab.MAX_LOCATIONS} an initiative "
                            f"holds: stored as their {len(fitted)} {' / '.join(kinds)} areas")
    return locations[:vocab.MAX_LOCATIONS], (f"{len(locations)} places are more than the {vocab.MAX_LOCATIONS} "
                                             f"an initiative holds, even as countries: the first "
                                             f"{vocab.MAX_LOCATIONS} kept")


def _with_admin1(loc: dict[str, Any]) -> dict[str, Any]:
    """The location, with the admin-1 area its point lies in when no admin area was given."""
    if loc.get("admin1") or loc.get("lat") is None or (loc.get("precision") or "point") != "point":
        return loc  # an area's centroid (a country's above all) does not tell a province
    place = reverse_geocode(loc["lat"], loc["lon"])
    if place is None or place.precision != "admin1" or place.country != loc.get("country"):
        return loc
    return {**loc, "admin1": place.admin1, "admin1_code": place.admin1_code}


def _area_at(loc: dict[str, Any], level: str) -> tuple[tuple[str, Any], ...] | None:
    """The location's area at `level`, or at the finest coarser level it has, as a hashable
    location; None when not even its country is known."""
    if not loc.get("country"):
        return None
    if level == "admin2" and not loc.get("admin2"):
        level = "admin1"
    if level == "admin1" and not loc.get("admin1"):
        level = "country"
    keep = {"admin2": ("admin1", "admin2", "admin1_code", "admin2_code"),
            "admin1": ("admin1", "admin1_code"), "country": ()}[level]
    area = {"name": None, "country": loc["country"], "admin1": None, "admin2": None, "admin1_code": None,
            "admin2_code": None, "lat": None, "lon": None, "precision": level}
    area.update({key: loc.get(key) for key in keep})
    return tuple(area.items())


_STATUS_ORDER = ["implementation", "pipeline", "suspended", "finalisation", "closed", "cancelled"]


def _organisation(name: str, org_type: str | None, acronym: str | None, country: str | None,
                  identifier: str | None = None) -> dict[str, Any]:
    """The organisation shape for a 3W organisation; a national NGO is placed in the row's country."""
    aliases = [acronym] if acronym and fold(acronym) != fold(name) else []
    home = country if org_type in {"22", "24", "10", "15"} else None
    return {"name": name, "type": org_type, "country": home, "org_identifier": identifier, "aliases": aliases}

"""Import of HXL-tagged 3W/4W/5W CSV ("who does what where") into initiative records.

Grouping: in a 3W one row is one organisation's activity in one admin area. Rows are
grouped into one initiative per (organisation, activity code or sector + activity
name, country, admin-1); the group's admin-2 areas become its locations. So "UNICEF,
Education, Kabul province" with rows for five districts is one initiative with five
locations, while the same organisation's Health work in Kabul is another. Rows whose
activity code is an IATI-style identifier of their organisation (`activity_identifier`;
this platform's own exports write one on every row) are one initiative wherever they are,
and it becomes the initiative's IATI identifier.

Admin names and p-codes are resolved through the OCHA p-code table; `HxlStats` counts
how many admin areas resolved. Rows without an organisation or without any sector or
activity are yielded as problems and the others are kept. A file without a hashtag row
raises `ImportFileError` ("not HXL").
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .. import vocab
from ..geo import reverse_geocode
from ..text import fold
from . import codes, pcodes
from .hxl_csv import decode, read_table
from .hxl_dates import DateOrder, file_order, read_date
from .hxl_period import Period, period_of_file
from .hxl_rows import RowValues, read_row
from .hxl_tags import columns_for, is_hashtag
from .items import ImportFileError, ImportItem, ImportProblem
from .limits import IDENTIFIER

Source = str | os.PathLike[str] | IO[bytes] | IO[str]
MAX_BYTES = 50 * 1024 * 1024


@dataclass(slots=True)
class HxlStats:
    """What an HXL import saw: rows, groups and how many admin areas were resolved."""

    rows: int = 0
    skipped_rows: int = 0
    initiatives: int = 0
    admin_areas: int = 0
    admin_areas_resolved: int = 0
    group_rows: list[int] = field(default_factory=list)  # rows in each record, in the order yielded
    period: Period | None = None  # the reporting period applied to undated rows
    period_rows: int = 0  # rows that took their dates from it

    @property
    def share_resolved(self) -> float:
        """Share of rows' admin areas matched to an OCHA p-code (0..1)."""
        return self.admin_areas_resolved / self.admin_areas if self.admin_areas else 0.0


@dataclass(slots=True)
class _Group:
    """Rows that make one initiative."""

    first_row: int
    rows: list[RowValues] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def _read_text(source: Source) -> tuple[str, str, str]:
    """Return (decoded text, file name, encoding name); see `hxl_csv.decode`."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            raw: bytes | str = path.read_bytes()
        except OSError as exc:
            raise ImportFileError(f"cannot open {path.name}: {exc.strerror}") from exc
        name = path.name
    else:
        raw = source.read(MAX_BYTES + 1)
        name = Path(str(getattr(source, "name", "upload.csv"))).name
    if len(raw) > MAX_BYTES:
        raise ImportFileError("the file is larger than 50 MB")
    if isinstance(raw, str):
        return raw.lstrip("\ufeff"), name, "text"
    text, encoding = decode(raw)
    return text, name, encoding


def parse_hxl(
    source: Source,
    *,
    source_name: str | None = None,
    language: str | None = None,
    stats: HxlStats | None = None,
    period: Period | None = None,
) -> Iterator[ImportItem]:
    """Yield problems for unusable rows, then one record per initiative group.

    `language` overrides the language guessed from the headers ("es" for the Spanish
    345W files, otherwise "en"). Pass an `HxlStats` to learn the share of resolved areas.
    `period` is the file's reporting period, given to rows with neither start nor end; without
    it, the one the file's name or title rows name is used (`hxl_period.period_of_file`).
    """
    text, name, encoding = _read_text(source)
    name = source_name or name
    stats = stats if stats is not None else HxlStats()
    table = read_table(text, encoding)
    rows, tag_index = table.rows, table.tag_index
    header = rows[tag_index - 1] if tag_index > 0 else None
    columns, spanish = columns_for(rows[tag_index], header)
    if not any(c.tag == "org" for c in columns):
        found = ", ".join(c.strip() for c in rows[tag_index] if is_hashtag(c)) or "none"
        raise ImportFileError(f"the HXL file has no #org column (read as {table.how}; hashtags: {found})",
                              line=tag_index + 1)
    lang = language or ("es" if spanish else "en")
    stats.period = period = period or period_of_file(name, rows[:max(tag_index - 1, 0)])
    kept: list[tuple[int, RowValues]] = []
    for offset, row in enumerate(rows[tag_index + 1:]):
        line = tag_index + 2 + offset  # 1-based line of the row in the file
        if not any(cell.strip() for cell in row):
            continue
        stats.rows += 1
        values = read_row(row, columns)
        problem = _row_problem(values)
        if problem:
            stats.skipped_rows += 1
            yield ImportItem(problem=ImportProblem(f"row={line}", problem, line))
            continue
        values.area = _resolve(values, values.country)
        kept.append((line, values))
    order = file_order(raw for _, v in kept for _, raw, _ in v.dates)
    file_country = _file_country(v for _, v in kept)
    groups: dict[tuple[str, ...], _Group] = {}
    for line, values in kept:
        problem = _read_dates(values, order)
        if problem:
            stats.skipped_rows += 1
            yield ImportItem(problem=ImportProblem(f"row={line}", problem, line))
            continue
        if period and values.start is None and values.end is None:
            values.start, values.end = period.start.isoformat(), period.end.isoformat()
            stats.period_rows += 1
        area = values.area or {}
        if file_country and not area.get("country"):
            # Nothing in the row names its country: the file's one country does.
            values.area = area = _resolve(values, file_country)
        if values.adm1_name or values.adm1_code or values.adm2_name or values.adm2_code:
            stats.admin_areas += 1
            wanted = "admin2_code" if (values.adm2_name or values.adm2_code) else "admin1_code"
            stats.admin_areas_resolved += wanted in area
        key = _group_key(values)
        group = groups.setdefault(key, _Group(line))
        group.rows.append(values)
        group.lines.append(line)
    for group in groups.values():
        stats.initiatives += 1
        stats.group_rows.append(len(group.rows))
        record, warnings = _record(group, name, lang)
        yield ImportItem(record=record, warnings=tuple(warnings))


def _read_dates(values: RowValues, order: DateOrder) -> str | None:
    """Set the row's start and end (the first readable of each); say why not when one is ambiguous."""
    for kind, raw, column in values.dates:
        if getattr(values, kind) is not None:
            continue
        found, ambiguous = read_date(raw, order)
        if ambiguous:
            spec = "#" + " +".join([column.tag, *sorted(column.attributes)])
            named = f"{column.header!r} ({spec})" if column.header else spec
            return (f"date {raw.strip()!r} in column {column.index + 1} {named} could be day-first or "
                    f"month-first, and {order.why_undecided()}; write it as YYYY-MM-DD")
        setattr(values, kind, found)
    return None


def _resolve(values: RowValues, country: str | None) -> dict[str, str]:
    """The row's admin area through the p-code table (see `pcodes.resolve`)."""
    return pcodes.resolve(country, values.adm1_name, values.adm1_code, values.adm2_name, values.adm2_code)


def _file_country(rows: Iterator[RowValues]) -> str | None:
    """The country of every row that names one, when they all name the same one."""
    countries = {(v.area or {}).get("country") or v.country for v in rows} - {None}
    return countries.pop() if len(countries) == 1 else None


def _row_problem(values: RowValues) -> str | None:
    """Why a row cannot become (part of) an initiative, if it cannot."""
    if not values.org_name:
        return "no organisation name (#org)"
    if not (values.sectors or values.activity_name or values.activity_code):
        return "no sector or activity (#sector, #activity)"
    return None


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


def _group_key(values: RowValues) -> tuple[str, ...]:
    """The initiative a row belongs to (see the module docstring); rows with an activity
    identifier (`activity_identifier`) are one initiative wherever they are."""
    identifier = activity_identifier(values)
    if identifier:
        return (fold(values.org_name or ""), "id", identifier)
    area = values.area or {}
    what = values.activity_code or "|".join(values.sectors) + "|" + (values.activity_name or "")
    where = area.get("admin1_code") or fold(area.get("admin1") or "")
    return (fold(values.org_name or ""), fold(what), area.get("country") or values.country or "", where)


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


def _record(group: _Group, source: str, language: str) -> tuple[dict[str, Any], list[str]]:
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

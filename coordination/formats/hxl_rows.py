"""Reading one HXL data row into typed values: organisation, sector, place, dates, status."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import fold, place_key
from . import codes
from .hxl_tags import Column
from .cleaning import parse_number, squash

# Free-text organisation types in 3W files (folded) -> IATI OrganisationType code.
ORG_TYPES = {
    "government": "10", "gobierno": "10", "gouvernement": "10", "national government": "10",
    "local government": "10", "other public sector": "15",
    "international ngo": "21", "ingo": "21", "ong internacional": "21", "ong internationale": "21",
    "national ngo": "22", "nngo": "22", "ong nacional": "22", "ong nationale": "22", "local ngo": "24",
    "regional ngo": "23", "red cross": "21", "red cross/red crescent": "21",
    "movimiento de la cruz roja media luna roja": "21", "rcrc": "21",
    "united nations": "40", "un": "40", "un agency": "40", "naciones unidas": "40",
    "nations unies": "40", "organismo internacional": "40", "multilateral": "40",
    "international organization": "40", "foundation": "60", "fundacion": "60",
    "private sector": "70", "sector privado": "70", "academic": "80", "donantes": None,
    "iglesia - grupo religioso": "22", "faith-based organization": "22",
}
STATUSES = {
    "planned": "pipeline", "planeada": "pipeline", "pipeline": "pipeline", "planifie": "pipeline",
    "ongoing": "implementation", "active": "implementation", "in progress": "implementation",
    "en ejecucion": "implementation", "en curso": "implementation", "en cours": "implementation",
    "implementation": "implementation",
    "completed": "finalisation", "complete": "finalisation", "finished": "finalisation",
    "finalizada": "finalisation", "finalizado": "finalisation", "termine": "finalisation",
    "closed": "closed", "cerrada": "closed", "suspended": "suspended", "suspendida": "suspended",
    "cancelled": "cancelled", "canceled": "cancelled", "cancelada": "cancelled",
}
# "Operational Presence: Health" (and its misspelling "Operatioanl") names a report, not a sector.
_REPORT_PREFIX = re.compile(r"^\s*operat\w*\s+presence\s*:\s*", re.IGNORECASE)


# Cells that stand for "no organisation" (compared after folding case and punctuation).
PLACEHOLDERS = frozenset({
    "", "no partner", "no partners", "none", "n a", "na", "nil", "null", "tbd", "tbc",
    "to be determined", "to be confirmed", "other", "others", "not applicable", "unknown",
    "no aplica", "ninguno", "ninguna", "otro", "otros", "aucun", "aucune", "non applicable",
    "sans partenaire", "autre", "autres", "sin socio", "0",
})
# A role of #org (hxl_tags.ORG_ROLES) -> the partner role of the initiative shape.
PARTNER_ROLES = {"implementing": "implementing", "partner": "implementing", "funding": "funding",
                 "extending": "extending"}


def is_placeholder(value: str) -> bool:
    """Tell whether an organisation cell says "nobody" ("No partner", "N/A", "-", "TBD")."""
    return place_key(value) in PLACEHOLDERS


@dataclass(frozen=True, slots=True)
class Partner:
    """An organisation named in a row beside the lead one, in a partner role."""

    role: str
    name: str
    acronym: str | None = None
    type: str | None = None


@dataclass(slots=True)
class _OrgCells:
    """The cells of one organisation role in one row."""

    names: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    type: str | None = None
    code: str | None = None

    def organisations(self) -> list[tuple[str, str | None]]:
        """(name, acronym) pairs: the n-th acronym goes with the n-th name; an acronym alone names."""
        if not self.names:
            return [(a, None) for a in self.acronyms]
        return [(name, self.acronyms[i] if i < len(self.acronyms) else None)
                for i, name in enumerate(self.names)]


@dataclass(slots=True)
class RowValues:
    """The values of one data row, by meaning."""

    org_name: str | None = None
    org_acronym: str | None = None
    org_type: str | None = None
    org_code: str | None = None
    partners: list[Partner] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    subsectors: list[str] = field(default_factory=list)
    activity_name: str | None = None
    activity_code: str | None = None
    description: str = ""
    country: str | None = None
    adm1_name: str | None = None
    adm1_code: str | None = None
    adm2_name: str | None = None
    adm2_code: str | None = None
    loc_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    start: str | None = None
    end: str | None = None
    status: str | None = None
    people: float | None = None
    budget: float | None = None
    currency: str | None = None
    goals: list[str] = field(default_factory=list)
    area: dict[str, str] | None = None
    counts: list[tuple[str, frozenset[str], float]] = field(default_factory=list)  # (tag, dimensions, n)
    dates: list[tuple[str, str, Column]] = field(default_factory=list)  # ("start" | "end", cell, column)


def _split(value: str) -> list[str]:
    """Split a multi-valued cell ("a; b;;c") into clean labels."""
    return [squash(part) for part in value.split(";") if squash(part)]


def _org_type(value: str) -> str | None:
    """Map a free-text or coded organisation type to an IATI OrganisationType code."""
    if codes.is_organisation_type(value.strip()):
        return value.strip()
    return ORG_TYPES.get(fold(value))


def _country(value: str) -> str | None:
    """An ISO alpha-2 code from a code (alpha-2 or alpha-3) or a name."""
    found = codes.normalise_country(value)
    if found is None and len(value.strip()) == 3:
        found = codes.normalise_country(value.strip()[:2]) if value.strip()[:2].isupper() else None
        found = _ISO3.get(value.strip().upper(), found)
    return found


_ISO3 = {"AFG": "AF", "HND": "HN", "SLV": "SV", "GTM": "GT", "IRQ": "IQ", "MLI": "ML", "SEN": "SN",
         "GIN": "GN", "SLE": "SL", "TCD": "TD", "NER": "NE", "NGA": "NG", "SSD": "SS", "SDN": "SD"}


def read_row(row: list[str], columns: list[Column]) -> RowValues:
    """Read the mapped columns of one row; the first non-empty value of a kind wins."""
    values = RowValues()
    orgs: dict[str, _OrgCells] = {}
    for column in columns:
        raw = row[column.index].strip() if column.index < len(row) else ""
        if not raw:
            continue
        if column.tag == "org":
            _org_cell(orgs.setdefault(column.role or "", _OrgCells()), column, raw)
        else:
            _apply(values, column, raw)
    _set_organisations(values, orgs)
    values.people = people(values.counts)
    return values


# Attributes of #targeted/#reached that do not split the people counted, and those that count
# something other than people.
_NOT_DIMENSIONS = frozenset({"total", "num", "ind", "individuals", "persons", "all", "es", "en", "fr", "ar", "pt"})
_NOT_PEOPLE = frozenset({"hh", "households", "families", "pct", "percent", "ratio"})


def people(counts: list[tuple[str, frozenset[str], float]]) -> float | None:
    """The people a row counts: targeted if given, else reached.

    A total column (no disaggregating attribute, or +total) is the count. Otherwise the
    disaggregated columns add up (`#targeted +f` and `#targeted +m`), leaving out any column
    that is a part of another one present (`#targeted +f +children` beside `#targeted +f`), and
    counting a repeated column once.
    """
    for tag in ("targeted", "reached"):
        cells = [(dims, n) for t, dims, n in counts if t == tag]
        if not cells:
            continue
        totals = [n for dims, n in cells if not dims]
        if totals:
            return totals[0]
        seen: set[frozenset[str]] = set()
        total = 0.0
        for dims, n in cells:
            if dims in seen or any(other < dims for other, _ in cells):
                continue
            seen.add(dims)
            total += n
        return total
    return None


def _org_cell(cells: _OrgCells, column: Column, raw: str) -> None:
    """Store one #org cell with its role's other cells (see hxl_tags.Column.part)."""
    if column.part == "type":
        cells.type = cells.type or _org_type(raw)
    elif column.part == "code":
        cells.code = cells.code or (None if is_placeholder(raw) else squash(raw))
    elif column.part in ("name", "acronym"):
        found = [v for v in _split(raw) if not is_placeholder(v)]
        (cells.names if column.part == "name" else cells.acronyms).extend(found)


def _set_organisations(values: RowValues, orgs: dict[str, _OrgCells]) -> None:
    """The lead organisation and the partners of a row, each with its own acronym and type."""
    lead = orgs.pop("lead", None)
    pairs = lead.organisations() if lead is not None else []
    if pairs and lead is not None:
        values.org_type, values.org_code = lead.type, lead.code
    else:
        # The lead column is empty in this row: whoever implements leads (never the funder alone).
        role = next((r for r in ("source", "implementing", "partner") if r in orgs and orgs[r].organisations()), None)
        if role is not None:
            cells = orgs[role]
            pairs = cells.organisations()[:1]
            values.org_type, values.org_code = cells.type, cells.code
            cells.names, cells.acronyms = cells.names[1:], cells.acronyms[1:]
    if pairs:
        values.org_name, values.org_acronym = pairs[0]
        values.partners.extend(Partner("implementing", n, a) for n, a in pairs[1:])
    for role, cells in orgs.items():
        if role in PARTNER_ROLES:
            values.partners.extend(Partner(PARTNER_ROLES[role], n, a, cells.type)
                                   for n, a in cells.organisations())


def _apply(values: RowValues, column: Column, raw: str) -> None:
    """Store one cell into the row values according to its tag."""
    tag, has = column.tag, column.has
    if tag == "sector" and not has("code"):
        values.sectors.extend(_REPORT_PREFIX.sub("", s) for s in _split(raw) if s not in values.sectors)
    elif tag == "subsector" and not has("code"):
        values.subsectors.extend(s for s in _split(raw) if s not in values.subsectors)
    elif tag == "activity":
        if has("code"):
            values.activity_code = values.activity_code or squash(raw)
        elif has("description"):
            values.description = values.description or raw
        elif not has("project"):
            values.activity_name = values.activity_name or squash(raw)
    elif tag == "description":
        values.description = values.description or raw
    elif tag in {"country", "adm0"}:
        values.country = values.country or _country(raw)
    elif tag in {"adm1", "adm2"}:
        is_code = has("code") or has("pcode")
        attr = f"{tag}_{'code' if is_code else 'name'}"
        if getattr(values, attr) is None:
            setattr(values, attr, squash(raw))
    elif tag == "loc" and not has("code"):
        values.loc_name = values.loc_name or squash(raw)
    elif tag == "geo":
        number = parse_number(raw)
        if has("lat") and number is not None and -90 <= number <= 90:
            values.lat = number
        elif has("lon") and number is not None and -180 <= number <= 180:
            values.lon = number
    elif tag == "date" and (has("start") or has("end")):
        # Read once the whole file is seen: its dates decide day-first or month-first (hxl_dates).
        values.dates.append(("start" if has("start") else "end", raw, column))
    elif tag == "status":
        values.status = values.status or codes.STATUS_BY_CODE.get(raw.strip()) or STATUSES.get(fold(raw))
    elif tag in {"targeted", "reached"}:
        number = parse_number(raw)
        if number is not None and number >= 0 and not column.attributes & _NOT_PEOPLE:
            values.counts.append((tag, column.attributes - _NOT_DIMENSIONS, number))
    elif tag == "value" and has("budget"):
        # "#value +budget" (the platform's export; "+usd"-style attributes name the currency).
        number = parse_number(raw)
        if number is not None and number >= 0:
            values.budget = (values.budget or 0.0) + number
            money = next((a.upper() for a in sorted(column.attributes) if codes.is_currency(a.upper(), known_only=True)), None)
            values.currency = values.currency or money
    elif tag == "currency":
        code = raw.strip().upper()
        if codes.is_currency(code):
            values.currency = code
    elif tag == "sdg":
        values.goals.extend(g for g in (codes.normalise_sdg_code(p) for p in _split(raw)) if g)

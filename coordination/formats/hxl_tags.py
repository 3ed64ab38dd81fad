"""HXL hashtag rows: finding them, parsing tag specs, and aliasing legacy and Spanish columns.

A column is reduced to a `Column(tag, attributes)`: "#org +name" -> ("org", {"name"}).
HXL 0.x tags from 2014 ("#lat_deg", "#org_id", "#impl") are rewritten to their 1.x
equivalents, and untagged columns whose human header is a known 3W heading (the
345W files from Central America tag only 9 of 49 columns) get a tag from that heading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..text import fold

_TAG = re.compile(r"^#([a-z][a-z0-9_]*)((?:\s*\+\s*[a-z][a-z0-9_]*)*)(?:\s*/\s*[a-z]{2})?$")
# How many leading rows may precede the hashtag row.
MAX_HEADER_ROWS = 25

# HXL 0.x (2014) tags -> (tag, attributes) in HXL 1.x.
LEGACY_TAGS: dict[str, tuple[str, frozenset[str]]] = {
    "lat_deg": ("geo", frozenset({"lat"})),
    "lon_deg": ("geo", frozenset({"lon"})),
    "org_id": ("org", frozenset({"code"})),
    "activity_id": ("activity", frozenset({"code"})),
    "sector_id": ("sector", frozenset({"code"})),
    "subsector_id": ("subsector", frozenset({"code"})),
    "country_id": ("country", frozenset({"code"})),
    "adm1_id": ("adm1", frozenset({"code"})),
    "adm2_id": ("adm2", frozenset({"code"})),
    "status_id": ("status", frozenset({"code"})),
    "funder": ("org", frozenset({"funder"})),
    "funder_id": ("org", frozenset({"funder", "code"})),
    "impl": ("org", frozenset({"impl"})),
    "impl_id": ("org", frozenset({"impl", "code"})),
    "prog": ("org", frozenset({"prog"})),
    "prog_id": ("org", frozenset({"prog", "code"})),
    "source": ("org", frozenset({"source"})),
    "source_id": ("org", frozenset({"source", "code"})),
    "x_activity_start_date": ("date", frozenset({"start"})),
    "x_activity_end_date": ("date", frozenset({"end"})),
    "period_date": ("date", frozenset({"reported"})),
    "report_date": ("date", frozenset({"reported"})),
    "targeted_num": ("targeted", frozenset()),
    "reached_num": ("reached", frozenset()),
    "loc": ("loc", frozenset({"name"})),
}

# Untagged human headers seen in real 3W/5W files (folded) -> (tag, attributes).
HEADER_ALIASES: dict[str, tuple[str, frozenset[str]]] = {
    "fecha de inicio": ("date", frozenset({"start"})),
    "fecha de finalizacion": ("date", frozenset({"end"})),
    "fecha de fin": ("date", frozenset({"end"})),
    "estado": ("status", frozenset()),
    "actividad": ("activity", frozenset({"name"})),
    "descripcion de la actividad": ("description", frozenset()),
    "organizacion donante": ("org", frozenset({"funder"})),
    "tipo de organizacion implementadora": ("org", frozenset({"type", "name"})),
    "act id": ("activity", frozenset({"code"})),
    "project name": ("activity", frozenset({"project"})),
    "start date": ("date", frozenset({"start"})),
    "end date": ("date", frozenset({"end"})),
    "status": ("status", frozenset()),
    "activity": ("activity", frozenset({"name"})),
    "description": ("description", frozenset()),
    "donor": ("org", frozenset({"funder"})),
}
SPANISH_HEADERS = {"fecha de inicio", "fecha de finalizacion", "estado", "actividad",
                   "organizacion donante", "descripcion de la actividad"}


# Attributes of #org that say which organisation of the activity a column describes.
ORG_ROLES = {
    "impl": "implementing", "implementing": "implementing", "implementer": "implementing",
    "partner": "partner", "funder": "funding", "funding": "funding", "donor": "funding",
    "prog": "extending", "programme": "extending", "program": "extending", "source": "source",
}
# Which organisation leads a row, when several roles are tagged: an untagged #org, else the
# reporting (#org +source), the implementing, the partner, the programme, the funding one.
LEAD_ORDER = (None, "source", "implementing", "partner", "extending", "funding")
# Attributes of #org that say what a column holds about its organisation, most specific first.
_ORG_PARTS = (("type", "type"), ("code", "code"), ("id", "code"), ("acronym", "acronym"),
              ("abbreviation", "acronym"), ("short", "acronym"), ("name", "name"))
# Attributes that neither name a role nor change what the column holds (+main, languages).
_NEUTRAL = frozenset({"main", "full", "label", "all"})


@dataclass(frozen=True, slots=True)
class Column:
    """One CSV column: its index, HXL tag and attributes.

    For #org columns, `role` is the organisation the column describes ("lead", "implementing",
    "partner", "funding", "extending", "source") and `part` what it holds about it ("name",
    "acronym", "type", "code"; None for a descriptor such as `+role` or `+level`, ignored).
    """

    index: int
    tag: str
    attributes: frozenset[str]
    header: str = ""
    role: str | None = None
    part: str | None = None

    def has(self, *attributes: str) -> bool:
        """Tell whether the column carries all the given attributes."""
        return all(a in self.attributes for a in attributes)


def parse_spec(spec: str) -> tuple[str, frozenset[str]] | None:
    """Parse "#org +name" (spaces allowed) into ("org", {"name"}); None if not a hashtag."""
    match = _TAG.match(spec.strip().lower())
    if not match:
        return None
    tag = match.group(1)
    attributes = frozenset(a.strip() for a in match.group(2).split("+") if a.strip())
    if tag in LEGACY_TAGS and not attributes:
        return LEGACY_TAGS[tag]
    if tag.startswith("x_"):
        return None  # HXL 0.x private extension columns carry nothing we map
    return tag, attributes


def is_hashtag(cell: str) -> bool:
    """Tell whether a cell is written as an HXL hashtag spec ("#org +name", "#x_foo", "#adm1/fr")."""
    return bool(_TAG.match(cell.strip().lower()))


def is_hashtag_row(row: list[str]) -> bool:
    """libhxl's rule: at least half of the non-empty cells are hashtags (and at least one is).

    A stray header left in the hashtag row ("Column1" from an Excel table) does not make the
    file "not HXL"; that column is simply untagged.
    """
    cells = [c for c in row if c.strip()]
    hashtags = sum(is_hashtag(c) for c in cells)
    return hashtags > 0 and hashtags * 2 >= len(cells)


def find_hashtag_row(rows: list[list[str]]) -> int | None:
    """Return the index of the hashtag row among the first rows, or None if it is not HXL."""
    for index, row in enumerate(rows[:MAX_HEADER_ROWS]):
        if is_hashtag_row(row):
            return index
    return None


def columns_for(tag_row: list[str], header_row: list[str] | None) -> tuple[list[Column], bool]:
    """Return the mapped columns and whether the human headers look Spanish."""
    columns: list[Column] = []
    spanish = False
    for index, cell in enumerate(tag_row):
        header = header_row[index] if header_row and index < len(header_row) else ""
        parsed = parse_spec(cell) if cell.strip() else None
        if parsed is None and not cell.strip() and header:
            parsed = HEADER_ALIASES.get(fold(header))
            spanish = spanish or fold(header) in SPANISH_HEADERS
        if parsed is not None:
            columns.append(Column(index, parsed[0], parsed[1], header))
    return _with_org_roles(columns), spanish


def org_role(attributes: frozenset[str]) -> str | None:
    """The role an #org column's attributes give (None: no role attribute)."""
    return next((ORG_ROLES[a] for a in sorted(attributes) if a in ORG_ROLES), None)


def org_part(attributes: frozenset[str]) -> str | None:
    """What an #org column holds: a name unless an attribute says otherwise; None if unknown."""
    for attribute, part in _ORG_PARTS:
        if attribute in attributes:
            return part
    other = {a for a in attributes - ORG_ROLES.keys() - _NEUTRAL if len(a) != 2}  # 2 letters: language
    return None if other else "name"


def _with_org_roles(columns: list[Column]) -> list[Column]:
    """Give each #org column its role and part; the lead group's columns get the role "lead"."""
    roles = {c.index: org_role(c.attributes) for c in columns if c.tag == "org"}
    parts = {c.index: org_part(c.attributes) for c in columns if c.tag == "org"}
    named = {roles[i] for i, part in parts.items() if part in ("name", "acronym")}
    lead = next((role for role in LEAD_ORDER if role in named), "")
    out = []
    for column in columns:
        if column.tag == "org":
            role = roles[column.index]
            # An #org column without a role (an "#org +type") describes the lead organisation.
            role = "lead" if role == lead or role is None else role
            column = replace(column, role=role, part=parts[column.index])
        out.append(column)
    return out

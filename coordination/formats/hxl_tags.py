"""HXL hashtag rows: finding them, parsing tag specs, and aliasing legacy and Spanish columns.

A column is reduced to a `Column(tag, attributes)`: "#org +name" -> ("org", {"name"}).
HXL 0.x tags from 2014 ("#lat_deg", "#org_id", "#impl") are rewritten to their 1.x
equivalents, and untagged columns whose human header is a known 3W heading (the
345W files from Central America tag only 9 of 49 columns) get a tag from that heading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .codes import fold

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


@dataclass(frozen=True, slots=True)
class Column:
    """One CSV column: its index, HXL tag and attributes."""

    index: int
    tag: str
    attributes: frozenset[str]
    header: str = ""

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
    return columns, spanish

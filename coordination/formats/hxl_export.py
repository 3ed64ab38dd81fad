"""Export of initiative records as an HXL-tagged 3W CSV: one row per initiative location.

Row 1 holds human headers, row 2 the HXL hashtags, as in the OCHA 3W files; the file
can be read back by `parse_hxl` without losing what the columns carry: the activity code is
the initiative's identifier (which keeps its rows together on import), and whole-initiative
figures (budget, people targeted) stand on its first row only, since a 3W importer adds up
the rows of one activity. Multi-valued cells (sectors, goals, partners) are ";"-separated.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .csv_safety import csv_line

COLUMNS: list[tuple[str, str]] = [
    ("Organisation", "#org+name"),
    ("Acronym", "#org+acronym"),
    ("Organisation type", "#org+type+code"),
    ("Organisation identifier", "#org+code"),
    ("Donor", "#org+funder"),
    ("Implementing partners", "#org+impl"),
    ("Programme partners", "#org+prog"),
    ("Sector", "#sector+name"),
    ("Activity", "#activity+name"),
    ("Activity code", "#activity+code"),
    ("Description", "#description"),
    ("SDG", "#sdg"),
    ("Country", "#country+code"),
    ("Admin 1", "#adm1+name"),
    ("Admin 1 p-code", "#adm1+code"),
    ("Admin 2", "#adm2+name"),
    ("Admin 2 p-code", "#adm2+code"),
    ("Place", "#loc+name"),
    ("Latitude", "#geo+lat"),
    ("Longitude", "#geo+lon"),
    ("Start", "#date+start"),
    ("End", "#date+end"),
    ("Status", "#status"),
    ("People targeted", "#targeted"),
    ("Budget", "#value+budget"),
    ("Currency", "#currency"),
    ("Source", "#meta+source"),
]


def _rows(record: dict[str, Any]) -> Iterator[list[Any]]:
    """The 3W rows of one record (one per location; one row when it has none)."""
    org = record["organisation"]
    aliases = org.get("aliases") or []
    def partners(role: str) -> str:
        return "; ".join(p["organisation"]["name"] for p in record.get("partners") or [] if p["role"] == role)

    common_head = [org.get("name"), aliases[0] if aliases else None, org.get("type"), org.get("org_identifier"),
                   partners("funding"), partners("implementing"), partners("extending"),
                   "; ".join(record.get("tags") or []), record.get("title"), record.get("iati_identifier"),
                   record.get("description"), "; ".join(record.get("goals") or [])]
    for n, loc in enumerate(record.get("locations") or [{}]):
        figures = [record.get("people_targeted"), record.get("budget"),
                   record.get("currency") if record.get("budget") is not None else None] if n == 0 else [None] * 3
        yield common_head + [loc.get("country"), loc.get("admin1"), loc.get("admin1_code"), loc.get("admin2"),
                             loc.get("admin2_code"), loc.get("name"), loc.get("lat"), loc.get("lon"),
                             record.get("start"), record.get("end"), record.get("status"), *figures,
                             record.get("provenance")]


def hxl_csv_chunks(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Yield the HXL 3W CSV: the two header rows, then the rows of each record."""
    yield csv_line(header for header, _ in COLUMNS)
    yield csv_line(tag for _, tag in COLUMNS)
    for record in records:
        yield "".join(csv_line(row) for row in _rows(record))

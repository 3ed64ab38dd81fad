"""Export of initiative records as an HXL-tagged 3W CSV: one row per initiative location.

Row 1 holds human headers, row 2 the HXL hashtags, as in the OCHA 3W files; the file
can be read back by `parse_hxl`. Multi-valued cells (sectors, goals) are ";"-separated.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .csv_safety import csv_line

COLUMNS: list[tuple[str, str]] = [
    ("Organisation", "#org+name"),
    ("Acronym", "#org+acronym"),
    ("Organisation type", "#org+type+code"),
    ("Donor", "#org+funder"),
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
    ("Source", "#meta+source"),
]


def _rows(record: dict[str, Any]) -> Iterator[list[Any]]:
    """The 3W rows of one record (one per location; one row when it has none)."""
    org = record["organisation"]
    aliases = org.get("aliases") or []
    funders = [p["organisation"]["name"] for p in record.get("partners") or [] if p["role"] == "funding"]
    common_head = [org.get("name"), aliases[0] if aliases else None, org.get("type"), "; ".join(funders),
                   "; ".join(record.get("tags") or []), record.get("title"), record.get("iati_identifier"),
                   record.get("description"), "; ".join(record.get("goals") or [])]
    tail = [record.get("start"), record.get("end"), record.get("status"), record.get("people_targeted"),
            record.get("provenance")]
    for loc in record.get("locations") or [{}]:
        yield common_head + [loc.get("country"), loc.get("admin1"), loc.get("admin1_code"), loc.get("admin2"),
                             loc.get("admin2_code"), loc.get("name"), loc.get("lat"), loc.get("lon")] + tail


def hxl_csv_chunks(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Yield the HXL 3W CSV: the two header rows, then the rows of each record."""
    yield csv_line(header for header, _ in COLUMNS)
    yield csv_line(tag for _, tag in COLUMNS)
    for record in records:
        yield "".join(csv_line(row) for row in _rows(record))

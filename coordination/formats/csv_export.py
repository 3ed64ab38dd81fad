"""Export of initiative records as a flat CSV: one row per initiative, lists ";"-joined."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .csv_safety import csv_line

HEADERS = [
    "title", "description", "organisation", "organisation_type", "organisation_country",
    "organisation_identifier", "partners", "goals", "tags", "countries", "admin1", "admin2",
    "lat", "lon", "start", "end", "status", "budget", "currency", "people_targeted",
    "iati_identifier", "language", "provenance",
]


def _unique(values: Iterable[Any]) -> str:
    """Join distinct non-empty values with "; "."""
    return "; ".join(dict.fromkeys(str(v) for v in values if v))


def _row(record: dict[str, Any]) -> list[Any]:
    """The CSV row of one record; lat/lon are those of its first located place."""
    org = record["organisation"]
    locations = record.get("locations") or []
    point = next((loc for loc in locations if loc.get("lat") is not None), {})
    partners = _unique(f"{p['organisation']['name']} ({p['role']})" for p in record.get("partners") or [])
    return [
        record.get("title"), record.get("description"), org.get("name"), org.get("type"), org.get("country"),
        org.get("org_identifier"), partners, _unique(record.get("goals") or []), _unique(record.get("tags") or []),
        _unique(loc.get("country") for loc in locations), _unique(loc.get("admin1") for loc in locations),
        _unique(loc.get("admin2") for loc in locations), point.get("lat"), point.get("lon"),
        record.get("start"), record.get("end"), record.get("status"), record.get("budget"),
        record.get("currency"), record.get("people_targeted"), record.get("iati_identifier"),
        record.get("language"), record.get("provenance"),
    ]


def csv_chunks(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Yield the header line, then one CSV line per record."""
    yield csv_line(HEADERS)
    for record in records:
        yield csv_line(_row(record))

"""Streaming exports of any filter the API accepts, in the field's formats."""
from __future__ import annotations

from typing import Iterator

from sqlalchemy.orm import Session

from .formats import csv_chunks, geojson_chunks, hxl_csv_chunks, iati_xml_chunks
from .permissions import Actor
from .queries import InitiativeFilter, list_initiatives
from .serialise import export_record

FORMATS = {
    "iati": (iati_xml_chunks, "application/xml", "initiatives.xml"),
    "hxl": (hxl_csv_chunks, "text/csv", "initiatives-3w.csv"),
    "geojson": (geojson_chunks, "application/geo+json", "initiatives.geojson"),
    "csv": (csv_chunks, "text/csv", "initiatives.csv"),
}


def records(session: Session, actor: Actor, f: InitiativeFilter) -> Iterator[dict]:
    """Every readable initiative matching the filter, page by page (memory stays flat)."""
    after = None
    while True:
        page = list_initiatives(session, actor, f, first=100, after=after)
        for initiative in page.items:
            yield export_record(initiative, actor)
        session.expunge_all()  # pages already written need not stay in the identity map
        if not page.has_next:
            return
        after = page.end_cursor


def export_chunks(session: Session, actor: Actor, f: InitiativeFilter, fmt: str) -> Iterator[str]:
    """Text chunks of the export in `fmt` (iati, hxl, geojson, csv)."""
    writer = FORMATS[fmt][0]
    return writer(records(session, actor, f))

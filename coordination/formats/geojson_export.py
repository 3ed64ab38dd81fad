"""Export of initiative records as a GeoJSON FeatureCollection: one Point per located place.

Coordinates are [lon, lat] (RFC 7946). Places without coordinates are left out unless
`include_unlocated=True`, which gives them a null geometry.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any


def _features(record: dict[str, Any], include_unlocated: bool) -> Iterator[dict[str, Any]]:
    """The features of one record."""
    org = record["organisation"]
    for loc in record.get("locations") or []:
        located = loc.get("lat") is not None and loc.get("lon") is not None
        if not located and not include_unlocated:
            continue
        yield {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]} if located else None,
            "properties": {
                "title": record.get("title"), "organisation": org.get("name"),
                "organisation_type": org.get("type"), "goals": record.get("goals") or [],
                "tags": record.get("tags") or [], "status": record.get("status"),
                "start": record.get("start"), "end": record.get("end"),
                "place": loc.get("name"), "country": loc.get("country"), "admin1": loc.get("admin1"),
                "admin2": loc.get("admin2"), "precision": loc.get("precision"),
                "iati_identifier": record.get("iati_identifier"), "provenance": record.get("provenance"),
            },
        }


def geojson_chunks(records: Iterable[dict[str, Any]], *, include_unlocated: bool = False) -> Iterator[str]:
    """Yield a FeatureCollection as text chunks, one feature at a time."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for record in records:
        for feature in _features(record, include_unlocated):
            yield ("\n" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
            first = False
    yield "\n]}\n"

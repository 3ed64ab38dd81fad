"""Factories for initiative records used by the convergence tests."""
from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from coordination.convergence import OverlapIndex
from coordination.records import InitiativeRecord, PlaceRecord

_ids = itertools.count(1000)
KISUMU = PlaceRecord(country="KE", admin1="Kisumu", lat=-0.0917, lon=34.768, name="Kisumu")


def near(place: PlaceRecord, km_north: float) -> PlaceRecord:
    """A point `km_north` kilometres north of `place`."""
    return PlaceRecord(country=place.country, admin1=place.admin1, lat=place.lat + km_north / 111.2,
                       lon=place.lon, name=place.name)


def make_record(**overrides: Any) -> InitiativeRecord:
    """A borehole project in Kisumu for 2024-2025, with any field overridden."""
    fields: dict[str, Any] = {
        "id": next(_ids),
        "organisation_id": next(_ids),
        "title": "Borehole drilling for safe drinking water",
        "description": "Drilling boreholes and installing hand pumps for rural households.",
        "goals": frozenset({"6.1"}),
        "tags": frozenset({"wash"}),
        "places": (KISUMU,),
        "start": date(2024, 1, 1),
        "end": date(2025, 12, 31),
        "org_type": "22",
    }
    fields.update(overrides)
    return InitiativeRecord(**fields)


def incremental(records, config=None, model=None) -> set:
    """Overlaps (links of every kind) collected while adding records one by one: the platform's write path."""
    index = OverlapIndex(config, text_model=model)
    found = {}
    for record in records:
        for overlap in index.find_overlaps(record):
            found[overlap.pair] = overlap
        index.add(record)
    return set(found.values())

"""Plain-data views of initiatives, shared by the convergence engine and the services.

The engine works on these frozen records, never on ORM objects, so it can be
benchmarked and tested without a database. `coordination.services` builds them
from the models (see `record_from_initiative`).
"""
from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

T = TypeVar("T")
_NO_VALUES: frozenset = frozenset()


def value_set(values: Iterable[T]) -> frozenset[T]:
    """frozenset(values), but the one shared empty set when there are none.

    The overlap index keeps a record per initiative in every serving process, and an empty
    frozenset is 216 bytes of its own: most records have no partners and no IATI links.
    """
    found = frozenset(values)
    return found if found else _NO_VALUES


def shared_text(text: str | None) -> str | None:
    """One copy of a short text many records repeat (a country code, an area's name, a type
    code): read from the database, each record would otherwise hold a copy of its own."""
    return sys.intern(text) if text else text


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """One location of an initiative.

    lat/lon may be None when only an administrative area is known.
    `precision` says how exact the place is: "point", "admin2", "admin1" or "country"
    (a country centroid is precision "country" even when lat/lon are filled in).
    """

    country: str | None = None  # ISO 3166-1 alpha-2, upper case
    admin1: str | None = None  # name or p-code of the first-level area
    admin2: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str = "point"
    name: str | None = None
    # Names for sentences, where `admin1`/`admin2`/`country` hold codes ("KE042" is "Kisumu").
    admin1_name: str | None = None
    admin2_name: str | None = None
    country_name: str | None = None


@dataclass(frozen=True, slots=True)
class InitiativeRecord:
    """What the engine needs to know about one initiative.

    `goals` holds normalised SDG-style codes: goals ("6") and targets ("6.1", "6.a").
    Codes of a coalition's own vision are mapped onto the SDG target they link to
    before they reach the engine. `org_type` is the IATI OrganisationType code as text
    ("10" government, "21"-"24" NGOs, "40" multilateral, "60" foundation, ...).

    `own_text` is False when neither title nor description was written by a person (a 3W
    presence row's title is generated from its sector and place): its text is no evidence.
    `iati_identifier` and `related_identifiers` (activity ids the record's IATI links name:
    participating-org, related-activity, transaction provider/receiver) find the same effort
    reported by two publishers.
    """

    id: int
    organisation_id: int
    title: str
    description: str = ""
    goals: frozenset[str] = _NO_VALUES
    tags: frozenset[str] = _NO_VALUES  # normalised tag slugs
    places: tuple[PlaceRecord, ...] = ()
    start: date | None = None
    end: date | None = None  # None = open-ended
    org_type: str | None = None
    partner_ids: frozenset[int] = _NO_VALUES
    own_text: bool = True
    iati_identifier: str | None = None
    related_identifiers: frozenset[str] = _NO_VALUES

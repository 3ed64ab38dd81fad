"""Location checks: does a point lie in the country it was declared for, and if not, why not."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from coordination.geo.boundaries import (
    COAST_MARGIN_KM,
    country_at,
    has_shape,
    load_shapes,
    point_in_country,
)
from coordination.geo.gazetteer import resolve_country

NULL_ISLAND_TOLERANCE_DEG = 1e-4  # a (0, 0) written as 0.00001 is still a placeholder


class Verdict(StrEnum):
    """What is wrong with a point, if anything."""

    OK = "ok"
    OUTSIDE_COUNTRY = "outside_country"
    SWAPPED = "lat_lon_swapped"
    OUT_OF_RANGE = "out_of_range"
    NULL_ISLAND = "null_island"
    UNCHECKED = "unchecked"


@dataclass(frozen=True)
class LocationCheck:
    """The verdict on one point, with the country it is actually in and a suggested fix."""

    verdict: Verdict
    message: str
    declared_country: str | None = None
    actual_country: str | None = None
    suggested: tuple[float, float] | None = None
    distance_km: float | None = None  # how far outside the declared country, when it is outside

    @property
    def ok(self) -> bool:
        """True when nothing is wrong (unchecked points are not flagged)."""
        return self.verdict in (Verdict.OK, Verdict.UNCHECKED)


def _in_range(lat: float, lon: float) -> bool:
    """Latitude within ±90 and longitude within ±180."""
    return -90 <= lat <= 90 and -180 <= lon <= 180


def _name(iso2: str | None) -> str:
    """A country's name for messages."""
    if iso2 is None:
        return "no country (sea or unmapped area)"
    shape = load_shapes().get(iso2)
    return f"{shape.name} ({iso2})" if shape else iso2


def check_location(
    lat: float | None, lon: float | None, country: str | None = None
) -> LocationCheck:
    """Check a WGS84 point against its declared country (ISO2, ISO3 or name), allowing a coastal margin."""
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return LocationCheck(
            Verdict.OUT_OF_RANGE, "latitude or longitude is missing or not a number"
        )
    iso2 = resolve_country(country) if country else None
    if abs(lat) < NULL_ISLAND_TOLERANCE_DEG and abs(lon) < NULL_ISLAND_TOLERANCE_DEG:
        return LocationCheck(
            Verdict.NULL_ISLAND, "the point is (0, 0), a placeholder rather than a place", iso2
        )
    if country and iso2 is None:
        return LocationCheck(Verdict.UNCHECKED, f"unknown country {country!r}: point not checked")
    if not _in_range(lat, lon):
        if iso2 and _in_range(lon, lat) and point_in_country(lon, lat, iso2, COAST_MARGIN_KM):
            return _swapped(lat, lon, iso2)
        return LocationCheck(
            Verdict.OUT_OF_RANGE, f"({lat}, {lon}) is outside latitude ±90 / longitude ±180", iso2
        )
    if iso2 is None:
        actual = country_at(lat, lon, COAST_MARGIN_KM)
        return LocationCheck(
            Verdict.OK, f"no declared country; the point is in {_name(actual)}", None, actual
        )
    if not has_shape(iso2):
        return LocationCheck(
            Verdict.UNCHECKED, f"no outline for {iso2} at 1:50m: point not checked", iso2
        )
    if point_in_country(lat, lon, iso2, COAST_MARGIN_KM):
        return LocationCheck(Verdict.OK, f"the point lies in {_name(iso2)}", iso2, iso2)
    if _in_range(lon, lat) and point_in_country(lon, lat, iso2, COAST_MARGIN_KM):
        return _swapped(lat, lon, iso2)
    actual = country_at(lat, lon, COAST_MARGIN_KM)
    distance = load_shapes()[iso2].distance_km(lat, lon)
    where = _name(actual) if actual else "the sea or an area the 1:50m outlines omit"
    return LocationCheck(
        Verdict.OUTSIDE_COUNTRY,
        f"declared {_name(iso2)} but the point lies in {where}, {distance:.0f} km from {iso2}",
        iso2,
        actual,
        _sign_fix(lat, lon, iso2),
        round(distance, 1),
    )


def _swapped(lat: float, lon: float, iso2: str) -> LocationCheck:
    """The verdict for a point whose latitude and longitude were written the wrong way round."""
    return LocationCheck(
        Verdict.SWAPPED,
        f"latitude and longitude look swapped: ({lon}, {lat}) lies in {_name(iso2)}",
        iso2,
        country_at(lat, lon, COAST_MARGIN_KM) if _in_range(lat, lon) else None,
        (lon, lat),
    )


def _sign_fix(lat: float, lon: float, iso2: str) -> tuple[float, float] | None:
    """A lost minus sign is a common slip: offer the sign-flipped point if that one is in the country."""
    for candidate in ((-lat, lon), (lat, -lon), (-lat, -lon)):
        if point_in_country(*candidate, iso2, COAST_MARGIN_KM):
            return candidate
    return None

"""Normalising locations on the way in: geocode names, fill admin areas, check points.

Part of the core loop's "normalise" step. A point that lies outside its declared
country (or has latitude and longitude swapped) is refused for people typing it in,
with the likely fix in the message; importers keep such points (real files have
them) and the check is reported by `scripts/geo_report.py`.
"""
from __future__ import annotations

from typing import Any

from ..errors import ValidationError
from ..geo import Place, area_of_code, check_location, geocode, reverse_geocode


def normalise_locations(locations: list[dict[str, Any]], strict: bool) -> list[dict[str, Any]]:
    """Fill what the offline gazetteer knows; with `strict`, refuse implausible points."""
    errors: dict[str, list[str]] = {}
    out = []
    for i, loc in enumerate(locations):
        loc = country_level(dict(loc))
        coded = _coded_area(loc)
        if coded:
            _place_at(loc, coded)
        elif loc.get("lat") is None and loc.get("name") or (loc.get("lat") is None and loc.get("admin1")):
            query = loc.get("admin2") or loc.get("name") or loc.get("admin1")
            hits = geocode(query, loc.get("country"))
            if hits:
                _place_at(loc, hits[0])
        elif loc.get("lat") is not None:
            check = check_location(loc["lat"], loc["lon"], loc.get("country"))
            if strict and not check.ok:
                errors[f"locations.{i}"] = [check.message]
            if check.ok and not loc.get("country") or (check.ok and not loc.get("admin1")):
                place = reverse_geocode(loc["lat"], loc["lon"])
                if place is not None:
                    loc["country"] = loc.get("country") or place.country
                    # A country centroid lies in some province; the work does not.
                    if loc["country"] == place.country and has_real_point(loc):
                        loc["admin1"] = loc.get("admin1") or place.admin1
                        loc["admin1_code"] = loc.get("admin1_code") or place.admin1_code
        if loc.get("admin1") and loc.get("country") and not loc.get("admin1_code"):
            loc["admin1_code"] = _admin1_code(loc["admin1"], loc.get("country"))
        out.append(loc)
    if errors:
        first = next(iter(errors))
        raise ValidationError(f"Implausible location: {errors[first][0]}", errors)
    return out


def _coded_area(loc: dict[str, Any]) -> Place | None:
    """The area whose point a location without a point of its own should take: the one its
    p-code names (a name can be ambiguous: "Qara Bagh" is a district of Kabul and of Ghazni).

    A location that already carries an area's centroid (precision admin1/admin2) takes the
    gazetteer's point only when that point is the area's own, not its province's.
    """
    place = area_of_code(loc.get("admin2_code")) or area_of_code(loc.get("admin1_code"))
    if place is None or has_real_point(loc):
        return None
    if loc.get("lat") is None or (place.point_precision == place.precision and place.lat is not None):
        return place
    return None


def _place_at(loc: dict[str, Any], place: Place) -> None:
    """Give the location the area's point, filling what it does not say about the area."""
    loc.update({"lat": place.lat, "lon": place.lon, "country": loc.get("country") or place.country,
                "admin1": loc.get("admin1") or place.admin1, "admin2": loc.get("admin2") or place.admin2,
                "admin1_code": loc.get("admin1_code") or place.admin1_code,
                "admin2_code": loc.get("admin2_code") or place.admin2_code})
    # The point is the area's centroid: say so, whatever the caller guessed.
    loc["precision"] = place.precision


ADMIN_KEYS = ("admin1", "admin1_code", "admin2", "admin2_code")


def has_real_point(loc: dict[str, Any]) -> bool:
    """True when the location's point is where the work is (precision `point`, the default),
    not the centroid of the area it names: only such a point may tell its admin areas."""
    return loc.get("lat") is not None and (loc.get("precision") or "point") == "point"


def country_level(loc: dict[str, Any]) -> dict[str, Any]:
    """A country-precision location without admin areas: the whole country, not the province
    its centroid happens to lie in. Other locations are returned unchanged."""
    if loc.get("precision") != "country" or not any(loc.get(k) for k in ADMIN_KEYS):
        return loc
    return {**loc, **dict.fromkeys(ADMIN_KEYS)}


def _admin1_code(name: str, country: str | None) -> str | None:
    """The p-code of a named first-level area, so areas written by name or by code match."""
    for place in geocode(name, country):
        if place.precision == "admin1" and place.admin1_code:
            return place.admin1_code
    return None

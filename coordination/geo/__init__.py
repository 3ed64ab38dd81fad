"""Offline geography: gazetteer, country boundaries, location checks and places named in text."""

from coordination.geo.boundaries import country_at, point_in_country
from coordination.geo.checks import LocationCheck, Verdict, check_location
from coordination.geo.gazetteer import Place, area_of_code, geocode, resolve_country, reverse_geocode
from coordination.geo.places_in_text import places_in_text

__all__ = [
    "LocationCheck", "Place", "Verdict", "area_of_code", "check_location", "country_at", "geocode",
    "places_in_text", "point_in_country", "resolve_country", "reverse_geocode",
]  # fmt: skip

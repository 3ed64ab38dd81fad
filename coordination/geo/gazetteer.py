"""The offline gazetteer: countries, admin-1 and admin-2 areas by name, with a point for each.

Built by `scripts/build_geo.py` into `coordination/data/geo/gazetteer.tsv.gz` from OCHA p-codes
(names and codes), dr5hn centroids (ODbL) and WFP market points. A place's `precision` says what
it names; `point_precision` says what its point stands for, which is coarser when no source had
a point for that area (most admin-2 areas carry their admin-1 centroid).
"""

from __future__ import annotations

import csv
import gzip
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from pathlib import Path

from coordination.geo.boundaries import COAST_MARGIN_KM, DATA_DIR, country_at
from coordination.text import place_key

GAZETTEER_FILE = DATA_DIR / "gazetteer.tsv.gz"
LEVEL_RANK = {"country": 0, "admin1": 1, "admin2": 2}
# Generic words that people add or drop around an area's name ("Kabul Province", "District of X").
ADMIN_WORDS = frozenset(
    [
        "province",
        "provincia",
        "region",
        "state",
        "governorate",
        "department",
        "departamento",
        "district",
        "division",
        "county",
        "prefecture",
        "municipality",
        "municipio",
        "oblast",
    ]
)


@dataclass(frozen=True)
class Place:
    """A named area with a representative point; lat/lon are None when no source had one."""

    name: str
    country: str
    admin1: str | None
    admin2: str | None
    admin1_code: str | None
    admin2_code: str | None
    lat: float | None
    lon: float | None
    precision: str
    point_precision: str | None = None


def name_keys(name: str) -> set[str]:
    """The folded forms under which a name is indexed: as written, without brackets or admin words."""
    keys = {place_key(name)}
    if "(" in name:
        keys.add(place_key(re.sub(r"\(.*?\)", " ", name)))
    for key in sorted(keys):  # a snapshot: the loop adds keys
        words = key.split()
        core = [w for w in words if w not in ADMIN_WORDS]
        if core and core != words:
            keys.add(" ".join(core))
        if len(words) > 1 and words[0] in ("al", "el", "ad", "ar", "as", "an", "ash"):
            keys.add(" ".join(words[1:]))  # "Al-Anbar" is also written "Anbar"
    keys.discard("")
    return keys


class Gazetteer:
    """Places with a name index; geocoding and reverse geocoding over them."""

    def __init__(self, places: list[Place], names: list[list[str]]) -> None:
        """Index every place under its own and alternative names."""
        self.places = places
        self.index: dict[str, list[int]] = defaultdict(list)
        self.primary: set[tuple[str, int]] = set()
        self.countries: dict[str, Place] = {}
        self.admin1_by_country: dict[str, list[Place]] = defaultdict(list)
        self.by_code: dict[str, Place] = {}
        index, primary, by_code = self.index, self.primary, self.by_code
        for i, (place, aliases) in enumerate(zip(places, names, strict=True)):
            precision = place.precision
            code = place.admin2_code if precision == "admin2" else place.admin1_code
            if code:
                by_code[code.upper()] = place
            primary.add((place_key(place.name), i))
            keys = name_keys(aliases[0])
            for alias in aliases[1:]:
                keys |= name_keys(alias)
            for key in keys:
                index[key].append(i)
            if precision == "country":
                self.countries[place.country] = place
            elif precision == "admin1" and place.point_precision == "admin1":
                self.admin1_by_country[place.country].append(place)

    @classmethod
    def load(cls, path: Path = GAZETTEER_FILE) -> Gazetteer:
        """Read the shipped TSV, resolving each admin-2 area's admin-1 name through its parent code."""
        with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
            reader = csv.reader(f, delimiter="\t")
            column = {name: i for i, name in enumerate(next(reader))}
            take = itemgetter(*(column[name] for name in ("level", "iso2", "code", "name", "parent", "lat", "lon",
                                                           "point", "alt_names")))
            rows = [take(row) for row in reader]
        admin1_names = {code: name for level, _, code, name, *_ in rows if level == "admin1"}
        places, names = [], []
        for level, iso2, code, name, parent, lat, lon, point, alt_names in rows:
            admin1_code = code if level == "admin1" else parent if level == "admin2" else None
            places.append(Place(name, iso2, admin1_names.get(admin1_code) if admin1_code else None,
                                name if level == "admin2" else None, admin1_code,
                                code if level == "admin2" else None, float(lat) if lat else None,
                                float(lon) if lon else None, level, point or None))
            names.append([name, *filter(None, alt_names.split("|"))] if alt_names else [name])
        return cls(places, names)

    def resolve_country(self, text: str | None) -> str | None:
        """ISO2 for an ISO2 or ISO3 code or a country name in EN/FR/ES; None if unknown."""
        if not text or not text.strip():
            return None
        value = text.strip()
        if len(value) == 2 and value.upper() in self.countries:
            return value.upper()
        if len(value) == 3 and value.isalpha():
            iso2 = _iso3_to_iso2().get(value.upper())
            if iso2:
                return iso2
        for i in self.index.get(place_key(value), []):
            if self.places[i].precision == "country":
                return self.places[i].country
        # OCHA's fuzzy country patterns catch "Congo (Brazaville)"; only an unambiguous hit counts.
        hits = {iso2 for iso2, pattern in _country_patterns() if pattern.search(place_key(value))}
        return hits.pop() if len(hits) == 1 else None

    def geocode(self, name: str, country: str | None = None) -> list[Place]:
        """Places called `name`, best first: country, admin-1, admin-2; own name before alias."""
        iso2 = self.resolve_country(country) if country else None
        if country and iso2 is None:
            return []
        found = {i for key in name_keys(name) for i in self.index.get(key, [])}
        if not found and "," in name:  # "Kisumu, Kenya" or "Kabul, Kabul Province"
            head, _, tail = name.rpartition(",")
            context = self.resolve_country(tail)
            if context and iso2 in (None, context):
                return self.geocode(head, context)
            return [
                p
                for p in self.geocode(head, country)
                if p.admin1 and place_key(p.admin1) in name_keys(tail)
            ]
        if iso2:
            found = {i for i in found if self.places[i].country == iso2}
        query = place_key(name)

        def rank(i: int) -> tuple:
            place = self.places[i]
            return (LEVEL_RANK[place.precision], (query, i) not in self.primary,
                    place.point_precision != place.precision, place.country, place.name)  # fmt: skip

        return [self.places[i] for i in sorted(found, key=rank)]

    def reverse_geocode(self, lat: float, lon: float) -> Place | None:
        """The admin-1 area whose centroid is nearest, within the country the point lies in."""
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None
        iso2 = country_at(lat, lon, COAST_MARGIN_KM)
        if iso2 is None:
            return None
        # Approximation: the nearest admin-1 centroid is not always the admin-1 that contains the
        # point (near a border with a large neighbouring area, the neighbour's centroid can be
        # closer); we ship centroids, not admin-1 polygons, to stay small and offline.
        areas = self.admin1_by_country.get(iso2)
        if not areas:
            return self.countries.get(iso2)
        return min(areas, key=lambda p: haversine_km(lat, lon, p.lat or 0.0, p.lon or 0.0))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


@cache
def _iso_rows() -> list[dict[str, str]]:
    """The shipped ISO code table (iso2, iso3, numeric, OCHA name regex)."""
    with open(DATA_DIR / "iso_codes.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def _iso3_to_iso2() -> dict[str, str]:
    """ISO3 → ISO2."""
    return {row["iso3"]: row["iso2"] for row in _iso_rows()}


def iso2_for_iso3(code: str) -> str | None:
    """ISO2 for an ISO3 code ("GIN" -> "GN"); None when it is not one."""
    return _iso3_to_iso2().get(code.strip().upper())


@cache
def _iso2_to_iso3() -> dict[str, str]:
    """ISO2 → ISO3."""
    return {row["iso2"]: row["iso3"] for row in _iso_rows()}


def iso3_for_iso2(code: str) -> str | None:
    """ISO3 for an ISO2 code ("GN" -> "GIN"); None when it is not one."""
    return _iso2_to_iso3().get(code.strip().upper())


@cache
def _country_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """OCHA's country-name regular expressions, compiled once."""
    return [
        (row["iso2"], re.compile(row["regex"], re.IGNORECASE))
        for row in _iso_rows()
        if row["regex"]
    ]


@cache
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once per process."""
    return Gazetteer.load()


def geocode(name: str, country: str | None = None) -> list[Place]:
    """Ranked places for a name (accent- and case-insensitive), optionally within one country."""
    return default_gazetteer().geocode(name, country)


def area_of_code(code: str | None) -> Place | None:
    """The admin-1 or admin-2 area with this p-code ("AF0102" → Paghman), with its point."""
    return default_gazetteer().by_code.get(code.strip().upper()) if code else None


def reverse_geocode(lat: float, lon: float) -> Place | None:
    """Approximate admin-1 (or country) for a point: nearest admin-1 centroid inside its country."""
    return default_gazetteer().reverse_geocode(lat, lon)


def resolve_country(text: str | None) -> str | None:
    """ISO2 for a country code (ISO2/ISO3) or name; None when unknown."""
    return default_gazetteer().resolve_country(text)


def admin1_areas(country: str | None) -> list[tuple[str, str]]:
    """A country's first-level areas as (p-code, name), by name: [("KE042", "Kisumu"), ...]."""
    if not country:
        return []
    country = country.strip().upper()
    areas = {p.admin1_code: p.name for p in default_gazetteer().places
             if p.precision == "admin1" and p.country == country and p.admin1_code}
    return sorted(areas.items(), key=lambda item: place_key(item[1]))

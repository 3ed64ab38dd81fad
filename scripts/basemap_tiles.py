"""Encoding basemap tiles: Web Mercator, clipping to a tile, and rings and lines as flat lists of
integer tile coordinates (0 to EXTENT), gzipped as compact JSON (see `build_basemap.py`).
"""
from __future__ import annotations

import gzip
import json
import math

EXTENT = 4096
MAX_LAT = 85.0511287798


def encode_tile(tile: dict) -> bytes:
    """A tile as stored: compact JSON, gzipped reproducibly (no timestamp)."""
    return gzip.compress(json.dumps(tile, separators=(",", ":"), ensure_ascii=False).encode(), 9, mtime=0)



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


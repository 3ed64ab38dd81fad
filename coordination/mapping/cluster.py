"""Grid clustering of map points by viewport and zoom (Web Mercator pixel cells).

At zoom z the world is 256·2^z pixels wide; points falling in the same CELL_PX square
merge into one cluster. However many points match, the answer has at most one feature
per cell of the viewport, so its size is bounded by the screen, not by the data.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

CELL_PX = 64
MAX_VIEW_PX = 4096  # a wider request is answered at a lower zoom, keeping the cell count bounded
UNCLUSTERED_ZOOM = 16  # from here on every point is its own feature (the browser spiderfies twins)
MAX_UNCLUSTERED = 2000


@dataclass(frozen=True, slots=True)
class MapPoint:
    """One shown location of one initiative; `colour` is its primary goal's colour or None."""

    initiative_id: int
    lat: float
    lon: float
    colour: str | None = None
    approximate: bool = False


@dataclass(frozen=True, slots=True)
class ViewCluster:
    """A feature of the answer: a single initiative (count 1) or a cluster of several."""

    lat: float
    lon: float
    count: int  # distinct initiatives
    colour: str | None
    initiative_id: int | None = None  # set when count == 1
    approximate: bool = False
    bounds: tuple[float, float, float, float] | None = None  # minLon, minLat, maxLon, maxLat


def _x(lon: np.ndarray, scale: float) -> np.ndarray:
    return (lon + 180.0) / 360.0 * scale


def _y(lat: np.ndarray, scale: float) -> np.ndarray:
    lat = np.clip(lat, -85.05112878, 85.05112878)
    s = np.sin(np.radians(lat))
    return (0.5 - np.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale


def effective_zoom(zoom: int, bbox: tuple[float, float, float, float]) -> int:
    """The zoom to cluster at: lowered until the bbox spans at most MAX_VIEW_PX pixels."""
    min_lon, min_lat, max_lon, max_lat = bbox
    width_deg = (max_lon - min_lon) % 360 or 360.0
    z = max(0, min(int(zoom), 22))
    while z > 0:
        scale = 256.0 * 2 ** z
        height = float(_y(np.array([min_lat]), scale)[0] - _y(np.array([max_lat]), scale)[0])
        if width_deg / 360.0 * scale <= MAX_VIEW_PX and height <= MAX_VIEW_PX:
            break
        z -= 1
    return z


def cluster_points(points: Sequence[MapPoint], zoom: int, cell_px: int = CELL_PX) -> list[ViewCluster]:
    """Merge points per grid cell; a cell with one initiative stays a single marker.

    A cluster sits at the mean of its points and carries the colour most of its
    initiatives share. Several locations of one initiative in one cell count once.
    """
    if not points:
        return []
    n = len(points)
    lat = np.fromiter((p.lat for p in points), float, n)
    lon = np.fromiter((p.lon for p in points), float, n)
    ids = np.fromiter((p.initiative_id for p in points), np.int64, n)
    if zoom >= UNCLUSTERED_ZOOM and len(set(ids.tolist())) <= MAX_UNCLUSTERED:
        return [ViewCluster(p.lat, p.lon, 1, p.colour, p.initiative_id, p.approximate) for p in points]
    scale = 256.0 * 2 ** zoom
    cols = max(1, int(scale // cell_px) + 1)
    cx = np.floor(_x(lon, scale) / cell_px).astype(np.int64)
    cy = np.floor(_y(lat, scale) / cell_px).astype(np.int64)
    cell_keys, cell = np.unique(cy * cols + cx, return_inverse=True)
    ncell = len(cell_keys)
    counts = np.bincount(cell, minlength=ncell)
    sum_lat = np.bincount(cell, weights=lat, minlength=ncell)
    sum_lon = np.bincount(cell, weights=lon, minlength=ncell)
    # distinct (cell, initiative) pairs → initiatives per cell and the colour they vote for
    palette = sorted({p.colour or "" for p in points})
    colour_index = {c: i for i, c in enumerate(palette)}
    colour = np.fromiter((colour_index[p.colour or ""] for p in points), np.int64, n)
    _pair_keys, first = np.unique(cell * (int(ids.max()) + 1) + ids, return_index=True)
    pair_cell = cell[first]
    distinct = np.bincount(pair_cell, minlength=ncell)
    votes = np.bincount(pair_cell * len(palette) + colour[first], minlength=ncell * len(palette))
    dominant = votes.reshape(ncell, len(palette)).argmax(axis=1)
    min_lat = np.full(ncell, np.inf)
    max_lat = np.full(ncell, -np.inf)
    min_lon = np.full(ncell, np.inf)
    max_lon = np.full(ncell, -np.inf)
    np.minimum.at(min_lat, cell, lat)
    np.maximum.at(max_lat, cell, lat)
    np.minimum.at(min_lon, cell, lon)
    np.maximum.at(max_lon, cell, lon)
    first_point = np.full(ncell, n, dtype=np.int64)
    np.minimum.at(first_point, cell, np.arange(n))
    out: list[ViewCluster] = []
    for c in range(ncell):
        if distinct[c] == 1:
            p = points[int(first_point[c])]
            out.append(ViewCluster(p.lat, p.lon, 1, p.colour, p.initiative_id, p.approximate))
        else:
            out.append(ViewCluster(
                float(sum_lat[c] / counts[c]), float(sum_lon[c] / counts[c]), int(distinct[c]),
                palette[int(dominant[c])] or None,
                bounds=(float(min_lon[c]), float(min_lat[c]), float(max_lon[c]), float(max_lat[c]))))
    return out


def in_bbox(lat: float, lon: float, bbox: tuple[float, float, float, float]) -> bool:
    """Whether a point lies in a bbox (which may cross the 180° meridian)."""
    min_lon, min_lat, max_lon, max_lat = bbox
    if not min_lat <= lat <= max_lat:
        return False
    return min_lon <= lon <= max_lon if min_lon <= max_lon else (lon >= min_lon or lon <= max_lon)

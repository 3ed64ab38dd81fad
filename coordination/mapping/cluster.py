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
    palette = sorted({p.colour or "" for p in points})
    colour_index = {c: i for i, c in enumerate(palette)}
    return cluster_arrays(
        np.fromiter((p.initiative_id for p in points), np.int64, n),
        np.fromiter((p.lat for p in points), float, n), np.fromiter((p.lon for p in points), float, n),
        np.fromiter((colour_index[p.colour or ""] for p in points), np.int64, n),
        np.fromiter((p.approximate for p in points), bool, n), [c or None for c in palette], zoom, cell_px)


def cluster_arrays(ids: np.ndarray, lat: np.ndarray, lon: np.ndarray, colour: np.ndarray,
                   approximate: np.ndarray, palette: Sequence[str | None], zoom: int,
                   cell_px: int = CELL_PX) -> list[ViewCluster]:
    """`cluster_points` over columns: one row per point, `colour` indexes `palette`.

    The column form is what the map's cached point table (`mapping.table`) holds, so a
    world view of 100k points is clustered without building a Python object per point.
    """
    n = len(ids)
    if n == 0:
        return []
    if zoom >= UNCLUSTERED_ZOOM and count_distinct(ids) <= MAX_UNCLUSTERED:
        return [ViewCluster(float(la), float(lo), 1, palette[c], int(i), bool(a))
                for i, la, lo, c, a in zip(ids.tolist(), lat.tolist(), lon.tolist(), colour.tolist(),
                                           approximate.tolist(), strict=True)]
    order, keys = cell_order(lat, lon, zoom, cell_px)
    return clusters_sorted(ids, lat, lon, colour, approximate, palette, order, keys)


def clusters_sorted(ids: np.ndarray, lat: np.ndarray, lon: np.ndarray, colour: np.ndarray,
                    approximate: np.ndarray, palette: Sequence[str | None], order: np.ndarray,
                    keys: np.ndarray) -> list[ViewCluster]:
    """The clusters of the rows `order` with cell keys `keys` (as `cell_order` returns them)."""
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    cell = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(order)]))
    ids_s = ids[order]
    first = first_of_each(cell * (int(ids_s.max()) + 1) + ids_s)
    return clusters_in_order(ids, lat, lon, colour, approximate, palette, order, starts, first)


def cell_keys(lat: np.ndarray, lon: np.ndarray, zoom: int, cell_px: int = CELL_PX) -> np.ndarray:
    """The grid cell of each point at `zoom`, as one integer (row-major over the world)."""
    scale = 256.0 * 2 ** zoom
    cols = max(1, int(scale // cell_px) + 1)
    cx = np.floor(_x(lon, scale) / cell_px).astype(np.int64)
    cy = np.floor(_y(lat, scale) / cell_px).astype(np.int64)
    return cy * cols + cx


GRID_ZOOM = 22  # the deepest zoom a viewport is clustered at (`effective_zoom` caps the zoom there)
_GRID_OFFSET = 1 << 24  # cell numbers at GRID_ZOOM run from -1 to 2^24: offset, they stay positive


def _spread(v: np.ndarray) -> np.ndarray:
    """The bits of `v` (< 2^32) moved to the even bit positions."""
    for shift, mask in ((16, 0x0000FFFF0000FFFF), (8, 0x00FF00FF00FF00FF), (4, 0x0F0F0F0F0F0F0F0F),
                        (2, 0x3333333333333333), (1, 0x5555555555555555)):
        v = (v | (v << np.uint64(shift))) & np.uint64(mask)
    return v


def grid_codes(lat: np.ndarray, lon: np.ndarray, cell_px: int = CELL_PX) -> np.ndarray:
    """Each point's cell at GRID_ZOOM as a Z-order (Morton) code, an int64.

    A cell at zoom z is the cell at GRID_ZOOM shifted right by GRID_ZOOM - z (the scale is a
    power of two, so `cell_keys` at z floors the same number), and the offset keeps that
    true for the cells at -1: so `code >> 2 * (GRID_ZOOM - z)` numbers the cells at zoom z, and
    rows sorted by code have every cell of every zoom in one run (`zoom_cells`).
    """
    scale = 256.0 * 2 ** GRID_ZOOM
    cx = np.floor(_x(lon, scale) / cell_px).astype(np.int64) + _GRID_OFFSET
    cy = np.floor(_y(lat, scale) / cell_px).astype(np.int64) + _GRID_OFFSET
    return ((_spread(cy.astype(np.uint64)) << np.uint64(1)) | _spread(cx.astype(np.uint64))).astype(np.int64)


def zoom_cells(codes: np.ndarray, zoom: int) -> np.ndarray:
    """The cell numbers at `zoom` of rows with these `grid_codes` (same order as cell keys
    within a Z-order run, not row-major: `cell_keys` gives the row-major key)."""
    return codes >> np.int64(2 * (GRID_ZOOM - zoom))


def cell_order(lat: np.ndarray, lon: np.ndarray, zoom: int,
               cell_px: int = CELL_PX) -> tuple[np.ndarray, np.ndarray]:
    """(rows sorted by cell, stable, so a cell's first point is its lowest row; their cell keys)."""
    keys = cell_keys(lat, lon, zoom, cell_px)
    order = np.argsort(keys, kind="stable")
    return order, keys[order]


def clusters_in_order(ids: np.ndarray, lat: np.ndarray, lon: np.ndarray, colour: np.ndarray,
                      approximate: np.ndarray, palette: Sequence[str | None], order: np.ndarray,
                      starts: np.ndarray, first: np.ndarray) -> list[ViewCluster]:
    """The clusters of the rows `order` (sorted by cell, stable), whose cells start at `starts`.

    `first` holds, for each distinct (cell, initiative), the position in `order` of its first
    point: initiatives per cell and the colour they vote for are counted from those.
    """
    n = len(order)
    ncell = len(starts)
    lat_s, lon_s, colour_s = lat[order], lon[order], colour[order]
    counts = np.diff(np.r_[starts, n])
    sum_lat = np.add.reduceat(lat_s, starts)
    sum_lon = np.add.reduceat(lon_s, starts)
    min_lat, max_lat = np.minimum.reduceat(lat_s, starts), np.maximum.reduceat(lat_s, starts)
    min_lon, max_lon = np.minimum.reduceat(lon_s, starts), np.maximum.reduceat(lon_s, starts)
    npal = max(1, len(palette))
    cell = np.repeat(np.arange(ncell), counts)
    pair_cell = cell[first]
    distinct = np.bincount(pair_cell, minlength=ncell)
    votes = np.bincount(pair_cell * npal + colour_s[first], minlength=ncell * npal)
    dominant = votes.reshape(ncell, npal).argmax(axis=1)
    out: list[ViewCluster] = []
    for c in range(ncell):
        if distinct[c] == 1:
            row = int(order[starts[c]])
            out.append(ViewCluster(float(lat[row]), float(lon[row]), 1, palette[int(colour[row])],
                                   int(ids[row]), bool(approximate[row])))
        else:
            out.append(ViewCluster(
                float(sum_lat[c] / counts[c]), float(sum_lon[c] / counts[c]), int(distinct[c]),
                palette[int(dominant[c])] if palette else None,
                bounds=(float(min_lon[c]), float(min_lat[c]), float(max_lon[c]), float(max_lat[c]))))
    return out


def count_distinct(values: np.ndarray) -> int:
    """Number of distinct values (a sort: numpy 2's hash-based `np.unique` is slower on int64)."""
    if len(values) == 0:
        return 0
    s = np.sort(values)
    return int(np.count_nonzero(s[1:] != s[:-1])) + 1


def repeated(ids: np.ndarray) -> np.ndarray:
    """Which values occur more than once (by counting when the values are small non-negative
    integers, as row ids are; else by sorting)."""
    if len(ids) == 0:
        return np.zeros(0, bool)
    if int(ids.min()) >= 0 and int(ids.max()) <= 4 * len(ids) + 1_000_000:
        return np.bincount(ids)[ids] > 1
    s = np.sort(ids)
    twice = s[1:][s[1:] == s[:-1]]
    return is_in(ids, distinct(twice))


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values (`np.unique` by sorting, see `count_distinct`)."""
    s = np.sort(values)
    return s[np.r_[True, s[1:] != s[:-1]]] if len(s) else s


def is_in(values: np.ndarray, sorted_distinct: np.ndarray) -> np.ndarray:
    """`np.isin(values, sorted_distinct)` by binary search (the set must be sorted and distinct)."""
    if len(sorted_distinct) == 0:
        return np.zeros(values.shape, bool)
    pos = np.minimum(np.searchsorted(sorted_distinct, values), len(sorted_distinct) - 1)
    return sorted_distinct[pos] == values


def first_of_each(keys: np.ndarray) -> np.ndarray:
    """Positions of the first occurrence of each distinct key, in key order (`np.unique(return_index)`)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    return order[np.r_[True, ordered[1:] != ordered[:-1]]] if len(keys) else order


def in_bbox(lat: float, lon: float, bbox: tuple[float, float, float, float]) -> bool:
    """Whether a point lies in a bbox (which may cross the 180° meridian)."""
    min_lon, min_lat, max_lon, max_lat = bbox
    if not min_lat <= lat <= max_lat:
        return False
    return min_lon <= lon <= max_lon if min_lon <= max_lon else (lon >= min_lon or lon <= max_lon)

"""The map's point table: shown points of one audience as numpy columns, in grid order.

Rows are sorted by `cluster.grid_codes` (a Z-order code of each point's cell at the deepest
zoom), so at every zoom each grid cell's points are one run of rows: the per-zoom index
(`mapping.viewport`) finds a zoom's cells with one shift and one comparison instead of
sorting the table. A table made of other columns (`code` None) is clustered by sorting, as
before; `code` is dropped when rows are taken in another order.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .cluster import MapPoint, distinct, grid_codes, is_in
from .read import WORLD


@dataclass(frozen=True, slots=True)
class PointTable:
    """Shown points as columns; `colour` indexes `palette` (None = no primary goal colour);
    `code` is each row's grid code when the rows are sorted by it (else None)."""

    initiative_id: np.ndarray
    organisation_id: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    colour: np.ndarray
    approximate: np.ndarray
    palette: tuple[str | None, ...] = ()
    code: np.ndarray | None = None

    def __len__(self) -> int:
        """Number of points."""
        return len(self.initiative_id)

    def take(self, rows: np.ndarray) -> PointTable:
        """The rows selected by a boolean mask or an index array (grid order kept for a mask)."""
        keep_code = self.code is not None and rows.dtype == np.bool_
        return PointTable(self.initiative_id[rows], self.organisation_id[rows], self.lat[rows], self.lon[rows],
                          self.colour[rows], self.approximate[rows], self.palette,
                          self.code[rows] if keep_code else None)

    def in_bbox(self, bbox: tuple[float, float, float, float]) -> PointTable:
        """The points inside a bbox (which may cross the 180° meridian), bounds included."""
        return self if whole_world(bbox) else self.take(self.bbox_mask(bbox))

    def bbox_mask(self, bbox: tuple[float, float, float, float]) -> np.ndarray:
        """Which rows `in_bbox` keeps."""
        if whole_world(bbox):
            return np.ones(len(self), bool)
        min_lon, min_lat, max_lon, max_lat = bbox
        ok = (self.lat >= min_lat) & (self.lat <= max_lat)
        if min_lon <= max_lon:
            ok &= (self.lon >= min_lon) & (self.lon <= max_lon)
        else:
            ok &= (self.lon >= min_lon) | (self.lon <= max_lon)
        return ok

    def of_initiatives(self, ids: np.ndarray, keep: bool = True) -> PointTable:
        """The points of (keep=True) or not of (keep=False) the initiatives in `ids`."""
        inside = is_in(self.initiative_id, distinct(np.asarray(ids, np.int64)))
        return self.take(inside if keep else ~inside)

    def grid_sorted(self) -> PointTable:
        """The same rows sorted by grid code (stable), with their codes."""
        if self.code is not None:
            return self
        codes = grid_codes(self.lat, self.lon)
        order = np.argsort(codes, kind="stable")
        return PointTable(self.initiative_id[order], self.organisation_id[order], self.lat[order],
                          self.lon[order], self.colour[order], self.approximate[order], self.palette, codes[order])

    @staticmethod
    def from_rows(rows: Sequence[tuple[int, int, float, float, str | None, bool]]) -> PointTable:
        """A table from (initiative, organisation, lat, lon, colour, approximate) rows, in grid order."""
        if not rows:
            return EMPTY
        ids, orgs, lat, lon, colours, approximate = zip(*rows, strict=True)
        palette: dict[str | None, int] = {}
        colour = [palette.setdefault(c, len(palette)) for c in colours]
        return PointTable(np.array(ids, np.int64), np.array(orgs, np.int64), np.array(lat, float),
                          np.array(lon, float), np.array(colour, np.int32), np.array(approximate, bool),
                          tuple(palette)).grid_sorted()

    @staticmethod
    def from_points(points: Sequence[MapPoint]) -> PointTable:
        """A table from `read.map_points` output (organisation unknown: 0)."""
        return PointTable.from_rows([(p.initiative_id, 0, p.lat, p.lon, p.colour, p.approximate) for p in points])

    @staticmethod
    def concat(tables: Sequence[PointTable]) -> PointTable:
        """The rows of several tables (palettes merged): in grid order when every table is,
        else one after the other."""
        tables = [t for t in tables if len(t)] or list(tables[:1])
        if not tables:
            return EMPTY
        if len(tables) == 1:
            return tables[0]
        palette: dict[str | None, int] = {}
        colours = []
        for t in tables:
            remap = np.fromiter((palette.setdefault(c, len(palette)) for c in t.palette), np.int32, len(t.palette))
            colours.append(remap[t.colour] if len(t) else t.colour)
        names = ("initiative_id", "organisation_id", "lat", "lon", "colour", "approximate")
        if all(t.code is not None for t in tables):  # merge the sorted runs, each row after its equals
            merged = tables[0]
            columns = {name: getattr(merged, name) for name in names} | {"colour": colours[0]}
            code = merged.code
            for t, colour in zip(tables[1:], colours[1:], strict=True):
                at = np.searchsorted(code, t.code, side="right")
                columns = {name: np.insert(columns[name], at, colour if name == "colour" else getattr(t, name))
                           for name in names}
                code = np.insert(code, at, t.code)
            return PointTable(*(columns[name] for name in names), tuple(palette), code)
        cat = lambda name: np.concatenate([getattr(t, name) for t in tables])
        return PointTable(cat("initiative_id"), cat("organisation_id"), cat("lat"), cat("lon"),
                          np.concatenate(colours), cat("approximate"), tuple(palette))


def whole_world(bbox: tuple[float, float, float, float]) -> bool:
    """Whether a bbox covers the whole world (no row is left out)."""
    min_lon, min_lat, max_lon, max_lat = bbox
    return bbox == WORLD or (min_lon <= -180 and max_lon >= 180 and min_lat <= -90 and max_lat >= 90)


EMPTY = PointTable(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0),
                   np.zeros(0, np.int32), np.zeros(0, bool), (), np.zeros(0, np.int64))

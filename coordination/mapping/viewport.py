"""A viewport's clusters from the clusters of the whole table, computed once per zoom.

`cluster.cluster_arrays` sorts the viewport's points by grid cell on every request: at 100k
points the sorts, the Mercator projection and copying the columns were most of a world view's
time. A `TableIndex` sorts the table by cell once per zoom and keeps each cell's rows. A viewport
counts, per cell, how many of its points are in view (one mask, one sum): a cell wholly in view
gives its cluster, made the first time the cell was wholly in view and kept (the same points in
the same order: the same cluster, sum for sum), a cell the viewport cuts is clustered from its
points in view, as `cluster_arrays` would. Cells are independent, so the answer is exactly `cluster_arrays` of the viewport. An
index belongs to one table; tables are replaced, never changed, when data changes.
"""
from __future__ import annotations

import threading

import numpy as np
from sqlalchemy.orm import Session

from ..permissions import Actor
from ..queries import InitiativeFilter
from .cluster import (
    UNCLUSTERED_ZOOM,
    ViewCluster,
    cell_order,
    cluster_arrays,
    count_distinct,
)
from .table import PointTable, audience_of, current_points, data_marker, view_points

SMALL_VIEW = 4096  # fewer points in the viewport: cluster them directly (sorting them is cheap)


class TableIndex:
    """Per-zoom cell orders of one point table, computed on first use."""

    def __init__(self, table: PointTable, direct_below: int = SMALL_VIEW) -> None:
        """An index of `table` (nothing is computed until a zoom is asked for); viewports of
        fewer than `direct_below` points are clustered directly (same answer, no index)."""
        self.table, self.direct_below = table, direct_below
        self._zooms: dict[int, _Zoom] = {}
        self._by_id: np.ndarray | None = None
        self._lock = threading.Lock()

    def _zoom(self, zoom: int) -> _Zoom:
        """The table's cells at `zoom`, and the cluster each makes when wholly in view."""
        with self._lock:
            found = self._zooms.get(zoom)
            if found is None:
                order, keys = cell_order(self.table.lat, self.table.lon, zoom)
                starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
                found = self._zooms[zoom] = _Zoom(order, starts, keys[starts], len(self.table))
            return found

    def _initiatives(self, mask: np.ndarray) -> int:
        """Distinct initiatives among the rows of `mask`."""
        with self._lock:
            if self._by_id is None:
                self._by_id = np.argsort(self.table.initiative_id, kind="stable")
            by_id = self._by_id
        ids = self.table.initiative_id[by_id[mask[by_id]]]
        return int(np.count_nonzero(ids[1:] != ids[:-1])) + 1 if len(ids) else 0

    def clusters(self, bbox: tuple[float, float, float, float],
                 zoom: int) -> tuple[list[ViewCluster], int, int]:
        """(clusters, points, distinct initiatives) of the viewport: `cluster_arrays` of
        `table.in_bbox(bbox)`."""
        t = self.table
        mask = t.bbox_mask(bbox)
        n = int(np.count_nonzero(mask))
        if n < self.direct_below or zoom >= UNCLUSTERED_ZOOM:
            return _direct(t.take(mask), zoom)
        z = self._zoom(zoom)
        inside = np.add.reduceat(mask[z.order].astype(np.int64), z.starts)
        whole = np.flatnonzero(inside == z.size)
        part = np.flatnonzero((inside > 0) & (inside < z.size))
        with self._lock:
            missing = [c for c in whole.tolist() if c not in z.items]
            if missing:  # first time in view: cluster every point of those cells, once
                made, _, _ = _direct(t.take(z.rows_of(np.array(missing))), zoom)
                z.items.update(zip(missing, made, strict=True))
            items = [z.items[c] for c in whole.tolist()]
        if len(part):  # cells the viewport cuts: cluster the points of theirs in view
            rows = z.rows_of(part)
            cut, _, _ = _direct(t.take(rows[mask[rows]]), zoom)
            merged = np.argsort(np.r_[z.cell[whole], z.cell[part]], kind="stable")
            everything = items + cut
            items = [everything[i] for i in merged.tolist()]
        return items, n, self._initiatives(mask)


class _Zoom:
    """Rows by (cell, row), where each cell starts, its key and size, and the clusters made so
    far of cells wholly in view (by cell number)."""

    __slots__ = ("cell", "items", "order", "size", "starts")

    def __init__(self, order: np.ndarray, starts: np.ndarray, cell: np.ndarray, rows: int) -> None:
        self.order, self.starts, self.cell = order, starts, cell
        self.size = np.diff(np.r_[starts, rows])
        self.items: dict[int, ViewCluster] = {}

    def rows_of(self, cells: np.ndarray) -> np.ndarray:
        """The rows of `cells` (ascending cell numbers), by (cell, row)."""
        size = self.size[cells]
        skip = self.starts[cells] - np.cumsum(np.r_[0, size[:-1]])
        return self.order[np.repeat(skip, size) + np.arange(int(size.sum()))]


def _direct(view: PointTable, zoom: int) -> tuple[list[ViewCluster], int, int]:
    """`cluster_arrays` of the view's points (and their count and initiatives)."""
    items = cluster_arrays(view.initiative_id, view.lat, view.lon, view.colour, view.approximate,
                           view.palette, zoom)
    return items, len(view), count_distinct(view.initiative_id)


_indexes: dict[int, TableIndex] = {}  # table generation -> its index
_lock = threading.Lock()
MAX_INDEXES = 8


def index_of(table: PointTable, generation: int) -> TableIndex:
    """The index of the table `current_points` returned with `generation` (kept for a few tables)."""
    with _lock:
        index = _indexes.get(generation)
        if index is None or index.table is not table:
            index = _indexes[generation] = TableIndex(table)
            while len(_indexes) > MAX_INDEXES:
                _indexes.pop(next(iter(_indexes)))
        return index


def viewport_clusters(session: Session, actor: Actor, f: InitiativeFilter,
                      bbox: tuple[float, float, float, float], zoom: int,
                      marker: tuple | None = None) -> tuple[list[ViewCluster], int, int]:
    """(clusters, points, distinct initiatives) of what the actor sees in a viewport at `zoom`.

    The unfiltered view of a whole audience (anonymous readers, coordinators) is answered
    from the audience table's index; filtered views and members' own views cluster the
    points `table.view_points` selects (fewer, or a table made for the request).
    """
    marker = marker or data_marker(session)
    if f == InitiativeFilter() and (actor.reads_everything or actor.organisation_id is None):
        table, generation = current_points(session, audience_of(actor), marker)
        return index_of(table, generation).clusters(bbox, zoom)
    return _direct(view_points(session, actor, f, bbox, marker), zoom)

"""A viewport's clusters from the clusters of the whole table, computed once per zoom.

`cluster.cluster_arrays` sorts the viewport's points by grid cell on every request: at 100k
points the sorts, the Mercator projection and copying the columns were most of a world view's
time. A `TableIndex` clusters the whole table once per zoom and keeps each cell's rows. A
viewport counts, per cell, how many of its points are in view (one mask, one sum): a cell wholly
in view gives the cluster already made (the same points in the same order: the same cluster, sum
for sum), a cell the viewport cuts is clustered from its points in view, as `cluster_arrays`
would. Cells are independent, so the answer is exactly `cluster_arrays` of the viewport. An
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
    clusters_sorted,
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
                t = self.table
                order, keys = cell_order(t.lat, t.lon, zoom)
                starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
                items = clusters_sorted(t.initiative_id, t.lat, t.lon, t.colour, t.approximate, t.palette,
                                        order, keys)
                found = self._zooms[zoom] = _Zoom(order, starts, keys[starts], items)
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
        size = np.diff(np.r_[z.starts, len(t)])
        inside = np.add.reduceat(mask[z.order].astype(np.int64), z.starts)
        whole = np.flatnonzero(inside == size)
        part = np.flatnonzero((inside > 0) & (inside < size))
        items = [z.items[c] for c in whole.tolist()]
        if len(part):  # cells the viewport cuts: cluster the points of theirs in view
            rows = z.order[np.repeat(z.starts[part] - np.cumsum(np.r_[0, size[part][:-1]]), size[part])
                           + np.arange(int(size[part].sum()))]
            cut, _, _ = _direct(t.take(rows[mask[rows]]), zoom)
            merged = np.argsort(np.r_[z.cell[whole], z.cell[part]], kind="stable")
            everything = items + cut
            items = [everything[i] for i in merged.tolist()]
        return items, n, self._initiatives(mask)


class _Zoom:
    """Rows by (cell, row), where each cell starts, its key, and its cluster when wholly in view."""

    __slots__ = ("cell", "items", "order", "starts")

    def __init__(self, order: np.ndarray, starts: np.ndarray, cell: np.ndarray,
                 items: list[ViewCluster]) -> None:
        self.order, self.starts, self.cell, self.items = order, starts, cell, items


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

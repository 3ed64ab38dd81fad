"""A viewport's clusters from a point table sorted once per zoom, not once per request.

`cluster.cluster_arrays` sorts the viewport's points by grid cell (and by cell and initiative)
on every request: at 100k points the sorts, the Mercator projection and copying the columns
are most of a world view's time. A `TableIndex` keeps, per table and zoom, every row's cell
and the rows in (cell, row) and (cell, initiative, row) order; a viewport then selects its
rows from those orders with one mask, which keeps the order, so `cluster.clusters_in_order`
gets exactly the rows, order and first points that `cluster_arrays` computes: same clusters,
same means (summed in the same order), same colours. An index belongs to one table; the
tables are replaced, never changed, when data changes, so an index is never stale.
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
    cell_keys,
    cluster_arrays,
    clusters_in_order,
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
        self._zooms: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._by_id: np.ndarray | None = None
        self._lock = threading.Lock()

    def _zoom(self, zoom: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(cell of each row, rows by (cell, row), rows by (cell, initiative, row))."""
        with self._lock:
            found = self._zooms.get(zoom)
            if found is None:
                t = self.table
                cells = cell_keys(t.lat, t.lon, zoom)
                by_cell = np.argsort(cells, kind="stable")
                by_pair = np.lexsort((np.arange(len(t)), t.initiative_id, cells))
                found = self._zooms[zoom] = (cells, by_cell, by_pair)
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
            view = t.take(mask)
            items = cluster_arrays(view.initiative_id, view.lat, view.lon, view.colour, view.approximate,
                                   view.palette, zoom)
            return items, n, count_distinct(view.initiative_id)
        cells, by_cell, by_pair = self._zoom(zoom)
        order = by_cell[mask[by_cell]]  # the viewport's rows by (cell, row)
        keys = cells[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        position = np.empty(len(t), np.int64)
        position[order] = np.arange(n)
        pairs = by_pair[mask[by_pair]]  # by (cell, initiative, row): a pair's first row leads
        pair_cell, pair_id = cells[pairs], t.initiative_id[pairs]
        lead = np.r_[True, (pair_cell[1:] != pair_cell[:-1]) | (pair_id[1:] != pair_id[:-1])]
        items = clusters_in_order(t.initiative_id, t.lat, t.lon, t.colour, t.approximate, t.palette,
                                  order, starts, position[pairs[lead]])
        return items, n, self._initiatives(mask)


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
    points = view_points(session, actor, f, bbox, marker)
    items = cluster_arrays(points.initiative_id, points.lat, points.lon, points.colour, points.approximate,
                           points.palette, zoom)
    return items, len(points), count_distinct(points.initiative_id)

"""A viewport's clusters from the clusters of the whole table, computed once per zoom.

`cluster.cluster_arrays` sorts the viewport's points by grid cell on every request: at 100k
points the sorts, the Mercator projection and copying the columns were most of a world view's
time. A `TableIndex` knows, per zoom, each cell's rows: a table in grid order (`points`,
every table the map builds or loads) has them as runs of rows at every zoom, found with one
shift; another table is sorted by cell once per zoom. A viewport counts, per cell, how many
of its points are in view (one mask, one sum): a cell wholly in view gives its cluster, made
the first time the cell was wholly in view and kept (the same points in the same order: the
same cluster, sum for sum), a cell the viewport cuts is clustered from its points in view,
as `cluster_arrays` would. Cells are independent, so the answer is exactly `cluster_arrays`
of the viewport, in its order (row-major cells). An index belongs to one table; tables are
replaced, never changed, when data changes.
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
    cell_order,
    cluster_arrays,
    clusters_in_order,
    count_distinct,
    first_of_each,
    repeated,
    zoom_cells,
)
from .points import PointTable, whole_world
from .table import audience_of, current_points, data_marker, view_points

SMALL_VIEW = 4096  # fewer points in the viewport: cluster them directly (sorting them is cheap)


class TableIndex:
    """Per-zoom cells of one point table, computed on first use."""

    def __init__(self, table: PointTable, direct_below: int = SMALL_VIEW) -> None:
        """An index of `table` (nothing is computed until a zoom is asked for); viewports of
        fewer than `direct_below` points are clustered directly (same answer, no index)."""
        self.table, self.direct_below = table, direct_below
        code = table.code
        self.grid = code is not None and bool(np.all(code[1:] >= code[:-1]))  # rows in grid order
        self._zooms: dict[int, _Zoom] = {}
        self._repeated: np.ndarray | None = None
        self._lock = threading.RLock()

    def _zoom(self, zoom: int) -> _Zoom:
        """The table's cells at `zoom`, and the cluster each makes when wholly in view."""
        with self._lock:
            found = self._zooms.get(zoom)
            if found is None:
                t = self.table
                if self.grid:  # each cell is a run of rows already
                    cells = zoom_cells(t.code, zoom)
                    order = np.arange(len(t))
                    starts = np.flatnonzero(np.r_[True, cells[1:] != cells[:-1]])
                    keys = cell_keys(t.lat[starts], t.lon[starts], zoom)  # row-major, as cluster_arrays orders
                else:
                    order, sorted_keys = cell_order(t.lat, t.lon, zoom)
                    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
                    keys = sorted_keys[starts]
                found = self._zooms[zoom] = _Zoom(order, starts, keys, len(t))
            return found

    def repeated(self) -> np.ndarray:
        """Which rows' initiatives have several rows in the table (computed once)."""
        with self._lock:
            if self._repeated is None:
                self._repeated = repeated(self.table.initiative_id)
            return self._repeated

    def _initiatives(self, mask: np.ndarray) -> int:
        """Distinct initiatives among the rows of `mask`."""
        several = mask & self.repeated()
        lone = int(np.count_nonzero(mask)) - int(np.count_nonzero(several))
        return lone + (count_distinct(self.table.initiative_id[several]) if several.any() else 0)

    def _clusters_of(self, rows: np.ndarray, cells: np.ndarray) -> list[ViewCluster]:
        """The clusters of `rows` (by cell, then row), `cells` their cell numbers: one per cell,
        as `cluster_arrays` makes them."""
        t = self.table
        starts = np.flatnonzero(np.r_[True, cells[1:] != cells[:-1]])
        lone = ~self.repeated()[rows]
        first = np.flatnonzero(lone)  # a row of a one-row initiative is the first of its (cell, initiative)
        several = np.flatnonzero(~lone)
        if len(several):
            ids = t.initiative_id[rows[several]]
            pairs = cells[several].astype(np.int64) * (int(ids.max()) + 1) + ids
            first = np.r_[first, several[first_of_each(pairs)]]
        return clusters_in_order(t.initiative_id, t.lat, t.lon, t.colour, t.approximate, t.palette,
                                 rows, starts, first)

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
        inside = z.size if whole_world(bbox) else np.add.reduceat(mask[z.order].astype(np.int64), z.starts)
        whole = np.flatnonzero(inside == z.size)
        part = np.flatnonzero((inside > 0) & (inside < z.size))
        with self._lock:
            missing = [c for c in whole.tolist() if c not in z.items]
            if missing:  # first time in view: cluster every point of those cells, once
                z.items.update(zip(missing, self._clusters_of(*z.rows_of(np.array(missing))), strict=True))
            items = [z.items[c] for c in whole.tolist()]
        keys = z.cell[whole]
        if len(part):  # cells the viewport cuts: cluster the points of theirs in view
            rows, cells = z.rows_of(part)
            kept = mask[rows]
            items += self._clusters_of(rows[kept], cells[kept])
            keys = np.r_[keys, z.cell[part]]
        in_order = np.argsort(keys, kind="stable")
        return [items[i] for i in in_order.tolist()], n, self._initiatives(mask)


class _Zoom:
    """Rows by (cell, row), where each cell starts, its row-major key and size, and the
    clusters made so far of cells wholly in view (by cell number)."""

    __slots__ = ("cell", "items", "order", "size", "starts")

    def __init__(self, order: np.ndarray, starts: np.ndarray, cell: np.ndarray, rows: int) -> None:
        self.order, self.starts, self.cell = order, starts, cell
        self.size = np.diff(np.r_[starts, rows])
        self.items: dict[int, ViewCluster] = {}

    def rows_of(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows of `cells` (ascending cell numbers), by (cell, row), and each row's cell number."""
        size = self.size[cells]
        skip = self.starts[cells] - np.cumsum(np.r_[0, size[:-1]])
        return self.order[np.repeat(skip, size) + np.arange(int(size.sum()))], np.repeat(cells, size)


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

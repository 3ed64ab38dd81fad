"""A viewport clustered from the per-zoom index equals clustering its points directly."""
from __future__ import annotations

import numpy as np
import pytest

from coordination.mapping.cluster import cluster_arrays, count_distinct
from coordination.mapping.points import PointTable
from coordination.mapping.viewport import SMALL_VIEW, TableIndex


def _table(n: int, seed: int) -> PointTable:
    rng = np.random.default_rng(seed)
    ids = rng.integers(1, n // 2, n)  # initiatives with several points, some in one cell
    lone = 40  # far apart along 80°N and 80°S: single markers at every zoom
    lat = np.round(np.r_[rng.normal(-1.29, 0.3, n // 2), rng.uniform(-60, 70, n - n // 2 - lone),
                         np.repeat([80.0, -80.0], lone // 2)], 3)
    lon = np.round(np.r_[rng.normal(36.8, 0.3, n // 2), rng.uniform(-170, 170, n - n // 2 - lone),
                         np.tile(np.linspace(-179, 179, lone // 2), 2)], 3)
    return PointTable(ids.astype(np.int64), rng.integers(1, 50, n), lat, lon,
                      rng.integers(0, 4, n).astype(np.int32), rng.random(n) < 0.05,
                      ("#aa0000", None, "#00aa00", "#0000aa"))


VIEWPORTS = [
    (2, (-180.0, -85.0, 180.0, 85.0)), (4, (-180.0, -90.0, 180.0, 90.0)), (6, (33.0, -5.5, 42.0, 5.5)),
    (9, (36.0, -2.0, 37.5, -0.5)), (3, (150.0, -60.0, -150.0, 60.0)),  # across the 180° meridian
]


@pytest.mark.parametrize("grid", [False, True], ids=["rows-as-given", "grid-order"])
@pytest.mark.parametrize(("zoom", "bbox"), VIEWPORTS)
def test_indexed_clusters_equal_clustering_the_viewport_points(zoom, bbox, grid):
    table = _table(12_000, seed=zoom)
    if grid:  # as the map's tables are: rows sorted by grid code, each cell a run at every zoom
        table = table.grid_sorted()
    assert TableIndex(table).grid == grid
    view = table.in_bbox(bbox)
    expected = cluster_arrays(view.initiative_id, view.lat, view.lon, view.colour, view.approximate,
                              view.palette, zoom)
    items, points, initiatives = TableIndex(table, direct_below=0).clusters(bbox, zoom)
    assert len(expected) > 5 and any(c.count > 1 for c in expected) and any(c.count == 1 for c in expected)
    assert items == expected
    assert (points, initiatives) == (len(view), count_distinct(view.initiative_id))


def test_one_index_answers_several_zooms_and_viewports():
    table = _table(3 * SMALL_VIEW, seed=1)
    index = TableIndex(table)
    assert TableIndex(table).clusters((-180.0, -85.0, 180.0, 85.0), 2)[1] >= SMALL_VIEW  # indexed
    for zoom, bbox in ((2, (-180.0, -85.0, 180.0, 85.0)), (5, (20.0, -20.0, 60.0, 20.0)),
                       (2, (-10.0, -85.0, 180.0, 85.0))):
        view = table.in_bbox(bbox)
        assert index.clusters(bbox, zoom)[0] == cluster_arrays(
            view.initiative_id, view.lat, view.lon, view.colour, view.approximate, view.palette, zoom)

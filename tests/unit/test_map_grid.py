"""The map table's grid order: one sort serves every zoom, merges keep it, the snapshot keeps it."""
from __future__ import annotations

import numpy as np
import pytest

from coordination.mapping import snapshot
from coordination.mapping.cluster import GRID_ZOOM, cell_keys, grid_codes, zoom_cells
from coordination.mapping.points import PointTable


def _points(n: int, seed: int = 3):
    rng = np.random.default_rng(seed)
    edges_lat = [85.05112878, -85.05112878, 90.0, -90.0, 0.0, 85.06, -85.06, 89.9]
    edges_lon = [180.0, -180.0, 180.0, -180.0, 0.0, 179.9999999, -179.999999, 0.0]
    return np.r_[rng.uniform(-90, 90, n), edges_lat], np.r_[rng.uniform(-180, 180, n), edges_lon]


@pytest.mark.parametrize("zoom", [0, 2, 6, 12, 16, GRID_ZOOM])
def test_grid_codes_shifted_are_the_cells_of_every_zoom_and_each_cell_is_one_run(zoom):
    lat, lon = _points(50_000)
    codes = grid_codes(lat, lon)
    cells, keys = zoom_cells(codes, zoom), cell_keys(lat, lon, zoom)
    pairs = np.unique(np.c_[cells, keys], axis=0)
    assert len(pairs) == len(np.unique(cells)) == len(np.unique(keys))  # the same partition of the points
    in_order = cells[np.argsort(codes, kind="stable")]
    runs = np.count_nonzero(in_order[1:] != in_order[:-1]) + 1
    assert runs == len(np.unique(cells))


def _table(lat, lon, first_id=1):
    n = len(lat)
    ids = np.arange(first_id, first_id + n)
    return PointTable.from_rows(list(zip(ids.tolist(), (ids % 7).tolist(), lat.tolist(), lon.tolist(),
                                         ["#aa0000", None, "#00aa00"] * (n // 3) + [None] * (n % 3),
                                         (ids % 5 == 0).tolist(), strict=True)))


def _rows(t: PointTable):
    return sorted(zip(t.initiative_id.tolist(), t.organisation_id.tolist(), t.lat.tolist(), t.lon.tolist(),
                      [t.palette[c] for c in t.colour.tolist()], t.approximate.tolist(), strict=True))


def test_tables_are_built_in_grid_order_and_a_merge_keeps_it():
    lat, lon = _points(3_000)
    old, new = _table(lat[:2_000], lon[:2_000]), _table(lat[2_000:], lon[2_000:], first_id=10_000)
    assert np.all(np.diff(old.code) >= 0) and np.array_equal(old.code, grid_codes(old.lat, old.lon))
    merged = PointTable.concat([old, new])
    assert np.all(np.diff(merged.code) >= 0)
    assert np.array_equal(merged.code, grid_codes(merged.lat, merged.lon))
    assert _rows(merged) == sorted(_rows(old) + _rows(new))
    assert old.take(old.lat > 0).code is not None and old.take(np.arange(5)[::-1]).code is None


def test_the_snapshot_holds_the_table_in_grid_order():
    lat, lon = _points(1_000)
    table = _table(lat, lon)
    back = snapshot.decode(snapshot.encode(table))
    assert _rows(back) == _rows(table) and np.array_equal(back.code, table.code)
    assert back.initiative_id.dtype == np.int64 and back.colour.dtype == np.int32
    assert snapshot.decode(b"points/1" + snapshot.encode(table)[8:]) is None  # an older format: rebuilt

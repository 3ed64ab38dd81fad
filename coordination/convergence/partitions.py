"""Regions of a distributed batch: which partitions each initiative joins, and who owns a pair.

A pair is a candidate when it shares a block in which one side is wide (`blocking`). Blocks
are keyed by place and topic, and every place key has a region where all its members meet:

- an admin-1 or country block: the country (or, for an area known without its country, the
  area), so every initiative joins the partition of each of its places' countries;
- a grid-cell block: the cell, owned by the lowest partition among the points touching it,
  so a point near a border also joins the partitions owning its four cells (the halo);
- the "anywhere" block: an initiative without a usable place is wide there and meets
  everyone through its words, so it joins every partition.

Countries are dealt to partitions by size (largest first, to the least loaded). A candidate
pair therefore has both sides in at least one common partition, and it is kept only by the
lowest one (`owned`), so every pair is found exactly once. Which partition holds what only
changes the work each does, never the result: the candidate relation and the scores are pure
functions of the pair. (A 64-bit block-key collision, ~1e-8 at a million initiatives, could
add a spurious candidate in the single-process batch and not here; it would still have to
score above the threshold to be an overlap.)
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coordination.convergence.config import OverlapConfig
from coordination.convergence.places import ADMIN2, usable_place_row
from coordination.records import InitiativeRecord

MAX_PARTITIONS = 62  # a record's partitions are the bits of one int64


def partition_masks(
    records: Sequence[InitiativeRecord], config: OverlapConfig, partitions: int
) -> np.ndarray:
    """Per record, an int64 whose bit p is set when the record joins partition p."""
    if not 1 <= partitions <= MAX_PARTITIONS:
        raise ValueError(f"partitions must be between 1 and {MAX_PARTITIONS}, not {partitions}")
    n = len(records)
    rec, rows = _place_rows(records)
    mask = np.zeros(n, np.int64)
    if len(rec):
        lat, lon, level, country, admin1 = (rows[:, k] for k in range(5))
        region = np.where(country != 0, country, admin1).astype(np.int64)
        home = _deal(rec, region, partitions)  # -1: the place has no area
        has_home = home >= 0
        np.bitwise_or.at(mask, rec[has_home], np.left_shift(1, home[has_home]))
        point = (level <= ADMIN2) & ~np.isnan(lat)
        cell_rec, cell_owner = _cell_owners(rec[point], lat[point], lon[point],
                                            np.maximum(home[point], 0), config)
        np.bitwise_or.at(mask, cell_rec, np.left_shift(1, cell_owner))
    placeless = np.ones(n, bool)
    placeless[rec] = False
    mask[placeless] = (1 << partitions) - 1  # wide in "anywhere": meets everyone
    mask[mask == 0] = 1  # places that make no block: they meet only the placeless
    return mask


def owned(mask_a: np.ndarray, mask_b: np.ndarray, partition: int) -> np.ndarray:
    """Which pairs `partition` is responsible for: the lowest partition both sides joined."""
    common = mask_a & mask_b
    return (common & -common) == (1 << partition)


def members(masks: np.ndarray, partition: int) -> np.ndarray:
    """Rows of the records that join `partition`, in order."""
    return np.flatnonzero((masks >> partition) & 1)


def _place_rows(records: Sequence[InitiativeRecord]) -> tuple[np.ndarray, np.ndarray]:
    """(record row, place row) of every usable place, as the feature table holds them."""
    rec, flat = [], []
    for i, record in enumerate(records):
        for place in record.places:
            row = usable_place_row(place)
            if row is not None:
                rec.append(i)
                flat.append(row)
    return np.array(rec, np.int64), np.array(flat, np.float64).reshape(len(flat), 6)


def _deal(rec: np.ndarray, region: np.ndarray, partitions: int) -> np.ndarray:
    """Partition of each place's region (-1 for none): regions by size to the least loaded."""
    home = np.full(len(region), -1, np.int64)
    known = region != 0
    if not known.any():
        return home
    pairs = np.unique(np.stack([region[known], rec[known]], axis=1), axis=0)
    names, sizes = np.unique(pairs[:, 0], return_counts=True)
    load = np.zeros(partitions, np.int64)
    dealt = np.empty(len(names), np.int64)
    for k in np.lexsort((names, -sizes)).tolist():
        dealt[k] = int(np.argmin(load))
        load[dealt[k]] += sizes[k]
    home[known] = dealt[np.searchsorted(names, region[known])]
    return home


def _cell_owners(
    rec: np.ndarray, lat: np.ndarray, lon: np.ndarray, home: np.ndarray, config: OverlapConfig
) -> tuple[np.ndarray, np.ndarray]:
    """(record row, owning partition) of each of the four grid cells of each point.

    The cells are those of `blocking._place_keys` (same formula on the same floats); a
    cell's owner is the lowest home partition among the points touching it.
    """
    ix = np.floor(lon / config.cell_degrees - 0.5).astype(np.int64)
    iy = np.floor(lat / config.cell_degrees - 0.5).astype(np.int64)
    cells = np.concatenate([((ix + dx) << 32) ^ (iy + dy) for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1))])
    recs, homes = np.tile(rec, 4), np.tile(home, 4)
    names, where = np.unique(cells, return_inverse=True)
    owner = np.full(len(names), np.iinfo(np.int64).max)
    np.minimum.at(owner, where, homes)
    return recs, owner[where]

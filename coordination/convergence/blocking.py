"""Blocking: which pairs are worth scoring, without ever comparing all pairs.

A block is (place key, topic key). Two initiatives are candidates when they share a block in
which at least one of them is "wide":

- place keys: the 2 x 2 grid cells around each point (two points closer than one cell always
  share a cell), the admin-1 area, the country, and "anywhere" for initiatives with no place.
  Points are only members of their admin-1 area and country; an initiative known only to that
  area (or country, or nowhere) is wide there, so area-level work meets the points inside it
  but two points 300 km apart in one country never meet through the country.
- topic keys: goal families ("6"), the kinds of work the text names (`work.py`: "water
  supply" whether it says boreholes, puits or pozos) and the rarest words of the description,
  so initiatives without goals, or writing in another language, are still found. Coarse places
  (country, anywhere) are blocked by words only: those blocks would be enormous by goal family
  or kind of work.
- hot blocks: a block that held more than `hot_block_cap` initiatives in the fitted corpus is
  sub-blocked by rare words (block + word); a sub-block that is still hot is dropped. Hotness
  comes from the frozen model, never from the live index, so the candidate relation is a pure
  function of the pair and one-against-all finds exactly what all-against-all finds.

Keys are stable 64-bit hashes (crc32 of words, a splitmix64 mix of place and topic), computed
for many records at once in numpy from their feature columns (`BlockColumns`); a collision
only adds candidates, it never loses one.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from coordination.convergence.config import OverlapConfig
from coordination.convergence.features import WORD_BLOCK, FeatureTable, RecordFeatures
from coordination.convergence.places import ADMIN1, ADMIN2, COUNTRY

_GRID, _ADMIN1, _COUNTRY, _ANYWHERE = 1, 2, 3, 4
_FAMILY = 2 * WORD_BLOCK  # topic code of a goal family (a word's code has WORD_BLOCK set)
_WORK = 4 * WORD_BLOCK  # topic code of a kind of work


@dataclass(frozen=True)
class BlockColumns:
    """What blocking reads of some initiatives: goal families, places and key words."""

    fam: np.ndarray  # goal family mask per initiative
    place_count: np.ndarray
    place_rows: np.ndarray  # (sum of place_count, 6), see `places.place_row`
    key_count: np.ndarray
    key_code: np.ndarray  # blocking codes of the key words, initiative after initiative
    work: np.ndarray  # kinds-of-work mask per initiative (`work.py`)

    @classmethod
    def of_table(cls, table: FeatureTable, start: int = 0, stop: int | None = None) -> BlockColumns:
        """Rows start..stop of a feature table."""
        stop = len(table) if stop is None else min(stop, len(table))
        if start >= stop:
            return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 6)),
                       np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))
        p0 = int(table.place_start[start])
        p1 = int(table.place_start[stop - 1] + table.place_count[stop - 1])
        k0 = int(table.key_start[start])
        k1 = int(table.key_start[stop - 1] + table.key_count[stop - 1])
        return cls(table.fam[start:stop], table.place_count[start:stop], table.place_rows[p0:p1],
                   table.key_count[start:stop], table.key_code[k0:k1], table.work[start:stop])

    @classmethod
    def of_features(cls, features: Sequence[RecordFeatures]) -> BlockColumns:
        """The columns of per-initiative features."""
        n = len(features)
        flat = [row for f in features for row in f.places]
        key_count = np.fromiter((len(f.key_codes) for f in features), np.int64, n)
        return cls(
            np.fromiter((f.fam for f in features), np.int64, n),
            np.fromiter((len(f.places) for f in features), np.int64, n),
            np.array(flat, dtype=np.float64).reshape(len(flat), 6),
            key_count,
            np.fromiter((c for f in features for c in f.key_codes), np.int64, int(key_count.sum())),
            np.fromiter((f.work for f in features), np.int64, n),
        )

    def __len__(self) -> int:
        """Number of initiatives."""
        return len(self.fam)


def _mix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """A splitmix64 mix of two int64 arrays (wrapping arithmetic), as int64."""
    z = x.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) ^ y.astype(np.uint64)
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z.view(np.int64)


def _place_keys(columns: BlockColumns, config: OverlapConfig):
    """(record row, place key, wide, coarse) arrays, one entry per distinct (row, key)."""
    counts = columns.place_count
    n = len(counts)
    rows6 = columns.place_rows
    rec = np.repeat(np.arange(n), counts)
    lat, lon, level, country, admin1 = rows6[:, 0], rows6[:, 1], rows6[:, 2], rows6[:, 3], rows6[:, 4]
    point = (level <= ADMIN2) & ~np.isnan(lat)
    prec, keys, wide = [], [], []
    p_rec = rec[point]
    ix = np.floor(lon[point] / config.cell_degrees - 0.5).astype(np.int64) + (1 << 24)
    iy = np.floor(lat[point] / config.cell_degrees - 0.5).astype(np.int64) + (1 << 24)
    for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
        prec.append(p_rec)
        keys.append((_GRID << 56) | ((ix + dx) << 26) | (iy + dy))
        wide.append(np.ones(len(p_rec), bool))
    has_a1 = admin1 != 0
    prec.append(rec[has_a1])
    keys.append((_ADMIN1 << 56) | admin1[has_a1].astype(np.int64))
    wide.append((~point & (level <= ADMIN1))[has_a1])
    has_c = country != 0
    prec.append(rec[has_c])
    keys.append((_COUNTRY << 56) | country[has_c].astype(np.int64))
    wide.append((~point & ((level == COUNTRY) | ~has_a1))[has_c])
    prec.append(np.arange(n))
    keys.append(np.full(n, _ANYWHERE << 56, np.int64))
    wide.append(counts == 0)
    rec_a, key_a, wide_a = np.concatenate(prec), np.concatenate(keys), np.concatenate(wide)
    # One place gives distinct keys (four cells, its area, its country); only initiatives
    # with several places can repeat a key, so only they are deduplicated (lexsort is slow).
    several = (counts > 1)[rec_a]
    if several.any():
        r, k, w = _or_dedupe(rec_a[several], key_a[several], wide_a[several])
        one = ~several
        rec_a = np.concatenate([rec_a[one], r])
        key_a = np.concatenate([key_a[one], k])
        wide_a = np.concatenate([wide_a[one], w])
    kind = key_a >> 56
    return rec_a, key_a, wide_a, (kind == _COUNTRY) | (kind == _ANYWHERE)


def _or_dedupe(rec: np.ndarray, key: np.ndarray, wide: np.ndarray):
    """Distinct (rec, key) entries, wide when any duplicate was wide; sorted by rec, key."""
    order = np.lexsort((key, rec))
    rec, key, wide = rec[order], key[order], wide[order]
    if len(rec) == 0:
        return rec, key, wide
    start = np.flatnonzero(np.r_[True, (rec[1:] != rec[:-1]) | (key[1:] != key[:-1])])
    return rec[start], key[start], np.maximum.reduceat(wide.astype(np.int8), start).astype(bool)


def _expand(rec_left: np.ndarray, per_rec_start: np.ndarray, per_rec_count: np.ndarray):
    """For each left entry of record r, the indices of r's right entries: (left idx, right idx)."""
    reps = per_rec_count[rec_left]
    left = np.repeat(np.arange(len(rec_left)), reps)
    offset = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    return left, per_rec_start[rec_left[left]] + offset


@lru_cache(maxsize=8)
def _sorted_hot(hot: frozenset[int]) -> np.ndarray:
    return np.sort(np.fromiter(hot, np.int64, len(hot)))


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    if not len(sorted_set):
        return np.zeros(len(values), bool)
    pos = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[pos] == values


def block_table(
    columns: BlockColumns, config: OverlapConfig, hot: frozenset[int], exact: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(record row, block key, wide) of many records, after hot-block sub-blocking.

    With `exact` every (row, key) is listed once (wide if any of its sources is) and the
    entries are sorted by row, key. Without it a (row, key) may be listed more than once
    (an initiative with two places in one cell, a hash collision) and nothing is sorted:
    for finding candidates that is the same relation (a pair shares a block in which one
    of them is wide), and the batch sorts and deduplicates the table itself, faster.
    """
    n = len(columns)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool)
    p_rec, p_key, p_wide, p_coarse = _place_keys(columns, config)
    w_count, w_code = columns.key_count, columns.key_code
    fam_bits = (columns.fam[:, None] >> np.arange(1, 32)) & 1
    f_rec, f_n = np.nonzero(fam_bits)
    k_rec, k_n = np.nonzero((columns.work[:, None] >> np.arange(63)) & 1)
    # Topics per record: its words, then its families and kinds of work (flagged so coarse
    # places skip them).
    t_rec = np.concatenate([np.repeat(np.arange(n), w_count), f_rec, k_rec])
    t_code = np.concatenate([w_code, _FAMILY | (f_n + 1), _WORK | (k_n + 1)])
    t_fam = np.r_[np.zeros(len(w_code), bool), np.ones(len(f_rec) + len(k_rec), bool)]
    order = np.argsort(t_rec, kind="stable")
    t_rec, t_code, t_fam = t_rec[order], t_code[order], t_fam[order]
    t_count = np.bincount(t_rec, minlength=n)
    t_start = np.cumsum(t_count) - t_count
    left, right = _expand(p_rec, t_start, t_count)
    keep = ~(p_coarse[left] & t_fam[right])
    left, right = left[keep], right[keep]
    rec, key, wide = p_rec[left], _mix(p_key[left], t_code[right]), p_wide[left]
    hot_arr = _sorted_hot(hot)
    if len(hot_arr):
        is_hot = _member(key, hot_arr)
        h_rec, h_key, h_wide, h_topic = rec[is_hot], key[is_hot], wide[is_hot], t_code[right][is_hot]
        rec, key, wide = rec[~is_hot], key[~is_hot], wide[~is_hot]
        w_start = np.cumsum(w_count) - w_count
        hl, wr = _expand(h_rec, w_start, w_count)
        sub = _mix(h_key[hl], w_code[wr])
        ok = (w_code[wr] != h_topic[hl]) & ~_member(sub, hot_arr)
        rec = np.concatenate([rec, h_rec[hl][ok]])
        key = np.concatenate([key, sub[ok]])
        wide = np.concatenate([wide, h_wide[hl][ok]])
    return _or_dedupe(rec, key, wide) if exact else (rec, key, wide)


def block_keys(
    features: RecordFeatures, config: OverlapConfig, hot: frozenset[int]
) -> dict[int, bool]:
    """Block keys of one initiative with its wide flag, after hot-block sub-blocking."""
    _, keys, wide = block_table(BlockColumns.of_features([features]), config, hot)
    return dict(zip(keys.tolist(), wide.tolist(), strict=True))


def fit_hot_blocks(table: FeatureTable, config: OverlapConfig) -> frozenset[int]:
    """Blocks (and sub-blocks) holding more than `hot_block_cap` initiatives of a corpus."""
    columns = BlockColumns.of_table(table)
    _, keys, _ = block_table(columns, config, frozenset())
    uniq, counts = np.unique(keys, return_counts=True)
    first = frozenset(uniq[counts > config.hot_block_cap].tolist())
    if not first:
        return frozenset()
    _, keys, _ = block_table(columns, config, first)
    uniq, counts = np.unique(keys, return_counts=True)
    # Only the sub-keys born of hot blocks can be hot here; plain keys were counted above.
    return first | frozenset(uniq[counts > config.hot_block_cap].tolist())


def table_blocks(
    table: FeatureTable, config: OverlapConfig, hot: frozenset[int], chunk: int = 50_000
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`block_table` of a whole feature table, not exact, computed `chunk` rows at a time.

    Rows come back as int32 (int64 beyond 2**31 rows): at 1M initiatives the table has
    ~40M entries and the intermediate arrays of one call for all rows would be several GB.
    """
    n = len(table)
    row_type = np.int32 if n < 2**31 else np.int64
    recs, keys, wides = [], [], []
    for start in range(0, n, chunk):
        columns = BlockColumns.of_table(table, start, start + chunk)
        rec, key, wide = block_table(columns, config, hot, exact=False)
        recs.append((rec + start).astype(row_type))
        keys.append(key)
        wides.append(wide)
    if not recs:
        return np.zeros(0, row_type), np.zeros(0, np.int64), np.zeros(0, bool)
    # One array at a time, dropping its chunks: at most one array is held twice.
    rec = np.concatenate(recs)
    recs.clear()
    key = np.concatenate(keys)
    keys.clear()
    return rec, key, np.concatenate(wides)

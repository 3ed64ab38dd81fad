"""Blocking: which pairs are worth scoring, without ever comparing all pairs.

A block is (place key, topic key). Two initiatives are candidates when they share a block in
which at least one of them is "wide":

- place keys: the 2 x 2 grid cells around each point (two points closer than one cell always
  share a cell), the admin-1 area, the country, and "anywhere" for initiatives with no place.
  Points are only members of their admin-1 area and country; an initiative known only to that
  area (or country, or nowhere) is wide there, so area-level work meets the points inside it
  but two points 300 km apart in one country never meet through the country.
- topic keys: goal families ("6") and the rarest words of the description, so initiatives
  without goals are still found through their text. Coarse places (country, anywhere) are
  blocked by words only: those blocks would be enormous by goal family.
- hot blocks: a block that held more than `hot_block_cap` initiatives in the fitted corpus is
  sub-blocked by rare words (block + word); a sub-block that is still hot is dropped. Hotness
  comes from the frozen model, never from the live index, so the candidate relation is a pure
  function of the pair and one-against-all finds exactly what all-against-all finds.

Keys are stable 64-bit hashes (crc32 of words, a splitmix64 mix of place and topic), computed
for many records at once in numpy; a collision only adds candidates, it never loses one.
"""
from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from coordination.convergence.config import OverlapConfig
from coordination.convergence.features import RecordFeatures
from coordination.convergence.places import ADMIN1, ADMIN2, COUNTRY

_GRID, _ADMIN1, _COUNTRY, _ANYWHERE = 1, 2, 3, 4
_WORD, _FAMILY = 1 << 40, 2 << 40
_word_codes: dict[str, int] = {}


def _word_code(word: str) -> int:
    code = _word_codes.get(word)
    if code is None:
        code = _WORD | zlib.crc32(word.encode())
        if len(_word_codes) < 1_000_000:
            _word_codes[word] = code
    return code


def _mix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """A splitmix64 mix of two int64 arrays (wrapping arithmetic), as int64."""
    z = x.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) ^ y.astype(np.uint64)
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z.view(np.int64)


def _place_keys(features: Sequence[RecordFeatures], config: OverlapConfig):
    """(record row, place key, wide, coarse) arrays, one entry per distinct (row, key)."""
    counts = np.fromiter((len(f.places) for f in features), np.int64, len(features))
    flat = [p for f in features for p in f.places]
    rows6 = np.array(flat, dtype=np.float64).reshape(len(flat), 6)
    rec = np.repeat(np.arange(len(features)), counts)
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
    prec.append(np.arange(len(features)))
    keys.append(np.full(len(features), _ANYWHERE << 56, np.int64))
    wide.append(counts == 0)
    rec_a, key_a, wide_a = _or_dedupe(np.concatenate(prec), np.concatenate(keys), np.concatenate(wide))
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
    features: Sequence[RecordFeatures], config: OverlapConfig, hot: frozenset[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(record row, block key, wide) of many records, after hot-block sub-blocking."""
    n = len(features)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool)
    p_rec, p_key, p_wide, p_coarse = _place_keys(features, config)
    words = [[_word_code(w) for w in f.key_words] for f in features]
    w_count = np.fromiter((len(w) for w in words), np.int64, n)
    w_code = np.fromiter((c for w in words for c in w), np.int64, int(w_count.sum()))
    fam = np.fromiter((f.fam for f in features), np.int64, n)
    fam_bits = (fam[:, None] >> np.arange(1, 32)) & 1
    f_rec, f_n = np.nonzero(fam_bits)
    # Topics per record: its words, then its families (flagged so coarse places skip them).
    t_rec = np.concatenate([np.repeat(np.arange(n), w_count), f_rec])
    t_code = np.concatenate([w_code, _FAMILY | (f_n + 1)])
    t_fam = np.r_[np.zeros(len(w_code), bool), np.ones(len(f_rec), bool)]
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
    return _or_dedupe(rec, key, wide)


def block_keys(
    features: RecordFeatures, config: OverlapConfig, hot: frozenset[int]
) -> dict[int, bool]:
    """Block keys of one initiative with its wide flag, after hot-block sub-blocking."""
    _, keys, wide = block_table([features], config, hot)
    return dict(zip(keys.tolist(), wide.tolist(), strict=True))


def fit_hot_blocks(features: Sequence[RecordFeatures], config: OverlapConfig) -> frozenset[int]:
    """Blocks (and sub-blocks) holding more than `hot_block_cap` initiatives of a corpus."""
    features = list(features)
    _, keys, _ = block_table(features, config, frozenset())
    uniq, counts = np.unique(keys, return_counts=True)
    first = frozenset(uniq[counts > config.hot_block_cap].tolist())
    if not first:
        return frozenset()
    _, keys, _ = block_table(features, config, first)
    uniq, counts = np.unique(keys, return_counts=True)
    # Only the sub-keys born of hot blocks can be hot here; plain keys were counted above.
    return first | frozenset(uniq[counts > config.hot_block_cap].tolist())

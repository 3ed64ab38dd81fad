"""Candidate pairs for batch detection: block memberships sorted once, expanded range by range of rows.

A pair is a candidate when it shares a block in which one side is wide; the partners of a row
in a block are then one contiguous run of the sorted members (see `batch` for the whole method).
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from coordination.convergence.blocking import _member, table_blocks
from coordination.convergence.config import OverlapConfig
from coordination.convergence.features import FeatureTable
from coordination.convergence.memory import return_freed_memory

CHUNK_PAIRS = 1_000_000  # raw pairs generated at once (bounds memory; cache-sized is fastest)
_ENTRY_SLICE = 1 << 22  # block entries processed at once when indexing the memberships


def candidate_ranges(
    table: FeatureTable, config: OverlapConfig, hot: frozenset[int], chunk_pairs: int = CHUNK_PAIRS,
    below: int | None = None,
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Yield (rows done, row_a, row_b): distinct candidate pairs, row_a < row_b, by range of row_a.

    Pairs of other organisations, active at the same time (or with unknown dates), sharing
    a block in which at least one of them is wide; each pair is yielded once overall, and
    all pairs of a lower row come in the same range. With `below`, only the pairs whose lower
    row is below it (an import's new records come first: the pairs with a new side), the
    others not even generated.
    """
    n = len(table)
    if n < 2:
        return
    entries = list(table_blocks(table, config, hot))
    return_freed_memory()
    members = _BlockMembers(entries, n, below)
    return_freed_memory()
    for rows_a, rows_b in members.ranges(chunk_pairs):
        keep = table.org[rows_a] != table.org[rows_b]
        sa, ea = table.start[rows_a], table.end[rows_a]
        sb, eb = table.start[rows_b], table.end[rows_b]
        keep &= np.isnan(sa) | np.isnan(sb) | ((sa <= eb) & (sb <= ea))
        yield int(rows_a[-1]) + 1 if len(rows_a) else 0, rows_a[keep], rows_b[keep]


class _BlockMembers:
    """Block memberships sorted by (block, row), and the partner ranges they generate.

    Built from (row, key, wide) entries, which may repeat: a sort of packed integers
    (collision-checked key prefix, row, wide flag) orders them, and the last entry of each
    repeated (block, row) carries the OR of its wide flags.
    """

    def __init__(self, entries: list[np.ndarray], n: int, below: int | None = None) -> None:
        """Sort and index [row, key, wide] entries of `n` rows (the list is emptied, so the
        arrays are freed as soon as they are packed); with `below`, only rows below it
        generate pairs (each pair comes from its lower row)."""
        self.row_bits = max(1, (n - 1).bit_length())
        rec, key, wide = entries
        entries.clear()
        code = _packed_entries(rec, key, wide, self.row_bits)
        del rec, key, wide
        code.sort()
        rows, wide, size = _decode_members(code, self.row_bits, n)
        del code
        gen, first, length = _generators(rows, wide, size)
        self.partners = np.concatenate([rows, rows[wide]])
        gen_row = rows[gen]
        del rows, wide, gen
        gen_bits = max(1, len(gen_row).bit_length())
        if self.row_bits + gen_bits <= 63:  # generators in row order: a sort of packed integers
            by_row = (gen_row.astype(np.int64) << gen_bits) | np.arange(len(gen_row))
            by_row.sort()
            order = by_row & ((1 << gen_bits) - 1)
            del by_row
        else:
            order = np.argsort(gen_row, kind="stable")
        self.gen_row = gen_row[order]
        self.gen_first, self.gen_length = first[order], length[order]
        if below is not None:  # generators are in row order
            cut = int(np.searchsorted(self.gen_row, below))
            self.gen_row, self.gen_first, self.gen_length = (
                self.gen_row[:cut], self.gen_first[:cut], self.gen_length[:cut])

    def ranges(self, chunk_pairs: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(row_a, row_b) of the distinct pairs of consecutive row ranges, sorted."""
        if not len(self.gen_row):
            return
        gen_row, length = self.gen_row, self.gen_length
        before = np.cumsum(length) - length  # raw pairs before each generator
        starts = np.flatnonzero(np.r_[True, gen_row[1:] != gen_row[:-1]])  # a row's first generator
        cuts = starts[np.r_[True, np.diff(before[starts] // max(1, chunk_pairs)) > 0]]
        bits, mask = self.row_bits, (1 << self.row_bits) - 1
        for lo, hi in zip(cuts.tolist(), [*cuts[1:].tolist(), len(gen_row)], strict=True):
            count = length[lo:hi]
            offset = self.gen_first[lo:hi] - (before[lo:hi] - before[lo])
            where = np.repeat(offset, count) + np.arange(int(count.sum()))
            code = np.repeat(gen_row[lo:hi].astype(np.int64), count) << bits
            code |= self.partners[where]
            del where
            code.sort()
            code = code[np.r_[True, code[1:] != code[:-1]]]
            yield code >> bits, code & mask


def _decode_members(
    code: np.ndarray, row_bits: int, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, wide, block sizes) of the blocks that can yield a pair, from sorted packed entries.

    Of each repeated (block, row) only the last entry is kept: wide sorts after not wide,
    so it carries the OR. Blocks of one member or without a wide member are dropped.
    Works in slices of _ENTRY_SLICE entries so no temporary is as large as the table.
    """
    last = np.empty(len(code), bool)
    for lo in range(0, len(code), _ENTRY_SLICE):
        part = code[lo : lo + _ENTRY_SLICE + 1] >> 1  # (block, row), one entry ahead
        last[lo : lo + len(part) - 1] = part[1:] != part[:-1]
    if len(code):
        last[-1] = True
    code = code[last]
    del last
    rows = np.empty(len(code), np.int32 if n < 2**31 else np.int64)
    wide = np.empty(len(code), bool)
    new_block = np.empty(len(code), bool)
    for lo in range(0, len(code), _ENTRY_SLICE):
        part = code[lo : lo + _ENTRY_SLICE]
        rows[lo : lo + len(part)] = (part >> 1) & ((1 << row_bits) - 1)
        wide[lo : lo + len(part)] = (part & 1).astype(bool)
        block = code[max(0, lo - 1) : lo + len(part)] >> (row_bits + 1)  # one entry back
        changed = block[1:] != block[:-1]
        new_block[lo : lo + len(part)] = np.r_[True, changed] if lo == 0 else changed
    del code
    start = np.flatnonzero(new_block)
    del new_block
    size = np.diff(np.r_[start, len(rows)])
    n_wide = np.add.reduceat(wide.astype(np.int32), start) if len(start) else size
    useful = (size > 1) & (n_wide > 0)
    entry = np.repeat(useful, size)
    return rows[entry], wide[entry], size[useful]


def _generators(
    rows: np.ndarray, wide: np.ndarray, size: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(entry, first partner, partner count) of every entry with partners of a higher row.

    Entry p's partners: if p is wide, the entries after it in its block (positions p+1 on in
    `rows`); otherwise the wide entries after it (positions in `rows[wide]`, which follow
    `rows` in the partner array).
    """
    index_type = np.int32 if len(rows) < 2**30 else np.int64
    end = np.repeat(np.cumsum(size, dtype=index_type), size)  # block end (exclusive)
    wide_upto = np.cumsum(wide, dtype=index_type)  # wide entries at positions <= p
    gens, firsts, lengths = [], [], []
    for lo in range(0, len(rows), _ENTRY_SLICE):
        hi = min(len(rows), lo + _ENTRY_SLICE)
        w, e = wide[lo:hi], end[lo:hi]
        position = np.arange(lo, hi, dtype=index_type)
        length = np.where(w, e - position - 1, wide_upto[e - 1] - wide_upto[lo:hi])
        g = np.flatnonzero(length > 0)
        gens.append((g + lo).astype(index_type))
        after_wide = len(rows) + wide_upto[lo:hi][g]
        firsts.append(np.where(w[g], position[g] + 1, after_wide).astype(index_type))
        lengths.append(length[g].astype(index_type))
    empty = np.zeros(0, index_type)
    cat = np.concatenate
    return cat([empty, *gens]), cat([empty, *firsts]), cat([empty, *lengths])


def _packed_entries(
    rec: np.ndarray, key: np.ndarray, wide: np.ndarray, row_bits: int
) -> np.ndarray:
    """(block, row, wide) entries packed into non-negative int64s that sort by block, row.

    Layout: bit 62 a collision flag, then `61 - row_bits` bits of key prefix, `row_bits`
    of row, 1 wide bit. Distinct keys that share a prefix (rare) are flagged and get a
    dense number instead of their prefix, so a block is exactly one run of equal keys.
    """
    prefix_bits = 61 - row_bits
    shift = np.uint64(64 - prefix_bits)
    distinct = key.view(np.uint64).copy()
    distinct.sort()
    distinct = distinct[np.r_[True, distinct[1:] != distinct[:-1]]]
    distinct_prefix = distinct >> shift
    same = distinct_prefix[1:] == distinct_prefix[:-1]
    clashing = np.unique(distinct_prefix[1:][same])
    clash_keys = distinct[_member(distinct_prefix, clashing)] if len(clashing) else distinct[:0]
    del distinct, distinct_prefix, same
    code = np.empty(len(key), np.int64)
    for lo in range(0, len(key), _ENTRY_SLICE):
        part = key[lo : lo + _ENTRY_SLICE].view(np.uint64)
        packed = (part >> shift).view(np.int64)
        if len(clashing):
            hit = np.flatnonzero(_member(packed.view(np.uint64), clashing))
            dense = np.searchsorted(clash_keys, part[hit]).astype(np.int64)
            packed[hit] = (1 << prefix_bits) | dense
        packed <<= row_bits + 1
        packed |= rec[lo : lo + _ENTRY_SLICE].astype(np.int64) << 1
        np.bitwise_or(packed, wide[lo : lo + _ENTRY_SLICE], out=packed)
        code[lo : lo + len(part)] = packed
    return code

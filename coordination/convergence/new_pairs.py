"""The overlaps of many new initiatives at once, against an index of the others.

A bulk import adds thousands of initiatives to a platform that already holds tens of
thousands. Recomputing every pair (the batch) costs the size of the platform; finding the
new ones one by one costs a query each. Here the new records are featurised together, the
stored initiatives that share a block with any of them (or are linked to one by IATI
identifiers) are taken from the index, and the batch engine runs on that small table,
scoring only the pairs with at least one new side. The blocks, scores and kinds are the
batch's own, so the pairs found are exactly the batch's pairs that touch a new initiative.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from coordination.convergence.batch import BatchOverlaps, _assemble, _linked_part, _unique_by_id, score_pairs
from coordination.convergence.beside import run_beside
from coordination.convergence.blocking import BlockColumns, block_table
from coordination.convergence.candidates import candidate_ranges
from coordination.convergence.config import OverlapConfig
from coordination.convergence.features import FeatureTable, FeatureTableBuilder
from coordination.convergence.kinds import linked_ids, linked_row_pairs
from coordination.records import InitiativeRecord

if TYPE_CHECKING:
    from coordination.convergence.index import OverlapIndex

# Candidate pairs from which half are scored by a forked helper process (`beside.run_beside`):
# below it, forking (and the copies of pages both processes then write) costs what it saves
# (measured: 248,000 pairs against 50,000 stored, no gain; 800,000 in a file of 8,000, ~0.3 s).
# `SCORED_AT_ONCE`: pairs gathered before each split (bounds memory).
SCORED_BESIDE_FROM = 500_000
SCORED_AT_ONCE = 4_000_000
PARTNER_ROWS = 8_192  # new rows whose blocks are worked out at once (`_partners`)


def find_new_overlaps(index: OverlapIndex, records: Sequence[InitiativeRecord],
                      features: FeatureTableBuilder | None = None) -> tuple[BatchOverlaps, FeatureTable]:
    """(overlaps with a new side, the new records' feature table) of `records` against `index`.

    The records are new initiatives (or new versions: an indexed one with the same id is left
    out, as `add_many` replaces it). The index is not changed: add them with
    `index.add_many(records, table)` afterwards. The table's rows are the distinct records in
    id order. `features`: the records featurised already, used when they are these records in
    this order, featurised with the index's model.
    """
    new = _unique_by_id(records)
    config, model = index.config, index.model
    if features is not None and features.holds(new, model):
        new_table = features.table()
    else:
        new_table = FeatureTable.from_records(new, model, config.key_tokens)
    links = _linked(index, new)
    stored = sorted((_partners(index, new_table) | set().union(*links.values())) - {r.id for r in new})
    combined = [*new, *(index._records[i] for i in stored)]
    if stored:
        table = FeatureTable.joined(new_table, [index._features[i] for i in stored])
    else:
        table = new_table
    n_new = len(new)

    parts = _scored_beside(table, config, model.hot_blocks, below=n_new)
    linked = _linked_rows(combined, n_new, links)
    parts.append(_linked_part(table, config, parts, linked))
    return _assemble(combined, parts, linked), new_table


def _scored_beside(table: FeatureTable, config: OverlapConfig, hot: frozenset[int], below: int) -> list[tuple]:
    """`batch.scored_parts(table, config, hot, keep=...)` of the pairs with a row below `below`
    (the new records come first: the pairs with a new side), the second half of the candidates
    scored by a forked helper process (`beside.run_beside`) once there are enough to pay for it.
    Only those pairs are generated (`candidate_ranges(below=...)`): the stored partners' pairs
    among themselves are never made, so there is nothing to drop.

    The candidates are generated here, once, and gathered up to `SCORED_AT_ONCE` pairs before
    each split (bounded memory). Parts come in another order than `scored_parts` gives them;
    `batch._assemble` puts the pairs in one order whatever the parts.
    """
    parts: list[tuple] = []
    held_a: list[np.ndarray] = []
    held_b: list[np.ndarray] = []

    def score_held() -> None:
        rows_a, rows_b = np.concatenate(held_a), np.concatenate(held_b)
        held_a.clear()
        held_b.clear()
        if len(rows_a) < SCORED_BESIDE_FROM:
            parts.extend(score_pairs(table, rows_a, rows_b, config))
            return
        half = len(rows_a) // 2
        theirs, mine = run_beside(lambda: score_pairs(table, rows_a[half:], rows_b[half:], config),
                                  lambda: score_pairs(table, rows_a[:half], rows_b[:half], config))
        parts.extend(mine + theirs)

    held = 0
    # Held as int32 below 2**31 rows: half the memory of the pairs gathered before a split.
    row_type = np.int32 if len(table) < 2**31 else np.int64
    for _, rows_a, rows_b in candidate_ranges(table, config, hot, below=below):
        held_a.append(rows_a.astype(row_type))
        held_b.append(rows_b.astype(row_type))
        held += len(rows_a)
        if held >= SCORED_AT_ONCE:
            score_held()
            held = 0
    if held_a:
        score_held()
    return parts


def _partners(index: OverlapIndex, table: FeatureTable) -> set[int]:
    """Ids of the indexed initiatives sharing a block with a row of `table` in which one of
    the two is wide (a superset of the candidates: the batch's own rule picks among them).

    The blocks are worked out `PARTNER_ROWS` rows at a time and only each slice's distinct
    (key, wide) are kept: what is held grows with the distinct blocks, not with the entries
    (~40 a row), so a large file's blocking costs a slice's temporaries."""
    keys, wide = [], []
    for start in range(0, len(table), PARTNER_ROWS):
        columns = BlockColumns.of_table(table, start, start + PARTNER_ROWS)
        _, slice_keys, slice_wide = block_table(columns, index.config, index.model.hot_blocks, exact=False)
        slice_keys, slice_wide = _distinct_blocks(slice_keys, slice_wide)
        keys.append(slice_keys)
        wide.append(slice_wide)
    if not keys:
        return set()
    all_keys, all_wide = _distinct_blocks(np.concatenate(keys), np.concatenate(wide))
    if not len(all_keys):
        return set()
    return index.posted(all_keys, all_wide)


def _distinct_blocks(keys: np.ndarray, wide: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each key once, sorted, wide if any of its entries is."""
    order = np.lexsort((~wide, keys))  # per key, a wide entry first
    keys, wide = keys[order], wide[order]
    first = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, bool)
    return keys[first], wide[first]


def _linked(index: OverlapIndex, records: list[InitiativeRecord]) -> dict[int, set[int]]:
    """The ids of the indexed initiatives linked to each of `records` (by id) by IATI identifiers."""
    found = {}
    for record in records:
        ids = linked_ids(record, index._by_identifier, index._by_reference)
        if ids:
            found[record.id] = ids
    return found


def _linked_rows(combined: list[InitiativeRecord], n_new: int, links: dict[int, set[int]]
                 ) -> tuple[np.ndarray, np.ndarray]:
    """`kinds.linked_row_pairs(combined)`'s pairs with a new side (the first `n_new` rows), in
    its order: those among the new records, and those `links` (`_linked`) gives against the
    stored ones laid out after them. The stored records' identifiers are not gathered again:
    a file's few hundred new initiatives may have thousands of stored partners."""
    among_a, among_b = linked_row_pairs(combined[:n_new])
    row_of = {record.id: row for row, record in enumerate(combined) if row >= n_new} if links else {}
    pairs = [(row, row_of[other]) for row, record in enumerate(combined[:n_new])
             for other in links.get(record.id, ()) if other in row_of
             and combined[row_of[other]].organisation_id != record.organisation_id]
    rows_a = np.concatenate([among_a, np.fromiter((a for a, _ in pairs), np.int64, len(pairs))])
    rows_b = np.concatenate([among_b, np.fromiter((b for _, b in pairs), np.int64, len(pairs))])
    order = np.lexsort((rows_b, rows_a))
    return rows_a[order], rows_b[order]

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

from coordination.convergence.batch import BatchOverlaps, _assemble, _linked_part, _unique_by_id, scored_parts
from coordination.convergence.beside import run_beside
from coordination.convergence.blocking import table_blocks
from coordination.convergence.features import FeatureTable, FeatureTableBuilder
from coordination.convergence.kinds import linked_ids, linked_row_pairs
from coordination.records import InitiativeRecord

if TYPE_CHECKING:
    from coordination.convergence.index import OverlapIndex

# Rows (new records and the stored ones they meet) from which half the candidates are scored
# by a forked helper process (`beside.run_beside`): below it, the fork costs what it saves.
SCORED_BESIDE_FROM = 3_000


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
    stored = sorted((_partners(index, new_table) | _linked(index, new)) - {r.id for r in new})
    combined = [*new, *(index._records[i] for i in stored)]
    if stored:
        table = FeatureTable([*new_table.record_features(), *(index._features[i] for i in stored)],
                             config.hash_bits)
    else:
        table = new_table
    n_new = len(new)

    def touches_new(rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
        return (rows_a < n_new) | (rows_b < n_new)

    if len(table) >= SCORED_BESIDE_FROM:
        # Every other candidate (by position in its range: both processes generate the same
        # ranges) is scored by a forked helper process; the parts are joined, and `_assemble`
        # puts the pairs in one order whatever the parts.
        def share(parity: int) -> list[tuple]:
            def keep(rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
                return touches_new(rows_a, rows_b) & (np.arange(len(rows_a)) % 2 == parity)
            return scored_parts(table, config, model.hot_blocks, keep=keep)

        theirs, parts = run_beside(lambda: share(1), lambda: share(0))
        parts += theirs
    else:
        parts = scored_parts(table, config, model.hot_blocks, keep=touches_new)
    linked_a, linked_b = linked_row_pairs(combined)
    mine = touches_new(linked_a, linked_b)
    linked = (linked_a[mine], linked_b[mine])
    parts.append(_linked_part(table, config, parts, linked))
    return _assemble(combined, parts, linked), new_table


def _partners(index: OverlapIndex, table: FeatureTable) -> set[int]:
    """Ids of the indexed initiatives sharing a block with a row of `table` in which one of
    the two is wide (a superset of the candidates: the batch's own rule picks among them)."""
    _, keys, wide = table_blocks(table, index.config, index.model.hot_blocks)
    if not len(keys):
        return set()
    order = np.lexsort((~wide, keys))  # per key, a wide entry first
    keys, wide = keys[order], wide[order]
    first = np.r_[True, keys[1:] != keys[:-1]]
    keys, wide = keys[first], wide[first]  # each key once, wide if any entry is
    return index.posted(keys, wide)


def _linked(index: OverlapIndex, records: list[InitiativeRecord]) -> set[int]:
    """Ids of indexed initiatives linked to one of `records` by IATI identifiers."""
    found: set[int] = set()
    for record in records:
        found |= linked_ids(record, index._by_identifier, index._by_reference)
    return found

"""The batch convergence on a Dask cluster, partitioned by region.

The client orders the records as the single-process batch does, deals them to partitions by
region (`partitions`: countries, with a halo of grid cells at their borders), and sends each
partition's records to a worker. A worker featurises its records, generates the candidates
of its blocks, keeps the pairs it owns (the lowest partition both sides joined) and scores
them; the client gathers the kept pairs, adds the identifier-linked pairs the candidates
missed, and assembles them exactly as `batch.find_all_overlap_arrays` does. Scores are pure
functions of the pair, so the result is identical to the single-process batch: same pairs,
same scores, same order.

Needs the optional `distributed` extra (`pip install ".[distributed]"`). The cluster is any
Dask cluster: a `distributed.LocalCluster`, or `dask scheduler` / `dask worker` processes on
other machines with this package installed (docs/DEPLOYMENT.md).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from coordination.convergence.batch import (
    CHUNK_PAIRS,
    BatchOverlaps,
    _assemble,
    _by_place,
    _unique_by_id,
    scored_parts,
)
from coordination.convergence.config import COMPONENTS, OverlapConfig
from coordination.convergence.features import FeatureTable
from coordination.convergence.kinds import linked_row_pairs, pair_member
from coordination.convergence.memory import collector_paused
from coordination.convergence.overlap import OverlapFinding
from coordination.convergence.partitions import MAX_PARTITIONS, members, owned, partition_masks
from coordination.convergence.scoring import score_rows
from coordination.convergence.text_model import TextModel
from coordination.records import InitiativeRecord

if TYPE_CHECKING:
    from distributed import Client

Progress = Callable[[int, int], None]


def connect(scheduler: str) -> Client:
    """A client of the Dask scheduler at `scheduler` (e.g. "tcp://10.0.0.5:8786")."""
    from distributed import Client

    return Client(scheduler)


def find_all_overlaps_distributed(
    records: Sequence[InitiativeRecord], client: Client, config: OverlapConfig | None = None,
    text_model: TextModel | None = None, *, partitions: int | None = None,
    progress: Progress | None = None, chunk_pairs: int = CHUNK_PAIRS,
) -> list[OverlapFinding]:
    """`batch.find_all_overlaps` computed on the cluster of `client`: the same list."""
    with collector_paused():  # as the single-process batch: an object per overlap, no cycles
        return find_all_overlap_arrays_distributed(
            records, client, config, text_model, partitions=partitions, progress=progress,
            chunk_pairs=chunk_pairs,
        ).to_list()


def find_all_overlap_arrays_distributed(
    records: Sequence[InitiativeRecord], client: Client, config: OverlapConfig | None = None,
    text_model: TextModel | None = None, *, partitions: int | None = None,
    progress: Progress | None = None, chunk_pairs: int = CHUNK_PAIRS,
) -> BatchOverlaps:
    """`batch.find_all_overlap_arrays` on the cluster; `progress(partitions done, total)`.

    `partitions` defaults to the cluster's worker threads (at most 62); the result does not
    depend on it.
    """
    from distributed import as_completed

    config = config or OverlapConfig()
    records = _by_place(_unique_by_id(records))
    count = min(MAX_PARTITIONS, partitions or _threads(client))
    masks = partition_masks(records, config, count)
    model = client.scatter(text_model, broadcast=True) if text_model is not None else None
    futures = []
    for part in range(count):
        rows = members(masks, part)
        # One future for the whole share (a bare list would be scattered item by item).
        [share] = client.scatter([([records[i] for i in rows.tolist()], rows, masks[rows])])
        futures.append(client.submit(partition_pairs, share, part, config, model, chunk_pairs,
                                     pure=False))
    parts = []
    for done, future in enumerate(as_completed(futures), start=1):
        parts.append(future.result())
        if progress is not None:
            progress(done, count)
    linked = linked_row_pairs(records)
    parts.append(_linked_part(records, config, text_model, parts, linked))
    return _assemble(records, parts, linked)


def partition_pairs(
    share: tuple[list[InitiativeRecord], np.ndarray, np.ndarray], partition: int,
    config: OverlapConfig, text_model: TextModel | None, chunk_pairs: int,
) -> tuple:
    """On a worker: (rows a, rows b, scores, components) of the overlaps `partition` owns.

    `share` holds the partition's records, their rows as the client numbers them, and the
    partitions each of them joined.
    """
    records, rows, masks = share
    model = text_model or TextModel.reference(config.hash_bits, config.char_ngram)
    table = FeatureTable.from_records(records, model, config.key_tokens)
    parts = scored_parts(table, config, model.hot_blocks, chunk_pairs,
                         keep=lambda a, b: owned(masks[a], masks[b], partition))
    del table
    if not parts:
        return _no_pairs()
    cat = np.concatenate
    return (rows[cat([p[0] for p in parts])], rows[cat([p[1] for p in parts])],
            cat([p[2] for p in parts]), {name: cat([p[3][name] for p in parts]) for name in COMPONENTS})


def _linked_part(
    records: list[InitiativeRecord], config: OverlapConfig, text_model: TextModel | None,
    parts: list[tuple], linked: tuple[np.ndarray, np.ndarray],
) -> tuple:
    """The identifier-linked pairs no partition kept, scored on the client whatever their score.

    Only the records of those pairs are featurised here (a handful, against the batch).
    """
    rows_a, rows_b = linked
    if len(rows_a):
        kept_a = np.concatenate([p[0] for p in parts])
        kept_b = np.concatenate([p[1] for p in parts])
        new = ~pair_member(rows_a, rows_b, kept_a, kept_b, len(records))
        rows_a, rows_b = rows_a[new], rows_b[new]
    if not len(rows_a):
        return _no_pairs()
    involved = np.unique(np.concatenate([rows_a, rows_b]))
    model = text_model or TextModel.reference(config.hash_bits, config.char_ngram)
    table = FeatureTable.from_records([records[i] for i in involved.tolist()], model, config.key_tokens)
    local_a, local_b = np.searchsorted(involved, rows_a), np.searchsorted(involved, rows_b)
    scores, components = score_rows(table, local_a, local_b, config)
    return rows_a, rows_b, scores, components


def _threads(client: Client) -> int:
    """Worker threads of the cluster (at least one)."""
    return max(1, sum(client.nthreads().values()))


def _no_pairs() -> tuple:
    """An empty (rows a, rows b, scores, components) part."""
    empty = np.zeros(0, np.int64)
    return empty, empty, np.zeros(0), {name: np.zeros(0) for name in COMPONENTS}

"""Batch overlap detection: every overlap among a set of initiatives, block by block.

Pairs are enumerated inside blocks (never all pairs), deduplicated and filtered in numpy,
scored in chunks so memory stays bounded on a million initiatives, and only the pairs above
the threshold become `Overlap` objects with explanations.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from coordination.convergence.blocking import block_keys
from coordination.convergence.config import OverlapConfig
from coordination.convergence.explain import build_overlap
from coordination.convergence.features import FeatureTable, RecordFeatures, featurise
from coordination.convergence.overlap import Overlap
from coordination.convergence.scoring import score_rows
from coordination.convergence.text_model import TextModel
from coordination.records import InitiativeRecord

Progress = Callable[[int, int], None]
_FEATURE_CHUNK = 20_000  # records vectorised at once
_CHUNK_PAIRS = 2_000_000  # pairs scored at once: bounds peak memory at a few hundred MB


def find_all_overlaps(
    records: Sequence[InitiativeRecord],
    config: OverlapConfig | None = None,
    progress: Progress | None = None,
    text_model: TextModel | None = None,
) -> list[Overlap]:
    """All overlaps among `records`, best first.

    `progress(done, total)` is called in work units (one per record featurised, then one
    per record's worth of blocks scored); done == total at the end.
    """
    config = config or OverlapConfig()
    model = text_model or TextModel.reference(config.hash_bits, config.char_ngram)
    records = _unique_by_id(records)
    n = len(records)
    total = 2 * n
    features: list[RecordFeatures] = []
    parts = []
    for first in range(0, n, _FEATURE_CHUNK):
        chunk, vectors = featurise(records[first : first + _FEATURE_CHUNK], model, config.key_tokens)
        features += chunk
        parts.append(vectors)
        if progress is not None:
            progress(len(features), total)
    matrix = sp.vstack(parts, format="csr") if parts else None
    table = FeatureTable(features, config.hash_bits, matrix)
    found: dict[tuple[int, int], Overlap] = {}
    for done, lo, hi in _candidate_chunks(features, config, model):
        _score_chunk(table, lo, hi, records, config, found)
        if progress is not None:
            progress(n + done, total)
    if progress is not None:
        progress(total, total)
    return sorted(found.values(), key=lambda o: (-o.score, o.a_id, o.b_id))


def _unique_by_id(records: Sequence[InitiativeRecord]) -> list[InitiativeRecord]:
    """Records with one version per id (the last one wins, as in the index)."""
    return list({r.id: r for r in records}.values())


def _candidate_chunks(features: list[RecordFeatures], config: OverlapConfig, model: TextModel):
    """Yield (records' worth done, row_a, row_b) chunks of candidate pairs, row_a < row_b."""
    members: dict[int, list[int]] = {}
    wide: dict[int, list[int]] = {}
    for row, f in enumerate(features):
        for key, is_wide in block_keys(f, config, model.hot_blocks).items():
            members.setdefault(key, []).append(row)
            if is_wide:
                wide.setdefault(key, []).append(row)
    n_blocks = max(1, len(members))
    n = len(features)
    parts_a: list[np.ndarray] = []
    parts_b: list[np.ndarray] = []
    pending = 0
    for done_blocks, (key, rows) in enumerate(members.items(), 1):
        wide_rows = wide.get(key)
        if len(rows) < 2 or not wide_rows:
            continue
        m = np.asarray(rows, dtype=np.int64)
        if len(wide_rows) == len(rows):
            i, j = _triu(len(m))
            a, b = m[i], m[j]
        else:
            w = np.asarray(wide_rows, dtype=np.int64)
            a, b = np.repeat(w, len(m)), np.tile(m, len(w))
        parts_a.append(np.minimum(a, b))
        parts_b.append(np.maximum(a, b))
        pending += len(a)
        if pending >= _CHUNK_PAIRS:
            yield done_blocks * n // n_blocks, *_dedupe(parts_a, parts_b, n)
            parts_a, parts_b, pending = [], [], 0
    if pending:
        yield n, *_dedupe(parts_a, parts_b, n)


@lru_cache(maxsize=512)
def _triu(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j) of a block of `size` members (block sizes repeat, so cached)."""
    return np.triu_indices(size, 1)


def _dedupe(parts_a: list[np.ndarray], parts_b: list[np.ndarray], n: int):
    """Unique (a, b) pairs with a != b from the collected parts."""
    code = np.unique(np.concatenate(parts_a) * max(n, 1) + np.concatenate(parts_b))
    a, b = np.divmod(code, max(n, 1))
    keep = a != b
    return a[keep], b[keep]


def _score_chunk(
    table: FeatureTable,
    rows_a: np.ndarray,
    rows_b: np.ndarray,
    records: list[InitiativeRecord],
    config: OverlapConfig,
    found: dict[tuple[int, int], Overlap],
) -> None:
    """Score one chunk of candidate pairs and keep those above the threshold."""
    keep = table.org[rows_a] != table.org[rows_b]
    sa, ea, sb, eb = table.start[rows_a], table.end[rows_a], table.start[rows_b], table.end[rows_b]
    unknown = np.isnan(sa) | np.isnan(sb)
    keep &= unknown | ((sa <= eb) & (sb <= ea))
    rows_a, rows_b = rows_a[keep], rows_b[keep]
    if not len(rows_a):
        return
    scores, components = score_rows(table, rows_a, rows_b, config)
    for k in np.flatnonzero((scores >= config.threshold) & (scores > 0)).tolist():
        a, b = records[rows_a[k]], records[rows_b[k]]
        if b.id < a.id:
            a, b = b, a
        if (a.id, b.id) in found:
            continue
        values = {name: float(column[k]) for name, column in components.items()}
        found[(a.id, b.id)] = build_overlap(a, b, float(scores[k]), values)

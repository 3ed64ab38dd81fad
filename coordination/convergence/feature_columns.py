"""Feature columns: the per-record goal, tag, time, place, word and kind-of-work values
that `features.FeatureTable` stacks into arrays (and cuts back into `RecordFeatures`).
"""
from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from coordination.convergence.goals import TARGET_WORDS, goal_masks
from coordination.convergence.places import usable_place_row
from coordination.convergence.text_model import TextModel
from coordination.convergence.words import canonical_tokens, normalise_tag
from coordination.convergence.work import masks as work_masks
from coordination.convergence.work import work_text
from coordination.records import InitiativeRecord

if TYPE_CHECKING:
    from coordination.convergence.features import RecordFeatures

NO_TARGET, MANY_TARGETS = -1, -2  # `target` column: the single target's bit, or these
TAG_WIDTH = 6  # tag sets up to this size are compared in numpy, larger ones in Python
CHAR_BUCKETS = 64  # n-gram buckets of the text bound (see `FeatureTable.char_buckets`)
WORD_BLOCK = 1 << 40  # flag of a word's blocking code (crc32 below it; see `blocking`)
_OPEN_END = math.inf  # an open-ended initiative is ongoing


@lru_cache(maxsize=65_536)
def _goal_masks(goals: frozenset[str]) -> tuple[tuple[int, int, int], tuple[int, ...]]:
    """((family mask, related mask, target), target bits as TARGET_WORDS 64-bit words).

    `target` is the bit of the only target when there is exactly one (the common case:
    the goal scorer then compares two small integers instead of 256 bits), NO_TARGET or
    MANY_TARGETS otherwise. Goal sets repeat, so they are cached.
    """
    fam, rel, bits = goal_masks(goals)
    words = tuple(int(bits[word]) for word in range(TARGET_WORDS))
    count = sum(w.bit_count() for w in words)
    target = NO_TARGET if count == 0 else MANY_TARGETS
    if count == 1:
        word = next(i for i, w in enumerate(words) if w)
        target = 64 * word + words[word].bit_length() - 1
    return (fam, rel, target), words


@lru_cache(maxsize=65_536)
def _tag_ids(tags: frozenset[str]) -> tuple[int, ...]:
    """Stable ids of normalised tags, sorted (tag sets repeat, so they are cached)."""
    if not tags:
        return ()
    return tuple(sorted({zlib.crc32(s.encode()) for s in (normalise_tag(t) for t in tags) if s}))


@lru_cache(maxsize=1_000_000)
def word_block_code(word: str) -> int:
    """The blocking code of a key word (stable across processes: crc32, never `hash()`)."""
    return WORD_BLOCK | zlib.crc32(word.encode())


def _interval(record: InitiativeRecord) -> tuple[float, float]:
    """(start, end) as day ordinals; nan start when unknown, inf end when open-ended."""
    if record.start is None:
        return math.nan, math.nan
    start = float(record.start.toordinal())
    if record.end is None:
        return start, _OPEN_END
    return start, max(start, float(record.end.toordinal()))  # an end before the start is a typo


@dataclass
class _Columns:
    """The raw columns of some initiatives, before the derived ones are laid out."""

    ids: np.ndarray
    org: np.ndarray
    start: np.ndarray
    end: np.ndarray
    goals: np.ndarray  # (n, 3) int64: family mask, related mask, target
    bits: np.ndarray  # (n, TARGET_WORDS) uint64
    tag_count: np.ndarray
    tag_matrix: np.ndarray  # (n, TAG_WIDTH) int64, padded with -1
    tags_large: dict[int, frozenset[int]]  # row -> tag ids of sets larger than TAG_WIDTH
    place_count: np.ndarray
    place_rows: np.ndarray  # (sum of place_count, 6)
    key_count: np.ndarray
    key_code: np.ndarray
    vectors: sp.csr_matrix
    work: np.ndarray  # int64 mask of the kinds of work named (`work.py`)


def _tag_columns(
    tag_sets: Sequence[tuple[int, ...]],
) -> tuple[np.ndarray, np.ndarray, dict[int, frozenset[int]]]:
    """(count, padded matrix, large sets by row) of sorted tag-id tuples."""
    n = len(tag_sets)
    count = np.fromiter(map(len, tag_sets), np.int64, n)
    matrix = np.full((n, TAG_WIDTH), -1, dtype=np.int64)
    small = np.flatnonzero((count > 0) & (count <= TAG_WIDTH))
    if len(small):
        width = count[small]
        flat = np.array(list(chain.from_iterable(tag_sets[i] for i in small.tolist())), np.int64)
        row = np.repeat(small, width)
        col = np.arange(len(flat)) - np.repeat(np.cumsum(width) - width, width)
        matrix[row, col] = flat
    large = {i: frozenset(tag_sets[i]) for i in np.flatnonzero(count > TAG_WIDTH).tolist()}
    return count, matrix, large


def _record_columns(
    records: Sequence[InitiativeRecord], model: TextModel, key_tokens: int
) -> _Columns:
    """The raw columns of a chunk of records (numpy wherever the records allow it)."""
    n = len(records)
    ids = np.fromiter((r.id for r in records), np.int64, n)
    org = np.fromiter((r.organisation_id for r in records), np.int64, n)
    intervals = [_interval(r) for r in records]
    start = np.fromiter((s for s, _ in intervals), np.float64, n)
    end = np.fromiter((e for _, e in intervals), np.float64, n)
    goal_sets: dict[frozenset[str], int] = {}
    goal_of = np.fromiter(
        (goal_sets.setdefault(r.goals, len(goal_sets)) for r in records), np.int64, n
    )
    masks = [_goal_masks(g) for g in goal_sets]
    goals = np.array([m[0] for m in masks], np.int64).reshape(len(masks), 3)[goal_of]
    bits = np.array([m[1] for m in masks], np.uint64).reshape(len(masks), TARGET_WORDS)[goal_of]
    tag_count, tag_matrix, tags_large = _tag_columns([_tag_ids(r.tags) for r in records])
    counts = [0] * n
    flat: list[tuple] = []
    for i, record in enumerate(records):
        for place in record.places:
            row = usable_place_row(place)
            if row is not None:
                flat.append(row)
                counts[i] += 1
    place_count = np.array(counts, np.int64)
    place_rows = np.array(flat, dtype=np.float64).reshape(len(flat), 6)
    rows, word_of, words = canonical_tokens([f"{r.title} {r.description}" for r in records])
    vectors = model.token_vectors(rows, word_of, words, n)
    key_count, key_word = model.key_word_rows(rows, word_of, words, n, key_tokens)
    codes = np.fromiter(map(word_block_code, words), np.int64, len(words))
    key_code = codes[key_word] if len(words) else np.zeros(0, np.int64)
    work = work_masks(work_text(r) for r in records)
    return _Columns(ids, org, start, end, goals, bits, tag_count, tag_matrix, tags_large,
                    place_count, place_rows, key_count, key_code, vectors, work)


def _feature_columns(
    features: Sequence[RecordFeatures], hash_bits: int, vectors: sp.csr_matrix | None
) -> _Columns:
    """The raw columns of per-initiative features (the inverse of `record_features`).

    This runs for every one-against-all query (its candidates' features), so it sticks to
    flat lists and `np.fromiter`.
    """
    n = len(features)
    goals = np.empty((n, 3), np.int64)
    goals[:, 0] = np.fromiter((f.fam for f in features), np.int64, n)
    goals[:, 1] = np.fromiter((f.rel for f in features), np.int64, n)
    goals[:, 2] = np.fromiter((f.target for f in features), np.int64, n)
    bits = np.array([f.bit_words for f in features], dtype=np.uint64).reshape(n, TARGET_WORDS)
    tag_sets: list[tuple[int, ...]] = [()] * n
    for i, f in enumerate(features):
        if f.tags:
            tag_sets[i] = tuple(sorted(f.tags))
    tag_count, tag_matrix, tags_large = _tag_columns(tag_sets)
    place_count = np.fromiter(map(len, (f.places for f in features)), np.int64, n)
    flat = list(chain.from_iterable(f.places for f in features))
    key_count = np.fromiter(map(len, (f.key_codes for f in features)), np.int64, n)
    key_code = np.array(list(chain.from_iterable(f.key_codes for f in features)), np.int64)
    if vectors is None:
        nnz = np.fromiter((len(f.vec_ids) for f in features), dtype=np.int64, count=n)
        indptr = np.concatenate([[0], np.cumsum(nnz)]).astype(np.int64)
        indices = np.concatenate([f.vec_ids for f in features]) if n else np.zeros(0, np.int64)
        data = np.concatenate([f.vec_vals for f in features]) if n else np.zeros(0)
        vectors = sp.csr_matrix((data, indices, indptr), shape=(n, 1 << hash_bits))
    return _Columns(
        np.fromiter((f.id for f in features), np.int64, n),
        np.fromiter((f.org for f in features), np.int64, n),
        np.fromiter((f.start for f in features), np.float64, n),
        np.fromiter((f.end for f in features), np.float64, n),
        goals, bits, tag_count, tag_matrix, tags_large,
        place_count, np.array(flat, dtype=np.float64).reshape(len(flat), 6),
        key_count, key_code, vectors, np.fromiter((f.work for f in features), np.int64, n),
    )


def _stack(parts: list[_Columns], hash_bits: int) -> _Columns:
    """One set of columns from consecutive chunks (emptied as it goes, to bound memory)."""
    if len(parts) == 1:
        return parts.pop()
    offset = 0
    large: dict[int, frozenset[int]] = {}
    for part in parts:
        large.update({offset + i: tags for i, tags in part.tags_large.items()})
        offset += len(part.ids)

    def cat(name: str) -> np.ndarray:
        return np.concatenate([getattr(p, name) for p in parts])

    matrices = [p.vectors for p in parts]
    nnz = sum(m.nnz for m in matrices)
    indptr = np.zeros(offset + 1, np.int64)
    indices = np.empty(nnz, np.int32 if nnz < 2**31 else np.int64)
    data = np.empty(nnz)
    row = at = 0
    for part in parts:
        m = part.vectors
        indptr[row + 1 : row + m.shape[0] + 1] = at + m.indptr[1:]
        indices[at : at + m.nnz], data[at : at + m.nnz] = m.indices, m.data
        row, at = row + m.shape[0], at + m.nnz
        part.vectors = None  # type: ignore[assignment]
    vectors = sp.csr_matrix((data, indices, indptr), shape=(offset, 1 << hash_bits))
    columns = _Columns(
        cat("ids"), cat("org"), cat("start"), cat("end"), cat("goals"), cat("bits"),
        cat("tag_count"), cat("tag_matrix"), large, cat("place_count"), cat("place_rows"),
        cat("key_count"), cat("key_code"), vectors, cat("work"),
    )
    parts.clear()
    return columns

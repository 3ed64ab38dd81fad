"""Record features: what the scorer and the blocker need of an initiative, computed once.

`FeatureTable` lays the features of many initiatives out in columns so candidate pairs are
scored with numpy, in bulk; `FeatureTable.from_records` builds it straight from records,
chunk by chunk, without a Python object per initiative (the batch path). `RecordFeatures`
is the per-initiative form kept by the index; `featurise` cuts a table into them and
`FeatureTable(features)` lays them out again, column for column the same values. The
one-against-all and the all-against-all paths both score through a `FeatureTable`, which is
what makes their numbers bit-for-bit equal.
"""
from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np
import scipy.sparse as sp

from coordination.convergence.goals import TARGET_WORDS, goal_masks
from coordination.convergence.memory import return_freed_memory
from coordination.convergence.places import PlaceColumns, usable_place_row
from coordination.convergence.words import canonical_tokens, normalise_tag
from coordination.convergence.text_model import TextModel, word_feature_bit
from coordination.convergence.work import masks as work_masks
from coordination.convergence.work import work_text
from coordination.records import InitiativeRecord

TAG_WIDTH = 6  # tag sets up to this size are compared in numpy, larger ones in Python
CHAR_BUCKETS = 64  # n-gram buckets of the text bound (see `FeatureTable.char_buckets`)
NO_TARGET, MANY_TARGETS = -1, -2  # `target` column: the single target's bit, or these
WORD_BLOCK = 1 << 40  # flag of a word's blocking code (crc32 below it; see `blocking`)
_OPEN_END = math.inf  # an open-ended initiative is ongoing
_CHUNK = 20_000  # records featurised at once by `FeatureTable.from_records`
_ROW_SLICE = 1 << 16  # rows of `vectors` split into word and n-gram parts at once


class RecordFeatures:
    """Scoring and blocking features of one initiative (cut from a `FeatureTable`)."""

    __slots__ = (
        "bit_words",
        "end",
        "fam",
        "id",
        "key_codes",
        "org",
        "places",
        "rel",
        "start",
        "tags",
        "target",
        "vec_ids",
        "vec_vals",
        "work",
    )

    def __init__(
        self, initiative_id: int, org: int, start: float, end: float, goals: tuple[int, int, int],
        bit_words: tuple[int, ...], tags: frozenset[int], places: list[tuple[float, ...]],
        vec_ids: np.ndarray, vec_vals: np.ndarray, key_codes: tuple[int, ...], work: int = 0,
    ) -> None:
        """Features given column values; `goals` is (family mask, related mask, target);
        `work` the mask of the kinds of work the text names (`work.py`)."""
        self.id = initiative_id
        self.org = org
        self.start, self.end = start, end
        self.fam, self.rel, self.target = goals
        self.bit_words = bit_words
        self.tags = tags
        self.places = places
        self.vec_ids, self.vec_vals = vec_ids, vec_vals
        self.key_codes = key_codes
        self.work = work

    def active_during(self, other: RecordFeatures) -> bool:
        """False only when both date ranges are known and do not meet."""
        if math.isnan(self.start) or math.isnan(other.start):
            return True
        return self.start <= other.end and other.start <= self.end


def featurise(
    records: Sequence[InitiativeRecord], model: TextModel, key_tokens: int
) -> tuple[list[RecordFeatures], sp.csr_matrix]:
    """Features of many records, and their text vectors as one CSR matrix (same rows)."""
    table = FeatureTable.from_records(records, model, key_tokens)
    return table.record_features(), table.vectors


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


class FeatureTable:
    """Columns of features for a list of initiatives, indexed by row position."""

    def __init__(
        self,
        features: Sequence[RecordFeatures],
        hash_bits: int,
        vectors: sp.csr_matrix | None = None,
    ) -> None:
        """Lay out `features` in columns (`vectors`, if given, are their text rows)."""
        self._lay_out(_feature_columns(features, hash_bits, vectors), hash_bits)

    @classmethod
    def from_records(
        cls,
        records: Sequence[InitiativeRecord],
        model: TextModel,
        key_tokens: int,
        progress: Callable[[int], None] | None = None,
    ) -> FeatureTable:
        """The table of `records` (same row order), built chunk by chunk.

        `progress(done)` is called after each chunk with the number of records done.
        """
        parts = []
        for first in range(0, len(records), _CHUNK):
            parts.append(_record_columns(records[first : first + _CHUNK], model, key_tokens))
            if len(records) > _CHUNK:  # this chunk's temporaries, before the next fragments them
                return_freed_memory()
            if progress is not None:
                progress(min(len(records), first + _CHUNK))
        if not parts:
            parts.append(_record_columns([], model, key_tokens))
        table = cls.__new__(cls)
        table._lay_out(_stack(parts, model.hash_bits), model.hash_bits)
        return table

    def _lay_out(self, c: _Columns, hash_bits: int) -> None:
        """Keep the raw columns and derive the ones the scorer and the blocker use."""
        self.n = len(c.ids)
        self.ids, self.org, self.start, self.end = c.ids, c.org, c.start, c.end
        self.fam, self.rel, self.target = (np.ascontiguousarray(c.goals[:, i]) for i in range(3))
        self.bits = c.bits
        self.tag_count, self.tag_matrix, self.tags_large = c.tag_count, c.tag_matrix, c.tags_large
        self.has_tags = c.tag_count > 0
        self.place_count = c.place_count
        self.place_start = np.concatenate([[0], np.cumsum(c.place_count)[:-1]]).astype(np.int64)
        self.place_rows = c.place_rows
        self.places = PlaceColumns(c.place_rows)
        self.key_count, self.key_code = c.key_count, c.key_code
        self.key_start = np.concatenate([[0], np.cumsum(c.key_count)[:-1]]).astype(np.int64)
        self.vectors = c.vectors
        self.work = c.work
        self.hash_bits = hash_bits
        self._split: tuple[sp.csr_matrix, np.ndarray, np.ndarray] | None = None
        self._buckets: np.ndarray | None = None

    def tag_set(self, row: int) -> frozenset[int]:
        """The tag ids of one row."""
        large = self.tags_large.get(row)
        if large is not None:
            return large
        return frozenset(self.tag_matrix[row, : self.tag_count[row]].tolist())

    def record_features(self) -> list[RecordFeatures]:
        """One `RecordFeatures` per row (what the index keeps per initiative)."""
        x = self.vectors
        indptr = x.indptr.tolist()
        places = self.place_rows.tolist()
        place_start, place_count = self.place_start.tolist(), self.place_count.tolist()
        keys = self.key_code.tolist()
        key_start, key_count = self.key_start.tolist(), self.key_count.tolist()
        goals = zip(self.fam.tolist(), self.rel.tolist(), self.target.tolist(), strict=True)
        bits = [tuple(row) for row in self.bits.tolist()]
        work = self.work.tolist()
        tags: list[frozenset[int]] = [frozenset()] * self.n
        for i in np.flatnonzero(self.has_tags).tolist():
            tags[i] = self.tag_set(i)
        return [
            RecordFeatures(
                i_id, org, s, e, g, bits[i], tags[i],
                places[place_start[i] : place_start[i] + place_count[i]],
                x.indices[indptr[i] : indptr[i + 1]], x.data[indptr[i] : indptr[i + 1]],
                tuple(keys[key_start[i] : key_start[i] + key_count[i]]), work[i],
            )
            for i, (i_id, org, s, e, g) in enumerate(zip(
                self.ids.tolist(), self.org.tolist(), self.start.tolist(), self.end.tolist(),
                goals, strict=True,
            ))
        ]

    def text_split(self) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
        """(word part of `vectors` as CSR, norm of each row's word part, of its n-gram part).

        Built once."""
        if self._split is None:
            x = self.vectors
            first_word = word_feature_bit(self.hash_bits)
            counts, indices, data, word_sq, char_sq = [], [], [], [], []
            for lo, hi, ids, vals, row in self._row_slices():
                is_word = ids >= first_word
                counts.append(np.bincount(row[is_word], minlength=hi - lo))
                indices.append(ids[is_word])
                data.append(vals[is_word])
                squares, rows = vals**2, hi - lo
                word_sq.append(np.bincount(row[is_word], weights=squares[is_word], minlength=rows))
                char_sq.append(np.bincount(row[~is_word], weights=squares[~is_word], minlength=rows))
            indptr = np.zeros(x.shape[0] + 1, np.int64)
            np.cumsum(np.concatenate([np.zeros(0, np.int64), *counts]), out=indptr[1:])
            word_data = np.concatenate([np.zeros(0), *data])
            word_indices = np.concatenate([x.indices[:0], *indices])
            words = sp.csr_matrix((word_data, word_indices, indptr), shape=x.shape)
            word_norm = np.sqrt(np.concatenate([np.zeros(0), *word_sq]))
            self._split = (words, word_norm, np.sqrt(np.concatenate([np.zeros(0), *char_sq])))
            if self.n > _ROW_SLICE:
                return_freed_memory()  # the slices' temporaries (hundreds of MB at 1M rows)
        return self._split

    def char_buckets(self) -> np.ndarray:
        """Norms of each row's n-gram part in CHAR_BUCKETS buckets of features (n x B float32).

        Buckets partition the n-gram features (by the low bits of the feature id), so by
        Cauchy-Schwarz in every bucket the n-gram dot product of two rows is at most the
        dot product of their bucket norms. Norms are rounded up to float32: a bound, a
        quarter of the memory of float64. Built once.
        """
        if self._buckets is None:
            out = np.empty((self.n, CHAR_BUCKETS), np.float32)
            first_word = word_feature_bit(self.hash_bits)
            for lo, hi, ids, vals, row in self._row_slices():
                is_char = ids < first_word
                cell = row[is_char] * CHAR_BUCKETS + (ids[is_char] & (CHAR_BUCKETS - 1))
                squares = vals[is_char] ** 2
                cells = (hi - lo) * CHAR_BUCKETS
                exact = np.sqrt(np.bincount(cell, weights=squares, minlength=cells))
                rounded = exact.astype(np.float32)
                low = rounded < exact
                rounded[low] = np.nextafter(rounded[low], np.float32(np.inf))
                out[lo:hi] = rounded.reshape(hi - lo, CHAR_BUCKETS)
            self._buckets = out
            if self.n > _ROW_SLICE:
                return_freed_memory()
        return self._buckets

    def _row_slices(self, rows: int = _ROW_SLICE):
        """(first row, end row, indices, data, local row of each entry) of slices of `vectors`.

        Slices bound the temporaries (a row index per stored entry is ~650 MB at 1M rows).
        """
        x = self.vectors
        for lo in range(0, self.n, rows):
            hi = min(self.n, lo + rows)
            a, b = int(x.indptr[lo]), int(x.indptr[hi])
            row = np.repeat(np.arange(hi - lo), np.diff(x.indptr[lo : hi + 1]))
            yield lo, hi, x.indices[a:b], x.data[a:b], row

    def __len__(self) -> int:
        """Number of rows."""
        return self.n

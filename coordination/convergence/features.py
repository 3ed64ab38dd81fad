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
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from coordination.convergence.memory import return_freed_memory
from coordination.convergence.places import PlaceColumns
from coordination.convergence.text_model import TextModel, word_feature_bit
from coordination.convergence.feature_columns import (
    CHAR_BUCKETS,
    MANY_TARGETS,
    TAG_WIDTH,
    WORD_BLOCK,
    _Columns,
    _feature_columns,
    _record_columns,
    _stack,
)
from coordination.records import InitiativeRecord

__all__ = ["CHAR_BUCKETS", "MANY_TARGETS", "TAG_WIDTH", "WORD_BLOCK", "FeatureTable", "RecordFeatures", "featurise"]

_CHUNK = 20_000  # records featurised at once by `FeatureTable.from_records`
_ROW_SLICE = 1 << 13  # rows of `vectors` split into word and n-gram parts at once
_TRIM_FROM_ROWS = 1 << 16  # tables from which those parts' temporaries are handed back to the system


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
        return cls._stacked(parts, model, key_tokens)

    @classmethod
    def _stacked(cls, parts: list, model: TextModel, key_tokens: int) -> FeatureTable:
        """The table of consecutive chunks' raw columns (emptied)."""
        if not parts:
            parts.append(_record_columns([], model, key_tokens))
        table = cls.__new__(cls)
        table._lay_out(_stack(parts, model.hash_bits), model.hash_bits)
        return table

    @classmethod
    def joined(cls, table: FeatureTable, features: Sequence[RecordFeatures]) -> FeatureTable:
        """The rows of `table` followed by those of `features`: the columns of
        `FeatureTable([*table.record_features(), *features])`, without cutting `table` into
        per-row objects and laying them out again (an import's new records beside the stored
        initiatives they may pair with)."""
        joined = cls.__new__(cls)
        parts = [table._columns(), _feature_columns(features, table.hash_bits, None)]
        joined._lay_out(_stack(parts, table.hash_bits), table.hash_bits)
        return joined

    def _columns(self) -> _Columns:
        """The raw columns this table was laid out from (shared, not copied)."""
        return _Columns(self.ids, self.org, self.start, self.end,
                        np.stack([self.fam, self.rel, self.target], axis=1), self.bits, self.tag_count,
                        self.tag_matrix, self.tags_large, self.place_count, self.place_rows, self.key_count,
                        self.key_code, self.vectors, self.work)

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
            if self.n > _TRIM_FROM_ROWS:
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
            if self.n > _TRIM_FROM_ROWS:
                return_freed_memory()
        return self._buckets

    def release_scoring_parts(self) -> None:
        """Let go of what scoring built from `vectors` (`text_split`, `char_buckets`; built
        again if asked): an import's table stays alive until the index takes it, and these
        are ~0.6 KB a row it no longer needs by then."""
        self._split = None
        self._buckets = None

    def _row_slices(self):
        """(first row, end row, indices, data, local row of each entry) of `_ROW_SLICE` rows
        of `vectors` at a time.

        Slices bound the temporaries: they are several arrays of one entry per stored value
        (~125 a row for published descriptions), ~650 MB each at 1M rows; a slice of 8,192
        rows keeps them to a few MB, so an import's memory does not grow by them with its file.
        """
        x, rows = self.vectors, _ROW_SLICE
        for lo in range(0, self.n, rows):
            hi = min(self.n, lo + rows)
            a, b = int(x.indptr[lo]), int(x.indptr[hi])
            row = np.repeat(np.arange(hi - lo), np.diff(x.indptr[lo : hi + 1]))
            yield lo, hi, x.indices[a:b], x.data[a:b], row

    def __len__(self) -> int:
        """Number of rows."""
        return self.n


class FeatureTableBuilder:
    """`FeatureTable.from_records` of records given a few at a time, in row order.

    A bulk import featurises each batch it writes while its parser process reads ahead, instead
    of every record at the end, when nothing else runs (`services.imports`). Chunks are
    featurised independently, so the table is the one `from_records` gives for the same records.
    """

    def __init__(self, model: TextModel, key_tokens: int) -> None:
        self.model, self.key_tokens = model, key_tokens
        self.records: list[InitiativeRecord] = []
        self._parts: list = []

    def add(self, records: Sequence[InitiativeRecord]) -> None:
        """Featurise the next records (rows after the ones added before)."""
        if records:
            self._parts.append(_record_columns(records, self.model, self.key_tokens))
            self.records.extend(records)

    def holds(self, records: Sequence[InitiativeRecord], model: TextModel) -> bool:
        """Whether the rows added are `records` (the same objects, in order), featurised with `model`'s weights."""
        return (self.model.idf is model.idf and len(self.records) == len(records)
                and all(a is b for a, b in zip(self.records, records)))

    def table(self) -> FeatureTable:
        """The table of every record added (the builder is emptied)."""
        self.records = []
        return FeatureTable._stacked(self._parts, self.model, self.key_tokens)

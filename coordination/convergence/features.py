"""Record features: what the scorer needs of one initiative, computed once.

`RecordFeatures` is the per-initiative form kept by the index; `FeatureTable` lays many of
them out in columns so candidate pairs are scored with numpy, in bulk. The one-against-all
and the all-against-all paths both score through a `FeatureTable`, which is what makes
their numbers bit-for-bit equal.
"""
from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from coordination.convergence.goals import TARGET_WORDS, goal_masks
from coordination.convergence.places import PlaceColumns, is_usable, place_row
from coordination.convergence.text import canonical_words, normalise_tag
from coordination.convergence.text_model import TextModel, word_feature_bit
from coordination.records import InitiativeRecord

TAG_WIDTH = 6  # tag sets up to this size are compared in numpy, larger ones in Python
_OPEN_END = math.inf  # an open-ended initiative is ongoing


class RecordFeatures:
    """Scoring and blocking features of one initiative (build them with `featurise`)."""

    __slots__ = (
        "bit_words",
        "bits",
        "end",
        "fam",
        "id",
        "key_words",
        "org",
        "places",
        "rel",
        "start",
        "tags",
        "vec_ids",
        "vec_vals",
    )

    def __init__(
        self, record: InitiativeRecord, words: list[str], vec_ids: np.ndarray,
        vec_vals: np.ndarray, model: TextModel, key_tokens: int,
    ) -> None:
        """Features of `record` given its canonical words and its text vector."""
        self.id = record.id
        self.org = record.organisation_id
        self.start, self.end = _interval(record)
        self.fam, self.rel, self.bits, self.bit_words = _goal_masks(record.goals)
        self.tags = _tag_ids(record.tags)
        self.places = [place_row(p) for p in record.places if is_usable(p)]
        self.vec_ids, self.vec_vals = vec_ids, vec_vals
        self.key_words = model.key_words(words, key_tokens)

    def active_during(self, other: RecordFeatures) -> bool:
        """False only when both date ranges are known and do not meet."""
        if math.isnan(self.start) or math.isnan(other.start):
            return True
        return self.start <= other.end and other.start <= self.end


def featurise(
    records: Sequence[InitiativeRecord], model: TextModel, key_tokens: int
) -> tuple[list[RecordFeatures], sp.csr_matrix]:
    """Features of many records, and their text vectors as one CSR matrix (same rows)."""
    words = [canonical_words(f"{r.title} {r.description}") for r in records]
    matrix = model.vectors(words)
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    features = [
        RecordFeatures(
            r, w, indices[indptr[i] : indptr[i + 1]], data[indptr[i] : indptr[i + 1]],
            model, key_tokens,
        )
        for i, (r, w) in enumerate(zip(records, words, strict=True))
    ]
    return features, matrix


@lru_cache(maxsize=65_536)
def _goal_masks(goals: frozenset[str]) -> tuple[int, int, int, tuple[int, ...]]:
    """Goal masks of a goal set: family, related, target bits packed in one int and as
    TARGET_WORDS 64-bit words (goal sets repeat, so they are cached)."""
    fam, rel, bits = goal_masks(goals)
    packed = 0
    for word in range(TARGET_WORDS):
        packed |= int(bits[word]) << (64 * word)
    return fam, rel, packed, tuple(int(bits[word]) for word in range(TARGET_WORDS))


def _tag_ids(tags: frozenset[str]) -> frozenset[int]:
    """Stable ids of normalised tags."""
    if not tags:
        return frozenset()
    return frozenset(zlib.crc32(s.encode()) for s in (normalise_tag(t) for t in tags) if s)


def _interval(record: InitiativeRecord) -> tuple[float, float]:
    """(start, end) as day ordinals; nan start when unknown, inf end when open-ended."""
    if record.start is None:
        return math.nan, math.nan
    start = float(record.start.toordinal())
    if record.end is None:
        return start, _OPEN_END
    return start, max(start, float(record.end.toordinal()))  # an end before the start is a typo


class FeatureTable:
    """Columns of features for a list of initiatives, indexed by row position."""

    def __init__(
        self,
        features: Sequence[RecordFeatures],
        hash_bits: int,
        vectors: sp.csr_matrix | None = None,
    ) -> None:
        """Lay out `features` in columns (`vectors`, if given, are their text rows)."""
        n = len(features)
        self.features = features
        self.ids = np.fromiter((f.id for f in features), dtype=np.int64, count=n)
        self.org = np.fromiter((f.org for f in features), dtype=np.int64, count=n)
        self.start = np.fromiter((f.start for f in features), dtype=np.float64, count=n)
        self.end = np.fromiter((f.end for f in features), dtype=np.float64, count=n)
        self.fam = np.fromiter((f.fam for f in features), dtype=np.int64, count=n)
        self.rel = np.fromiter((f.rel for f in features), dtype=np.int64, count=n)
        self.bits = np.array([f.bit_words for f in features], dtype=np.uint64).reshape(n, TARGET_WORDS)
        self.tags = [f.tags for f in features]
        tag_count = np.fromiter((len(f.tags) for f in features), dtype=np.int64, count=n)
        self.has_tags = tag_count > 0
        self.tag_count = tag_count
        # Tags of records with at most TAG_WIDTH of them, padded with -1 (ids are >= 0).
        self.tag_matrix = np.full((n, TAG_WIDTH), -1, dtype=np.int64)
        for row in np.flatnonzero((tag_count > 0) & (tag_count <= TAG_WIDTH)).tolist():
            tags = features[row].tags
            self.tag_matrix[row, : len(tags)] = sorted(tags)
        counts = np.fromiter((len(f.places) for f in features), dtype=np.int64, count=n)
        self.place_count = counts
        self.place_start = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        flat = [row for f in features for row in f.places]
        self.place_rows = np.array(flat, dtype=np.float64).reshape(len(flat), 6)
        self.places = PlaceColumns(self.place_rows)
        if vectors is None:
            nnz = np.fromiter((len(f.vec_ids) for f in features), dtype=np.int64, count=n)
            indptr = np.concatenate([[0], np.cumsum(nnz)]).astype(np.int64)
            indices = np.concatenate([f.vec_ids for f in features]) if n else np.zeros(0, np.int64)
            data = np.concatenate([f.vec_vals for f in features]) if n else np.zeros(0)
            vectors = sp.csr_matrix((data, indices, indptr), shape=(n, 1 << hash_bits))
        self.vectors = vectors
        self.hash_bits = hash_bits
        self._split: tuple[sp.csr_matrix, np.ndarray] | None = None

    def text_split(self) -> tuple[sp.csr_matrix, np.ndarray]:
        """(word part of `vectors` as CSR, norm of each row's n-gram part), built once."""
        if self._split is None:
            x = self.vectors
            is_word = x.indices >= word_feature_bit(self.hash_bits)
            row = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
            char_sq = np.bincount(row[~is_word], weights=x.data[~is_word] ** 2, minlength=x.shape[0])
            counts = np.bincount(row[is_word], minlength=x.shape[0])
            indptr = np.zeros(x.shape[0] + 1, np.int64)
            np.cumsum(counts, out=indptr[1:])
            words = sp.csr_matrix((x.data[is_word], x.indices[is_word], indptr), shape=x.shape)
            self._split = (words, np.sqrt(char_sq))
        return self._split

    def __len__(self) -> int:
        """Number of rows."""
        return len(self.features)

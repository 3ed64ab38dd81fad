"""The text model: a frozen snapshot of corpus statistics used to compare descriptions.

Features are hashed (words and character n-grams of canonical words) into a fixed space of
2**hash_bits, so the model never needs a vocabulary and adding documents never reshapes it.

Why frozen: if document frequencies moved with every added initiative, the score of an old
pair would depend on what was added after it, and one-against-all (incremental) could never
agree with all-against-all (batch). So a model is fitted once, on a corpus, and then only
read: every score is a pure function of the pair and the model. `OverlapIndex.refit()`
builds a new model from the indexed corpus when the service decides to (e.g. nightly), and
the batch is re-run with it. Which blocks are "hot" (too large to compare in full) is a corpus
statistic too, so it lives in the same snapshot.

Without a corpus the model is fitted on the SDG targets (`TextModel.reference()`): it is a
fixed, shared baseline that already down-weights the agenda's boilerplate words.
"""
from __future__ import annotations

import math
import zlib
from collections.abc import Hashable, Iterable
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from coordination.convergence.words import canonical_words

_WORD_SHARE = 0.5  # cosine = 0.5 word cosine + 0.5 character n-gram cosine


def word_feature_bit(hash_bits: int) -> int:
    """Feature ids >= this are word features; below it, character n-grams."""
    return 1 << (hash_bits - 1)


class TextModel:
    """Frozen IDF over hashed word and character n-gram features, plus the hot blocks."""

    def __init__(
        self,
        df: np.ndarray,
        n_docs: int,
        hash_bits: int = 20,
        char_ngram: int = 4,
        hot_blocks: frozenset[Hashable] = frozenset(),
    ) -> None:
        """Freeze document frequencies `df` counted over `n_docs` documents."""
        self.hash_bits = hash_bits
        self.char_ngram = char_ngram
        self.n_docs = n_docs
        self.hot_blocks = hot_blocks
        # Words hash into the upper half of the feature space, n-grams into the lower half,
        # so the word part of a vector is its tail (`word_feature_bit`): the cheap word-only
        # dot product plus the n-gram norms bounds the cosine (see `scoring`).
        self._word_bit = word_feature_bit(hash_bits)
        self._char_mask = self._word_bit - 1
        # Smoothed IDF: never divides by zero, unseen features get the highest weight.
        self.idf = (np.log((1.0 + n_docs) / (1.0 + df.astype(np.float64))) + 1.0).astype(
            np.float64
        )
        self._token_cache: dict[str, tuple[int, np.ndarray]] = {}
        self._rank_cache: dict[str, tuple[float, str]] = {}

    @classmethod
    def fit(
        cls, texts: Iterable[str], hash_bits: int = 20, char_ngram: int = 4
    ) -> TextModel:
        """Count document frequencies over `texts` and freeze them."""
        probe = cls(np.zeros(1 << hash_bits, dtype=np.int32), 0, hash_bits, char_ngram)
        df = np.zeros(1 << hash_bits, dtype=np.int32)
        n_docs = 0
        for text in texts:
            ids = probe.feature_ids(canonical_words(text))
            df[np.unique(ids)] += 1
            n_docs += 1
        return cls(df, n_docs, hash_bits, char_ngram)

    @classmethod
    def reference(cls, hash_bits: int = 20, char_ngram: int = 4) -> TextModel:
        """The default model, fitted on the wording of the SDG goals and targets."""
        return _reference(hash_bits, char_ngram)

    def with_hot_blocks(self, hot_blocks: frozenset[Hashable]) -> TextModel:
        """A copy of this model that also knows which blocks are hot."""
        twin = TextModel.__new__(TextModel)
        twin.__dict__.update(self.__dict__)
        twin.hot_blocks = hot_blocks
        return twin

    def _token_features(self, word: str) -> tuple[int, np.ndarray]:
        """The hashed word feature and character n-gram features of one canonical word."""
        cached = self._token_cache.get(word)
        if cached is None:
            padded = f" {word} "
            n = self.char_ngram
            grams = [padded[i : i + n] for i in range(max(1, len(padded) - n + 1))]
            chars = np.fromiter(
                (zlib.crc32(b"c" + g.encode()) & self._char_mask for g in grams),
                dtype=np.int64,
                count=len(grams),
            )
            word_id = (zlib.crc32(b"w" + word.encode()) & self._char_mask) | self._word_bit
            cached = (word_id, chars)
            if len(self._token_cache) < 500_000:  # bound memory on pathological corpora
                self._token_cache[word] = cached
        return cached

    def feature_ids(self, words: list[str]) -> np.ndarray:
        """All hashed feature ids of a list of canonical words (with repeats)."""
        if not words:
            return np.zeros(0, dtype=np.int64)
        parts = [self._token_features(w) for w in words]
        word_ids = np.fromiter((p[0] for p in parts), dtype=np.int64, count=len(parts))
        return np.concatenate([word_ids, *(p[1] for p in parts)])

    def vector(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The unit-length TF-IDF vector of canonical `words` as (sorted ids, values)."""
        matrix = self.vectors([words])
        return matrix.indices.astype(np.int64), matrix.data

    def vectors(self, documents: list[list[str]]) -> sp.csr_matrix:
        """Unit-length TF-IDF rows of many documents at once (one numpy pass).

        A single document goes through exactly the same arithmetic, in the same order, as a
        corpus of many, so one-against-all and batch scores are bit-for-bit equal.
        """
        words: dict[str, int] = {}
        flat_rows: list[int] = []
        flat_words: list[int] = []
        for row, doc in enumerate(documents):
            for w in doc:
                flat_words.append(words.setdefault(w, len(words)))
            flat_rows.extend([row] * len(doc))
        rows = np.asarray(flat_rows, dtype=np.int64)
        word_of = np.asarray(flat_words, dtype=np.int64)
        return self.token_vectors(rows, word_of, list(words), len(documents))

    def token_vectors(
        self, rows: np.ndarray, word_of: np.ndarray, words: list[str], n_docs: int
    ) -> sp.csr_matrix:
        """`vectors` of documents given as word occurrences (see `text.canonical_tokens`).

        Occurrence k is word `words[word_of[k]]` in document `rows[k]`. Every feature of a
        row is summed once per family and the families are disjoint, so the values do not
        depend on the order of the occurrences.
        """
        parts = [self._token_features(w) for w in words]
        word_feature = np.fromiter((p[0] for p in parts), dtype=np.int64, count=len(parts))
        char_counts = np.fromiter((len(p[1]) for p in parts), dtype=np.int64, count=len(parts))
        char_start = np.concatenate([[0], np.cumsum(char_counts)[:-1]]).astype(np.int64)
        char_feature = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
        # Expand each word occurrence into its character n-grams.
        per_occurrence = char_counts[word_of]
        occ = np.repeat(np.arange(len(word_of)), per_occurrence)
        offset = np.arange(int(per_occurrence.sum())) - np.repeat(
            np.cumsum(per_occurrence) - per_occurrence, per_occurrence
        )
        char_rows = rows[occ]
        char_ids = char_feature[char_start[word_of[occ]] + offset]
        size = 1 << self.hash_bits
        w_rows, w_ids, w_vals = self._family(rows, word_feature[word_of], n_docs, _WORD_SHARE)
        c_rows, c_ids, c_vals = self._family(char_rows, char_ids, n_docs, 1.0 - _WORD_SHARE)
        # Merge the two families: they are disjoint halves of the feature space and each is
        # sorted by (row, id), so a row holds its n-grams first, then its words.
        c_count = np.bincount(c_rows, minlength=n_docs)
        w_count = np.bincount(w_rows, minlength=n_docs)
        indptr = np.zeros(n_docs + 1, np.int64)
        np.cumsum(c_count + w_count, out=indptr[1:])
        c_pos = indptr[c_rows] + np.arange(len(c_rows)) - (np.cumsum(c_count) - c_count)[c_rows]
        w_pos = (indptr[w_rows] + c_count[w_rows] + np.arange(len(w_rows))
                 - (np.cumsum(w_count) - w_count)[w_rows])
        out_ids = np.empty(int(indptr[-1]), np.int64)
        vals = np.empty(int(indptr[-1]))
        out_ids[c_pos], out_ids[w_pos] = c_ids, w_ids
        vals[c_pos], vals[w_pos] = c_vals, w_vals
        out_rows = np.repeat(np.arange(n_docs), np.diff(indptr))
        norms = np.sqrt(np.bincount(out_rows, weights=vals * vals, minlength=n_docs))
        vals = vals / norms[out_rows] if len(vals) else vals
        return sp.csr_matrix((vals, out_ids, indptr), shape=(n_docs, size))

    def _family(
        self, rows: np.ndarray, ids: np.ndarray, n_docs: int, share: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sublinear TF-IDF of one feature family per row, scaled to squared norm `share`."""
        size = 1 << self.hash_bits
        unique, counts = np.unique(rows * size + ids, return_counts=True)
        out_rows, out_ids = np.divmod(unique, size)
        vals = (1.0 + np.log(counts)) * self.idf[out_ids]
        norms = np.sqrt(np.bincount(out_rows, weights=vals * vals, minlength=n_docs))
        return out_rows, out_ids, vals * (math.sqrt(share) / norms[out_rows])

    def word_weight(self, word: str) -> float:
        """The IDF of a canonical word; higher means rarer in the fitted corpus."""
        return float(self.idf[self._token_features(word)[0]])

    def key_word_rows(
        self, rows: np.ndarray, word_of: np.ndarray, words: list[str], n_docs: int, k: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """`key_words` of many documents given as word occurrences (see `token_vectors`).

        Returns (number of key words of each document, their indices in `words`, document
        after document, rarest first): the same words in the same order as `key_words`.
        """
        eligible = [i for i, w in enumerate(words) if len(w) >= 3]
        weights = [self.word_weight(words[i]) for i in eligible]
        keys = zip((-w for w in weights), (words[i] for i in eligible), eligible, strict=True)
        ranked = [i for _, _, i in sorted(keys)]
        rank = np.full(len(words), -1, np.int64)
        rank[np.asarray(ranked, np.int64)] = np.arange(len(ranked))
        r = rank[word_of] if len(word_of) else np.zeros(0, np.int64)
        ok = r >= 0
        code = np.sort(rows[ok] * max(1, len(ranked)) + r[ok])  # words per row, by rank
        code = code[np.r_[True, code[1:] != code[:-1]]] if len(code) else code  # distinct
        row = code // max(1, len(ranked))
        first = np.flatnonzero(np.r_[True, row[1:] != row[:-1]]) if len(row) else row
        position = np.arange(len(row)) - np.repeat(first, np.diff(np.r_[first, len(row)]))
        keep = position < k
        counts = np.bincount(row[keep], minlength=n_docs).astype(np.int64)
        return counts, np.asarray(ranked, np.int64)[code[keep] % max(1, len(ranked))]

    def key_words(self, words: list[str], k: int) -> tuple[str, ...]:
        """The `k` rarest distinct words, used as text blocking keys (ties broken by spelling)."""
        rank = self._rank_cache
        keys = []
        for w in {w for w in words if len(w) >= 3}:
            key = rank.get(w)
            if key is None:
                key = (-self.word_weight(w), w)
                if len(rank) < 500_000:
                    rank[w] = key
            keys.append(key)
        keys.sort()
        return tuple(key[1] for key in keys[:k])


@lru_cache(maxsize=4)
def _reference(hash_bits: int, char_ngram: int) -> TextModel:
    """Fit (once per process) the reference model on the SDG wording."""
    from coordination.convergence.sdg_reference import GOALS, TARGETS

    return TextModel.fit([*GOALS.values(), *TARGETS.values()], hash_bits, char_ngram)

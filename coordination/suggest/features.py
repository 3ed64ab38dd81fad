"""TF-IDF features for the SDG suggester, in plain Python and numpy.

Three kinds of feature share one vocabulary: word unigrams (``w:water``), word
bigrams over content words (``b:drinking water``) and character n-grams of
3-5 letters inside word boundaries (``c: wat``). Translated lexicon phrases
(see `text.translations`) add their English unigrams, bigrams and n-grams.
Term frequency is sublinear (1 + log tf); the word block and the character
block are each L2-normalised and weighted so the whole vector has unit length.
The training script uses exactly this code, so training and inference agree.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from itertools import pairwise

import numpy as np

from coordination.suggest.tokens import content_tokens, tokens, translations

CHAR_SIZES = (3, 4, 5)
WORD_WEIGHT = math.sqrt(0.6)
CHAR_WEIGHT = math.sqrt(0.4)
MAX_CHARS = 20_000  # long IATI descriptions: the opening carries the topic


@lru_cache(maxsize=100_000)
def _grams_of(word: str) -> tuple[str, ...]:
    """The character n-gram features of one word (words repeat across texts: computed once)."""
    padded = f" {word} "
    return tuple("c:" + padded[start : start + size]
                 for size in CHAR_SIZES for start in range(len(padded) - size + 1))


def _char_grams(word: str, counts: Counter[str]) -> None:
    counts.update(_grams_of(word))


def _add_phrase(words: list[str], word_counts: Counter[str], char_counts: Counter[str]) -> None:
    for word in words:
        word_counts["w:" + word] += 1
        if len(word) >= 3:
            _char_grams(word, char_counts)
    for first, second in pairwise(words):
        word_counts[f"b:{first} {second}"] += 1


def term_counts(text: str) -> tuple[Counter[str], Counter[str]]:
    """Raw counts of the word features and of the character features of `text`."""
    toks = tokens(text[:MAX_CHARS])
    word_counts: Counter[str] = Counter()
    char_counts: Counter[str] = Counter()
    _add_phrase(content_tokens(toks), word_counts, char_counts)
    for english in translations(toks):
        _add_phrase(english, word_counts, char_counts)
    return word_counts, char_counts


class Vectoriser:
    """Maps text onto the shipped vocabulary as a sparse unit vector."""

    def __init__(self, vocabulary: Mapping[str, int], idf: np.ndarray) -> None:
        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float64)

    @property
    def size(self) -> int:
        """Number of features."""
        return len(self.idf)

    def _block(self, counts: Counter[str], weight: float) -> dict[int, float]:
        values: dict[int, float] = {}
        for term, count in counts.items():
            index = self.vocabulary.get(term)
            if index is not None:
                values[index] = (1.0 + math.log(count)) * float(self.idf[index])
        norm = math.sqrt(sum(v * v for v in values.values()))
        if norm == 0.0:
            return {}
        return {index: weight * v / norm for index, v in values.items()}

    def transform_one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Feature indices and values of one text (both empty for empty text)."""
        return self.transform_counts(*term_counts(text))

    def transform_counts(
        self, word_counts: Counter[str], char_counts: Counter[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Feature indices and values from the output of `term_counts`."""
        values = self._block(word_counts, WORD_WEIGHT)
        values.update(self._block(char_counts, CHAR_WEIGHT))
        indices = np.fromiter(values.keys(), dtype=np.int64, count=len(values))
        data = np.fromiter(values.values(), dtype=np.float64, count=len(values))
        return indices, data


def build_vocabulary(
    counted: Iterable[tuple[Counter[str], Counter[str]]], min_df: int = 2, max_words: int = 40_000, max_chars: int = 30_000
) -> tuple[dict[str, int], np.ndarray]:
    """Choose the most frequent features of a corpus and their smoothed IDF.

    Used by training only; `counted` holds `term_counts` of each text. Returns (vocabulary, idf) with idf = ln((1+n)/(1+df)) + 1.
    """
    word_df: Counter[str] = Counter()
    char_df: Counter[str] = Counter()
    n_docs = 0
    for word_counts, char_counts in counted:
        word_df.update(word_counts.keys())
        char_df.update(char_counts.keys())
        n_docs += 1
    chosen = [t for t, df in word_df.most_common(max_words) if df >= min_df]
    chosen += [t for t, df in char_df.most_common(max_chars) if df >= min_df]
    chosen.sort()
    vocabulary = {term: i for i, term in enumerate(chosen)}
    dfs = np.array([word_df.get(t) or char_df[t] for t in chosen], dtype=np.float64)
    idf = np.log((1.0 + n_docs) / (1.0 + dfs)) + 1.0
    return vocabulary, idf

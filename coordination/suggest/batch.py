"""The goals to apply unasked to many texts at once: one sparse matrix product for N texts.

`suggest_goals` answers one text with everything a person is shown (ranked goals, targets,
whether each goal applies). What a registration stores without asking is less: the goals
the model is *confident* about (`apply_suggested_goals`). This scores a batch of texts for
that, with the same features (`features.term_counts`: word unigrams and bigrams, character
3-5-grams, sublinear TF-IDF, the two blocks normalised and weighted) built as one sparse
text × feature matrix: character n-grams are counted per distinct word (cached) and summed
per text by a sparse product, so no text walks its own n-grams in Python.

Each text's row is computed from that text alone, in a fixed order (columns sorted), so a
text scores the same in a batch of one as in a batch of thousands; every registration, one
at a time or imported, uses this.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

import numpy as np
from scipy import sparse

from coordination.suggest import MIN_CONFIDENT_WORDS, MIN_SCORE, suggest_goals
from coordination.suggest.features import CHAR_WEIGHT, MAX_CHARS, WORD_WEIGHT, _grams_of
from coordination.suggest.model import load_model
from coordination.suggest.tokens import content_tokens, tokens, translations

LIMIT = 5  # goals shown per text by `suggest_goals`; a confident goal past them must also apply


@lru_cache(maxsize=200_000)
def _word_grams(word: str) -> tuple[np.ndarray, np.ndarray]:
    """Vocabulary indices of a word's character n-grams and how often each occurs in it."""
    vocabulary = load_model().vectoriser.vocabulary
    counts = Counter(vocabulary[g] for g in _grams_of(word) if g in vocabulary)
    return (np.fromiter(counts.keys(), dtype=np.int64, count=len(counts)),
            np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))


@lru_cache(maxsize=1)
def _goal_weights() -> np.ndarray:
    return load_model().goal_weights.astype(np.float64)


def _text_of(title: str, description: str, tags: Sequence[str]) -> str:
    parts = [title, title, description, " ; ".join(tags)]
    return " . ".join(part for part in parts if part and part.strip())


def _weighted(counts: sparse.csr_matrix, idf: np.ndarray, weight: float) -> sparse.csr_matrix:
    """Sublinear TF-IDF of raw counts, each row L2-normalised then scaled by `weight`."""
    counts.sum_duplicates()
    counts.sort_indices()
    values = (1.0 + np.log(counts.data)) * idf[counts.indices]
    squares = sparse.csr_matrix((values * values, counts.indices, counts.indptr), shape=counts.shape)
    norms = np.sqrt(np.asarray(squares.sum(axis=1)).ravel())
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    scale = np.divide(weight, norms, out=np.zeros_like(norms), where=norms > 0)
    return sparse.csr_matrix((values * scale[rows], counts.indices, counts.indptr), shape=counts.shape)


def feature_matrix(texts: Sequence[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """(texts × features TF-IDF matrix, known words per text) as `Vectoriser.transform_one` builds each row."""
    model = load_model()
    vocabulary, size = model.vectoriser.vocabulary, model.vectoriser.size
    w_rows: list[int] = []
    w_cols: list[int] = []
    c_idx: list[np.ndarray] = []
    c_val: list[np.ndarray] = []
    c_rows: list[int] = []  # the text of each entry of c_idx
    for row, text in enumerate(texts):
        toks = tokens(text[:MAX_CHARS])
        chars: Counter[str] = Counter()
        for words in (content_tokens(toks), *translations(toks)):
            for word in words:
                index = vocabulary.get("w:" + word)
                if index is not None:
                    w_rows.append(row)
                    w_cols.append(index)
                if len(word) >= 3:
                    chars[word] += 1
            for first, second in pairwise(words):
                index = vocabulary.get(f"b:{first} {second}")
                if index is not None:
                    w_rows.append(row)
                    w_cols.append(index)
        for word, times in chars.items():
            indices, counts = _word_grams(word)
            c_idx.append(indices)
            c_val.append(counts * times if times != 1 else counts)
            c_rows.append(row)
    shape = (len(texts), size)
    words = sparse.csr_matrix((np.ones(len(w_rows)), (w_rows, w_cols)), shape=shape)
    empty = np.zeros(0, dtype=np.int64)
    lengths = np.fromiter(map(len, c_idx), np.int64, len(c_idx))
    grams = sparse.csr_matrix((np.concatenate(c_val) if c_val else np.zeros(0),
                               (np.repeat(np.asarray(c_rows, np.int64), lengths) if c_rows else empty,
                                np.concatenate(c_idx) if c_idx else empty)), shape=shape)
    idf = model.vectoriser.idf
    matrix = _weighted(words, idf, WORD_WEIGHT) + _weighted(grams, idf, CHAR_WEIGHT)
    matrix.sort_indices()
    known = np.asarray(sparse.csr_matrix(
        (model.is_word[matrix.indices].astype(np.float64), matrix.indices, matrix.indptr),
        shape=shape).sum(axis=1)).ravel()
    return matrix, known


KNOWN_LIMIT = 50_000  # distinct texts whose answers are remembered; then it starts again
_known: dict[bytes, dict[str, float]] = {}
_known_model: list = [None]  # the model those answers are from


def _text_key(item: tuple[str, str, Sequence[str]]) -> bytes:
    title, description, tags = item
    return hashlib.blake2b(repr((title, description, tuple(tags))).encode("utf-8", "surrogatepass"),
                           digest_size=20).digest()


def confident_goals(items: Sequence[tuple[str, str, Sequence[str]]]) -> list[dict[str, float]]:
    """For each (title, description, tag labels): {goal code: score} of the confident goals,
    in the order `suggest_goals` lists them (best first), scores rounded as it rounds them.

    The answer is the text's alone: the same text (an import repeating a programme's
    description, a 3W file's rows) is scored once, and remembered (by a digest of the text,
    for `KNOWN_LIMIT` distinct texts) while the model stays the same.
    """
    if not items:
        return []
    model = load_model()
    if _known_model[0] is not model:
        _known.clear()
        _known_model[0] = model
    keys = [_text_key(item) for item in items]
    missing = {key: item for key, item in zip(keys, items) if key not in _known}
    if missing:
        if len(_known) + len(missing) > KNOWN_LIMIT:
            _known.clear()
        _known.update(zip(missing, _score_texts(list(missing.values()), model)))
    return [dict(_known[key]) for key in keys]


def _score_texts(items: list[tuple[str, str, Sequence[str]]], model) -> list[dict[str, float]]:
    """`confident_goals` of texts not remembered."""
    texts = [_text_of(*item) for item in items]
    matrix, known = feature_matrix(texts)
    logits = np.asarray(matrix @ _goal_weights()) + model.goal_bias
    a, b = model.platt
    scores = 1.0 / (1.0 + np.exp(-(a * logits + b)))
    empty = np.diff(matrix.indptr) == 0
    out: list[dict[str, float]] = []
    for row, item in enumerate(items):
        if empty[row] or known[row] < MIN_CONFIDENT_WORDS:
            out.append({})
            continue
        goal_scores = scores[row]
        order = goal_scores.argsort()[::-1]
        confident = [i for i in order if goal_scores[i] >= model.goal_confident]
        if any(i not in order[:LIMIT] for i in confident):
            # Past the goals shown, a goal counts only if it also applies: ask the full answer.
            out.append({g.code: g.score for g in suggest_goals(*item).goals if g.confident})
            continue
        out.append({model.goal_codes[i]: round(float(goal_scores[i]), 4) for i in confident
                    if goal_scores[i] >= MIN_SCORE})
    return out

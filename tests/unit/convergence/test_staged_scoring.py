"""The staged scorer: its bounds never drop a pair that `score_rows` would keep."""
from __future__ import annotations

import numpy as np

from bench.synthetic import generate
from coordination.convergence import OverlapConfig, score_pair
from coordination.convergence.features import FeatureTable, featurise
from coordination.convergence.scoring import (
    _tag_scores,
    _text_bounds,
    _text_scores,
    score_candidates,
    score_rows,
)
from coordination.convergence.text_model import TextModel, word_feature_bit

from .factories import make_record


def _table(n=600, seed=3):
    config = OverlapConfig()
    model = TextModel.reference()
    features, vectors = featurise(generate(n, seed=seed).records, model, config.key_tokens)
    return FeatureTable(features, config.hash_bits, vectors), config


def test_staged_scoring_equals_scoring_every_pair_and_filtering():
    table, config = _table()
    rows_a, rows_b = np.triu_indices(len(table), k=1)
    kept, scores, components = score_candidates(table, rows_a, rows_b, config)
    all_scores, all_components = score_rows(table, rows_a, rows_b, config)
    expected = np.flatnonzero((all_scores >= config.threshold) & (all_scores > 0))
    assert len(expected) and np.array_equal(kept, expected)
    assert np.array_equal(scores, all_scores[expected])
    for name, column in components.items():
        assert np.array_equal(column, all_components[name][expected])


def test_text_bound_is_never_below_the_cosine_and_text_is_symmetric():
    table, _ = _table()
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, len(table), 20_000), rng.integers(0, len(table), 20_000)
    cosine = _text_scores(table, a, b)
    assert np.all(_text_bounds(table, a, b) >= cosine)
    assert np.array_equal(cosine, _text_scores(table, b, a))


def test_words_and_character_ngrams_hash_into_separate_halves():
    model = TextModel.reference()
    word_id = model.feature_ids(["borehole"])[0]
    grams = model.feature_ids(["borehole"])[1:]
    assert word_id >= word_feature_bit(model.hash_bits) > grams.max()


def test_tag_jaccard_of_large_and_small_tag_sets_matches_python_sets():
    many = frozenset(f"tag {i}" for i in range(9)) | {"wash"}
    a = make_record(tags=many)
    b = make_record(tags=frozenset({"wash", "tag 3", "other"}))
    c = make_record(tags=frozenset({"wash", "hygiene"}))
    assert score_pair(a, b).components["tags"] == round(2 / 11, 4)
    assert score_pair(b, c).components["tags"] == round(1 / 4, 4)
    table, config = _table(200)
    rng = np.random.default_rng(1)
    rows_a, rows_b = rng.integers(0, 200, 5000), rng.integers(0, 200, 5000)
    tags = table.tag_set
    expected = [
        len(tags(i) & tags(j)) / len(tags(i) | tags(j))
        if tags(i) and tags(j) else config.neutral
        for i, j in zip(rows_a.tolist(), rows_b.tolist(), strict=True)
    ]
    assert np.array_equal(_tag_scores(table, rows_a, rows_b, config.neutral), np.array(expected))

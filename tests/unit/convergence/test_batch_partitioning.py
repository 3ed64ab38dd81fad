"""The batch's range-by-range candidate generation and columnar features change nothing."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bench.synthetic import generate
from coordination.convergence import OverlapConfig, find_all_overlaps, fit_model
from coordination.convergence.batch import find_all_overlap_arrays
from coordination.convergence.candidates import _BlockMembers
from coordination.convergence.features import FeatureTable, featurise
from coordination.convergence.scoring import _bucket_bounds
from coordination.convergence.text_model import TextModel, word_feature_bit
from coordination.convergence.words import canonical_tokens, canonical_words

from .factories import make_record


@pytest.fixture(scope="module")
def corpus():
    return generate(1200, seed=5)


def _triples(overlaps):
    return [(o.a_id, o.b_id, o.score, tuple(sorted(o.components.items()))) for o in overlaps]


@pytest.mark.parametrize("chunk_pairs", [1, 97, 5_000])
def test_tiny_ranges_give_exactly_the_result_of_one_big_range(corpus, chunk_pairs):
    big = find_all_overlaps(corpus.records, chunk_pairs=10**12)
    assert big
    assert _triples(find_all_overlaps(corpus.records, chunk_pairs=chunk_pairs)) == _triples(big)


def test_tiny_ranges_with_hot_blocks_give_the_same_result(corpus):
    config = OverlapConfig(hot_block_cap=5)
    model = fit_model(corpus.records, config)
    assert model.hot_blocks
    big = find_all_overlaps(corpus.records, config, text_model=model, chunk_pairs=10**12)
    small = find_all_overlaps(corpus.records, config, text_model=model, chunk_pairs=13)
    assert big and _triples(small) == _triples(big)


def test_the_batch_ignores_input_order_and_keeps_the_last_version_of_an_id(corpus):
    records = corpus.records[:500]
    shuffled = [records[i] for i in np.random.default_rng(2).permutation(len(records))]
    stale = replace(records[3], places=())  # an older version, replaced by the one after it
    assert _triples(find_all_overlaps([stale, *shuffled])) == _triples(find_all_overlaps(records))


def test_columns_and_list_agree(corpus):
    arrays = find_all_overlap_arrays(corpus.records)
    overlaps = find_all_overlaps(corpus.records)
    a_ids, b_ids = arrays.ids()
    assert len(arrays) == len(overlaps)
    assert a_ids.tolist() == [o.a_id for o in overlaps]
    assert b_ids.tolist() == [o.b_id for o in overlaps]
    assert arrays.scores.tolist() == [o.score for o in overlaps]
    assert arrays.explanation(0) == overlaps[0].explanation


def _pairs(rec, key, wide, n):
    entries = [np.asarray(rec, np.int32), np.asarray(key, np.int64), np.asarray(wide, bool)]
    members = _BlockMembers(entries, n)
    return {(a, b) for rows_a, rows_b in members.ranges(10**9)
            for a, b in zip(rows_a.tolist(), rows_b.tolist(), strict=True)}


def test_keys_sharing_their_packed_prefix_stay_separate_blocks():
    key = 0x1234_5678_9ABC_DE00
    # Keys differing only in the low bits share the prefix kept in the packed sort.
    assert _pairs([0, 1, 2, 3], [key, key, key + 1, key + 1], [True] * 4, 4) == {(0, 1), (2, 3)}
    negative = -(2**62) + 5
    assert _pairs([0, 1, 2], [negative, negative + 1, negative], [True] * 3, 3) == {(0, 2)}


def test_repeated_entries_count_as_wide_when_any_copy_is_wide():
    assert _pairs([0, 0, 1], [7, 7, 7], [False, True, False], 2) == {(0, 1)}
    assert _pairs([0, 1, 1, 2], [7, 7, 7, 7], [False, False, False, False], 3) == set()
    # Not-wide members only meet the wide ones, not each other.
    found = _pairs([0, 1, 2, 3], [7, 7, 7, 7], [False, True, False, False], 4)
    assert found == {(0, 1), (1, 2), (1, 3)}


def test_tokens_of_many_texts_equal_canonical_words_text_by_text():
    texts = [
        "Forages et pompes à motricité humaine", "", "Agua potable\x00para comunidades",
        "\u0301Écoles ΣΟΦΙΑΣ naïve café", "Clinics, clinics and CLINICS!", "x",
        "2024 boreholes 12",
    ]
    rows, word_of, words = canonical_tokens(texts)
    for i, text in enumerate(texts):
        found = [words[w] for w in word_of[rows == i].tolist()]
        assert found == canonical_words(text.replace("\x00", " "))


def test_key_words_of_many_documents_equal_key_words_one_by_one(corpus):
    model = TextModel.reference()
    texts = [f"{r.title} {r.description}" for r in corpus.records[:300]]
    rows, word_of, words = canonical_tokens(texts)
    counts, chosen = model.key_word_rows(rows, word_of, words, len(texts), 6)
    start = np.concatenate([[0], np.cumsum(counts)])
    for i, text in enumerate(texts):
        expected = model.key_words(canonical_words(text), 6)
        assert tuple(words[w] for w in chosen[start[i] : start[i + 1]].tolist()) == expected


def test_a_table_from_records_equals_the_table_of_its_record_features(corpus):
    many = make_record(tags=frozenset(f"t{i}" for i in range(9)),
                       goals=frozenset({"6.1", "6.2", "3"}))
    records = [*corpus.records[:300], many]
    model = TextModel.reference()
    table = FeatureTable.from_records(records, model, 6)
    features, vectors = featurise(records, model, 6)
    again = FeatureTable(features, model.hash_bits)
    names = ("ids", "org", "start", "end", "fam", "rel", "target", "bits", "tag_count",
             "tag_matrix", "place_count", "place_rows", "key_count", "key_code")
    for name in names:
        assert np.array_equal(getattr(table, name), getattr(again, name), equal_nan=True), name
    assert table.tags_large == again.tags_large and table.tags_large
    assert (table.vectors != again.vectors).nnz == 0 and (vectors != again.vectors).nnz == 0


def test_a_table_joined_with_record_features_equals_the_table_of_all_their_record_features(corpus):
    """`FeatureTable.joined`: an import's new table beside stored initiatives' features, laid out
    as `FeatureTable` lays out the record features of both (without cutting the table first)."""
    many = make_record(id=10**6, tags=frozenset(f"t{i}" for i in range(9)), goals=frozenset({"6.1", "6.2", "3"}))
    model = TextModel.reference()
    new = FeatureTable.from_records([*corpus.records[300:420], many], model, 6)
    stored, _ = featurise([many, *corpus.records[:250]], model, 6)
    joined = FeatureTable.joined(new, stored)
    again = FeatureTable([*new.record_features(), *stored], model.hash_bits)
    names = ("ids", "org", "start", "end", "fam", "rel", "target", "bits", "tag_count",
             "tag_matrix", "place_count", "place_start", "place_rows", "key_count", "key_start", "key_code",
             "work", "has_tags")
    for name in names:
        ours, theirs = getattr(joined, name), getattr(again, name)
        assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs, equal_nan=True), name
    assert joined.tags_large == again.tags_large and set(joined.tags_large) == {120, 121}
    assert (joined.vectors != again.vectors).nnz == 0 and joined.vectors.shape == again.vectors.shape
    assert np.array_equal(joined.char_buckets(), again.char_buckets())
    assert joined.n == 121 + 251 and joined.record_features()[5].tags == again.record_features()[5].tags


def test_bucket_bound_is_never_below_the_ngram_dot(corpus):
    model = TextModel.reference()
    table = FeatureTable.from_records(corpus.records[:400], model, 6)
    rng = np.random.default_rng(4)
    a, b = rng.integers(0, 400, 20_000), rng.integers(0, 400, 20_000)
    x = table.vectors.copy()
    x.data[x.indices >= word_feature_bit(table.hash_bits)] = 0.0
    chars = np.asarray(x[a].multiply(x[b]).sum(axis=1)).ravel()
    assert np.all(_bucket_bounds(table, a, b) >= chars)


@pytest.mark.parametrize("below", [0, 1, 37, 250, 600])
def test_candidates_below_a_row_are_the_candidates_whose_lower_row_is_below_it(corpus, below):
    """`candidate_ranges(below=...)`: an import's new records come first in its table, and the
    pairs among the stored partners after them are never generated, not generated and dropped."""
    from coordination.convergence.candidates import candidate_ranges

    config = OverlapConfig()
    model = TextModel.reference()
    table = FeatureTable.from_records(corpus.records[:600], model, config.key_tokens)

    def pairs(**kwargs):
        found = [(a, b) for _, rows_a, rows_b in candidate_ranges(table, config, model.hot_blocks, chunk_pairs=500,
                                                                   **kwargs)
                 for a, b in zip(rows_a.tolist(), rows_b.tolist(), strict=True)]
        assert len(found) == len(set(found))
        return set(found)

    every = pairs()
    assert len(every) > 1000 and (below == 600 or any(a >= below for a, _ in every))
    assert pairs(below=below) == {(a, b) for a, b in every if a < below}


@pytest.mark.parametrize("rows", [1, 13, 1 << 20])
def test_text_parts_worked_out_a_slice_of_rows_at_a_time_equal_those_of_one_slice(corpus, monkeypatch, rows):
    """`text_split` and `char_buckets` work on `_ROW_SLICE` rows at a time (bounded temporaries);
    the values are those of the whole table at once, row for row."""
    from coordination.convergence import features as features_module

    model = TextModel.reference()
    whole = FeatureTable.from_records(corpus.records[:300], model, 6)
    monkeypatch.setattr(features_module, "_ROW_SLICE", 1 << 30)
    words, word_norm, char_norm = whole.text_split()
    buckets = whole.char_buckets()
    sliced = FeatureTable.from_records(corpus.records[:300], model, 6)
    monkeypatch.setattr(features_module, "_ROW_SLICE", rows)
    ours = sliced.text_split()
    assert (ours[0] != words).nnz == 0 and ours[0].shape == words.shape and words.nnz > 1000
    assert np.array_equal(ours[1], word_norm) and np.array_equal(ours[2], char_norm)
    assert np.array_equal(sliced.char_buckets(), buckets) and buckets.any()

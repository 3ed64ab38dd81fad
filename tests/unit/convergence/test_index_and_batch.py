"""Blocking, the incremental index and batch detection, and their agreement."""
from __future__ import annotations

from dataclasses import replace

import pytest

from bench.synthetic import generate
from coordination.convergence import (
    OverlapConfig,
    OverlapIndex,
    find_all_overlaps,
    fit_model,
    score_pair,
)
from coordination.convergence.blocking import block_keys
from coordination.convergence.features import FeatureTable, featurise
from coordination.records import PlaceRecord

from .factories import KISUMU, incremental, make_record, near


@pytest.fixture(scope="module")
def corpus():
    return generate(1500, seed=11)


def test_incremental_and_batch_find_the_same_overlaps_on_generated_data(corpus):
    batch = find_all_overlaps(corpus.records)
    assert batch, "the generated corpus must contain overlaps for this test to mean anything"
    assert incremental(corpus.records) == set(batch)


def test_incremental_and_batch_agree_with_a_fitted_model_that_has_hot_blocks(corpus):
    config = OverlapConfig(hot_block_cap=5)
    model = fit_model(corpus.records, config)
    assert model.hot_blocks, "the cap must be low enough to make some blocks hot"
    assert incremental(corpus.records, config, model) == set(find_all_overlaps(corpus.records, config, text_model=model))


def test_batch_finds_most_planted_overlaps(corpus):
    found = {o.pair for o in find_all_overlaps(corpus.records)}
    assert len(found & corpus.planted) / len(corpus.planted) >= 0.9


def test_two_initiatives_of_one_organisation_are_never_an_overlap():
    a = make_record(organisation_id=1)
    b = make_record(organisation_id=1)
    assert find_all_overlaps([a, b]) == []
    index = OverlapIndex()
    index.add(a)
    assert index.find_overlaps(b) == []


def test_an_initiative_without_goals_is_found_through_its_text():
    a = make_record()
    b = make_record(goals=frozenset(), tags=frozenset())
    assert [o.pair for o in find_all_overlaps([a, b])] == [(a.id, b.id)]


def test_the_same_work_in_another_language_without_goals_or_shared_words_is_a_candidate():
    """No goal family and no word in common: the kind of work they both name joins them."""
    a = make_record(goals=frozenset(), tags=frozenset(), title="Agua para Ocotal",
                    description="Construcción de pozos comunitarios con bombas manuales en barrios periurbanos.")
    b = make_record(goals=frozenset(), tags=frozenset(), title="Village water points",
                    description="Drilling boreholes with hand pumps so families have water close to home.")
    c = make_record(goals=frozenset(), tags=frozenset(), title="New classrooms",
                    description="Building two classrooms for the village school.")
    index = OverlapIndex()
    index.add(a)
    assert len(index.candidates(b)) == 1
    assert index.candidates(c) == []
    assert [o.pair for o in index.find_overlaps(b)] == [o.pair for o in find_all_overlaps([a, b])]


def test_find_overlaps_excludes_the_initiative_itself_and_follows_remove_and_update():
    a, b = make_record(), make_record()
    index = OverlapIndex()
    index.add(a)
    index.add(b)
    assert len(index) == 2
    assert [o.pair for o in index.find_overlaps(a)] == [(a.id, b.id)]
    index.update(replace(b, places=(near(KISUMU, 300),)))
    assert index.find_overlaps(a) == []
    index.remove(b.id)
    index.remove(b.id)  # unknown ids are ignored
    assert len(index) == 1 and index.find_overlaps(a) == []


def test_points_three_hundred_km_apart_in_one_country_are_not_candidates():
    a = make_record()
    b = make_record(places=(near(KISUMU, 300),))
    index = OverlapIndex()
    index.add(a)
    assert index.candidates(b) == []


def test_a_country_level_initiative_meets_points_in_its_country_only_through_shared_words():
    national = make_record(places=(PlaceRecord(country="KE", lat=0.5, lon=37.9, precision="country"),))
    index = OverlapIndex()
    index.add(make_record())
    index.add(make_record(title="Youth football league", description="Weekend football for teenagers.",
                          goals=frozenset({"3.4"})))
    assert len(index.candidates(national)) == 1


def test_hot_blocks_are_sub_blocked_by_rare_words_and_hot_sub_blocks_dropped():
    config = OverlapConfig(hot_block_cap=3)
    records = [make_record(description=f"Boreholes and pumps lot{i}") for i in range(6)]
    model = fit_model(records, config)
    assert model.hot_blocks
    features, _ = featurise(records, model, config.key_tokens)
    capped_keys = block_keys(features[0], config, model.hot_blocks)
    assert not set(capped_keys) & model.hot_blocks
    index = OverlapIndex(config, text_model=model)
    for r in records[1:]:
        index.add(r)
    # every record shares the hot blocks; only its rare word "lotN" would sub-block it, and
    # no other record has it, so the cap leaves only the blocks that were not hot.
    assert len(index.candidates(records[0])) <= len(records) - 1


def test_progress_is_reported_up_to_the_total():
    calls = []
    find_all_overlaps([make_record(), make_record()], progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1]


def test_batch_and_index_explanations_are_built_lazily_and_equal_those_of_score_pair(corpus):
    batch = find_all_overlaps(corpus.records[:400])
    assert batch
    by_id = {r.id: r for r in corpus.records}
    index = OverlapIndex()
    index.add_many(corpus.records[:400])
    for overlap in batch[:20]:
        direct = score_pair(by_id[overlap.a_id], by_id[overlap.b_id])
        assert overlap.explanation == direct.explanation and overlap.components == direct.components
        queried = {o.pair: o for o in index.find_overlaps(by_id[overlap.a_id])}[overlap.pair]
        assert queried.explanation == overlap.explanation


def test_index_bulk_and_one_by_one_parts_agree_after_removals_and_updates(corpus):
    records = corpus.records[:600]
    index = OverlapIndex()
    index.add_many(records[:300])
    for r in records[300:]:
        index.add(r)
    index.remove(records[0].id)
    index.update(replace(records[1], places=(near(KISUMU, 300),)))
    index.add_many(records[5:10])
    live = [r for r in index._records.values()]
    batch = {o.pair for o in find_all_overlaps(live)}
    assert {o.pair for r in live for o in index.find_overlaps(r)} == batch


def test_a_few_added_together_index_as_added_one_by_one(corpus):
    records = corpus.records[:500]
    one_by_one, together = OverlapIndex(), OverlapIndex()
    one_by_one.add_many(records[:200])
    together.add_many(records[:200])
    for r in records[200:]:
        one_by_one.add(r)
    for start in range(200, 500, 7):  # the catch-up of an overlap index adds a few at a time
        together.add_few(records[start:start + 7])
    changed = replace(records[210], places=(near(KISUMU, 300),))
    one_by_one.add(changed)
    together.add_few([changed, records[5]])  # a known id is replaced
    one_by_one.add(records[5])
    assert together._features.keys() == one_by_one._features.keys()
    found = 0
    for r in [changed, *records[:40], *records[300:340]]:
        expected = {(o.pair, o.score) for o in one_by_one.find_overlaps(r)}
        assert {(o.pair, o.score) for o in together.find_overlaps(r)} == expected
        found += len(expected)
    assert found, "some of these records must overlap for the comparison to mean anything"


def _postings(index: OverlapIndex) -> list[tuple[int, int, bool]]:
    """Every (key, id, wide) posting of the index, bulk part (minus stale ids) and dict part."""
    stale = index._stale
    found = [(k, i, w) for k, i, w in zip(index._bulk_keys.tolist(), index._bulk_ids.tolist(),
                                          index._bulk_wide.tolist(), strict=True) if i not in stale]
    wide = {(k, i) for k, posting in index._wide.items() for i in posting}
    found += [(k, i, (k, i) in wide) for k, posting in index._members.items() for i in posting]
    return sorted(found)


def test_added_in_bulk_after_removals_updates_and_one_by_one_adds_the_postings_are_those_of_a_fresh_build(corpus):
    """`add_many` merges what it adds into the sorted bulk postings (it does not sort them all
    again): they stay sorted by key and hold what one build of the same records holds."""
    records = corpus.records[:900]
    index = OverlapIndex()
    index.add_many(records[:300])
    for r in records[300:340]:
        index.add(r)
    index.remove(records[3].id)
    index.update(replace(records[4], places=(near(KISUMU, 300),)))
    index.add_many(records[340:700])
    index.remove(records[350].id)
    index.add_many(records[700:900])
    live = list(index._records.values())
    fresh = OverlapIndex()
    fresh.add_many(sorted(live, key=lambda r: r.id))
    assert not index._members and not index._stale  # all in the bulk part now
    assert (index._bulk_keys[1:] >= index._bulk_keys[:-1]).all()
    assert _postings(index) == _postings(fresh)
    assert len(index._bulk_keys) > 20 * len(live)
    for r in records[::37]:
        assert index.find_overlaps(r) == fresh.find_overlaps(r)


def test_an_index_built_a_chunk_of_records_at_a_time_equals_one_built_from_one_table(corpus, monkeypatch):
    """`add_many` without a table featurises `INDEX_CHUNK` records at a time (a process's first
    build of everything stored): the same features, postings and overlaps as all at once."""
    from coordination.convergence import index as index_module

    records = corpus.records[:700]
    whole = OverlapIndex()
    whole.add_many(records, FeatureTable.from_records(records, whole.model, whole.config.key_tokens))
    monkeypatch.setattr(index_module, "INDEX_CHUNK", 37)
    chunked = OverlapIndex()
    chunked.add_many(records)
    assert _postings(chunked) == _postings(whole) and len(_postings(whole)) > 20 * len(records)
    fields = ("id", "org", "start", "end", "fam", "rel", "target", "bit_words", "tags", "places", "key_codes", "work")
    for r in records:
        ours, theirs = chunked._features[r.id], whole._features[r.id]
        for name in fields:
            a, b = getattr(ours, name), getattr(theirs, name)
            assert a == b or repr(a) == repr(b), (r.id, name)  # equal, or the same NaNs (no date, no point)
        assert (ours.vec_ids == theirs.vec_ids).all() and (ours.vec_vals == theirs.vec_vals).all()
    for r in records[::23]:
        assert chunked.find_overlaps(r) == whole.find_overlaps(r)

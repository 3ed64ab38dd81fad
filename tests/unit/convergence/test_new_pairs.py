"""Many new initiatives against an index of the others: the batch's pairs that touch a new one."""
from __future__ import annotations

import os
from dataclasses import replace

import numpy as np
import pytest

from bench.synthetic import generate
from coordination.convergence import OverlapConfig, OverlapIndex, find_all_overlaps, fit_model
from coordination.convergence import beside, new_pairs, overlap
from coordination.convergence.new_pairs import find_new_overlaps

from .factories import make_record


@pytest.fixture(scope="module")
def corpus():
    return generate(1500, seed=23)


def _touching(found, new_ids):
    return {o for o in found if o.a_id in new_ids or o.b_id in new_ids}


@pytest.mark.parametrize("new_share", [1.0, 0.3, 0.02])
def test_new_against_the_index_finds_the_batch_pairs_that_touch_a_new_initiative(corpus, new_share):
    records = corpus.records
    cut = len(records) - int(len(records) * new_share)
    old, new = records[:cut], records[cut:]
    index = OverlapIndex()
    index.add_many(old)
    found, table = find_new_overlaps(index, new)
    expected = _touching(find_all_overlaps(records), {r.id for r in new})
    assert expected, "the split must leave pairs with a new side for this test to mean anything"
    assert set(found.to_list()) == expected
    assert len(found) == len(expected)  # no pair twice
    assert sorted(table.ids.tolist()) == sorted(r.id for r in new)


@pytest.mark.parametrize("rows", [1, 7, 64, 100_000])
def test_partners_worked_out_a_slice_of_rows_at_a_time_are_those_of_all_rows_at_once(corpus, monkeypatch, rows):
    from coordination.convergence.blocking import table_blocks
    from coordination.convergence.features import FeatureTable

    records = corpus.records
    index = OverlapIndex()
    index.add_many(records[:1000])
    table = FeatureTable.from_records(records[1000:], index.model, index.config.key_tokens)
    _, keys, wide = table_blocks(table, index.config, index.model.hot_blocks)
    expected = set()  # every block's posting, one entry at a time
    for key, is_wide in zip(keys.tolist(), wide.tolist(), strict=True):
        expected |= index.posted(np.array([key], np.int64), np.array([is_wide]))
    monkeypatch.setattr(new_pairs, "PARTNER_ROWS", rows)
    found = new_pairs._partners(index, table)
    assert len(expected) > 100
    assert found == expected


def test_the_index_afterwards_knows_the_new_initiatives_as_if_added_one_by_one(corpus):
    records = corpus.records
    old, new, later = records[:900], records[900:1400], records[1400:]
    bulk, single = OverlapIndex(), OverlapIndex()
    bulk.add_many(old)
    single.add_many(old)
    _, table = find_new_overlaps(bulk, new)
    bulk.add_many(new, table)
    for record in new:
        single.add(record)
    for record in later:
        assert bulk.find_overlaps(record) == single.find_overlaps(record)


def test_agrees_with_a_fitted_model_that_has_hot_blocks_and_with_dict_postings(corpus):
    config = OverlapConfig(hot_block_cap=5)
    model = fit_model(corpus.records, config)
    assert model.hot_blocks
    records = corpus.records
    index = OverlapIndex(config, text_model=model)
    index.add_many(records[:700])
    for record in records[700:1000]:  # these stay in the index's per-key lists, not its bulk arrays
        index.add(record)
    index.remove(records[10].id)  # and a stale id in the bulk arrays
    kept = [r for r in records[:1000] if r.id != records[10].id]
    new = records[1000:]
    found, _ = find_new_overlaps(index, new)
    expected = _touching(find_all_overlaps([*kept, *new], config, text_model=model), {r.id for r in new})
    assert expected and set(found.to_list()) == expected


def test_a_pair_linked_by_iati_identifiers_is_found_without_sharing_a_block():
    old = make_record(id=1, organisation_id=1, iati_identifier="XM-1-A", title="Rural roads",
                      description="Feeder roads", goals=frozenset({"9"}), tags=frozenset(), places=())
    new = replace(make_record(id=2, organisation_id=2, title="Health staff training", description="Nurses",
                              goals=frozenset({"3"}), tags=frozenset(), places=()),
                  related_identifiers=("XM-1-A",))
    index = OverlapIndex()
    index.add_many([old])
    found, _ = find_new_overlaps(index, [new])
    assert [o.pair for o in found.to_list()] == [(1, 2)]
    assert set(found.to_list()) == set(find_all_overlaps([old, new]))


def _with_identifiers(records, seed):
    """The records with IATI identifiers and references: own ones (some shared by two
    organisations), references to others' (old and new, same and other organisation) and to
    none stored, in the mix a funder's and its implementers' files give."""
    rng = np.random.default_rng(seed)
    own = [f"XM-{r.organisation_id}-{r.id}" if rng.random() < 0.6 else None for r in records]
    for i in rng.choice(len(records), len(records) // 20, replace=False).tolist():
        own[i] = own[int(rng.integers(len(records)))]  # another organisation's (or its own) again
    named = [o for o in own if o]
    out = []
    for record, identifier in zip(records, own, strict=True):
        refs = [named[int(k)] for k in rng.integers(len(named), size=int(rng.integers(0, 3)))]
        if rng.random() < 0.1:
            refs.append("XM-NOBODY-1")
        out.append(replace(record, iati_identifier=identifier, related_identifiers=tuple(refs)))
    return out


@pytest.mark.parametrize("new_share", [0.5, 0.05])
def test_pairs_linked_by_iati_identifiers_with_a_new_side_are_the_batch_s(corpus, new_share):
    """The linked pairs against the stored ones come from the index's identifier postings
    (`_linked`), not from every stored partner's identifiers: the same pairs, in the same order,
    as the batch's, and the same overlaps."""
    from coordination.convergence.kinds import linked_row_pairs

    records = _with_identifiers(corpus.records, seed=5)
    cut = len(records) - int(len(records) * new_share)
    old, new = records[:cut], records[cut:]
    index = OverlapIndex()
    index.add_many(old)
    links = new_pairs._linked(index, new)
    stored = sorted(set().union(*links.values()) | {r.id for r in old[::3]})
    combined = [*new, *(index._records[i] for i in stored)]
    all_a, all_b = linked_row_pairs(combined)
    mine = (all_a < len(new)) | (all_b < len(new))
    rows_a, rows_b = new_pairs._linked_rows(combined, len(new), links)
    assert len(rows_a) > 50 and (rows_b >= len(new)).any() and (rows_b < len(new)).any()
    assert rows_a.tolist() == all_a[mine].tolist() and rows_b.tolist() == all_b[mine].tolist()
    found, _ = find_new_overlaps(index, new)
    expected = _touching(find_all_overlaps(records), {r.id for r in new})
    assert set(found.to_list()) == expected
    assert sum(o.kind == "duplicate" for o in expected) > 20


def test_an_indexed_version_of_a_new_record_is_left_out(corpus):
    records = corpus.records
    old, new = records[:1000], records[1000:]
    stale = [replace(r, title="Something else entirely", description="") for r in new[:50]]
    index = OverlapIndex()
    index.add_many([*old, *stale])
    found, _ = find_new_overlaps(index, new)
    expected = _touching(find_all_overlaps(records), {r.id for r in new})
    assert expected and set(found.to_list()) == expected


def test_records_featurised_batch_by_batch_give_the_same_table_and_pairs(corpus):
    """What an import featurises as it writes (`FeatureTableBuilder`) is what featurising every
    new record at the end gives; a builder holding other records, or another model's, is not used."""
    from coordination.convergence.features import FeatureTable, FeatureTableBuilder

    records = corpus.records
    old, new = records[:1000], records[1000:]
    index = OverlapIndex()
    index.add_many(old)
    whole = FeatureTable.from_records(new, index.model, index.config.key_tokens)
    builder = FeatureTableBuilder(index.model, index.config.key_tokens)
    for first in range(0, len(new), 120):
        builder.add(new[first:first + 120])
    assert builder.holds(new, index.model)
    assert not builder.holds(new[:-1], index.model) and not builder.holds([*new[:-1], old[0]], index.model)
    assert not builder.holds(new, fit_model(records, OverlapConfig()))
    found, table = find_new_overlaps(index, new, builder)
    for name in ("ids", "org", "start", "end", "fam", "rel", "target", "bits", "tag_count", "place_count",
                 "place_rows", "key_count", "key_code", "work"):
        np.testing.assert_array_equal(getattr(table, name), getattr(whole, name), err_msg=name)  # NaN = NaN
    assert (table.vectors != whole.vectors).nnz == 0
    assert set(found.to_list()) == set(find_new_overlaps(index, new)[0].to_list())


def _forks_recorded(monkeypatch, module) -> list[bool]:
    """Wrap `module.run_beside`: record, for each call, whether its helper ran in another process."""
    seen: list[bool] = []
    real = module.run_beside

    def spy(helper, main):
        (pid, answer), mine = real(lambda: (os.getpid(), helper()), main)
        seen.append(pid != os.getpid())
        return answer, mine

    monkeypatch.setattr(module, "run_beside", spy)
    return seen


def _stored_shape(found) -> list[tuple]:
    return [(o.a_id, o.b_id, o.score, o.kind, o.components, o.explanation) for o in found.to_list()]


def test_half_the_candidates_scored_by_a_helper_process_give_the_same_overlaps(corpus, monkeypatch):
    records = corpus.records
    index = OverlapIndex()
    index.add_many(records[:400])
    alone, _ = find_new_overlaps(index, records[400:])
    monkeypatch.setattr(new_pairs, "SCORED_BESIDE_FROM", 0)
    forks = _forks_recorded(monkeypatch, new_pairs)
    shared, _ = find_new_overlaps(index, records[400:])
    assert forks == [beside.may_fork()]  # a helper process, unless another thread runs here
    assert len(alone) > 100
    assert _stored_shape(shared) == _stored_shape(alone)


def _found_and_read_one_by_one(corpus):
    """The new pairs of the corpus's last records against its first 400, and (explanation,
    components) of each read one by one (`found.to_list()` gives lazy overlaps afresh)."""
    index = OverlapIndex()
    index.add_many(corpus.records[:400])
    found, _ = find_new_overlaps(index, corpus.records[400:])
    return found, [(o.explanation, o.components) for o in found.to_list()]


def test_overlaps_explained_by_a_helper_process_chunk_by_chunk_read_as_explained_one_by_one(corpus, monkeypatch):
    found, one_by_one = _found_and_read_one_by_one(corpus)
    monkeypatch.setattr(overlap, "EXPLAINED_BESIDE_FROM", 1)
    helpers: list[int] = []
    real = overlap.map_beside

    def spy(work, chunks):
        for pid, answer in real(lambda chunk: (os.getpid(), work(chunk)), chunks):
            helpers.append(pid)
            yield answer

    monkeypatch.setattr(overlap, "map_beside", spy)
    lazy = found.to_list()
    chunks = []
    for chunk in overlap.explained_chunks(lazy, 7):
        assert len(helpers) == len(chunks) + 1  # explained before it is handed over
        chunks.append(chunk)
    assert [o for chunk in chunks for o, _, _ in chunk] == lazy and max(map(len, chunks)) == 7
    assert len(helpers) == len(chunks) > 2
    assert all(pid != os.getpid() for pid in helpers) or not beside.may_fork()
    assert [(e, c) for chunk in chunks for _, e, c in chunk] == one_by_one
    assert len(set(one_by_one[i][0] for i in range(len(one_by_one)))) > 10  # sentences, not one repeated
    # Nothing is kept on the overlaps: what stays held is one chunk's sentences at a time.
    assert all(o._source is not None and o._explanation is None for o in lazy)


def test_overlaps_are_explained_in_process_where_no_helper_may_be_forked(corpus, monkeypatch):
    """Another thread running: `map_beside` works each chunk here."""
    import threading

    found, one_by_one = _found_and_read_one_by_one(corpus)
    monkeypatch.setattr(overlap, "EXPLAINED_BESIDE_FROM", 1)
    lazy = found.to_list()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not beside.may_fork()
        chunks = list(overlap.explained_chunks(lazy, 7))
    finally:
        stop.set()
        other.join()
    assert [o for chunk in chunks for o, _, _ in chunk] == lazy and len(chunks) > 2
    assert [(e, c) for chunk in chunks for _, e, c in chunk] == one_by_one
    assert all(o._source is not None and o._explanation is None for o in lazy)


def test_few_overlaps_are_handed_over_lazy_and_read_as_explained_one_by_one(corpus, monkeypatch):
    found, one_by_one = _found_and_read_one_by_one(corpus)
    monkeypatch.setattr(overlap, "map_beside", lambda work, chunks: pytest.fail("no helper below the threshold"))
    lazy = found.to_list()
    assert len(lazy) < overlap.EXPLAINED_BESIDE_FROM
    chunks = list(overlap.explained_chunks(lazy, 50))
    assert [o for chunk in chunks for o, _, _ in chunk] == lazy
    assert [(e, c) for chunk in chunks for _, e, c in chunk] == one_by_one
    # Eager overlaps (explained already) are handed over with what they hold.
    eager = [overlap.OverlapFinding(o.a_id, o.b_id, o.score, {"text": 0.5}, "said", kind=o.kind) for o in lazy[:3]]
    assert [(e, c) for chunk in overlap.explained_chunks(eager, 2) for _, e, c in chunk] == [("said", {"text": 0.5})] * 3
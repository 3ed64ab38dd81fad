"""Convergence groups too large to convene are split, and say so."""
from __future__ import annotations

from itertools import combinations

from coordination.convergence import OverlapFinding
from coordination.convergence.group_split import MAX_GROUP_ORGANISATIONS
from coordination.convergence.groups import convergence_groups
from coordination.records import PlaceRecord

from .factories import make_record


def _clique(records, score=0.7):
    return [OverlapFinding(min(a.id, b.id), max(a.id, b.id), score) for a, b in combinations(records, 2)]


def _district(name):
    return (PlaceRecord(country="AF", admin1="Kabul", admin2=name, precision="admin2"),)


def test_a_small_group_is_one_group_and_not_marked_split():
    records = [make_record(organisation_id=i) for i in range(1, 6)]
    groups = convergence_groups(records, _clique(records))
    assert len(groups) == 1 and groups[0].split_from is None and groups[0].split_by == ()


def test_a_hub_is_split_by_district_first_and_every_part_fits_a_meeting():
    """Kabul's hub on the demo: one component of 69 initiatives from 60 organisations."""
    paghman = [make_record(organisation_id=i, places=_district("Paghman")) for i in range(1, 11)]
    bagrami = [make_record(organisation_id=i, places=_district("Bagrami")) for i in range(11, 21)]
    bridge = [OverlapFinding(min(paghman[0].id, bagrami[0].id), max(paghman[0].id, bagrami[0].id), 0.5)]
    groups = convergence_groups(paghman + bagrami, _clique(paghman) + _clique(bagrami) + bridge)
    assert sorted(len(g.organisation_ids) for g in groups) == [10, 10]
    assert {g.split_from for g in groups} == {(20, 20)} and {g.split_by for g in groups} == {("area",)}
    assert {frozenset(g.initiative_ids) for g in groups} == {frozenset(r.id for r in paghman),
                                                          frozenset(r.id for r in bagrami)}


def test_one_place_one_kind_of_work_is_cut_into_connected_parts_of_bounded_size():
    everyone = [make_record(organisation_id=i) for i in range(1, 41)]
    groups = convergence_groups(everyone, _clique(everyone))
    assert len(groups) >= 4
    assert all(2 <= len(g.organisation_ids) <= MAX_GROUP_ORGANISATIONS for g in groups)
    assert all(g.split_from == (40, 40) and g.split_by for g in groups)
    assert sorted(i for g in groups for i in g.initiative_ids) == sorted(r.id for r in everyone)


def test_splitting_is_deterministic():
    everyone = [make_record(organisation_id=i, tags=frozenset({"wash" if i % 2 else "health"}))
                for i in range(1, 31)]
    links = _clique(everyone)
    first = convergence_groups(everyone, links)
    assert first == convergence_groups(list(reversed(everyone)), list(reversed(links)))
    assert {g.split_by[0] for g in first} == {"work"}

"""Convergence groups, ally suggestions, fragmentation cells and gaps, the organisation network."""
from __future__ import annotations

import pytest

from coordination.convergence import OverlapFinding
from coordination.convergence.fragmentation import fragmentation_cells, gaps, herfindahl
from coordination.convergence.groups import convergence_groups, suggest_allies
from coordination.convergence.network import organisation_network
from coordination.records import PlaceRecord

from .factories import KISUMU, make_record, near


def link(a, b, score=0.8):
    return OverlapFinding(min(a.id, b.id), max(a.id, b.id), score)


def test_overlapping_initiatives_form_one_group_with_shared_goals_and_no_institutional_actor():
    a, b, c = make_record(organisation_id=1), make_record(organisation_id=2), make_record(organisation_id=3, goals=frozenset({"6.1", "6.2"}))
    lone = make_record(organisation_id=4)
    groups = convergence_groups([a, b, c, lone], [link(a, b), link(b, c)])
    assert len(groups) == 1
    group = groups[0]
    assert group.initiative_ids == tuple(sorted((a.id, b.id, c.id)))
    assert group.organisation_ids == (1, 2, 3)
    assert group.shared_goals == ("6.1",)
    assert group.countries == ("KE",) and group.admin1 == ("Kisumu",)
    assert not group.has_institutional_actor


def test_a_grassroots_group_is_offered_a_nearby_institutional_ally_on_its_goal_with_a_reason():
    a, b = make_record(organisation_id=1), make_record(organisation_id=2)
    ministry = make_record(organisation_id=50, org_type="10", places=(near(KISUMU, 20),))
    far_ministry = make_record(organisation_id=51, org_type="10", places=(PlaceRecord(country="SN", lat=14.7, lon=-17.4),))
    ngo = make_record(organisation_id=52, org_type="22")
    school_funder = make_record(organisation_id=53, org_type="60", goals=frozenset({"4.1"}))
    records = [a, b, ministry, far_ministry, ngo, school_funder]
    group = convergence_groups(records, [link(a, b)])[0]
    allies = suggest_allies(group, records)
    assert [s.organisation_id for s in allies] == [50]
    assert "6.1" in allies[0].reason and "20 km" in allies[0].reason


def test_an_ally_at_the_very_same_place_is_said_to_be_there_not_0_km_away():
    a, b = make_record(organisation_id=1), make_record(organisation_id=2)
    ministry = make_record(organisation_id=50, org_type="10", places=(near(KISUMU, 0),))
    records = [a, b, ministry]
    allies = suggest_allies(convergence_groups(records, [link(a, b)])[0], records)
    assert "at the same place" in allies[0].reason and "0 km" not in allies[0].reason


def test_herfindahl_matches_a_hand_computed_example():
    # Organisation 1 runs 2 initiatives, organisations 2 and 3 one each: H = .5^2 + .25^2 + .25^2.
    records = [make_record(organisation_id=o) for o in (1, 1, 2, 3)]
    cell = fragmentation_cells(records, goal="6")[0]
    assert (cell.goal, cell.area, cell.n_initiatives, cell.n_organisations) == ("6", "KE", 4, 3)
    assert cell.herfindahl == pytest.approx(0.375)
    assert cell.effective_actors == pytest.approx(1 / 0.375)
    assert herfindahl([]) == 0.0


def test_overlap_share_counts_initiatives_in_at_least_one_overlap():
    a, b, c, d = (make_record(organisation_id=o) for o in (1, 2, 3, 4))
    cell = fragmentation_cells([a, b, c, d], area_level="admin1", overlaps=[link(a, b)])[0]
    assert cell.area == "KE/Kisumu" and cell.overlap_share == 0.5


def test_gaps_name_goals_missing_where_linked_work_exists():
    records = [make_record(goals=frozenset({"6.1"}))]
    goal_gaps = {g.goal for g in gaps(records)}
    assert "3" in goal_gaps and "6" not in goal_gaps and "4" not in goal_gaps
    target_gaps = {g.goal for g in gaps(records, level="target")}
    assert "6.2" in target_gaps and "6.1" not in target_gaps and "3.1" not in target_gaps


def test_network_betweenness_finds_the_broker_of_a_known_path_graph():
    # Organisations 1 - 2 - 3 in a line (overlaps), 4 partners with 3, 5 stands alone.
    a, b, c = (make_record(organisation_id=o) for o in (1, 2, 3))
    d = make_record(organisation_id=3, partner_ids=frozenset({4}))
    alone = make_record(organisation_id=5)
    net = organisation_network([a, b, c, d, alone], [link(a, b), link(b, c)])
    between = {n.organisation_id: n.betweenness for n in net.nodes}
    # Path 1-2-3-4 plus isolated 5: node 2 lies on the shortest paths 1-3 and 1-4, node 3 on
    # 1-4 and 2-4; networkx normalises by the (5-1)(5-2)/2 = 6 pairs not involving the node.
    assert between[2] == pytest.approx(2 / 6) and between[3] == pytest.approx(2 / 6)
    assert between[1] == 0.0
    assert net.isolated == (5,)
    assert net.components == ((1, 2, 3, 4),)
    kinds = {(e.a, e.b): e.kinds for e in net.edges}
    assert kinds[(3, 4)] == ("partnership",) and kinds[(1, 2)] == ("overlap",)


def test_the_map_and_the_engine_agree_on_a_cells_concentration_and_number_of_actors():
    # Kisumu: organisation 1 runs three initiatives, 2 and 3 one each; the map's area cell and
    # the engine's fragmentation cell describe the same five initiatives.
    from coordination.mapping import fragmentation_by_area

    records = [make_record(organisation_id=org) for org in (1, 1, 1, 2, 3)]
    engine = fragmentation_cells(records, goal="6", area_level="country")
    (cell,) = fragmentation_by_area([(r.id, r.organisation_id, "KE", "Kisumu") for r in records])
    assert len(engine) == 1 and engine[0].area == "KE"
    assert engine[0].herfindahl == pytest.approx((3 / 5) ** 2 + 2 * (1 / 5) ** 2)
    assert cell.herfindahl == round(engine[0].herfindahl, 4)
    assert cell.effective_actors == pytest.approx(engine[0].effective_actors, rel=1e-3)
    assert (cell.initiatives, cell.organisations) == (engine[0].n_initiatives, engine[0].n_organisations)

"""Kept analytics (coordination.maintained) answer exactly what the full computation answers, after every write."""
from __future__ import annotations

import copy
import random

from sqlalchemy import select, update

from coordination import insights
from coordination.analytics_cache import data_version, database_key, reader_class
from coordination.maintained import ANSWERS, KeptAnalytics
from coordination.models import Initiative, Overlap
from coordination.permissions import ANONYMOUS, SYSTEM, Actor
from coordination.queries import InitiativeFilter
from coordination.services.initiatives import update_initiative, withdraw_initiative
from coordination.services.org_merge import merge_organisations
from coordination.services.overlaps import decide_overlap
from coordination.unit_of_work import UnitOfWork

from ..factories import BOREHOLES, WELLS, in_unit_of_work, make_initiative, make_organisation

COORDINATOR = Actor(role="coordinator", label="coordinator")
NAIROBI = {"name": "Nairobi", "country": "KE", "lat": -1.286, "lon": 36.817}


def _full(session, actor, name):
    f = InitiativeFilter()
    if name == "groups":
        return insights.groups_for(session, actor, f)
    if name == "network":
        return insights.network_for(session, actor, f)
    return insights.fragmentation_for(session, actor, f, name.split()[1])


def _assert_same(session, kept: KeptAnalytics, readers) -> dict:
    """Every kept answer equals the full computation, for every reader; returns the answers."""
    seen = {}
    version = data_version(session)
    for actor in readers:
        for name in ANSWERS:
            key = (database_key(session), reader_class(actor))
            got = kept.answer(session, actor, key, version, name)
            assert got == _full(session, actor, name), (name, reader_class(actor))
            seen[(name, reader_class(actor))] = got
    return seen


def test_kept_answers_follow_every_kind_of_write_exactly(session):
    ngo1, ngo2, ngo3 = (make_organisation(session, name=n) for n in ("Lake Wells", "Kisumu Water Trust", "Dala"))
    gov = make_organisation(session, name="County Water Office", type="10")
    member1 = Actor(role="member", organisation_id=ngo1.id, label="m1")
    member2 = Actor(role="member", organisation_id=ngo2.id, label="m2")
    readers = [COORDINATOR, ANONYMOUS, member1, member2]
    kept = KeptAnalytics()
    first = make_initiative(session, ngo1, **BOREHOLES)
    make_initiative(session, ngo2, **WELLS)
    _assert_same(session, kept, readers)
    assert kept.builds == len(readers)
    # An institutional initiative elsewhere in Kenya: an ally of the Kisumu group, until it changes goal.
    office = make_initiative(session, gov, title="County water office programme", goals=["6.2"],
                             description="Sanitation programme of the water office.", locations=[NAIROBI])
    answers = _assert_same(session, kept, readers)
    assert [a["organisation"]["name"] for g in answers[("groups", ("public",))] for a in g["suggested_allies"]] == [
        "County Water Office"]
    in_unit_of_work(session, update_initiative, SYSTEM, office.id, {"goals": ["4.1"]})
    answers = _assert_same(session, kept, readers)
    assert all(not g["suggested_allies"] for g in answers[("groups", ("public",))])

    # A new initiative overlapping both, with a government partner (a partnership edge).
    third = make_initiative(session, ngo3, **{**WELLS, "title": "Water committees in Kisumu",
                                              "partners": [{"organisation": gov.slug, "role": "funding"}]})
    _assert_same(session, kept, readers)
    # An edit: the first moves to Nairobi and another target.
    in_unit_of_work(session, update_initiative, SYSTEM, first.id, {"locations": [NAIROBI], "goals": ["6.2"]})
    _assert_same(session, kept, readers)
    in_unit_of_work(session, update_initiative, SYSTEM, first.id, {**BOREHOLES})
    _assert_same(session, kept, readers)
    # A decision: one overlap dismissed leaves the groups and the network.
    row = session.scalars(select(Overlap).order_by(Overlap.id)).first()
    with UnitOfWork(session) as uow:
        decide_overlap(session, COORDINATOR, row.id, "dismissed")
        uow.commit()
    _assert_same(session, kept, readers)
    # A private initiative: only its organisation and coordinators may see it or what it moves.
    secret = make_initiative(session, ngo1, **{**WELLS, "title": "Private wells", "visibility": "private"})
    answers = _assert_same(session, kept, readers)
    assert secret.id in {i for g in answers[("groups", ("org", ngo1.id))] for i in g["initiative_ids"]}
    assert all(secret.id not in g["initiative_ids"] for r in (("public",), ("org", ngo2.id))
               for g in answers[("groups", r)])
    # A link becomes a duplicate report (counted once in the cells), then a withdrawal.
    session.execute(update(Overlap).where(Overlap.id == row.id + 1).values(kind="duplicate"))
    session.commit()
    _assert_same(session, kept, readers)
    in_unit_of_work(session, withdraw_initiative, SYSTEM, third.id)
    _assert_same(session, kept, readers)
    # An organisation merge moves initiatives and partner places.
    in_unit_of_work(session, merge_organisations, COORDINATOR, ngo2.slug, ngo3.slug, share_access=True)
    _assert_same(session, kept, readers)
    assert kept.builds == len(readers) and kept.catch_ups > 0  # followed, never rebuilt
    fresh = KeptAnalytics()
    assert _assert_same(session, fresh, readers) == _assert_same(session, kept, readers)


def test_an_unchanged_version_reads_nothing_and_a_change_leaves_answers_handed_out_alone(session):
    a, b = make_organisation(session), make_organisation(session)
    make_initiative(session, a, **BOREHOLES)
    make_initiative(session, b, **WELLS)
    kept = KeptAnalytics()
    key, version = (database_key(session), reader_class(ANONYMOUS)), data_version(session)
    net = kept.answer(session, ANONYMOUS, key, version, "network")
    assert kept.answer(session, ANONYMOUS, key, version, "network") is net and kept.catch_ups == 0
    held = copy.deepcopy(net)
    make_initiative(session, make_organisation(session), **{**WELLS, "title": "More wells"})
    after = kept.answer(session, ANONYMOUS, key, data_version(session), "network")
    assert kept.catch_ups == 1 and len(after["nodes"]) == 3 and net == held  # the first answer is untouched
    assert after == insights.network_for(session, ANONYMOUS, InitiativeFilter())


def test_a_bulk_update_of_updated_at_is_caught_up_and_old_rows_are_not_reread(session):
    a, b = make_organisation(session), make_organisation(session)
    one = make_initiative(session, a, **BOREHOLES)
    make_initiative(session, b, **WELLS)
    kept = KeptAnalytics()
    _assert_same(session, kept, [COORDINATOR])
    session.execute(update(Initiative).where(Initiative.id == one.id).values(start_date=None, end_date=None))
    session.commit()
    _assert_same(session, kept, [COORDINATOR])
    assert kept.builds == 1 and kept.catch_ups == 1


def test_random_link_writes_join_and_cut_components_exactly_as_the_full_computation(session):
    """Links come and go at random between organisations' work: components of the network and of
    the groups merge and fall apart; every answer stays equal to the full computation."""
    rng = random.Random(16)
    orgs = [make_organisation(session, type=rng.choice(["10", "22", "24"])) for _ in range(6)]
    towns = [("Kisumu", -0.09, 34.77), ("Nakuru", -0.30, 36.07), ("Nairobi", -1.29, 36.82)]
    work = []
    for i in range(12):
        town, lat, lon = towns[i % 3]
        work.append(make_initiative(session, orgs[i % 6], title=f"Work {i} in {town}", goals=[rng.choice(["6.1", "4.1"])],
                                    locations=[{"name": town, "country": "KE", "lat": lat, "lon": lon}]))
    kept = KeptAnalytics()
    _assert_same(session, kept, [COORDINATOR])
    for _step in range(14):
        a, b = sorted(rng.sample(work, 2), key=lambda w: w.id)
        row = session.scalars(select(Overlap).where(Overlap.initiative_a_id == a.id,
                                                    Overlap.initiative_b_id == b.id)).first()
        if row is None:
            session.add(Overlap(initiative_a_id=a.id, initiative_b_id=b.id, organisation_a_id=a.organisation_id,
                                organisation_b_id=b.organisation_id, score=round(rng.random(), 3)))
        else:
            row.active = not row.active
        session.commit()
        _assert_same(session, kept, [COORDINATOR])
    assert kept.builds == 1


def test_only_the_most_recently_asked_reader_classes_are_kept(session):
    orgs = [make_organisation(session) for _ in range(3)]
    make_initiative(session, orgs[0], **BOREHOLES)
    kept, version = KeptAnalytics(max_states=2), data_version(session)
    readers = [Actor(role="member", organisation_id=o.id, label="m") for o in orgs]
    for actor in (*readers, readers[0]):
        kept.answer(session, actor, (database_key(session), reader_class(actor)), version, "network")
    assert kept.builds == 4  # the first organisation's state was dropped for the third, then built again
    kept.answer(session, readers[2], (database_key(session), reader_class(readers[2])), version, "network")
    assert kept.builds == 4


def test_an_initiative_still_inside_the_window_is_read_again_only_when_it_changed(session):
    from coordination.maintained import source

    a, b = make_organisation(session), make_organisation(session)
    one = make_initiative(session, a, **BOREHOLES)
    make_initiative(session, b, **WELLS)
    _delta, mark = source.full(session, COORDINATOR)
    count = lambda: len(mark.overlap_ids)  # noqa: E731
    assert source.since(session, COORDINATOR, mark, count()).records == {}  # both inside the window, unchanged
    session.execute(update(Initiative).where(Initiative.id == one.id).values(start_date=None))
    session.commit()
    delta = source.since(session, COORDINATOR, mark, count())
    assert set(delta.records) == {one.id} and delta.records[one.id].start is None
    assert source.since(session, COORDINATOR, mark, count()).records == {}

"""The write services run inside the door's unit of work: they never commit, they ask for follow-up work.

Each test plays the door with a `FakeUnitOfWork` on an in-memory SQLite session: the service
does its work, the session has not committed, the door commits exactly once.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coordination.errors import ValidationError
from coordination.models import Initiative, Organisation, Overlap, OverlapKind, OverlapStatus
from coordination.permissions import SYSTEM, Actor
from coordination.services.imports import import_records
from coordination.services.initiatives import register_initiative, update_initiative
from coordination.services.organisations import create_organisation
from coordination.services.overlaps import decide_overlap

from .conftest import FakeUnitOfWork

WELLS = {"title": "Repairing community wells in Kisumu", "description": "Hand-dug wells and water committees.",
         "goals": ["6.1"], "tags": ["WASH"], "start": "2025-01-01", "end": "2025-12-31",
         "locations": [{"name": "Kisumu", "country": "KE", "lat": -0.0917, "lon": 34.768}]}


def _organisation(session, name: str) -> Organisation:
    org = create_organisation(session, SYSTEM, {"name": name, "type": "22", "country": "KE"}, verified=True)
    session.commit()  # set-up, not under test
    return org


def _member(org: Organisation) -> Actor:
    return Actor(role="member", organisation_id=org.id, label=f"member@{org.slug}")


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_registration_asks_for_overlap_detection_and_leaves_the_commit_to_the_door(session, session_commits, uow):
    org = _organisation(session, "Lake Basin Wells")
    session_commits.clear()
    with uow:
        initiative = register_initiative(uow, _member(org), WELLS)
        assert session_commits == [] and uow.commits == 0  # the service wrote, nothing is committed
        assert uow.writes == [(initiative.id, "create")]
        uow.commit()
    assert uow.commits == 1 and len(session_commits) == 1
    assert session.scalar(select(Initiative.title)) == WELLS["title"]


def test_a_refused_registration_leaves_nothing_once_the_door_leaves_without_committing(session, session_commits,
                                                                                       uow):
    org = _organisation(session, "Lake Basin Wells")
    session_commits.clear()
    with pytest.raises(ValidationError), uow:
        register_initiative(uow, _member(org), {**WELLS, "goals": ["99.9"]})
    assert uow.commits == 0 and session_commits == [] and uow.writes == []
    assert _count(session, Initiative) == 0


def test_an_update_asks_for_overlap_detection_again_and_is_committed_once(session, session_commits):
    org = _organisation(session, "Lake Basin Wells")
    with FakeUnitOfWork(session) as door:
        initiative_id = register_initiative(door, _member(org), WELLS).id
        door.commit()
    session_commits.clear()
    uow = FakeUnitOfWork(session)
    with uow:
        updated = update_initiative(uow, _member(org), initiative_id, {"title": "Wells and latrines in Kisumu"},
                                    expected_version=1)
        assert session_commits == [] and uow.commits == 0
        uow.commit()
    assert uow.writes == [(initiative_id, "update")] and uow.commits == 1 and len(session_commits) == 1
    assert updated.version == 2
    assert session.get(Initiative, initiative_id).title == "Wells and latrines in Kisumu"


def test_deciding_an_overlap_is_kept_only_by_the_door_commit(session, session_commits):
    wells, trust = _organisation(session, "Lake Basin Wells"), _organisation(session, "Nyanza Water Trust")
    with FakeUnitOfWork(session) as door:
        a = register_initiative(door, _member(wells), WELLS)
        b = register_initiative(door, _member(trust), {**WELLS, "title": "Borehole rehabilitation, Kisumu"})
        row = Overlap(initiative_a_id=a.id, initiative_b_id=b.id, organisation_a_id=wells.id,
                      organisation_b_id=trust.id, status=OverlapStatus.SUGGESTED, active=True,
                      kind=OverlapKind.OVERLAP, score=0.8, components={}, explanation="")
        session.add(row)
        door.commit()
    session_commits.clear()
    uow = FakeUnitOfWork(session)
    with uow:
        decide_overlap(uow.session, _member(trust), row.id, OverlapStatus.CONFIRMED)
        assert session_commits == [] and uow.commits == 0
    assert session.get(Overlap, row.id).status == OverlapStatus.SUGGESTED  # left without commit: undone
    with uow:
        decide_overlap(uow.session, _member(trust), row.id, OverlapStatus.CONFIRMED)
        uow.commit()
    assert uow.commits == 1 and len(session_commits) == 1
    session.expire_all()
    assert session.get(Overlap, row.id).status == OverlapStatus.CONFIRMED


def test_an_import_keeps_the_good_records_drops_the_bad_one_and_commits_nothing_itself(session, session_commits):
    org = _organisation(session, "Lake Basin Wells")
    records = [{**WELLS, "organisation": org.slug, "iati_identifier": "KE-1-a"},
               {**WELLS, "organisation": org.slug, "iati_identifier": "KE-1-b", "goals": ["99.9"]},
               {**WELLS, "organisation": org.slug, "iati_identifier": "KE-1-c", "title": "Latrines in Kisumu"}]
    session_commits.clear()
    uow = FakeUnitOfWork(session, detect_overlaps=False)
    with uow:
        report = import_records(uow, records, SYSTEM)
        assert session_commits == [] and uow.commits == 0
        uow.commit()
    assert (report.created, report.skipped) == (2, 1)
    assert report.problems[0]["record"] == "KE-1-b"
    assert uow.commits == 1 and len(session_commits) == 1
    assert sorted(session.scalars(select(Initiative.iati_identifier))) == ["KE-1-a", "KE-1-c"]

"""Two registrations of the same work at once, in one process: both kept, their overlap found once.

The open-loop load test (bench/load_open.py, 4 gunicorn workers x 4 threads) hit a 500: a
thread's detection found, in the process-wide index, an initiative another thread had added but
not committed, and its overlap row pointed at a row PostgreSQL did not have yet (foreign-key
violation). Across processes the same interleaving loses the pair instead: neither writer sees
the other. Detection now runs one transaction at a time per database
(`UnitOfWork.lock_overlaps`). Here the first writer holds its transaction open after detecting
while the second registers in a thread, as two requests of one worker do.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.models import Initiative, Overlap
from coordination.permissions import SYSTEM, Actor
from coordination.services import overlap_index
from coordination.services.initiatives import register_initiative
from coordination.services.organisations import create_organisation
from coordination.unit_of_work import UnitOfWork

from ..backends import app_engine, postgres_url, reset_postgres, sqlite_url
from ..factories import BOREHOLES, WELLS
from .test_concurrent_writes import run_beside


def _members(engine) -> tuple[Actor, Actor]:
    with Session(engine) as session:
        orgs = [create_organisation(session, SYSTEM, {"name": name, "type": "22", "country": "KE"}, verified=True)
                for name in ("Lake Basin Wells", "Kisumu Water Trust")]
        session.commit()  # set-up, not under test
        return tuple(Actor(role="member", organisation_id=o.id, label=f"m@{o.slug}") for o in orgs)


def _both_writers(engine) -> None:
    first_actor, second_actor = _members(engine)
    first, second = Session(engine), Session(engine)
    try:
        with Session(engine) as warm:  # the process's index exists before the race, as in a warm worker
            overlap_index.current_index(warm)
            warm.rollback()
        first_uow = UnitOfWork(first)
        first_uow.__enter__()
        wells = register_initiative(first_uow, first_actor, {**WELLS, "start": "2025-01-01", "end": "2025-12-31"})
        wells_id = wells.id  # detected against the index, not committed

        def second_writer() -> int:
            with UnitOfWork(second) as uow:
                boreholes = register_initiative(uow, second_actor, {**BOREHOLES, "start": "2025-03-01",
                                                                    "end": "2026-02-28"}).id
                uow.commit()
                return boreholes

        thread, outcome = run_beside(second_writer)
        first_uow.commit()
        first_uow.__exit__(None, None, None)
        thread.join(30)
        assert not thread.is_alive(), "the second writer never finished"
        assert "error" not in outcome, repr(outcome.get("error"))
        with Session(engine) as check:
            ids = set(check.scalars(select(Initiative.id)))
            assert ids == {wells_id, outcome["result"]}
            pairs = check.execute(select(Overlap.initiative_a_id, Overlap.initiative_b_id)
                                  .where(Overlap.active.is_(True))).all()
            assert [tuple(sorted(p)) for p in pairs] == [tuple(sorted((wells_id, outcome["result"])))]
    finally:
        first.close()
        second.close()
        overlap_index.forget(first)


@pytest.mark.postgres
def test_two_overlapping_registrations_in_one_process_at_once_on_postgresql():
    url = postgres_url()
    reset_postgres(url)
    engine = app_engine(url)
    try:
        _both_writers(engine)
    finally:
        engine.dispose()


def test_two_overlapping_registrations_in_one_process_at_once_on_sqlite(tmp_path):
    engine = app_engine(sqlite_url(tmp_path))
    try:
        _both_writers(engine)
    finally:
        engine.dispose()

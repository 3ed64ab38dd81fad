"""`bulk_copy.insert_rows` stores what an INSERT of the same rows stores (COPY on PostgreSQL),
and so does a `bulk_copy.Writer`, which waits for each COPY's end beside its caller."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from psycopg import errors as psycopg_errors
from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from api.extensions import db
from coordination.models import Change, Initiative, Partner
from coordination.services.bulk_copy import Writer, insert_rows

from ..conftest import _make_app
from ..factories import make_initiative, make_organisation

AT = datetime(2026, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=2)))


def _rows(first_id: int) -> list[dict]:
    return [{"id": first_id + i, "entity_type": "initiative", "entity_id": i, "action": "create",
             "actor": "système \t \\ \n", "actor_token_id": None, "organisation_id": None, "at": AT,
             "before": None, "after": {"title": f"Eau {i}", "budget": 1.5, "goals": ["6.1"], "none": None}}
            for i in range(3)]


def _stored(session, ids: range) -> list[tuple]:
    session.expire_all()
    return [(c.entity_id, c.actor, c.actor_token_id, c.at, c.before, c.after) for c in
            session.scalars(select(Change).where(Change.id.in_(list(ids))).order_by(Change.id))]


def test_insert_rows_stores_what_an_insert_stores(session):
    table = Change.__table__
    session.execute(insert(table), _rows(1001))
    insert_rows(session, table, _rows(2001))
    by_insert, by_copy = _stored(session, range(1001, 1004)), _stored(session, range(2001, 2004))
    assert len(by_copy) == 3
    assert by_copy == by_insert
    assert by_copy[0][3] == AT  # read back in UTC, the same instant
    assert session.scalar(select(Change.before).where(Change.id == 2001)) is None
    session.execute(delete(table))
    session.commit()


def test_a_column_left_out_gets_its_python_default(session):
    """Only an INSERT applies SQLAlchemy's defaults: rows without `at` (default: now) take it."""
    rows = _rows(3001)
    for row in rows:
        del row["at"]
    insert_rows(session, Change.__table__, rows)
    stored = _stored(session, range(3001, 3004))
    assert [s[0] for s in stored] == [0, 1, 2]
    assert all(s[3] is not None and s[3] != AT for s in stored)
    session.execute(delete(Change.__table__))
    session.commit()


def test_rows_sharing_a_value_and_rows_that_do_not_each_store_their_own(session):
    """A value processed once is reused only for the same object: one shared `after` dict and
    time, then an equal-looking but different dict, a None, the shared one again."""
    shared, later = {"title": "Eau"}, AT + timedelta(days=1)
    plan = [(shared, AT), (shared, AT), ({"title": "Eau", "n": 2}, later), (None, later), (shared, AT)]
    rows = [{**_rows(4001)[0], "id": 4001 + i, "entity_id": i, "after": after, "at": at}
            for i, (after, at) in enumerate(plan)]
    session.execute(insert(Change.__table__), [{**row, "id": row["id"] + 1000} for row in rows])
    insert_rows(session, Change.__table__, rows)
    stored = _stored(session, range(4001, 4006))
    assert [(s[5], s[3]) for s in stored] == plan
    assert stored == _stored(session, range(5001, 5006))
    session.execute(delete(Change.__table__))
    session.commit()


def _partner_rows(initiative_id: int, organisation_ids: list[int]) -> list[dict]:
    return [{"initiative_id": initiative_id, "organisation_id": org, "role": "implementing"} for org in organisation_ids]


def _partners(session, initiative_id: int) -> list[int]:
    session.expire_all()
    return sorted(session.scalars(select(Partner.organisation_id).where(Partner.initiative_id == initiative_id)))


def test_a_writer_stores_its_inserts_in_order_as_insert_rows_does(session):
    """Rows of one insert may name rows of the insert before (checked by the server once that
    one ended): an initiative's partners after the initiative's change rows, in one writer."""
    org = make_organisation(session)
    others = [make_organisation(session, name=f"Partner {i}", slug=f"partner-{i}").id for i in range(3)]
    initiative = make_initiative(session, org)
    session.flush()
    with Writer(session) as writer:
        writer.insert(Change.__table__, _rows(6001))
        writer.insert(Partner.__table__, _partner_rows(initiative.id, others))
        writer.insert(Change.__table__, [])  # nothing to store: nothing sent
    assert _partners(session, initiative.id) == sorted(others)
    assert len(_stored(session, range(6001, 6004))) == 3
    session.rollback()


def test_a_refused_insert_is_raised_by_the_writer_and_the_session_rolls_back(session):
    """A row naming no organisation: the server's refusal comes out of the writer (when it is
    left), not later from an unrelated statement; after a rollback the session works."""
    org = make_organisation(session)
    initiative = make_initiative(session, org)
    session.commit()
    with pytest.raises((IntegrityError, psycopg_errors.ForeignKeyViolation)), Writer(session) as writer:
        writer.insert(Partner.__table__, _partner_rows(initiative.id, [10**6]))
    session.rollback()
    assert _partners(session, initiative.id) == []
    assert session.scalar(select(func.count(Initiative.id))) == 1


def test_leaving_on_another_error_waits_for_the_insert_and_lets_that_error_through(session):
    org = make_organisation(session)
    initiative = make_initiative(session, org)
    session.commit()
    with pytest.raises(RuntimeError, match="the explainer stopped"), Writer(session) as writer:
        writer.insert(Partner.__table__, _partner_rows(initiative.id, [org.id]))
        raise RuntimeError("the explainer stopped")
    session.rollback()
    assert _partners(session, initiative.id) == []


@pytest.fixture
def pg_session(tmp_path, monkeypatch):
    app = _make_app("postgres", tmp_path, monkeypatch)
    with app.app_context():
        yield db.session
        db.session.remove()
        db.engine.dispose()


@pytest.mark.postgres
def test_on_postgresql_the_end_of_a_copy_is_waited_for_beside_the_caller(pg_session):
    """While another transaction holds the organisation's row (FOR UPDATE), the server cannot
    check a partner row naming it: the COPY's end waits for that lock. The writer's `insert`
    returns meanwhile (the caller builds its next rows); `wait` returns once the lock is gone."""
    session = pg_session
    org = make_organisation(session)
    initiative = make_initiative(session, org)
    session.commit()
    org_id, initiative_id = org.id, initiative.id
    other = session.get_bind().connect()
    other.execute(text("SELECT id FROM organisation WHERE id = :id FOR UPDATE"), {"id": org_id})
    order: list[str] = []
    release = threading.Timer(10, other.commit)  # a bound, were `insert` to wait for the end itself
    release.start()
    try:
        writer = Writer(session)
        writer.insert(Partner.__table__, _partner_rows(initiative_id, [org_id]))
        order.append("insert returned")
        assert writer._ending is not None and writer._ending.is_alive()  # the server is still waiting
        other.commit()
        order.append("lock released")
        writer.wait()
        order.append("ended")
    finally:
        release.cancel()
        other.close()
    assert order == ["insert returned", "lock released", "ended"]
    session.commit()
    assert _partners(session, initiative_id) == [org_id]

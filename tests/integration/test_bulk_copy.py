"""`bulk_copy.insert_rows` stores what an INSERT of the same rows stores (COPY on PostgreSQL)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, insert, select

from coordination.models import Change
from coordination.services.bulk_copy import insert_rows

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

"""`bulk_ids.take_ids`: ids taken before a bulk insert are unused, ascending, and never drawn
again, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import insert, select

from coordination.models import Change
from coordination.services.bulk_ids import take_ids

AT = datetime(2026, 3, 1, 12, 30, tzinfo=timezone.utc)


def _row(**extra) -> dict:
    return {"entity_type": "initiative", "entity_id": 1, "action": "create", "actor": "system", "at": AT, **extra}


def test_ids_taken_are_ascending_unused_and_not_drawn_again(session):
    table = Change.__table__
    session.execute(insert(table), [_row(entity_id=i) for i in range(3)])  # ids drawn by plain inserts
    before = set(session.scalars(select(Change.id)))
    assert take_ids(session, table, 0) == []
    taken = take_ids(session, table, 2500)
    assert len(taken) == 2500 and taken == sorted(set(taken)) and not before & set(taken)
    session.execute(insert(table), [_row(id=i) for i in taken])
    session.execute(insert(table), [_row(entity_id=9)])  # drawn after: past every taken id
    latest = session.scalar(select(Change.id).where(Change.entity_id == 9))
    assert latest > max(taken)
    again = take_ids(session, table, 3)
    assert min(again) > latest and len(set(again)) == 3
    if session.get_bind().dialect.name == "postgresql":  # drawn from the sequence: taken is gone
        assert min(take_ids(session, table, 3)) > max(again)
    else:  # SQLite's writer holds the only write lock: it takes what follows the largest stored
        assert take_ids(session, table, 3) == again
    session.rollback()


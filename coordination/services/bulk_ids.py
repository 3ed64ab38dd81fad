"""Ids for rows inserted many at a time, taken before the insert.

An INSERT of many rows that must return their ids in order runs one row per statement on
SQLite (SQLAlchemy cannot order a multi-row RETURNING there). Taking the ids first lets the
rows go in one `executemany`: on PostgreSQL from the table's own sequence (as an insert
would draw them), on SQLite the next free ones after the largest (what SQLite gives a table
without AUTOINCREMENT; the writing transaction holds the database's only write lock).
"""
from __future__ import annotations

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session


def take_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` unused ids of `table`, ascending."""
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(_TAKE_FROM_SEQUENCE, {"table": table.name, "count": count}).scalar_one()
    last = session.scalar(select(func.max(table.c.id))) or 0
    return list(range(last + 1, last + count + 1))


# The sequence is looked up once (in the select list, the lookup would run for every id: six
# times the cost), the ids come back as one sorted array rather than a row each.
_TAKE_FROM_SEQUENCE = text(
    "WITH sequence AS MATERIALIZED (SELECT CAST(pg_get_serial_sequence(:table, 'id') AS regclass) AS name) "
    "SELECT array_agg(taken.id ORDER BY taken.id) "
    "FROM (SELECT nextval(sequence.name) AS id FROM sequence, generate_series(1, :count)) AS taken")

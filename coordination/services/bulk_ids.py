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
        return sorted(session.execute(text(
            "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"),
            {"table": table.name, "count": count}).scalars())
    last = session.scalar(select(func.max(table.c.id))) or 0
    return list(range(last + 1, last + count + 1))

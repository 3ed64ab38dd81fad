"""SQLite connection setup, applied to every SQLite engine the platform opens.

pysqlite starts transactions lazily and not before SAVEPOINT, so each savepoint release
became a full commit (an fsync per imported record). Taking over BEGIN ourselves makes
savepoints nest inside one real transaction, as on PostgreSQL.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection, _record) -> None:
    """Foreign keys on, write-ahead log, a busy timeout, and manual transaction control."""
    if not _is_sqlite(dbapi_connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _on_begin(connection) -> None:
    """Emit BEGIN ourselves (see the module docstring)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")

"""SQLite connection setup, attached to the app's engine (`attach(engine)`; `create_app` does it).

pysqlite starts transactions lazily and not before SAVEPOINT, so each savepoint release
became a full commit (an fsync per imported record). Taking over BEGIN ourselves makes
savepoints nest inside one real transaction, as on PostgreSQL.

Which BEGIN: SQLite has one writer at a time. A transaction that starts with a deferred
BEGIN, reads, and then writes after another connection has committed cannot become the
writer (SQLITE_BUSY_SNAPSHOT) and fails at once, whatever the busy timeout. So transactions
start with BEGIN IMMEDIATE (take the write lock up front, wait up to the busy timeout for
it) unless the caller declared read-only work with `declare_read_only()`: web requests
with a safe method (GET, HEAD, OPTIONS) do, so reads never queue behind writers (WAL lets
them run beside a writer).
"""
from __future__ import annotations

from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

SQLITE_BUSY_MS = 15000  # how long a writer waits for SQLite's write lock
_read_only: ContextVar[bool] = ContextVar("sqlite_read_only", default=False)


def declare_read_only(value: bool = True):
    """Mark the transactions begun from now on in this context as read-only (deferred BEGIN).

    A write inside such a transaction still works, but fails with "database is locked" if
    another connection committed since the transaction's first read. Returns a token for
    `reset_read_only`.
    """
    return _read_only.set(value)


def reset_read_only(token) -> None:
    """Undo a `declare_read_only`."""
    _read_only.reset(token)


def attach(engine: Engine) -> None:
    """Set up every connection `engine` opens to SQLite (other databases are left alone)."""
    if engine.dialect.name != "sqlite":
        return
    if not event.contains(engine, "connect", _on_connect):
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)


def _on_connect(dbapi_connection, _record) -> None:
    """Foreign keys on, write-ahead log, a busy timeout, and manual transaction control."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


def _on_begin(connection) -> None:
    """Emit BEGIN ourselves (see the module docstring)."""
    connection.exec_driver_sql("BEGIN" if _read_only.get() else "BEGIN IMMEDIATE")

"""Run the `coordination` command; before it commits a transaction that has written, write the
rows that transaction has written into the file $WRITES_REPORTED and wait there to be killed.

The kill tests run the real command through this script to kill it at a known point: every
statement of its unit of work sent, the transaction still open, COMMIT not yet sent. The rows
are counted by the database where it can say (PostgreSQL: `pg_stat_xact_user_tables`, which
counts rows written by INSERT, UPDATE, DELETE and COPY in the current transaction), else from
the INSERT, UPDATE and DELETE statements' row counts on that connection (SQLite: the platform
sends no COPY there). A transaction that wrote nothing commits without waiting. With
$WRITES_REPORTED unset the command runs as it is.
"""
from __future__ import annotations

import os
import sys
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine

WRITES = ("INSERT", "UPDATE", "DELETE")
WAIT = 600  # seconds: the test kills the command long before


def _rows_written_here(conn) -> int | None:
    """Rows the connection's open transaction has written, as PostgreSQL counts them; None elsewhere."""
    if conn.dialect.name != "postgresql":
        return None
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables")
        return int(cursor.fetchone()[0])
    finally:
        cursor.close()


def main() -> None:
    report = os.environ.get("WRITES_REPORTED")
    counted: dict[int, int] = {}  # rows per connection, from the statements' row counts

    @event.listens_for(Engine, "after_cursor_execute")
    def _wrote(conn, cursor, statement: str, *_args) -> None:
        if statement.lstrip()[:6].upper() in WRITES:
            counted[id(conn)] = counted.get(id(conn), 0) + max(cursor.rowcount, 1)

    @event.listens_for(Engine, "rollback")
    def _rolled_back(conn) -> None:
        counted.pop(id(conn), None)

    @event.listens_for(Engine, "commit")  # before COMMIT is sent
    def _committing(conn) -> None:
        by_statements = counted.pop(id(conn), 0)
        rows = _rows_written_here(conn)
        rows = by_statements if rows is None else rows
        if rows and report:
            with open(report, "w") as out:
                out.write(str(rows))
            time.sleep(WAIT)

    from api.cli import main as coordination

    coordination(args=sys.argv[1:], prog_name="coordination")


if __name__ == "__main__":
    main()

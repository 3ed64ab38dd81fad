"""Many rows into one table at once: PostgreSQL's COPY, else one `executemany` INSERT.

An `executemany` INSERT through psycopg sends and runs one statement per row; `COPY ... FROM
STDIN` streams all rows into the table in one command. On SQLite the INSERT is one
`executemany` of the driver's SQL (SQLAlchemy would compile each row's parameters first). The values go through each column's
own bind processing first (SQLAlchemy's: JSON serialised, times converted to naive UTC,
booleans) so the rows stored are those the INSERT stores. Columns left out take their
server default, as they would in the INSERT; a table with a Python-side default on a column
left out (which only the INSERT would apply) takes the INSERT.

`Writer` does the same, but on PostgreSQL the end of each COPY (the server storing the last
rows and running its foreign-key checks, about half its work) is waited for in a thread while
this one builds the next rows.
"""
from __future__ import annotations

import threading
from operator import itemgetter
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) into `table` in the session's transaction."""
    copying = _start(session, table, rows)
    if copying is not None:
        copying.end()


class _Copying:
    """A COPY whose rows are all sent: `end` waits for the server to store them and check them."""

    def __init__(self, cursor: Any, copy: Any) -> None:
        self.cursor, self.copy = cursor, copy

    def end(self, error: BaseException | None = None) -> None:
        """`error`: the rows could not all be sent; the COPY ends with it (the server refuses it)."""
        try:
            self.copy.__exit__(type(error) if error else None, error, error.__traceback__ if error else None)
        finally:
            self.cursor.close()


def _start(session: Session, table: Table, rows: list[dict[str, Any]]) -> _Copying | None:
    """Insert `rows`; on PostgreSQL, a COPY with every row sent and its end still to wait for."""
    if not rows:
        return None
    connection = session.connection()
    dialect = connection.dialect
    keys = list(rows[0])
    copy = dialect.name == "postgresql" and dialect.driver == "psycopg"
    if not (copy or dialect.name == "sqlite") or not _copyable(table, keys, rows):
        session.execute(insert(table), rows)
        return None
    processors = [table.c[key].type._cached_bind_processor(dialect) for key in keys]
    quote = dialect.identifier_preparer.quote
    if not copy:  # SQLite: the INSERT's own executemany, without compiling parameters per row
        _executemany(connection, f"INSERT INTO {quote(table.name)} "
                     f"({', '.join(quote(table.c[key].name) for key in keys)}) "
                     f"VALUES ({', '.join('?' * len(keys))})", keys, processors, rows)
        return None
    command = f"COPY {quote(table.name)} ({', '.join(quote(table.c[key].name) for key in keys)}) FROM STDIN"
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        copying = _Copying(cursor, cursor.copy(command))
        writing = copying.copy.__enter__()
    except BaseException:
        cursor.close()
        raise
    try:
        for values in _parameters(keys, processors, rows):  # None too goes through (JSON null)
            writing.write_row(values)
    except BaseException as err:
        copying.end(err)
        raise
    return copying


class Writer:
    """`insert_rows` for a run of inserts into one session, each COPY's end waited for in a
    thread on PostgreSQL, so the server stores and checks one batch while this thread builds
    the next. Until the writer is left (or `wait`ed for) nothing else may use the session's
    connection; leaving it waits for the last COPY and raises its error, if any.

        with Writer(session) as writer:
            for rows in batches:
                writer.insert(table, rows)
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._ending: threading.Thread | None = None
        self._error: BaseException | None = None

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Insert `rows` into `table` once the previous insert has ended."""
        self.wait()
        copying = _start(self.session, table, rows)
        if copying is not None:
            self._ending = threading.Thread(target=self._end, args=(copying,), name="copy-end", daemon=True)
            self._ending.start()

    def _end(self, copying: _Copying) -> None:
        try:
            copying.end()
        except BaseException as err:  # noqa: BLE001 - raised in the writer's thread by `wait`
            self._error = err

    def wait(self) -> None:
        """Wait for the last insert to end; raise its error (the transaction is then failed)."""
        ending, self._ending = self._ending, None
        if ending is not None:
            ending.join()
        error, self._error = self._error, None
        if error is not None:
            raise error

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if kind is None:
            self.wait()
            return
        try:  # leaving on another error: the connection is free again, that error goes on
            self.wait()
        except Exception:  # noqa: BLE001, S110 - the error leaving already fails the transaction
            pass


def _executemany(connection: Any, statement: str, keys: list[str], processors: list, rows: list[dict]) -> None:
    """Run `statement` (qmark parameters) once per row, as one `executemany` of the connection
    (its statement events fire as for any statement)."""
    connection.exec_driver_sql(statement, _parameters(keys, processors, rows))


def _parameters(keys: list[str], processors: list, rows: list[dict]) -> list[tuple]:
    """Each row's values in `keys` order, through the processors that are not None (most
    columns, numbers and text, have none: they are taken as they are)."""
    take = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
    processed = [(i, process) for i, process in enumerate(processors) if process is not None]
    if not processed:
        return [take(row) for row in rows]
    # The last value each column processed and what it gave: rows built together share objects
    # (one `now` for every row's times, one None), and a processor (a time's text, JSON) costs
    # more than the identity check that spares it. Processors are pure: one object, one result.
    last: list[tuple[Any, Any]] = [(_NOTHING, None)] * len(processed)
    out = []
    for row in rows:
        values = list(take(row))
        for j, (i, process) in enumerate(processed):
            value = values[i]
            seen, result = last[j]
            if value is not seen:
                result = process(value)
                last[j] = (value, result)
            values[i] = result
        out.append(tuple(values))
    return out


_NOTHING = object()  # no value seen yet


def _copyable(table: Table, keys: list[str], rows: list[dict[str, Any]]) -> bool:
    """Whether COPY stores what the INSERT would: every row names the same columns, and no
    column left out has a default only SQLAlchemy would apply."""
    named = set(keys)
    if any(len(row) != len(named) or not named.issuperset(row) for row in rows):
        return False
    return all(column.default is None and column.onupdate is None for column in table.c
               if column.name not in named and not (column.primary_key and column.autoincrement))

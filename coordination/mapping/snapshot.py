"""The map's point tables stored in the database, so no process builds one from every point.

Building the public point table reads every shown point (2-3 s at 100k initiatives). Whoever
builds a table whole stores it here (`store`) with the data marker it was built at; a process
without the table in memory (a new worker, or one whose table expired) loads it (`load`, a few
ms for 100k points) and `table.current_points` replays the change log since that marker, as
it does for its own tables. A table that has caught up on many changes since its snapshot is
stored again, so the replay stays short.

The payload is the table's raw columns, in grid order with their grid codes (`points`), so
loading it is `numpy.frombuffer` and the per-zoom index sorts nothing; identifiers are kept
as 32-bit integers when they fit. On psycopg it is fetched in binary (no hex to decode), and
the column is stored uncompressed (`MapSnapshot`: STORAGE EXTERNAL), so a new process loads
100k points in a few ms.

Organisations' own tables are small and not stored. A snapshot never decides what a reader
sees: it holds the same rows `table.load_points` returns, and the catch-up and rebuild rules
are the in-memory table's. Storing is best effort, in a transaction of its own: a read never
fails because a snapshot could not be written. Only PostgreSQL stores (see `store`).
"""
from __future__ import annotations

import json
import logging
import time
from datetime import datetime

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..models import MapSnapshot, utcnow

log = logging.getLogger(__name__)
STORED = {("public",): "public", ("all",): "all"}  # audiences whose tables are stored
FORMAT = b"points/2"  # a stored table starts with this; any other is ignored (and rebuilt)
_COLUMNS = (("initiative_id", np.int64), ("organisation_id", np.int64), ("lat", np.float64),
            ("lon", np.float64), ("colour", np.int32), ("approximate", np.bool_), ("code", np.int64))
_NARROW = {"initiative_id": np.int32, "organisation_id": np.int32, "colour": np.int16}  # when the values fit


def encode(table) -> bytes:
    """The table (in grid order) as bytes: a JSON header (row count, palette, column types),
    then each column's raw values."""
    table = table.grid_sorted()
    columns, types = [], []
    for name, dtype in _COLUMNS:
        values = getattr(table, name)
        narrow = _NARROW.get(name)
        if narrow is not None and (not len(values) or (values.min() >= np.iinfo(narrow).min
                                                       and values.max() <= np.iinfo(narrow).max)):
            dtype = narrow
        columns.append(np.ascontiguousarray(values, dtype).tobytes())
        types.append(np.dtype(dtype).str)
    header = json.dumps({"rows": len(table), "palette": list(table.palette), "types": types}).encode()
    return b"".join([FORMAT, len(header).to_bytes(4, "little"), header, *columns])


def decode(blob: bytes):
    """The table `encode` stored (floats, flags and codes are read-only views of the bytes,
    narrowed integers are widened), or None for bytes of another format."""
    from .points import PointTable

    if not blob.startswith(FORMAT):
        return None
    start = len(FORMAT) + 4
    size = int.from_bytes(blob[len(FORMAT):start], "little")
    header = json.loads(blob[start:start + size])
    rows, offset, columns = header["rows"], start + size, []
    for (_name, dtype), stored in zip(_COLUMNS, header["types"], strict=True):
        column = np.frombuffer(blob, np.dtype(stored), rows, offset)
        offset += column.nbytes
        columns.append(column if column.dtype == dtype else column.astype(dtype))
    *values, code = columns
    return PointTable(*values, tuple(header["palette"]), code)


def _row(session: Session, name: str):
    """(change id, change time, newest initiative, built at, payload) of a stored snapshot, or None."""
    stmt = select(MapSnapshot.change_id, MapSnapshot.change_at, MapSnapshot.newest_initiative,
                  MapSnapshot.built_at, MapSnapshot.payload).where(MapSnapshot.audience == name)
    connection = session.connection()
    if connection.dialect.driver != "psycopg":
        return session.execute(stmt).first()
    # psycopg: in binary, on the session's connection and transaction (text bytea is hex, 2x to decode)
    dialect = connection.dialect
    compiled = stmt.compile(dialect=dialect)
    with connection.connection.dbapi_connection.cursor(binary=True) as cursor:
        cursor.execute(str(compiled), compiled.params)
        row = cursor.fetchone()
    if row is None:
        return None
    processors = [column.type.result_processor(dialect, None) for column in stmt.selected_columns]
    return tuple(value if process is None else process(value) for process, value in zip(processors, row, strict=True))


def load(session: Session, audience: tuple):
    """(table, marker, age in seconds) of the audience's stored snapshot, or None."""
    name = STORED.get(audience)
    if name is None:
        return None
    row = _row(session, name)
    if row is None:
        return None
    change_id, change_at, newest, built_at, payload = row
    table = decode(bytes(payload))
    if table is None:
        return None
    age = max(0.0, (utcnow() - built_at).total_seconds())
    return table, (change_id, change_at, newest), age


def store(session: Session, audience: tuple, table, marker: tuple, built_at: float) -> None:
    """Store the audience's table at `marker` (built `built_at`, monotonic clock), replacing the last."""
    name = STORED.get(audience)
    bind = session.get_bind()
    if name is None or bind.dialect.name == "sqlite":
        # SQLite: a write committed by another connection while a reader's transaction is
        # open makes that transaction's later write fail at once (SQLITE_BUSY_SNAPSHOT), so a
        # read never stores; a single-host SQLite deployment builds the table per process.
        return
    change_id, change_at, newest = marker
    built = datetime.fromtimestamp(time.time() - (time.monotonic() - built_at), tz=utcnow().tzinfo)
    try:
        with bind.connect() as connection, connection.begin():
            connection.execute(delete(MapSnapshot).where(MapSnapshot.audience == name))
            connection.execute(insert(MapSnapshot).values(
                audience=name, change_id=change_id or 0, change_at=change_at,
                newest_initiative=newest or 0, built_at=built, payload=encode(table)))
    except SQLAlchemyError as error:  # best effort: the next build stores it
        log.warning("map snapshot for %s not stored: %s", name, error)

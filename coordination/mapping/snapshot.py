"""The map's point tables stored in the database, so no process builds one from every point.

Building the public point table reads every shown point (2-3 s at 100k initiatives). Whoever
builds a table whole stores it here (`store`) with the data marker it was built at; a process
without the table in memory (a new worker, or one whose table expired) loads it (`load`, a few
ms for 100k points) and `table.current_points` replays the change log since that marker, as
it does for its own tables. A table that has caught up on many changes since its snapshot is
stored again, so the replay stays short.

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
FORMAT = b"points/1"  # a stored table starts with this; any other is ignored (and rebuilt)
_COLUMNS = (("initiative_id", np.int64), ("organisation_id", np.int64), ("lat", np.float64),
            ("lon", np.float64), ("colour", np.int32), ("approximate", np.bool_))


def encode(table) -> bytes:
    """The table as bytes: a JSON header (row count, palette), then each column's raw values."""
    header = json.dumps({"rows": len(table), "palette": list(table.palette)}).encode()
    columns = [np.ascontiguousarray(getattr(table, name), dtype).tobytes() for name, dtype in _COLUMNS]
    return b"".join([FORMAT, len(header).to_bytes(4, "little"), header, *columns])


def decode(blob: bytes):
    """The table `encode` stored (the columns are read-only views of the bytes: no copy), or
    None for bytes of another format."""
    from .table import PointTable

    if not blob.startswith(FORMAT):
        return None
    start = len(FORMAT) + 4
    size = int.from_bytes(blob[len(FORMAT):start], "little")
    header = json.loads(blob[start:start + size])
    rows, offset, columns = header["rows"], start + size, []
    for _name, dtype in _COLUMNS:
        column = np.frombuffer(blob, dtype, rows, offset)
        columns.append(column)
        offset += column.nbytes
    return PointTable(*columns, tuple(header["palette"]))


def load(session: Session, audience: tuple):
    """(table, marker, age in seconds) of the audience's stored snapshot, or None."""
    name = STORED.get(audience)
    if name is None:
        return None
    row = session.execute(select(MapSnapshot).where(MapSnapshot.audience == name)).scalar_one_or_none()
    if row is None:
        return None
    table = decode(row.payload)
    if table is None:
        return None
    age = max(0.0, (utcnow() - row.built_at).total_seconds())
    return table, (row.change_id, row.change_at, row.newest_initiative), age


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

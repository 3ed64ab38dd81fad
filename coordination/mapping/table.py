"""The map's point tables, cached per database and audience and kept in step with the change log.

Reading 100k points through the ORM and clustering them as Python objects took seconds per
world view. Instead each process keeps, per database and audience (`mapping.audience`), one
table of columns (`points.PointTable`: initiative, organisation, lat, lon, colour,
approximate) holding the points *as that audience may see them* — sensitive work already
moved to its area's centroid, exactly as `read.map_points` does. A viewport is then a few
numpy masks over the table, and the clustering runs on the columns.

Keeping in step (as `services.overlap_index` does for the overlap index): before use the
table replays the change log (`Change.id` is monotonic) and reloads only the initiatives
written since. It is rebuilt whole when the log does not explain what changed (the newest
initiative id moved without a logged change, or the database was restored or reset), when
more than `CATCH_UP_MAX` initiatives changed, and at the latest every `TABLE_TTL` seconds.
The public and "all" tables are stored in the database (`mapping.snapshot`) whenever one is
built whole: a process without the table (new, or its table expired) starts from the stored
one and replays the change log since, so the whole build happens once per deployment and hour,
not once per process.
Filters (goal, tag, organisation, year...) are not cached in the table: they run in SQL
as everywhere else and select rows of it by initiative id (cached per data marker).
A city view (`SMALL_BBOX_DEG`) asked before any table is cached reads its points directly
(`read.map_points`, through the lat/lon index) instead of waiting for a table build.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Change, Initiative
from ..permissions import Actor
from ..queries import InitiativeFilter, filtered
from . import snapshot
from .answers import ANSWERS, MATCHES, AnswerCache
from .audience import ALL, PUBLIC, Audience, audience_of, load_points, reader_of
from .points import EMPTY, PointTable
from .read import WORLD, map_points

TABLE_TTL = 3600.0  # seconds: a rebuild at least this often catches writes that bypass the change log
CATCH_UP_MAX = 5000  # more changed initiatives than this: rebuild instead of patching
MAX_TABLES = 16  # the public and "all" tables plus the most recently used organisations' tables
RESTORE_AFTER = 100  # initiatives replayed since the stored snapshot before it is stored again (a new process replays at most this many: ~10-40 ms)


@dataclass
class _Entry:
    table: PointTable
    marker: tuple[int, object, int]  # (last change id, its time, newest initiative id)
    built_at: float
    generation: int = field(default=0)
    replayed: int = 0  # initiatives reloaded from the change log since it was built or stored


_tables: OrderedDict[tuple[str, Audience], _Entry] = OrderedDict()
_lock = threading.RLock()
_generation = iter(range(1, 1 << 62))


def database_key(session: Session) -> str:
    """Which database a session talks to (caches are per database)."""
    return session.get_bind().url.render_as_string(hide_password=True)


def data_marker(session: Session) -> tuple[int, object, int]:
    """(newest change id, its time, newest initiative id): moves with every write to the data."""
    newest_initiative = select(func.max(Initiative.id)).scalar_subquery()
    row = session.execute(select(Change.id, Change.at, newest_initiative)  # one round trip per view
                          .order_by(Change.id.desc()).limit(1)).first()
    if row is None:  # no logged change yet
        return 0, None, session.scalar(select(func.max(Initiative.id))) or 0
    return row[0], row[1], row[2] or 0


def _catch_up(session: Session, audience: Audience, entry: _Entry, marker: tuple[int, object, int]) -> bool:
    """Reload the initiatives changed since the entry's marker; False when a rebuild is needed."""
    last, last_at, newest = entry.marker
    if not last:
        return False  # built before any logged change: the log cannot say what changed since
    if session.scalar(select(Change.at).where(Change.id == last)) != last_at:
        return False  # the database was restored or reset under us
    changed = list(session.scalars(select(Change.entity_id).distinct().where(
        Change.id > last, Change.entity_type == "initiative")))
    if len(changed) > CATCH_UP_MAX:
        return False
    if marker[2] != newest and (not changed or max(changed) < marker[2]):
        return False  # initiatives appeared without a logged change (bulk load): rebuild
    if changed:
        ids = np.asarray(changed, np.int64)
        entry.table = PointTable.concat([entry.table.of_initiatives(ids, keep=False),
                                         load_points(session, audience, changed)])
        entry.generation = next(_generation)
        entry.replayed += len(changed)
    entry.marker = marker
    return True


def current_points(session: Session, audience: Audience,
                   marker: tuple[int, object, int] | None = None) -> tuple[PointTable, int]:
    """The audience's point table for this session's database, caught up; and its generation number.

    `marker` is `data_marker(session)` when the caller has just read it.
    """
    key = (database_key(session), audience)
    marker = marker or data_marker(session)  # read before the rows: a write in between is replayed next time
    with _lock:
        entry = _tables.get(key)
        if entry is None or _expired(entry):
            entry = _stored_entry(session, audience) or entry  # what another process built
        if entry is not None and not _expired(entry) and (
                entry.marker == marker or _catch_up(session, audience, entry, marker)):
            _keep(key, entry)
            if entry.replayed > RESTORE_AFTER:  # keep the stored snapshot's replay short
                snapshot.store(session, audience, entry.table, entry.marker, entry.built_at)
                entry.replayed = 0
            return entry.table, entry.generation
        entry = _Entry(load_points(session, audience), marker, time.monotonic(), next(_generation))
        _keep(key, entry)
        snapshot.store(session, audience, entry.table, marker, entry.built_at)
        return entry.table, entry.generation


def _expired(entry: _Entry) -> bool:
    return time.monotonic() - entry.built_at >= TABLE_TTL


def _keep(key: tuple, entry: _Entry) -> None:
    """Hold `entry` as the most recently used table (caller holds `_lock`)."""
    _tables[key] = entry
    _tables.move_to_end(key)
    while len(_tables) > MAX_TABLES:
        _tables.popitem(last=False)


def _stored_entry(session: Session, audience: Audience) -> _Entry | None:
    """The audience's table as stored in the database (`mapping.snapshot`), if any and not expired."""
    stored = snapshot.load(session, audience)
    if stored is None or stored[2] >= TABLE_TTL:
        return None
    table, marker, age = stored
    return _Entry(table, marker, time.monotonic() - age, next(_generation))


def forget_all() -> None:
    """Drop every cached table and answer (tests, or after a restore in this process)."""
    with _lock:
        _tables.clear()
    ANSWERS.clear()
    MATCHES.clear()


def matching_ids(session: Session, actor: Actor, f: InitiativeFilter,
                 marker: tuple[int, object, int] | None = None) -> np.ndarray:
    """Sorted ids of the initiatives the actor may see that match the filter (cached per data marker)."""
    key = (database_key(session), marker or data_marker(session), reader_of(actor), repr(f))
    ids = MATCHES.get(key)
    if ids is None:
        rows = session.scalars(filtered(session, actor, f).with_only_columns(Initiative.id).order_by(None))
        ids = np.sort(np.fromiter(rows, np.int64))
        MATCHES.put(key, ids)
    return ids  # type: ignore[return-value]


SMALL_BBOX_DEG = 2.0  # a viewport at most this wide and high (degrees) is a city or district view


def _small(bbox: tuple[float, float, float, float]) -> bool:
    min_lon, min_lat, max_lon, max_lat = bbox
    return 0 <= max_lon - min_lon <= SMALL_BBOX_DEG and max_lat - min_lat <= SMALL_BBOX_DEG


def _has_table(session: Session, audience: Audience) -> bool:
    """Whether a table for the audience is cached and not expired (it may still need catching up)."""
    entry = _tables.get((database_key(session), audience))
    return entry is not None and time.monotonic() - entry.built_at < TABLE_TTL


def view_points(session: Session, actor: Actor, f: InitiativeFilter,
                bbox: tuple[float, float, float, float] = WORLD,
                marker: tuple[int, object, int] | None = None) -> PointTable:
    """The points the actor sees for a filter and viewport, from the cached tables.

    Equal to `read.map_points` (same points, same coarsening, the viewport tested on the
    shown point), in table form.
    """
    marker = marker or data_marker(session)
    if _small(bbox) and not _has_table(session, audience_of(actor)):
        # A city view before any wide view built the table: the bbox index answers it faster
        # than building the table would; the first world or country view builds it.
        return PointTable.from_points(map_points(session, actor, f, bbox))
    table, _ = current_points(session, audience_of(actor), marker)
    if actor.organisation_id is not None and not actor.reads_everything:
        own, _ = current_points(session, ("org", actor.organisation_id), marker)
        table = PointTable.concat([table.take(table.organisation_id != actor.organisation_id), own])
    if f != InitiativeFilter():
        table = table.of_initiatives(matching_ids(session, actor, f, marker))
    return table.in_bbox(bbox)




def answer_key(session: Session, actor: Actor, f: InitiativeFilter, *parts: Hashable,
               marker: tuple[int, object, int] | None = None) -> tuple:
    """A cache key for an answer: database, data marker (every logged write moves it), reader, filter, view."""
    return (database_key(session), marker or data_marker(session), reader_of(actor), repr(f), *parts)


__all__ = [
    "ALL",
    "ANSWERS",
    "EMPTY",
    "MATCHES",
    "PUBLIC",
    "AnswerCache",
    "Audience",
    "PointTable",
    "answer_key",
    "audience_of",
    "current_points",
    "data_marker",
    "forget_all",
    "load_points",
    "matching_ids",
    "reader_of",
    "view_points",
]

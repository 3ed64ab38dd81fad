"""The process-wide overlap index, kept in step with the database.

Each process (a gunicorn worker, the CLI) holds one `OverlapIndex` per database. Before
use it catches up with writes made by other processes by replaying the change log
(`Change.id` is monotonic), so the index never needs a shared server. If a unit of work
that touched the index rolls back, it drops the index (`forget`): the next use rebuilds it.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..convergence import OverlapConfig, OverlapIndex
from ..models import Change, Initiative
from .stored_records import live_records

CONFIG = OverlapConfig()


@dataclass
class _State:
    index: OverlapIndex
    last_change: int
    last_change_at: object = None  # the row's timestamp: detects a database restored or reset


def _marker(session: Session) -> tuple[int, object]:
    row = session.execute(select(Change.id, Change.at).order_by(Change.id.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (0, None)


def _still_valid(session: Session, state: _State) -> bool:
    if state.last_change == 0:
        return True
    at = session.scalar(select(Change.at).where(Change.id == state.last_change))
    return at == state.last_change_at


_states: dict[str, _State] = {}
_lock = threading.RLock()


def _key(session: Session) -> str:
    return session.get_bind().url.render_as_string(hide_password=True)


def build_index(session: Session) -> _State:
    """A fresh index of every live initiative."""
    last_change, at = _marker(session)
    index = OverlapIndex(CONFIG)
    index.add_many(list(live_records(session)))
    return _State(index, last_change, at)


def current_index(session: Session, own: int | None = None) -> OverlapIndex:
    """The index for this session's database, caught up with the change log.

    `own`: an initiative the caller puts in (or takes out of) the index itself, from its
    session (its own write): its change-log rows are not loaded again.
    """
    key = _key(session)
    with _lock:
        state = _states.get(key)
        if state is not None and not _still_valid(session, state):
            state = None
        if state is None:
            state = _states[key] = build_index(session)
            return state.index
        rows = session.execute(select(Change.id, Change.entity_id).where(
            Change.id > state.last_change, Change.entity_type == "initiative").order_by(Change.id)).all()
        if rows:
            ids = {entity_id for _, entity_id in rows if entity_id != own}
            live = {r.id: r for r in live_records(session, ids=ids)} if ids else {}
            for initiative_id in ids:
                if initiative_id not in live and initiative_id in state.index:
                    state.index.remove(initiative_id)
            state.index.add_few([live[i] for i in sorted(ids) if i in live])
            state.last_change, state.last_change_at = _marker(session)
        return state.index


def change_marker(session: Session) -> tuple[int, object]:
    """The newest change-log entry (id, time): where an index built now is caught up to."""
    return _marker(session)


def replace_index(session: Session, index: OverlapIndex, marker: tuple[int, object] | None = None) -> None:
    """Install a freshly built index (after a batch recomputation), caught up to `marker`.

    Pass the marker read inside the recomputation's transaction: reading it afterwards would
    open a new transaction (on SQLite, take the write lock) that nobody closes.
    """
    last_change, at = marker if marker is not None else _marker(session)
    with _lock:
        _states[_key(session)] = _State(index, last_change, at)


def forget(session_or_key) -> None:
    """Drop a cached index; the next use rebuilds it."""
    key = session_or_key if isinstance(session_or_key, str) else _key(session_or_key)
    with _lock:
        _states.pop(key, None)


__all__ = ["CONFIG", "Initiative", "build_index", "change_marker", "current_index", "forget", "replace_index"]

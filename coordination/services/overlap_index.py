"""The process-wide overlap index, kept in step with the database.

Each process (a gunicorn worker, the CLI) holds one `OverlapIndex` per database. Before
use it catches up with writes made by other processes by replaying the change log
(`Change.id` is monotonic), so the index never needs a shared server. If a unit of work
that touched the index rolls back, it drops the index (`forget`): the next use rebuilds it.

A process without an index starts from the database's snapshot on disk when there is a
valid one (`index_snapshots`; `configure_snapshots`, done by the app for its database) and
replays the change log from there; one that builds an index of `SnapshotSettings.minimum`
initiatives or more writes it as the snapshot, and so does one that replayed a tenth of its
index or more on top of a snapshot. Only an index no write has touched is written: one just
built or replayed, before this process uses it.
"""
from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..convergence import OverlapConfig, OverlapIndex
from ..convergence.features import FeatureTable
from ..convergence.text_model import TextModel
from ..errors import ValidationError
from ..models import Change, Initiative
from ..records import InitiativeRecord
from . import index_snapshots
from .index_snapshots import Snapshot, SnapshotSettings
from .stored_records import live_records

CONFIG = OverlapConfig()


def text_model() -> TextModel:
    """The text model the process's index featurises with (`OverlapIndex(CONFIG)`'s)."""
    return TextModel.reference(CONFIG.hash_bits, CONFIG.char_ngram)


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
_snapshots: dict[str, SnapshotSettings] = {}  # database -> where its snapshots go
_lock = threading.RLock()
REFRESH_SHARE = 10  # a snapshot is written again once a tenth of the index was replayed on it


def configure_snapshots(database: str, settings: SnapshotSettings | None) -> None:
    """Keep the overlap index of `database` (a URL, password hidden) on disk as `settings` say
    (None: not at all). The app does this for its own database (OVERLAP_INDEX_SNAPSHOTS, _FROM)."""
    with _lock:
        if settings is None:
            _snapshots.pop(database, None)
        else:
            _snapshots[database] = settings


def _key(session: Session) -> str:
    return session.get_bind().url.render_as_string(hide_password=True)


def is_built(session: Session) -> bool:
    """Whether this process holds an index of this session's database (still valid): when it
    does not, the next `current_index` reads every stored initiative."""
    with _lock:
        state = _states.get(_key(session))
        return state is not None and _still_valid(session, state)


def snapshot_on_disk(session: Session) -> bool:
    """Whether a snapshot of this database by this code is on disk, for a process without an
    index to read instead of every stored initiative (`index_snapshots.present`: its header;
    the rest is checked when it is read)."""
    key = _key(session)
    settings = _snapshots.get(key)
    return settings is not None and index_snapshots.present(settings, key, CONFIG)


def live_count(session: Session) -> int:
    """How many initiatives are live (not withdrawn): what an index built now would read."""
    return session.scalar(select(func.count(Initiative.id)).where(Initiative.withdrawn_at.is_(None))) or 0


def build_index(session: Session, leave_out: Collection[int] = ()) -> _State:
    """A fresh index of every live initiative (but those in `leave_out`)."""
    last_change, at = _marker_before(session, frozenset(leave_out))
    index = OverlapIndex(CONFIG)
    index.add_many(list(live_records(session, skip=leave_out)))  # a write's own rows left out
    return _State(index, last_change, at)


def current_index(session: Session, own: int | Collection[int] | None = None, *,
                  own_are_new: bool = False) -> OverlapIndex:
    """The index for this session's database, caught up with the change log.

    `own`: an initiative (or several) the caller puts in (or takes out of) the index itself,
    from its session (its own write): their change-log rows are not loaded again, and an index
    built now leaves them out. `own_are_new`: they are new initiatives, not yet committed (an
    import's). Without `own` the caller's transaction has written no initiative.
    """
    key = _key(session)
    mine = frozenset() if own is None else frozenset([own]) if isinstance(own, int) else frozenset(own)
    # Whether an index made now holds exactly what is committed (what a snapshot must hold): not
    # when it leaves out initiatives that may be stored already (edited ones).
    committed = own is None or own_are_new
    with _lock:
        state = _states.get(key)
        if state is not None and not _still_valid(session, state):
            state = None
        if state is None:
            state = _from_snapshot(session, key)
            if state is None:
                state = build_index(session, leave_out=mine)
                if committed:
                    _save_snapshot(key, state, built=True)
                _states[key] = state
                return state.index
            replayed = _catch_up(session, state, own, mine)
            if committed and replayed * REFRESH_SHARE >= max(len(state.index), 1):
                _save_snapshot(key, state)
            _states[key] = state
            return state.index
        _catch_up(session, state, own, mine)
        return state.index


def _catch_up(session: Session, state: _State, own: int | Collection[int] | None, mine: frozenset[int]) -> int:
    """Replay the change log's initiative entries after the state's place (but `mine`'s) into
    its index; the number of initiatives replayed."""
    rows = session.execute(select(Change.id, Change.entity_id, Change.at).where(
        Change.id > state.last_change, Change.entity_type == "initiative").order_by(Change.id)).all()
    if not rows:
        return 0
    ids = {entity_id for _, entity_id, _ in rows if entity_id not in mine}
    live = {r.id: r for r in live_records(session, ids=ids)} if ids else {}
    for initiative_id in ids:
        if initiative_id not in live and initiative_id in state.index:
            state.index.remove(initiative_id)
    state.index.add_few([live[i] for i in sorted(ids) if i in live])
    if own is None or isinstance(own, int):
        state.last_change, state.last_change_at = _marker(session)
    else:  # a bulk write's own entries are not passed: see `_marker_before`
        others = [(i, at) for i, entity_id, at in rows if entity_id not in mine]
        if others:
            state.last_change, state.last_change_at = others[-1]
    return len(ids)


def _from_snapshot(session: Session, key: str) -> _State | None:
    """The database's snapshot as a state to catch up from, when it has a valid one."""
    settings = _snapshots.get(key)
    if settings is None:
        return None
    snapshot = index_snapshots.load(settings, key, CONFIG, text_model())
    if snapshot is None:
        return None
    state = _State(snapshot.index, snapshot.last_change, snapshot.last_change_at)
    # An empty change log names no entry: nothing would tell this database from another.
    return state if state.last_change and _still_valid(session, state) else None


def write_snapshot(session: Session) -> tuple[Path, int]:
    """Build the index of every live initiative and write it as the database's snapshot now,
    whatever its size (`coordination index-snapshot`: after an upgrade, before the workers'
    first writes); (the file, initiatives in it). The session must hold no uncommitted write."""
    key = _key(session)
    settings = _snapshots.get(key)
    if settings is None:
        raise ValidationError("Index snapshots are off for this database.",
                              {"OVERLAP_INDEX_SNAPSHOTS": ["set it to a folder to keep them"]})
    state = build_index(session)
    if not state.last_change:
        raise ValidationError("The change log is empty: a snapshot could not tell this database from another.",
                              {"change": ["no entry yet"]})
    path = index_snapshots.save(settings, key, Snapshot(state.index, state.last_change, state.last_change_at), CONFIG)
    if path is None:
        raise ValidationError("The snapshot could not be written (see the log).",
                              {"OVERLAP_INDEX_SNAPSHOTS": [str(settings.folder)]})
    return path, len(state.index)


def _save_snapshot(key: str, state: _State, built: bool = False) -> None:
    """Write the state as the database's snapshot: a built one from the size that pays, a
    caught-up one whatever its size (it replaced a snapshot already)."""
    settings = _snapshots.get(key)
    if settings is None or not state.last_change or (built and len(state.index) < settings.minimum):
        return
    if state.index.model is not text_model():  # a fitted model is not what a loader would give it
        return
    index_snapshots.save_aside(settings, key, Snapshot(state.index, state.last_change, state.last_change_at), CONFIG)


def _marker_before(session: Session, own: frozenset[int]) -> tuple[int, object]:
    """The newest initiative change-log entry that is not one of `own`'s (a bulk write's, not
    committed yet; the write's other entries are not initiatives'): an index caught up to it
    replays `own`'s entries if they are committed before the writer adds them itself
    (`add_committed`), and is still valid if they are rolled back."""
    if not own:
        return _marker(session)
    below = None
    while True:  # newest first, a page at a time: the write's own entries are the newest
        stmt = select(Change.id, Change.at, Change.entity_id).where(Change.entity_type == "initiative")
        if below is not None:
            stmt = stmt.where(Change.id < below)
        page = session.execute(stmt.order_by(Change.id.desc()).limit(2000)).all()
        for change_id, at, entity in page:
            if entity not in own:
                return change_id, at
        if len(page) < 2000:
            return 0, None
        below = page[-1][0]


def change_marker(session: Session) -> tuple[int, object]:
    """The newest change-log entry (id, time): where an index built now is caught up to."""
    return _marker(session)


def replace_index(session: Session, index: OverlapIndex, marker: tuple[int, object] | None = None) -> None:
    """Install a freshly built index (after a batch recomputation), caught up to `marker`.

    Pass the marker read inside the recomputation's transaction: reading it afterwards would
    open a new transaction (on SQLite, take the write lock) that nobody closes.
    """
    last_change, at = marker if marker is not None else _marker(session)
    state = _State(index, last_change, at)
    with _lock:
        key = _key(session)
        _save_snapshot(key, state, built=True)  # committed, and nobody else holds it yet
        _states[key] = state


def add_committed(session: Session, index: OverlapIndex, records: list[InitiativeRecord],
                  table: FeatureTable, marker: tuple[int, object]) -> None:
    """Put committed new initiatives into `index` (their feature `table` already built), now
    caught up to `marker` (read in their transaction, after their writes). Nothing happens when
    the process's index is no longer `index` (dropped or rebuilt meanwhile: it catches up
    from the change log by itself)."""
    with _lock:
        state = _states.get(_key(session))
        if state is None or state.index is not index:
            return
        index.add_many(records, table)
        if marker[0] > state.last_change:
            state.last_change, state.last_change_at = marker


def forget(session_or_key) -> None:
    """Drop a cached index; the next use rebuilds it."""
    key = session_or_key if isinstance(session_or_key, str) else _key(session_or_key)
    with _lock:
        _states.pop(key, None)


__all__ = ["CONFIG", "Initiative", "add_committed", "build_index", "change_marker", "configure_snapshots",
           "current_index", "forget", "is_built", "live_count", "replace_index", "snapshot_on_disk",
           "write_snapshot"]

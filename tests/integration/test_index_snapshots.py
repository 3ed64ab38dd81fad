"""A process without an overlap index starts from the database's snapshot on disk, and ends up
with the index a build from every stored initiative gives; a snapshot it must not trust is
never used (`coordination.services.index_snapshots`).

"A new process" is this one after `overlap_index.forget`: it holds no index, as a CLI command
or a restarted worker does. Each test runs on SQLite and on PostgreSQL, with snapshots kept
from one initiative on (the app's OVERLAP_INDEX_SNAPSHOT_FROM), in the test's instance folder.
"""
from __future__ import annotations

import gc
import os
import stat
import weakref
from dataclasses import replace
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from api.extensions import db
from coordination.models import Initiative
from coordination.permissions import SYSTEM
from coordination.services import index_snapshots, overlap_index
from coordination.services.imports import import_records
from coordination.services.initiatives import update_initiative, withdraw_initiative
from coordination.services.stored_records import live_records
from coordination.unit_of_work import UnitOfWork

from ..conftest import _make_app
from ..factories import in_unit_of_work
from .test_bulk_equivalence import _records
from .test_import_into_populated import _copies

REAL = Path(__file__).resolve().parents[1] / "data" / "real" / "iati"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def session(request, tmp_path, monkeypatch):
    monkeypatch.setenv("OVERLAP_INDEX_SNAPSHOT_FROM", "1")
    app = _make_app(request.param, tmp_path, monkeypatch)
    with app.app_context():
        yield db.session
        overlap_index.forget(db.session)
        db.session.remove()
        db.engine.dispose()


def _database(session) -> str:
    return session.get_bind().url.render_as_string(hide_password=True)


def _snapshot_file(session) -> Path:
    """The database's snapshot file, once the writers this process set going are done."""
    index_snapshots.wait_for_writers()
    folder = Path(current_app.config["OVERLAP_INDEX_SNAPSHOTS"])
    return index_snapshots.path_for(folder, _database(session))


class _Builds:
    """Counts the builds from every stored initiative (a snapshot used means none)."""

    def __init__(self, monkeypatch) -> None:
        self.count, self._build = 0, overlap_index.build_index
        monkeypatch.setattr(overlap_index, "build_index", self)

    def __call__(self, *args, **kwargs):
        self.count += 1
        return self._build(*args, **kwargs)


def _assert_as_built(session, index) -> None:
    """`index` holds what a build of every live initiative holds, and answers as it does."""
    fresh = overlap_index.build_index(session).index
    assert sorted(index._records) == sorted(fresh._records) == sorted(
        session.scalars(select(Initiative.id).where(Initiative.withdrawn_at.is_(None))))
    assert all(index._records[i] == fresh._records[i] for i in fresh._records)
    for record in list(live_records(session))[:25]:
        probe = replace(record, id=10**6 + record.id, organisation_id=10**6)
        assert index.find_overlaps(probe) == fresh.find_overlaps(probe)


def _seed(session, count: int = 12) -> list[dict]:
    """`count` real activities stored; then a new process builds its index (and keeps it on disk)."""
    first = _records("iati", REAL / "dportal_117_excerpt.xml")
    in_unit_of_work(session, import_records, first[:count], SYSTEM)
    overlap_index.forget(session)
    overlap_index.current_index(session)
    session.commit()
    index_snapshots.wait_for_writers()
    return first


def test_a_new_process_starts_from_the_snapshot_and_replays_what_came_after(session, monkeypatch):
    first = _seed(session)
    path = _snapshot_file(session)
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    written = path.read_bytes()
    # Meanwhile this process (its index warm) edits, withdraws and imports: none of it is on disk.
    ids = list(session.scalars(select(Initiative.id).order_by(Initiative.id)))
    in_unit_of_work(session, update_initiative, SYSTEM, ids[0], {"title": "Cholera response in the camps",
                                                                 "goals": ["3.3"]})
    in_unit_of_work(session, withdraw_initiative, SYSTEM, ids[1])
    in_unit_of_work(session, import_records, _copies(first, "XM-TEST-91", 6), SYSTEM)
    assert path.read_bytes() == written  # a warm process writes no snapshot

    # Read from the snapshot, then caught up from the change log.
    index = _new_process_index(session, monkeypatch, builds=0)
    assert ids[1] not in index and index._records[ids[0]].title == "Cholera response in the camps"


def test_a_cold_import_starts_from_the_snapshot(session, monkeypatch):
    first = _seed(session)
    overlap_index.forget(session)
    builds = _Builds(monkeypatch)
    report = in_unit_of_work(session, import_records, _copies(first, "XM-TEST-92", 12), SYSTEM)
    assert report.created == 12 and builds.count == 0
    _assert_as_built(session, overlap_index.current_index(session))


def test_a_snapshot_far_behind_is_written_again_once_caught_up(session):
    first = _seed(session, 10)
    path = _snapshot_file(session)
    settings = overlap_index._snapshots[_database(session)]
    before = index_snapshots.load(settings, _database(session), overlap_index.CONFIG, overlap_index.text_model())
    in_unit_of_work(session, import_records, _copies(first, "XM-TEST-93", 10), SYSTEM)  # doubles the index
    overlap_index.forget(session)
    overlap_index.current_index(session)
    session.commit()
    index_snapshots.wait_for_writers()
    after = index_snapshots.load(settings, _database(session), overlap_index.CONFIG, overlap_index.text_model())
    assert len(before.index) == 10 and len(after.index) == 20 and after.last_change > before.last_change
    assert path.exists()


def test_an_index_built_for_an_edit_that_rolls_back_is_not_kept(session, monkeypatch):
    """An edit's index leaves the edited initiative out (it puts it in itself): kept on disk, it
    would lack it for good once the edit rolled back."""
    _seed(session)
    edited = session.scalar(select(func.min(Initiative.id)))  # its "create" entry is the oldest
    overlap_index.forget(session)
    _snapshot_file(session).unlink(missing_ok=True)
    with UnitOfWork(session) as uow:
        update_initiative(uow, SYSTEM, edited, {"title": "Never stored"})
        uow.rollback()
    overlap_index.forget(session)
    index = overlap_index.current_index(session)
    session.commit()
    assert edited in index
    _assert_as_built(session, index)


def _new_process_index(session, monkeypatch, builds: int):
    """The index a new process takes (this one, after `forget`), having built it `builds` times
    (0: read from the snapshot), and answering as a build does."""
    overlap_index.forget(session)
    counted = _Builds(monkeypatch)
    index = overlap_index.current_index(session)
    session.commit()
    assert counted.count == builds
    _assert_as_built(session, index)
    return index


def _refused(session, monkeypatch) -> None:
    """The next new process builds its index (the snapshot is not used), and rightly so."""
    _new_process_index(session, monkeypatch, builds=1)


def test_a_changed_snapshot_is_never_unpickled(session, monkeypatch):
    _seed(session)
    path = _snapshot_file(session)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    unpickled = []
    original = index_snapshots.pickle.load
    monkeypatch.setattr(index_snapshots.pickle, "load", lambda *a, **k: unpickled.append(1) or original(*a, **k))
    _refused(session, monkeypatch)
    assert not unpickled


def test_a_snapshot_signed_with_another_secret_is_not_used(session, monkeypatch):
    _seed(session)
    database = _database(session)
    settings = overlap_index._snapshots[database]
    monkeypatch.setitem(overlap_index._snapshots, database,
                        replace(settings, secret=index_snapshots.signing_key("another deployment")))
    _refused(session, monkeypatch)


def test_a_snapshot_written_by_other_code_is_not_used(session, monkeypatch):
    _seed(session)
    monkeypatch.setattr(index_snapshots, "code_fingerprint", lambda config: "0" * 64)
    _refused(session, monkeypatch)


def test_a_snapshot_of_a_database_since_reset_is_not_used(session, monkeypatch):
    first = _seed(session)
    db.drop_all()
    db.create_all()
    from coordination.services.visions import ensure_sdg_vision

    ensure_sdg_vision(session)
    session.commit()
    # Other initiatives, as many change-log entries: the snapshot's place names another entry now.
    in_unit_of_work(session, import_records, _copies(first, "XM-TEST-94", 12), SYSTEM)
    _refused(session, monkeypatch)


def test_without_a_folder_nothing_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("OVERLAP_INDEX_SNAPSHOT_FROM", "1")
    monkeypatch.setenv("OVERLAP_INDEX_SNAPSHOTS", "")
    app = _make_app("sqlite", tmp_path, monkeypatch)
    with app.app_context():
        _seed(db.session)
        assert _database(db.session) not in overlap_index._snapshots
        overlap_index.forget(db.session)
        db.session.remove()
        db.engine.dispose()
    assert not any(name.startswith("overlap-index") for _, _, names in os.walk(tmp_path) for name in names)


def test_the_code_fingerprint_is_the_code_this_process_loaded(monkeypatch):
    """An upgrade replacing files under a running process must not make its snapshots pass for
    the new code's: the fingerprint reads no file after the process loaded its code."""
    loaded = index_snapshots.code_fingerprint(overlap_index.CONFIG)
    index_snapshots.code_fingerprint.cache_clear()

    def replaced(self):
        raise AssertionError(f"{self} read after the code was loaded")

    monkeypatch.setattr(Path, "read_bytes", replaced)
    assert index_snapshots.code_fingerprint(overlap_index.CONFIG) == loaded


def test_the_command_writes_the_snapshot_new_processes_read(session, monkeypatch):
    """`coordination index-snapshot`, run after an upgrade: the workers' first writes read it."""
    _seed(session)
    path = _snapshot_file(session)
    path.unlink()
    result = current_app.test_cli_runner().invoke(args=["index-snapshot"])
    assert result.exit_code == 0, result.output
    assert f"Wrote the overlap index of 12 initiatives to {path}" in result.output
    _new_process_index(session, monkeypatch, builds=0)


def test_the_command_says_when_snapshots_are_off(session, monkeypatch):
    _seed(session)
    monkeypatch.delitem(overlap_index._snapshots, _database(session))
    result = current_app.test_cli_runner().invoke(args=["index-snapshot"])
    assert result.exit_code == 2
    assert "Index snapshots are off for this database." in result.output


def test_the_import_command_says_whether_it_reads_the_snapshot_or_every_initiative(session, monkeypatch):
    """A command's first import in a process holding no index says what it reads before the
    detection: the snapshot when one of this code is on disk, else every stored initiative."""
    _seed(session)
    stored = session.scalar(select(func.count(Initiative.id)))
    runner = current_app.test_cli_runner()
    overlap_index.forget(session)  # a new process
    builds = _Builds(monkeypatch)
    with_snapshot = runner.invoke(args=["import", "iati", str(REAL / "dportal_128_excerpt.xml")])
    assert with_snapshot.exit_code == 0, with_snapshot.output
    assert builds.count == 0
    assert (f"Reading the index of the {stored:,} stored initiatives from its snapshot (once per process)…"
            in with_snapshot.stderr)
    assert "stored initiatives to compare with" not in with_snapshot.stderr

    stored = session.scalar(select(func.count(Initiative.id)))
    _snapshot_file(session).unlink()
    overlap_index.forget(session)
    without = runner.invoke(args=["import", "iati", str(REAL / "dportal_15_excerpt.xml")])
    assert without.exit_code == 0, without.output
    assert builds.count == 1
    assert f"Reading the {stored:,} stored initiatives to compare with (once per process)…" in without.stderr
    assert "from its snapshot" not in without.stderr


def test_a_read_snapshot_is_set_aside_from_the_collector_and_freed_when_dropped(session):
    """Its objects (hundreds of thousands at 50,000) are out of every collection's walk from
    the moment they are made; and it holds no cycles, so dropping it frees it all the same."""
    _seed(session)
    settings = overlap_index._snapshots[_database(session)]
    gc.collect()
    before = gc.get_freeze_count()
    try:
        snapshot = index_snapshots.load(settings, _database(session), overlap_index.CONFIG, overlap_index.text_model())
        assert snapshot is not None and len(snapshot.index) == 12
        records = list(snapshot.index._records.values())
        assert gc.get_freeze_count() - before >= len(records)
        index = weakref.ref(snapshot.index)
        del snapshot, records
        assert index() is None  # freed by reference counting: no collection can reach frozen objects
    finally:
        gc.unfreeze()


def test_a_snapshot_written_aside_leaves_no_thread_behind_and_its_writer_is_reaped(session):
    """The writer is a forked process that no thread waits for: the process it leaves may fork
    its detection's helpers (only a process with no other thread does), and the writer is
    reaped once done (`wait_for_writers`, or the next snapshot written aside)."""
    import threading

    from coordination.convergence.beside import may_fork

    first = _seed(session)
    in_unit_of_work(session, import_records, _copies(first, "XM-TEST-97", 12), SYSTEM)  # doubles the index
    threads = threading.active_count()
    overlap_index.forget(session)
    overlap_index.current_index(session)  # caught up on the snapshot: written again, aside
    session.commit()
    assert index_snapshots._writers, "a writer must have been forked"
    assert threading.active_count() == threads and (threads > 1 or may_fork())
    writers = list(index_snapshots._writers)
    index_snapshots.wait_for_writers()
    assert not index_snapshots._writers
    for pid in writers:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped already

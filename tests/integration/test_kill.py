"""A worker killed (SIGKILL) in the middle of an import or a recomputation leaves consistent data.

The real command runs in a subprocess against a real database (through `writes_reported.py`,
which stops it before it commits a transaction that has written, and says how many rows that
transaction wrote) and is killed there: every statement of its unit of work sent, COMMIT not.
The test checks that it is inside that transaction (on PostgreSQL its backend has a transaction
id, `pg_stat_activity.backend_xid`; on SQLite it holds the write lock) and that the transaction
holds the work (its rows). Afterwards the database must hold exactly what it held before
(nothing half written, every decision intact), pass its integrity check, and the same command
run again must finish the work.
"""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.orm import Session

from coordination.models import Initiative, Overlap, OverlapNotice, OverlapStatus
from coordination.permissions import SYSTEM, Actor
from coordination.services.imports import import_records
from coordination.services.overlaps import decide_overlap, recompute_all
from coordination.services.visions import SEED_DIR, ensure_sdg_vision
from coordination.unit_of_work import UnitOfWork

from ..backends import app_engine, postgres_url, reset_postgres, sqlite_url

pytestmark = pytest.mark.slow
EXCERPT = Path(__file__).resolve().parents[1] / "data" / "formats" / "afghanistan_3w_2024_excerpt.csv"
ROOT = Path(__file__).resolve().parents[2]
REPORTING_WRITES = Path(__file__).with_name("writes_reported.py")


def _database(backend: str, tmp_path) -> str:
    if backend == "postgres":
        url = postgres_url()
        reset_postgres(url)
        return url
    return sqlite_url(tmp_path)


def _command(url: str, tmp_path, *args: str, stop_before_commit: bool = False) -> subprocess.Popen:
    """Start `coordination <args>`; its output goes to tmp_path/<pid>.log (see `_output`). With
    `stop_before_commit` it waits before committing what it wrote (`writes_reported.py`)."""
    run = tmp_path / f"command-{time.monotonic_ns()}"
    env = {**os.environ, "DATABASE_URL": url, "COORDINATION_INSTANCE": str(tmp_path / "instance"),
           "SECRET_KEY": "kill-test"}
    env.pop("WRITES_REPORTED", None)
    if stop_before_commit:
        env["WRITES_REPORTED"] = str(run.with_suffix(".writes"))
    log = run.with_suffix(".log")
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, str(REPORTING_WRITES), *args],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    process.log = log
    process.writes = run.with_suffix(".writes")
    return process


def _rows_before_commit(process: subprocess.Popen) -> int:
    """The rows the command's transaction has written, once it waits before committing them; 0 before."""
    reported = process.writes.read_text().strip() if process.writes.exists() else ""
    return int(reported or 0)


def _output(process: subprocess.Popen) -> str:
    return process.log.read_text(errors="replace")


def _finish(process: subprocess.Popen, timeout: float = 300) -> None:
    try:
        assert process.wait(timeout) == 0, _output(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _writing_on_sqlite(url: str) -> bool:
    """Whether another connection holds SQLite's write lock (it is inside a write transaction):
    taking the lock without waiting fails. When free, the lock is taken and given back at once."""
    conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.rollback()
        return False
    except sqlite3.OperationalError as error:
        return "locked" in str(error)
    finally:
        conn.close()


def _writing_on_postgres(watcher) -> bool:
    """Whether another backend on the database holds a transaction id (it has written)."""
    with watcher.connect() as conn:
        return bool(conn.scalar(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL")))


def _kill_while_writing(process: subprocess.Popen, backend: str, url: str, timeout: float = 120) -> int:
    """SIGKILL `process` once it waits to commit what it wrote, inside its open transaction;
    fail if it finished first. Returns the rows that transaction had written."""
    deadline = time.monotonic() + timeout
    watcher = create_engine(url) if backend == "postgres" else None  # one pooled connection, polled
    in_transaction = (lambda: _writing_on_postgres(watcher)) if watcher else (lambda: _writing_on_sqlite(url))
    try:
        while time.monotonic() < deadline:
            assert process.poll() is None, (
                f"the command finished before it could be killed mid-way:\n{_output(process)}")
            rows = _rows_before_commit(process)
            if rows:
                assert in_transaction(), "the command waits to commit but holds no open transaction"
                break
            time.sleep(0.01)
        else:
            pytest.fail("the command never came to commit what it wrote")
    finally:
        if watcher is not None:
            watcher.dispose()
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(30)
    assert process.returncode == -signal.SIGKILL
    return rows


def _integrity(url: str) -> None:
    if url.startswith("sqlite"):
        engine = app_engine(url)
        with engine.connect() as conn:
            assert conn.scalar(text("PRAGMA integrity_check")) == "ok"
        engine.dispose()


def _overlap_state(session: Session) -> list[tuple]:
    session.expire_all()
    return sorted(session.execute(select(Overlap.initiative_a_id, Overlap.initiative_b_id, Overlap.score,
                                         Overlap.status, Overlap.active, Overlap.decided_by)).all())


def _load_demo_without_overlaps(engine) -> None:
    """All the demo's records, registered with detection paused (no overlaps yet): about 1,500
    pairs for the recomputation to write."""
    records = json.loads((SEED_DIR / "initiatives.json").read_text(encoding="utf-8"))
    organisations = {o["key"]: {k: v for k, v in o.items() if k != "key"}
                     for o in json.loads((SEED_DIR / "organisations.json").read_text(encoding="utf-8"))}
    for record in records:
        record["organisation"] = organisations[record["organisation"]["key"]]
        record["partners"] = []
    with Session(engine) as session:
        ensure_sdg_vision(session)
        session.commit()
        with UnitOfWork(session, detect_overlaps=False) as uow:
            report = import_records(uow, records, SYSTEM)
            uow.commit()
        assert report.created > 200, report.problems[:3]


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_recomputation_killed_mid_write_leaves_the_previous_overlaps_and_decisions(backend, tmp_path):
    url = _database(backend, tmp_path)
    engine = app_engine(url)
    _load_demo_without_overlaps(engine)
    with Session(engine) as session:
        with UnitOfWork(session) as uow:
            recompute_all(uow)
            uow.commit()
        ids = session.scalars(select(Overlap.id).order_by(Overlap.id)).all()
        assert len(ids) > 1000
        # Previous results that the next run must change: a third forgotten, some decided.
        forgotten = ids[::3]
        session.execute(delete(OverlapNotice).where(OverlapNotice.overlap_id.in_(forgotten)))
        session.execute(delete(Overlap).where(Overlap.id.in_(forgotten)))
        session.commit()
        coordinator = Actor(role="coordinator", label="coordinator@test")
        for overlap_id in ids[1:60:3]:
            decide_overlap(session, coordinator, overlap_id, OverlapStatus.DISMISSED)
        session.commit()
        before = _overlap_state(session)
    engine.dispose()

    written = _kill_while_writing(_command(url, tmp_path, "converge", stop_before_commit=True), backend, url)
    assert written >= len(forgotten), "killed before the overlaps forgotten were written again"

    _integrity(url)
    engine = app_engine(url)
    with Session(engine) as session:
        assert _overlap_state(session) == before
    _finish(_command(url, tmp_path, "converge", "--quiet"))
    with Session(engine) as session:
        after = _overlap_state(session)
        assert len(after) == len(ids)
        assert sum(1 for row in after if row[3] == OverlapStatus.DISMISSED) == len(ids[1:60:3])
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_an_import_killed_mid_file_leaves_nothing_of_the_file(backend, tmp_path):
    url = _database(backend, tmp_path)
    rows = list(csv.reader(io.StringIO(EXCERPT.read_text(encoding="utf-8-sig"))))
    header, body = rows[:2], rows[2:]
    name = header[1].index("#org +name")
    big = tmp_path / "afghanistan_3w_x20.csv"
    with big.open("w", newline="", encoding="utf-8") as out:  # twenty copies, each by other organisations: 160 records
        csv.writer(out).writerows(header + [[*row[:name], f"{row[name]} ({n})", *row[name + 1:]]
                                            for n in range(20) for row in body])
    engine = app_engine(url)
    with engine.connect() as conn:
        before = conn.scalar(select(func.count()).select_from(Initiative))

    written = _kill_while_writing(_command(url, tmp_path, "import", "hxl", str(big), stop_before_commit=True),
                                  backend, url)
    assert written >= 100, "killed before the file's initiatives were written"

    _integrity(url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Initiative)) == before
    _finish(_command(url, tmp_path, "import", "hxl", "--quiet", str(big)))
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Initiative)) > before + 100
    engine.dispose()

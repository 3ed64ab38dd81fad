"""The platform under load: a fresh database, migrated and given organisations, served by gunicorn.

`prepare` runs `coordination init` and creates organisations and member tokens through the
services; `gunicorn` serves the platform on a free port of 127.0.0.1; `request` is one HTTP call.
Used by `bench.load_test` and `tests/load`.
"""
from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/coordination_test"


@dataclass
class Database:
    """A fresh database for one run, and how to drop it."""

    url: str
    backend: str
    drop: object = None


def fresh_postgres(base_url: str | None = None) -> Database:
    """A new, empty PostgreSQL database beside TEST_DATABASE_URL (dropped afterwards)."""
    base = make_url(base_url or os.environ.get("TEST_DATABASE_URL", DEFAULT_PG))
    name = f"{base.database}_load_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT",
                          connect_args={"connect_timeout": 3})
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return Database(base.set(database=name).render_as_string(hide_password=False), "postgres", drop)


def fresh_sqlite(folder: Path) -> Database:
    """A new SQLite file (the platform opens it in WAL mode with a 15 s busy timeout)."""
    return Database(f"sqlite:///{folder / 'load.sqlite'}", "sqlite")


def server_env(db: Database, instance: Path) -> dict[str, str]:
    """The environment a deployment sets: DATABASE_URL, SECRET_KEY, COORDINATION_INSTANCE."""
    return {**os.environ, "DATABASE_URL": db.url, "SECRET_KEY": "load-test-secret",
            "COORDINATION_INSTANCE": str(instance), "PYTHONPATH": str(ROOT)}


def prepare(db: Database, instance: Path, n_orgs: int, create_missing: bool = False) -> list[str]:
    """`coordination init` (Alembic + SDG vision), then organisations and member tokens.

    If the migrations lag the models (a table the code uses does not exist after `init`), this
    fails with the names, unless `create_missing` creates them (measuring while a migration is
    being written).
    """
    done = subprocess.run([str(VENV_BIN / "coordination"), "init"], env=server_env(db, instance),
                          cwd=ROOT, capture_output=True, timeout=180, check=False)
    if done.returncode:
        raise RuntimeError(f"coordination init failed: {done.stderr.decode()[-2000:]}")
    from sqlalchemy import inspect

    from coordination.models import Base

    engine = create_engine(db.url)
    missing = sorted(set(Base.metadata.tables) - set(inspect(engine).get_table_names()))
    if missing and not create_missing:
        engine.dispose()
        raise RuntimeError(f"`coordination init` left out tables the models use: {missing} "
                           "(a migration is missing in migrations/versions)")
    if missing:
        print(f"  warning: migrations lack {missing}; created them with create_all", file=sys.stderr)
        Base.metadata.create_all(engine, tables=[Base.metadata.tables[t] for t in missing])
    from sqlalchemy.orm import Session

    from coordination.permissions import SYSTEM
    from coordination.services.organisations import create_organisation
    from coordination.services.tokens import create_token

    tokens = []
    with Session(engine) as session:
        for i in range(n_orgs):
            org = create_organisation(session, SYSTEM, {"name": f"Load Test Organisation {i + 1}",
                                                        "type": "22", "country": "KE"}, verified=True)
            tokens.append(create_token(session, SYSTEM, "member", org, "load test")[1])
        session.commit()  # this set-up is its own door
    engine.dispose()
    return tokens


# --- the server ----------------------------------------------------------------------------

def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(db: Database, instance: Path, workers: int, threads: int = 4, boot_timeout: float = 120,
             rate_limits: bool = False):
    """The platform under gunicorn (gthread workers) on 127.0.0.1; yields (host, port).

    Rate limits are off unless asked for: every client here is 127.0.0.1, so the per-address
    limit would measure the limiter, not the platform.
    """
    port = free_port()
    log = open(instance / "gunicorn.log", "wb")  # noqa: SIM115 - closed after the server stops
    proc = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--preload", "-w", str(workers), "-k", "gthread",
         "--threads", str(threads), "-b", f"127.0.0.1:{port}", "--timeout", "60",
         "--graceful-timeout", "10",
         "api:create_app()" if rate_limits else "api:create_app({'RATE_LIMIT_ENABLED': False})"],
        env=server_env(db, instance), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + boot_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {instance / 'gunicorn.log'}")
            try:
                status, _, _ = request("127.0.0.1", port, "GET", "/api/v1/visions", timeout=5)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within {boot_timeout:.0f} s")
            time.sleep(0.3)
        yield "127.0.0.1", port
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def request(host: str, port: int, method: str, path: str, body=None, headers=None,
            timeout: float = 30, conn: http.client.HTTPConnection | None = None):
    """One HTTP request; returns (status, parsed JSON or None, seconds)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(host, port, timeout=timeout)
    data = json.dumps(body).encode() if body is not None else None
    hdrs = {"Content-Type": "application/json", **(headers or {})} if data else dict(headers or {})
    start = time.perf_counter()
    try:
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        elapsed = time.perf_counter() - start
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return resp.status, parsed, elapsed
    finally:
        if own:
            conn.close()


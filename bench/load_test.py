"""Load test: the platform under gunicorn on 127.0.0.1, many writers and readers, then a count.

For each run it makes a fresh database (PostgreSQL: a new database beside TEST_DATABASE_URL;
SQLite: a new file in WAL mode with a busy timeout), migrates it with `coordination init`,
creates organisations and member tokens through the services, starts gunicorn (gthread
workers) on a free port, and drives it from threads with http.client: writers POST realistic
initiatives through several organisations' tokens, readers GET filtered lists and run GraphQL
queries. Every loop is bounded in requests and in time. Afterwards it checks that every
acknowledged write (201 with an id) is in the database exactly once and nothing else is, and
prints requests per second, latency percentiles per kind and errors by status.

    .venv/bin/python -m bench.load_test                          # PostgreSQL 1, 2, 4 workers; SQLite 1, 2, 4
    .venv/bin/python -m bench.load_test --backends postgres --workers 1,2,4 --writes 400
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, make_url, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/coordination_test"

# Realistic bodies: real SDG targets, towns with coordinates, the tags NGOs type.
PLACES = [("Kisumu", "KE", -0.0917, 34.768), ("Nairobi", "KE", -1.2864, 36.8172),
          ("Garissa", "KE", -0.4532, 39.6461), ("Thiès", "SN", 14.7910, -16.9359),
          ("Dakar", "SN", 14.7167, -17.4677), ("Gulu", "UG", 2.7724, 32.2881),
          ("Cox's Bazar", "BD", 21.4272, 92.0058), ("Maiduguri", "NG", 11.8333, 13.1500)]
WORK = [("Repairing community wells", ["6.1"], ["WASH", "water"]),
        ("School feeding for primary pupils", ["2.1", "4.1"], ["Food security", "Education"]),
        ("Mobile clinics for mothers and newborns", ["3.1", "3.2"], ["Health", "maternal health"]),
        ("Cash transfers to displaced families", ["1.3", "10.7"], ["Cash", "Protection"]),
        ("Latrine building and hygiene promotion", ["6.2"], ["Water & Sanitation", "hygiene"]),
        ("Drought-resistant seed distribution", ["2.4", "13.1"], ["Agriculture", "climate"]),
        ("Girls' secondary school bursaries", ["4.1", "5.1"], ["Education", "gender"])]
GRAPHQL_QUERY = """query($goal: String, $first: Int) {
  initiatives(filter: {goal: $goal}, first: $first) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id title organisation { name } goals { code } tags { key } locations { name country } } }
  }
}"""
READS = [
    ("rest", "/api/v1/initiatives?goal=6&first=20"),
    ("rest", "/api/v1/initiatives?country=KE&status=implementation&first=50"),
    ("rest", "/api/v1/initiatives?tag=wash&year=2025"),
    ("rest", "/api/v1/initiatives?q=school&first=10"),
    ("rest", "/api/v1/initiatives?bbox=33,-2,40,1&active_on=2025-06-01"),
    ("graphql", {"goal": "2", "first": 20}),
    ("graphql", {"goal": "6", "first": 50}),
]


def initiative_body(rng: random.Random, marker: str) -> dict:
    """A realistic initiative whose title carries a unique marker (to find it again)."""
    title, goals, tags = rng.choice(WORK)
    name, country, lat, lon = rng.choice(PLACES)
    year = rng.choice([2024, 2025, 2026])
    return {
        "title": f"{title} in {name} [{marker}]",
        "description": f"{title} with local committees in {name}; follow-up visits every quarter. " * 3,
        "goals": goals, "tags": tags, "status": rng.choice(["pipeline", "implementation"]),
        "locations": [{"name": name, "country": country, "lat": lat + rng.uniform(-0.05, 0.05),
                       "lon": lon + rng.uniform(-0.05, 0.05)}],
        "start": f"{year}-01-01", "end": f"{year}-12-31",
        "budget": rng.randrange(5_000, 500_000), "currency": "USD",
        "people_targeted": rng.randrange(100, 20_000),
    }


# --- databases -----------------------------------------------------------------------------

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


# --- the load ------------------------------------------------------------------------------

@dataclass
class Results:
    """What the clients saw."""

    samples: list = field(default_factory=list)  # (kind, status, seconds)
    acknowledged: dict = field(default_factory=dict)  # id -> title
    duplicate_acks: int = 0
    unknown_writes: list = field(default_factory=list)  # titles whose outcome is unknown (no answer)
    wall: float = 0.0
    warm_up_failures: list = field(default_factory=list)  # statuses of failed warm-up writes
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.samples.append((kind, status, seconds))


class Client:
    """A keep-alive connection that reconnects after a failure."""

    def __init__(self, host: str, port: int, timeout: float = 30):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def call(self, method: str, path: str, body=None, headers=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            return request(self.host, self.port, method, path, body, headers, conn=self.conn)
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def run_load(host: str, port: int, tokens: list[str], writers: int = 8, writes_per_writer: int = 25,
             readers: int = 4, max_reads: int = 2_000, time_limit: float = 90, seed: int = 7,
             warm_up: bool = True) -> Results:
    """Writers POST their writes while readers share `max_reads` reads: a fixed amount of work,
    so runs with different worker counts compare; bounded in time too."""
    results = Results()
    deadline = time.monotonic() + time_limit
    reads_left = [max_reads]

    def writer(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        client = Client(host, port)
        headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}
        try:
            write_all(client, headers, rng, n)
        finally:
            client.close()

    def write_all(client: Client, headers: dict, rng: random.Random, n: int) -> None:
        for k in range(writes_per_writer):
            if time.monotonic() > deadline:
                break
            body = initiative_body(rng, f"w{n}-{k}-{uuid.uuid4().hex[:8]}")
            try:
                status, data, secs = client.call("POST", "/api/v1/initiatives", body, headers)
            except (OSError, http.client.HTTPException):
                results.add("write", 0, 0.0)
                with results.lock:
                    results.unknown_writes.append(body["title"])
                continue
            results.add("write", status, secs)
            if status == 201 and isinstance(data, dict) and "id" in data:
                with results.lock:
                    if int(data["id"]) in results.acknowledged:
                        results.duplicate_acks += 1
                    results.acknowledged[int(data["id"])] = body["title"]

    def reader(n: int) -> None:
        rng = random.Random(seed * 7919 + n)
        client = Client(host, port)
        try:
            read_until_done(client, rng)
        finally:
            client.close()

    def read_until_done(client: Client, rng: random.Random) -> None:
        while time.monotonic() < deadline:
            with results.lock:
                if reads_left[0] <= 0:
                    return
                reads_left[0] -= 1
            kind, what = rng.choice(READS)
            try:
                if kind == "rest":
                    status, _, secs = client.call("GET", what)
                else:
                    status, data, secs = client.call("POST", "/graphql",
                                                     {"query": GRAPHQL_QUERY, "variables": what})
                    if status == 200 and (not isinstance(data, dict) or data.get("errors")):
                        status = 299  # a 200 carrying errors counts as an error
            except (OSError, http.client.HTTPException):
                status, secs = 0, 0.0
            results.add(f"read_{kind}", status, secs)

    if warm_up:
        # One write per kind of work first: creates the tags and builds each worker's index,
        # so the figures describe the steady state (see test_concurrent_writes for the cold start).
        client = Client(host, port)
        for i, (title, goals, tags) in enumerate(WORK):
            body = {**initiative_body(random.Random(i), f"warm-{i}"), "goals": goals, "tags": tags}
            status, data, _ = client.call("POST", "/api/v1/initiatives", body,
                                          {"Authorization": f"Bearer {tokens[i % len(tokens)]}"})
            if status == 201:
                results.acknowledged[int(data["id"])] = body["title"]
            else:
                results.warm_up_failures.append(status)
        client.close()
    start = time.perf_counter()
    write_threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    read_threads = [threading.Thread(target=reader, args=(i,)) for i in range(readers)]
    for t in write_threads + read_threads:
        t.start()
    for t in write_threads:
        t.join(timeout=max(1.0, deadline - time.monotonic() + 35))
    for t in read_threads:
        t.join(timeout=max(1.0, deadline - time.monotonic() + 35))
    results.wall = time.perf_counter() - start
    return results


# --- the check and the figures ---------------------------------------------------------------

def verify(db_url: str, results: Results) -> dict:
    """Acknowledged writes vs rows: each acknowledged id once with its title, and nothing else."""
    from coordination.models import Initiative

    engine = create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(select(Initiative.id, Initiative.title)).all()
    engine.dispose()
    found = {r.id: r.title for r in rows}
    titles = Counter(r.title for r in rows)
    acked = results.acknowledged
    extra = set(found) - set(acked)
    unknown = set(results.unknown_writes)
    return {
        "acknowledged": len(acked), "rows": len(rows),
        "found": sum(1 for i, t in acked.items() if found.get(i) == t),
        "missing": sorted(i for i in acked if i not in found),
        "wrong_title": sorted(i for i, t in acked.items() if i in found and found[i] != t),
        "duplicate_titles": sorted(t for t, c in titles.items() if c > 1),
        "extra": sorted(i for i in extra if found[i] not in unknown),
        "extra_from_unanswered": sorted(i for i in extra if found[i] in unknown),
        "duplicate_acks": results.duplicate_acks,
    }


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (values need not be sorted)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def summarise(results: Results) -> dict:
    """Requests per second, latency percentiles per kind (ms), errors by status."""
    by_kind: dict[str, list] = {}
    for kind, status, secs in results.samples:
        by_kind.setdefault(kind, []).append((status, secs))
    out = {"wall_s": round(results.wall, 2), "requests": len(results.samples),
           "rps": round(len(results.samples) / results.wall, 1) if results.wall else 0.0, "kinds": {},
           "statuses": dict(Counter(status for _, status, _ in results.samples))}
    for kind, items in sorted(by_kind.items()):
        ok = [s for st, s in items if 200 <= st < 299]
        out["kinds"][kind] = {
            "n": len(items), "rps": round(len(items) / results.wall, 1) if results.wall else 0.0,
            "p50_ms": round(percentile(ok, 50) * 1000, 1), "p95_ms": round(percentile(ok, 95) * 1000, 1),
            "p99_ms": round(percentile(ok, 99) * 1000, 1),
            "errors": dict(Counter(st for st, _ in items if not 200 <= st < 299)),
        }
    return out


def run_once(backend: str, workers: int, threads: int = 4, n_orgs: int = 4, writers: int = 8,
             writes_per_writer: int = 25, readers: int = 4, max_reads: int = 2_000,
             time_limit: float = 90, pg_url: str | None = None, warm_up: bool = True,
             create_missing: bool = False) -> dict:
    """One full run on a fresh database: prepare, serve, load, verify; the figures as a dict."""
    folder = Path(tempfile.mkdtemp(prefix=f"load-{backend}-"))
    db = fresh_postgres(pg_url) if backend == "postgres" else fresh_sqlite(folder)
    try:
        tokens = prepare(db, folder, n_orgs, create_missing)
        with gunicorn(db, folder, workers, threads) as (host, port):
            results = run_load(host, port, tokens, writers, writes_per_writer, readers, max_reads,
                               time_limit, warm_up=warm_up)
        summary = summarise(results)
        summary.update(backend=backend, workers=workers, threads=threads, check=verify(db.url, results),
                       warm_up_failures=results.warm_up_failures)
        if any(status >= 500 for status in summary["statuses"]):
            kept = Path(tempfile.gettempdir()) / f"load-{backend}-{workers}w-{os.getpid()}.log"
            shutil.copyfile(folder / "gunicorn.log", kept)
            summary["server_log"] = str(kept)  # the tracebacks of the 5xx
        return summary
    finally:
        if db.drop:
            db.drop()
        shutil.rmtree(folder, ignore_errors=True)


def print_summary(s: dict) -> None:
    """One block of figures per run."""
    c = s["check"]
    print(f"\n{s['backend']}, {s['workers']} worker(s) x {s['threads']} threads: {s['requests']} requests "
          f"in {s['wall_s']} s = {s['rps']} req/s; statuses {s['statuses']}")
    for kind, k in s["kinds"].items():
        print(f"  {kind:<13} n={k['n']:<5} {k['rps']:>6} req/s  p50 {k['p50_ms']:>7} ms  "
              f"p95 {k['p95_ms']:>7} ms  p99 {k['p99_ms']:>7} ms  errors {k['errors']}")
    print(f"  writes acknowledged {c['acknowledged']}, found {c['found']}, rows {c['rows']}, "
          f"missing {len(c['missing'])}, extra {len(c['extra'])}, duplicate titles {len(c['duplicate_titles'])}, "
          f"written but unanswered {len(c['extra_from_unanswered'])}")
    if s.get("server_log"):
        print(f"  5xx tracebacks: {s['server_log']}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="postgres,sqlite")
    parser.add_argument("--workers", default="1,2,4", help="gunicorn worker counts to compare")
    parser.add_argument("--threads", type=int, default=4, help="gthread threads per worker")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--writes", type=int, default=240, help="writes per run (split over the writers)")
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--max-reads", type=int, default=3_000)
    parser.add_argument("--time-limit", type=float, default=120, help="seconds of load per run, at most")
    parser.add_argument("--cold", action="store_true", help="no warm-up writes (tags created under load)")
    parser.add_argument("--create-missing-tables", action="store_true",
                        help="create tables the migrations lack instead of failing")
    parser.add_argument("--json", action="store_true", help="also print every summary as JSON")
    args = parser.parse_args(argv)
    summaries = []
    for backend in args.backends.split(","):
        for workers in (int(w) for w in args.workers.split(",")):
            s = run_once(backend, workers, args.threads, writers=args.writers,
                         writes_per_writer=max(1, args.writes // args.writers), readers=args.readers,
                         max_reads=args.max_reads, time_limit=args.time_limit, warm_up=not args.cold,
                         create_missing=args.create_missing_tables)
            print_summary(s)
            summaries.append(s)
    print("\nthroughput by workers (writes/s, reads/s, all req/s):")
    for s in summaries:
        writes = s["kinds"].get("write", {}).get("rps", 0)
        reads = sum(k["rps"] for name, k in s["kinds"].items() if name.startswith("read"))
        print(f"  {s['backend']:<8} w={s['workers']}  {writes:>6}  {round(reads, 1):>7}  {s['rps']:>7}")
    base = {s["backend"]: s["rps"] for s in summaries if s["workers"] == min(int(w) for w in args.workers.split(","))}
    for s in summaries:
        if base.get(s["backend"]):
            print(f"  {s['backend']:<8} w={s['workers']}  {s['rps'] / base[s['backend']]:.2f}x the smallest worker count")
    if args.json:
        print(json.dumps(summaries, indent=1, default=str))


if __name__ == "__main__":
    main()

"""Benchmark: CPU and SQL statements per REST write and per REST / GraphQL read, in process.

The load test (`bench.load_test`) measures the platform under gunicorn, where the machine's
other work blurs the figures. This one measures what a request costs the process: on a fresh
PostgreSQL database beside TEST_DATABASE_URL (or `--url`, or SQLite with `--sqlite`), through
the Flask test client, with the load test's own bodies (`load_clients.initiative_body`, four
organisations' member tokens) and reads (`load_clients.READS`, the GraphQL query).

After `--warm` writes (the overlap index and the tags are built then), it POSTs `--writes`
initiatives and runs each read `--reads` times, and prints per kind: CPU ms per request (p50
and mean, the figure to read on a shared machine), wall ms p50 and SQL statements per request.
`--save FILE` keeps the figures as JSON; `--baseline FILE` prints them beside the saved ones
(run the same file on another checkout — e.g. a worktree of main — for a same-session "before").

    .venv/bin/python -m bench.bench_http [--writes 100] [--reads 20] [--save after.json] [--baseline before.json]
"""
from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event

from api.extensions import db
from bench.apps import fresh_app
from bench.load_clients import GRAPHQL_QUERY, READS, initiative_body
from bench.load_server import fresh_postgres
from coordination.permissions import SYSTEM
from coordination.services.organisations import create_organisation
from coordination.services.tokens import create_token


class Meter:
    """CPU, wall time and SQL statements of each request, by kind."""

    def __init__(self, engine) -> None:
        self.statements = 0
        self.samples: dict[str, list[tuple[float, float, int]]] = {}
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:
        self.statements += 1

    def run(self, kind: str, call) -> None:
        statements, cpu, wall = self.statements, time.process_time(), time.perf_counter()
        call()
        self.samples.setdefault(kind, []).append(
            ((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000, self.statements - statements))

    def summary(self) -> dict[str, dict[str, float]]:
        out = {}
        for kind, rows in self.samples.items():
            cpu, wall, sql = zip(*rows)
            out[kind] = {"n": len(rows), "cpu_p50_ms": round(statistics.median(cpu), 1),
                         "cpu_mean_ms": round(statistics.fmean(cpu), 1),
                         "wall_p50_ms": round(statistics.median(wall), 1),
                         "statements": round(statistics.fmean(sql), 1)}
        return out


def _tokens(app, n: int = 4) -> list[str]:
    with app.app_context():
        tokens = []
        for i in range(n):
            org = create_organisation(db.session, SYSTEM, {"name": f"Bench org {i}", "type": "22", "country": "KE"},
                                      verified=True)
            tokens.append(create_token(db.session, SYSTEM, "member", org, "bench")[1])
        db.session.commit()
    return tokens


def measure(app, writes: int, reads: int, warm: int) -> dict[str, dict[str, float]]:
    tokens = _tokens(app)
    client, rng = app.test_client(), random.Random(1)
    with app.app_context():
        meter = Meter(db.engine)

    def post(i: int) -> None:
        answer = client.post("/api/v1/initiatives", json=initiative_body(rng, f"b{i}"),
                             headers={"Authorization": f"Bearer {tokens[i % len(tokens)]}"})
        assert answer.status_code == 201, answer.get_data(as_text=True)[:300]

    def read(kind: str, what) -> None:
        if kind == "rest":
            answer = client.get(what)
        else:
            answer = client.post("/graphql", json={"query": GRAPHQL_QUERY, "variables": what})
            assert not answer.get_json().get("errors"), answer.get_json()
        assert answer.status_code == 200, answer.get_data(as_text=True)[:300]

    for i in range(warm):
        post(i)
    for i in range(warm, warm + writes):
        meter.run("POST /api/v1/initiatives", lambda i=i: post(i))
    for kind, what in READS:
        label = f"GET {what.removeprefix('/api/v1')}" if kind == "rest" else f"graphql {json.dumps(what)}"
        read(kind, what)  # warm
        for _ in range(reads):
            meter.run(label, lambda kind=kind, what=what: read(kind, what))
    return meter.summary()


def show(after: dict, before: dict | None) -> None:
    print(f"{'request':58} {'cpu p50':>8} {'mean':>6} {'wall p50':>8} {'stmts':>6}" +
          ("   | before: cpu p50 mean stmts" if before else ""))
    for kind, f in after.items():
        line = f"{kind[:58]:58} {f['cpu_p50_ms']:8.1f} {f['cpu_mean_ms']:6.1f} {f['wall_p50_ms']:8.1f} {f['statements']:6.1f}"
        if before and kind in before:
            b = before[kind]
            line += f"   | {b['cpu_p50_ms']:7.1f} {b['cpu_mean_ms']:5.1f} {b['statements']:5.1f}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writes", type=int, default=100)
    parser.add_argument("--reads", type=int, default=20, help="runs of each read")
    parser.add_argument("--warm", type=int, default=20, help="writes before measuring")
    parser.add_argument("--url", help="PostgreSQL base URL (default TEST_DATABASE_URL); a fresh database beside it")
    parser.add_argument("--sqlite", action="store_true", help="a fresh SQLite file instead")
    parser.add_argument("--save", help="write the figures to this JSON file")
    parser.add_argument("--baseline", help="JSON figures of another run to print beside these")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the request log would be most of the output
    database = None if args.sqlite else fresh_postgres(args.url)
    try:
        with tempfile.TemporaryDirectory() as folder:
            app = fresh_app(folder, database.url if database else None)
            figures = measure(app, args.writes, args.reads, args.warm)
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    finally:
        if database:
            database.drop()
    before = json.loads(Path(args.baseline).read_text()) if args.baseline else None
    print(f"code: {Path(__file__).resolve().parents[1]}  backend: {'sqlite' if args.sqlite else 'postgres'}")
    show(figures, before)
    if args.save:
        Path(args.save).write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()

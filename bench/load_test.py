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
import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, select

from .load_clients import Results, run_load
from .load_server import fresh_postgres, fresh_sqlite, gunicorn, prepare


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

"""Open-loop load test: writes and reads arrive at fixed rates, whether or not the server keeps up.

`bench.load_test` is closed-loop: a fixed number of clients send their next request as soon as
the last one is answered, so its latencies are mostly queueing behind the other clients and
its requests a second are whatever the machine gives. That answers "how fast can it go" but
not "at 30 writes a second, what does a reader wait": this does. Arrivals are scheduled in
advance (writes and reads each at their own rate, evenly spaced with a seeded jitter); a pool
of client threads takes them in order and waits for each one's time; a request's latency runs
from its *scheduled* time to its answer, so a server that falls behind shows it in every
later latency (no coordinated omission). A run is "kept up" when the writes acknowledged per
second of the schedule reach 95% of the offered rate.

The server, database and check are `bench.load_test`'s: a fresh database, gunicorn (gthread)
on 127.0.0.1, and afterwards every acknowledged write found exactly once.

    .venv/bin/python -m bench.load_open --workers 4 --write-rates 10,20,30,40 --read-rates 30
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import random
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import make_url

from .load_clients import (
    READS,
    Client,
    Results,
    initiative_body,
    post_write,
    read_once,
    warm_writes,
)
from .load_server import fresh_postgres, fresh_sqlite, gunicorn, prepare
from .load_test import summarise, verify


def _cpu_of(pid: str) -> float:
    """utime + stime of one process, in seconds (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(port: int, database: str) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn processes bound to `port` and by the PostgreSQL
    backends of `database` (Linux /proc; a backend that exited is not counted)."""
    out = {"app": 0.0, "db": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if f"127.0.0.1:{port}" in cmd and "gunicorn" in cmd:
            out["app"] += _cpu_of(entry.name)
        elif cmd.startswith("postgres: ") and f" {database} " in cmd:
            out["db"] += _cpu_of(entry.name)
    return out


def schedule(write_rate: float, read_rate: float, seconds: float, seed: int = 11) -> list[tuple[float, str, object]]:
    """(offset s, kind, what) for every arrival, in time order; kind is write, read_rest or read_graphql."""
    rng = random.Random(seed)
    jobs: list[tuple[float, str, object]] = []
    for rate, kind in ((write_rate, "write"), (read_rate, "read")):
        if rate <= 0:
            continue
        gap = 1.0 / rate
        for i in range(int(seconds * rate)):
            at = i * gap + rng.uniform(0, gap * 0.5)
            if kind == "write":
                jobs.append((at, "write", None))
            else:
                how, what = rng.choice(READS)
                jobs.append((at, f"read_{how}", what))
    jobs.sort(key=lambda job: job[0])
    return jobs


def run_schedule(host: str, port: int, tokens: list[str], jobs: list, clients: int = 48,
                 seed: int = 5) -> Results:
    """Play the schedule with `clients` threads; latency from each job's scheduled time."""
    results = Results()
    todo: queue.Queue = queue.Queue()
    for n, job in enumerate(jobs):
        todo.put((n, job))
    start = time.perf_counter() + 0.5  # every thread started before the first arrival

    def one(client: Client, n: int, at: float, kind: str, what) -> None:
        if kind == "write":
            body = initiative_body(random.Random(seed * 100_003 + n), f"o{n}-{uuid.uuid4().hex[:8]}")
            post_write(client, results, body, {"Authorization": f"Bearer {tokens[n % len(tokens)]}"},
                       since=start + at)
            return
        status, _ = read_once(client, kind.removeprefix("read_"), what)
        results.add(kind, status, time.perf_counter() - (start + at))

    def worker() -> None:
        client, last_used = Client(host, port), time.perf_counter()
        try:
            while True:
                try:
                    n, (at, kind, what) = todo.get_nowait()
                except queue.Empty:
                    return
                wait = start + at - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                if time.perf_counter() - last_used > 1.0:
                    client.close()  # gunicorn closes a keep-alive connection idle for 2 s
                one(client, n, at, kind, what)
                last_used = time.perf_counter()
        finally:
            client.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.wall = time.perf_counter() - start
    return results


def run_rates(backend: str, workers: int, threads: int, rates: list[tuple[float, float]],
              seconds: float, clients: int, pg_url: str | None = None) -> list[dict]:
    """One server and database; each (writes/s, reads/s) played in turn (the data grows between them)."""
    folder = Path(tempfile.mkdtemp(prefix=f"open-{backend}-"))
    db = fresh_postgres(pg_url) if backend == "postgres" else fresh_sqlite(folder)
    out, every = [], Results()  # every: the writes of all runs, for the final check
    try:
        tokens = prepare(db, folder, 4)
        with gunicorn(db, folder, workers, threads) as (host, port):
            warm_writes(host, port, tokens, every)
            failures = every.warm_up_failures
            database = make_url(db.url).database if backend == "postgres" else ""
            for n, (rate, read_rate) in enumerate(rates):
                before = server_cpu(port, database)
                results = run_schedule(host, port, tokens, schedule(rate, read_rate, seconds, seed=11 + n),
                                       clients, seed=5 + n)
                after = server_cpu(port, database)
                every.duplicate_acks += results.duplicate_acks + len(set(results.acknowledged) & set(every.acknowledged))
                every.acknowledged.update(results.acknowledged)
                every.unknown_writes.extend(results.unknown_writes)
                s = summarise(results)
                acked = sum(1 for kind, status, _ in results.samples if kind == "write" and status == 201)
                requests = max(1, len(results.samples))
                s.update(backend=backend, workers=workers, threads=threads, offered_writes=rate,
                         offered_reads=read_rate, seconds=seconds, acked_per_s=round(acked / results.wall, 1),
                         kept_up=acked >= 0.95 * rate * seconds and results.wall <= seconds + 2,
                         app_cpu_ms_per_request=round(1000 * (after["app"] - before["app"]) / requests, 1),
                         db_cpu_ms_per_request=round(1000 * (after["db"] - before["db"]) / requests, 1),
                         warm_up_failures=failures, check=None)
                out.append(s)
                print_run(s)
            out[-1]["check"] = verify(db.url, every)
        if any(status >= 500 for run in out for status in run["statuses"]):
            kept = Path(tempfile.gettempdir()) / f"open-{backend}-{workers}w-{os.getpid()}.log"
            shutil.copyfile(folder / "gunicorn.log", kept)
            print(f"\n5xx tracebacks: {kept}")
    finally:
        if db.drop:
            db.drop()
        shutil.rmtree(folder, ignore_errors=True)
    return out


def print_run(s: dict) -> None:
    print(f"\n{s['backend']}, {s['workers']} worker(s) x {s['threads']} threads, offered "
          f"{s['offered_writes']} writes/s + {s['offered_reads']} reads/s for {s['seconds']} s: "
          f"{s['acked_per_s']} writes/s acknowledged over {s['wall_s']} s "
          f"({'kept up' if s['kept_up'] else 'FELL BEHIND'}); statuses {s['statuses']}; CPU per request: "
          f"gunicorn {s['app_cpu_ms_per_request']} ms, PostgreSQL {s['db_cpu_ms_per_request']} ms")
    for kind, k in s["kinds"].items():
        print(f"  {kind:<13} n={k['n']:<5} p50 {k['p50_ms']:>7} ms  p95 {k['p95_ms']:>7} ms  "
              f"p99 {k['p99_ms']:>7} ms  errors {k['errors']}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="postgres", choices=["postgres", "sqlite"])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--write-rates", default="10,20,30", help="writes a second, one run each, in order")
    parser.add_argument("--read-rates", default="30", help="reads a second per run (one value: every run)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=48, help="client threads (enough never to be the limit)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    writes = [float(r) for r in args.write_rates.split(",")]
    reads = [float(r) for r in args.read_rates.split(",")]
    reads = reads * len(writes) if len(reads) == 1 else reads
    if len(reads) != len(writes):
        parser.error("--read-rates: one value, or as many as --write-rates")
    runs = run_rates(args.backend, args.workers, args.threads, list(zip(writes, reads, strict=True)),
                     args.seconds, args.clients)
    last = runs[-1]["check"]
    print(f"\nall runs: writes acknowledged {last['acknowledged']}, found {last['found']}, "
          f"missing {len(last['missing'])}, extra {len(last['extra'])}, duplicate acks {last['duplicate_acks']}")
    if args.json:
        print(json.dumps(runs, indent=1, default=str))


if __name__ == "__main__":
    main()

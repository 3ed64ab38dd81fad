"""Benchmark: analytics from the kept state (coordination.maintained) against the full recomputation.

Builds the synthetic corpus (`bench_analytics.populate`: `bench/synthetic.py`, overlaps stored
by `recompute_all`), then in the same process, for network, groups, fragmentation (country and
admin-1; gaps are part of that answer) and allies (the allies of the answered groups), as a
coordinator and as an anonymous reader:

- full: `coordination.insights` directly (what the first request after any write cost before
  the kept state; its best of `--repeat`) -- the baseline;
- build: the first kept answer of a process (reads every record once);
- repeated: p50/p95 of `--requests` requests through `analytics_cache` (data version + copy);
- after write: p50/p95 of the first request after each of `--writes` writes, each one new
  initiative overlapping others (a copy of an existing one, another organisation, its overlap
  rows with the original and the original's neighbours, as the overlap engine stores them).

    .venv/bin/python -m bench.bench_kept [--n 50000] [--requests 30] [--writes 10]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, or_, select

from api.extensions import db
from bench.apps import fresh_app
from bench.bench_analytics import COORDINATOR, populate
from coordination import analytics_cache, insights
from coordination.models import Initiative, InitiativeGoal, Location, Organisation, Overlap
from coordination.permissions import ANONYMOUS
from coordination.queries import InitiativeFilter

F = InitiativeFilter()
ANSWERS = {  # name: (full computation, through the cache)
    "network": (lambda s, a: insights.network_for(s, a, F),
                lambda s, a, c: analytics_cache.network_for(s, a, F, cache=c)),
    "groups+allies": (lambda s, a: insights.groups_for(s, a, F),
                      lambda s, a, c: analytics_cache.groups_for(s, a, F, cache=c)),
    "fragmentation+gaps country": (lambda s, a: insights.fragmentation_for(s, a, F, "country"),
                                   lambda s, a, c: analytics_cache.fragmentation_for(s, a, F, "country", cache=c)),
    "fragmentation+gaps admin1": (lambda s, a: insights.fragmentation_for(s, a, F, "admin1"),
                                  lambda s, a, c: analytics_cache.fragmentation_for(s, a, F, "admin1", cache=c)),
}


def ms(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def p50_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def write_overlapping(number: int) -> int:
    """One new initiative overlapping others (see the module docstring); returns its overlap count."""
    s = db.session
    n_overlaps = s.scalar(select(func.count(Overlap.id)))
    anchor = s.scalars(select(Overlap.initiative_a_id).order_by(Overlap.id)
                       .offset((number * 7919) % n_overlaps).limit(1)).one()
    original = s.get(Initiative, anchor)
    orgs = s.scalar(select(func.max(Organisation.id)))
    org = 1 + (original.organisation_id + number) % orgs
    new = Initiative(title=f"Bench write {number}: {original.title}"[:300], description=original.description,
                     organisation_id=org, start_date=original.start_date, end_date=original.end_date, status=2,
                     provenance="bench")
    s.add(new)
    s.flush()
    goals = [{"initiative_id": new.id, "goal_id": g.goal_id, "primary": g.primary, "source": "own"}
             for g in original.goal_links]
    places = [{"initiative_id": new.id, "name": p.name, "country": p.country, "admin1": p.admin1, "lat": p.lat,
               "lon": p.lon, "precision": p.precision} for p in original.locations]
    for table, values in ((InitiativeGoal, goals), (Location, places)):
        if values:
            s.execute(insert(table), values)
    rows = s.execute(select(Overlap.initiative_a_id, Overlap.initiative_b_id, Overlap.score).where(
        or_(Overlap.initiative_a_id == original.id, Overlap.initiative_b_id == original.id))).all()
    others = {original.id: 0.9} | {(b if a == original.id else a): score for a, b, score in rows}
    org_of = dict(s.execute(select(Initiative.id, Initiative.organisation_id)
                            .where(Initiative.id.in_(list(others)))).all())
    links = [{"initiative_a_id": i, "initiative_b_id": new.id, "organisation_a_id": org_of[i],
              "organisation_b_id": org, "score": score, "kind": "overlap"}
             for i, score in sorted(others.items()) if org_of[i] != org]
    if links:
        s.execute(insert(Overlap), links)
    s.commit()
    return len(others)


def measure(name: str, label: str, full, through, actor, args, writes: int) -> int:
    """Print one line (see the module docstring); returns the number of writes made so far."""
    session, cache = db.session, analytics_cache.AnalyticsCache()
    baseline = min(ms(lambda: full(session, actor)) for _ in range(args.repeat))
    build = ms(lambda: through(session, actor, cache))
    repeated = [ms(lambda: through(session, actor, cache)) for _ in range(args.requests)]
    after = []
    for _ in range(args.writes):
        writes += 1
        write_overlapping(writes)
        after.append(ms(lambda: through(session, actor, cache)))
    (r50, r95), (a50, a95) = p50_p95(repeated), p50_p95(after)
    print(f"{name:<27} {label:<12} {baseline:>8.0f} {build:>9.0f} | {r50:>9.1f} / {r95:>8.1f} | "
          f"{a50:>10.1f} / {a95:>9.1f} | {baseline / r95:>16.0f}x", flush=True)
    assert through(session, actor, cache) == full(session, actor), f"{name}: kept != full"
    return writes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--writes", type=int, default=10)
    parser.add_argument("--answers", default=",".join(ANSWERS), help="which answers, comma-separated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = fresh_app(tmp)
        with app.test_request_context("/"):
            t0 = time.perf_counter()
            overlaps = populate(args.n)
            print(f"{args.n:,} initiatives, {overlaps:,} overlaps stored in {time.perf_counter() - t0:.0f} s\n",
                  flush=True)
            writes = 0
            print(f"{'answer':<27} {'reader':<12} {'full ms':>8} {'build ms':>9} | {'repeated p50/p95 ms':>20} | "
                  f"{'after write p50/p95 ms':>22} | {'full/repeated p95':>17}")
            for name in args.answers.split(","):
                full, through = ANSWERS[name]
                for label, actor in (("coordinator", COORDINATOR), ("anonymous", ANONYMOUS)):
                    writes = measure(name, label, full, through, actor, args, writes)
            print("\nEach line ends by checking the kept answer against the full computation (identical).")


if __name__ == "__main__":
    main()

"""Benchmark: the analytics (network, groups, fragmentation) cold, cached across requests, and within a request.

Builds a SQLite database from the synthetic corpus (`bench/synthetic.py`: organisations with
their IATI types, initiatives with SDG targets, one place each, a few partners) and stores its
overlaps with `recompute_all`. Then, in the same process, for each analytics answer:

- cold: `coordination.insights` directly (what every request cost before the cache) -- the baseline;
- cached: through `coordination.analytics_cache` with a warm process cache (the data version
  statement plus unpickling a copy: what a repeated request costs);
- memo: the same answer asked again within one request (a dict lookup);
- after a write: the first answer after a new initiative (the version moved: a recompute).

Then over HTTP (the Flask test client): one GraphQL `organisationNetwork` cold and repeated, REST
`/api/v1/network` repeated, and how long the refusal of 20 aliased `organisationNetwork` takes.
Prints milliseconds and ratios against the cold run.

    .venv/bin/python -m bench.bench_analytics [--n 1500] [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select

from api.extensions import db
from bench.apps import fresh_app
from bench.synthetic import generate
from coordination import analytics_cache, insights
from coordination.models import (
    Goal,
    Initiative,
    InitiativeGoal,
    Location,
    Organisation,
    Partner,
    Vision,
)
from coordination.permissions import ANONYMOUS, Actor
from coordination.queries import InitiativeFilter
from coordination.services.overlaps import recompute_all
from coordination.unit_of_work import UnitOfWork

COORDINATOR = Actor(role="coordinator", label="bench coordinator")
ANSWERS = {  # name: (insights call, cache call), both (session, actor)
    "network": (lambda s, a: insights.network_for(s, a, InitiativeFilter()),
                lambda s, a, c, m: analytics_cache.network_for(s, a, InitiativeFilter(), cache=c, memo=m)),
    "groups": (lambda s, a: insights.groups_for(s, a, InitiativeFilter()),
               lambda s, a, c, m: analytics_cache.groups_for(s, a, InitiativeFilter(), cache=c, memo=m)),
    "fragmentation country": (
        lambda s, a: insights.fragmentation_for(s, a, InitiativeFilter(), "country"),
        lambda s, a, c, m: analytics_cache.fragmentation_for(s, a, InitiativeFilter(), "country", cache=c, memo=m)),
    "fragmentation admin1": (
        lambda s, a: insights.fragmentation_for(s, a, InitiativeFilter(), "admin1"),
        lambda s, a, c, m: analytics_cache.fragmentation_for(s, a, InitiativeFilter(), "admin1", cache=c, memo=m)),
}


def populate(n: int) -> int:
    """The synthetic corpus of `n` initiatives in the database, overlaps stored; returns the overlap count."""
    corpus = generate(n)
    goal_ids = dict(db.session.execute(select(Goal.code, Goal.id).join(Vision).where(Vision.slug == "sdg")).all())
    types = {r.organisation_id: r.org_type for r in corpus.records}
    orgs = sorted(types | {p: None for r in corpus.records for p in r.partner_ids})
    conn = db.session.connection()
    conn.execute(insert(Organisation), [
        {"id": o, "slug": f"org-{o}", "name": f"Organisation {o}", "name_key": f"organisation {o}",
         "type": types.get(o), "aliases": [], "alias_keys": "", "description": "", "verified": True}
        for o in orgs])
    initiatives, goals, places, partners = [], [], [], []
    for r in corpus.records:
        initiatives.append({"id": r.id, "title": r.title[:300], "description": r.description,
                            "organisation_id": r.organisation_id, "start_date": r.start, "end_date": r.end,
                            "status": 2, "visibility": "public", "public_precision": "exact",
                            "provenance": "bench", "version": 1})
        goals += [{"initiative_id": r.id, "goal_id": goal_ids[code], "primary": i == 0, "source": "own"}
                  for i, code in enumerate(sorted(r.goals)) if code in goal_ids]
        places += [{"initiative_id": r.id, "name": p.name, "country": p.country[:2], "admin1": p.admin1,
                    "lat": p.lat, "lon": p.lon, "precision": p.precision} for p in r.places]
        partners += [{"initiative_id": r.id, "organisation_id": p, "role": "funding"} for p in r.partner_ids
                     if p != r.organisation_id]
    for table, rows in ((Initiative, initiatives), (InitiativeGoal, goals), (Location, places), (Partner, partners)):
        if rows:
            conn.execute(insert(table), rows)
    db.session.commit()
    with UnitOfWork(db.session) as uow:
        overlaps = recompute_all(uow)["overlaps"]
        uow.commit()
    return overlaps


def best_ms(fn, repeat: int, setup=None) -> float:
    """Best wall time of `repeat` runs in ms (calling `setup` untimed before each)."""
    best = float("inf")
    for _ in range(repeat):
        if setup:
            setup()
        t0 = time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - t0) * 1000)
    return best


def add_initiative(number: int) -> None:
    """A new initiative (a write that moves the data version)."""
    db.session.add(Initiative(title=f"Bench write {number}", organisation_id=1, provenance="bench"))
    db.session.commit()


def main() -> None:
    """Build the database, measure each answer cold / cached / memo / after a write, then over HTTP."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--answers", default=",".join(ANSWERS),
                        help="which answers, comma-separated (at 50k the network alone takes >18 min cold)")
    parser.add_argument("--readers", default="anonymous,coordinator")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP figures")
    args = parser.parse_args()
    answers = {name: ANSWERS[name] for name in args.answers.split(",")}
    readers = [(label, actor) for label, actor in (("anonymous", ANONYMOUS), ("coordinator", COORDINATOR))
               if label in args.readers.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        app = fresh_app(tmp)
        with app.test_request_context("/"):
            t0 = time.perf_counter()
            overlaps = populate(args.n)
            print(f"{args.n:,} initiatives, {overlaps:,} overlaps stored in {time.perf_counter() - t0:.1f} s",
                  flush=True)
            session, cache = db.session, analytics_cache.AnalyticsCache()
            version_ms = best_ms(lambda: analytics_cache.data_version(session), 5)
            print(f"data version statement: {version_ms:.2f} ms\n", flush=True)
            print(f"{'answer':<22} {'reader':<12} {'cold ms':>8} {'cached ms':>9} {'memo ms':>8} "
                  f"{'after write':>11} | {'cold/cached':>11} {'KB pickled':>10}")
            writes = 0
            for name, (direct, through) in answers.items():
                for label, actor in readers:
                    cold = best_ms(lambda d=direct, a=actor: d(session, a), args.repeat)
                    through(session, actor, cache, None)  # warm the process cache
                    cached = best_ms(lambda t=through, a=actor: t(session, a, cache, None), max(5, args.repeat))
                    memo: dict = {}
                    through(session, actor, cache, memo)
                    in_request = best_ms(lambda t=through, a=actor, m=memo: t(session, a, cache, m), 5)
                    writes += 1
                    after = best_ms(lambda t=through, a=actor: t(session, a, cache, None), 1,
                                    setup=lambda w=writes: add_initiative(w))
                    size = cache.size_bytes / max(1, len(cache)) / 1024
                    print(f"{name:<22} {label:<12} {cold:>8.0f} {cached:>9.2f} {in_request:>8.3f} {after:>11.0f} | "
                          f"{cold / cached:>10.0f}x {size:>10.1f}", flush=True)
        if args.no_http:
            return
        client = app.test_client()
        query = "{ organisationNetwork { nodes { degree betweenness } edges { a b weight } isolated } }"
        app.extensions.pop("analytics_cache", None)
        t0 = time.perf_counter()
        assert "errors" not in client.post("/graphql", json={"query": query}).get_json()
        gql_cold = (time.perf_counter() - t0) * 1000
        gql_warm = best_ms(lambda: client.post("/graphql", json={"query": query}), 5)
        rest_warm = best_ms(lambda: client.get("/api/v1/network"), 5)
        aliased = "{ " + " ".join(f"n{i}: organisationNetwork {{ isolated }}" for i in range(20)) + " }"
        refused = best_ms(lambda: client.post("/graphql", json={"query": aliased}), 5)
        status = client.post("/graphql", json={"query": aliased}).status_code
        print(f"\nGraphQL organisationNetwork: cold {gql_cold:.0f} ms, repeated {gql_warm:.1f} ms "
              f"({gql_cold / gql_warm:.0f}x); REST /api/v1/network repeated {rest_warm:.1f} ms")
        print(f"20 aliased organisationNetwork: HTTP {status} in {refused:.1f} ms "
              f"(20 cold computations would take ~{20 * gql_cold / 1000:.0f} s)")


if __name__ == "__main__":
    main()

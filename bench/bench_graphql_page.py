"""Benchmark: a GraphQL page of initiatives with nested fields and overlaps, batch loaders vs. per field.

Registers pairs of overlapping efforts through the services (a borehole and a wells project
3 km apart, each pair in its own Kenyan town, a funding partner, SDG 6.1, a tag) on a fresh
SQLite database (or `--database-url`), so every initiative has one overlap. Then, in the same
process, for pages of 5, 20, 40 and 100 initiatives with organisation, partners, goals, tags,
places and overlaps (both sides' ids, titles and organisations), executed with graphql-core as
the view does, each run in a fresh session:

- per field (the baseline): the path before the loaders, kept here only -- the page loaded with
  `coordination.queries.eager` (one statement per relationship) and `insights.overlaps_of` once
  per initiative (five statements each);
- loaders: the product's path (`api/graphql/loaders.py`).

Prints SQL statements and p50 / p95 milliseconds of each, the ratios, and the loaders' page of
100 over HTTP (POST /graphql, with parsing, limits and JSON) beside REST's list of 100.

    .venv/bin/python -m bench.bench_graphql_page [--pairs 100] [--repeat 15]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphql import execute, parse
from sqlalchemy import event, func, select

from api.extensions import db
from api.graphql.context import Context
from api.graphql.loaders import Loaders
from api.graphql.schema import get_schema
from bench.apps import fresh_app
from coordination import insights
from coordination.models import Overlap
from coordination.permissions import ANONYMOUS, SYSTEM, Actor
from coordination.queries import eager
from coordination.services.initiatives import register_initiative
from coordination.services.organisations import create_organisation
from coordination.unit_of_work import UnitOfWork

PAGE = """query($first: Int) { initiatives(first: $first) { edges { node {
  id title organisation { slug name } partners { role organisation { slug } } goals { code ref }
  primaryGoal { code } tags { key label } locations { country lat lon }
  overlaps { id score initiatives { id title organisation { slug name } } } } } } }"""
SIZES = (5, 20, 40, 100)


class PerFieldLoaders(Loaders):
    """The path before the loaders: an eagerly loaded page and `overlaps_of` for each initiative."""

    @staticmethod
    def page_options(stmt):
        return eager(stmt)

    def overlaps(self, initiative, min_score=0.0, status=None, kind=None):
        return insights.overlaps_of(self.session, self.actor, initiative.id, min_score, status, kind)


def populate(pairs: int) -> int:
    """`pairs` overlapping pairs through the services; returns how many overlaps were stored."""
    session = db.session
    with UnitOfWork(session) as uow:  # one unit for the whole population
        lead = create_organisation(session, SYSTEM, {"name": "Borehole Trust", "type": "22", "country": "KE"}, verified=True)
        other = create_organisation(session, SYSTEM, {"name": "Wells Group", "type": "22", "country": "KE"}, verified=True)
        funder = create_organisation(session, SYSTEM, {"name": "Water Fund", "type": "60", "country": "KE"}, verified=True)
        base = {"goals": ["6.1"], "start": "2025-01-01", "end": "2025-12-31", "status": "implementation"}
        for i in range(pairs):
            lat, lon = -0.5 + (i // 10) * 0.45, 35.0 + (i % 10) * 0.45  # towns ~50 km apart
            register_initiative(uow, Actor(role="member", organisation_id=lead.id, label="bench"), {
                **base, "title": f"Borehole rehabilitation, town {i}", "tags": ["Water supply"],
                "description": "Rehabilitation of boreholes and hand pumps for safe drinking water.",
                "partners": [{"organisation": funder.slug, "role": "funding"}],
                "locations": [{"name": f"Town {i}", "country": "KE", "lat": lat, "lon": lon}]})
            register_initiative(uow, Actor(role="member", organisation_id=other.id, label="bench"), {
                **base, "title": f"Repairing community wells, town {i}", "tags": ["WASH"],
                "description": "Repairing community wells and training water committees so families have safe water.",
                "locations": [{"name": f"Town {i} east", "country": "KE", "lat": lat, "lon": lon + 0.03}]})
        uow.commit()
    return session.scalar(select(func.count()).select_from(Overlap)) or 0


def run_once(loaders_class: type[Loaders], first: int) -> tuple[int, float, dict]:
    """One page in a fresh session: (statements, ms, data)."""
    db.session.remove()
    session = db.session
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        t0 = time.perf_counter()
        context = Context(session, ANONYMOUS, {}, loaders=loaders_class(session, ANONYMOUS))
        result = execute(get_schema().graphql_schema, parse(PAGE), context_value=context,
                         variable_values={"first": first})
        elapsed = (time.perf_counter() - t0) * 1000
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert not result.errors, result.errors
    data_statements = [s for s in statements if not s.lstrip().upper().startswith("BEGIN")]
    return len(data_statements), elapsed, result.data


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def http_ms(client, repeat: int, request) -> float:
    times = []
    for _ in range(repeat):
        db.session.remove()
        t0 = time.perf_counter()
        response = request(client)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100, help="overlapping pairs registered (2 initiatives each)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = fresh_app(tmp, args.database_url, GRAPHQL_MAX_COST=10**6, LOG_REQUESTS=False)
        with app.test_request_context("/"):
            t0 = time.perf_counter()
            overlaps = populate(args.pairs)
            print(f"{2 * args.pairs} initiatives, {overlaps} overlaps registered in {time.perf_counter() - t0:.1f} s "
                  f"({db.engine.dialect.name})\n")
            print(f"{'page':>5} | {'per field: stmts':>16} {'p50 ms':>7} {'p95 ms':>7} | "
                  f"{'loaders: stmts':>14} {'p50 ms':>7} {'p95 ms':>7} | {'stmts ratio':>11} {'p50 ratio':>9}")
            for first in SIZES:
                if first > 2 * args.pairs:
                    continue
                figures = {}
                for name, cls in (("per field", PerFieldLoaders), ("loaders", Loaders)):
                    run_once(cls, first)  # warm-up
                    runs = [run_once(cls, first) for _ in range(args.repeat)]
                    figures[name] = (runs[0][0], *percentiles([ms for _, ms, _ in runs]), runs[0][2])
                (old_n, old_p50, old_p95, old_data), (new_n, new_p50, new_p95, new_data) = figures.values()
                assert old_data == new_data, "the two paths must answer the same"
                print(f"{first:>5} | {old_n:>16} {old_p50:>7.1f} {old_p95:>7.1f} | {new_n:>14} {new_p50:>7.1f} "
                      f"{new_p95:>7.1f} | {old_n / new_n:>10.1f}x {old_p50 / new_p50:>8.1f}x")
        client = app.test_client()
        with app.app_context():
            gql = http_ms(client, args.repeat, lambda c: c.post("/graphql", json={
                "query": PAGE, "variables": {"first": 100}}))
            rest = http_ms(client, args.repeat, lambda c: c.get("/api/v1/initiatives?first=100"))
        print(f"\nOver HTTP, p50: GraphQL page of 100 with overlaps (loaders) {gql:.1f} ms; "
              f"REST /api/v1/initiatives?first=100 (no overlaps) {rest:.1f} ms ({gql / rest:.2f}x REST)")


if __name__ == "__main__":
    main()

"""Benchmark: registering one initiative through the service, with many already stored.

For each size (default 300 as the baseline, then 5,000 and 50,000), a fresh SQLite database
holds the synthetic corpus (`bench/synthetic.py`, real-like density: towns, satellites,
national programmes) with its overlaps stored (`bench_analytics.populate`). The overlap index
is warmed, as in a serving process. Then `--writes` new initiatives are registered one by one
through `register_initiative` (validation, suggestions, places, history, overlap detection,
notices, commit), each a new organisation's copy of a stored initiative's text, goals and
place, so it overlaps as real registrations in a busy area do.

Prints per size: p50 / p95 / max ms per registration (wall) and the p50 of its CPU time (the
figure to read on a shared machine), SQL statements per registration and
overlaps found per registration (what the cost should grow with; the database size should
not matter).

    .venv/bin/python -m bench.bench_register [--sizes 300,5000,50000] [--writes 100]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, select

from api import create_app
from api.extensions import db
from bench.bench_analytics import populate
from coordination import models as m
from coordination.errors import ValidationError
from coordination.permissions import Actor
from coordination.services import overlap_index
from coordination.services.initiatives import register_initiative
from coordination.services.visions import ensure_sdg_vision
from coordination.unit_of_work import UnitOfWork


def _copies(writes: int, seed: int = 5) -> list[tuple[dict, int]]:
    """(registration body, its organisation id): copies of stored initiatives, new organisations."""
    rng = random.Random(seed)
    session = db.session
    ids = list(session.scalars(select(m.Initiative.id)))
    bodies = []
    for number, initiative_id in enumerate(rng.sample(ids, writes)):
        initiative = session.get(m.Initiative, initiative_id)
        codes = list(session.scalars(select(m.Goal.code).join(m.InitiativeGoal).where(
            m.InitiativeGoal.initiative_id == initiative_id)))
        places = [{"name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon}
                  for p in session.scalars(select(m.Location).where(m.Location.initiative_id == initiative_id))]
        org = m.Organisation(slug=f"bench-writer-{number}", name=f"Bench writer {number}",
                           name_key=f"bench writer {number}", aliases=[], alias_keys="", description="")
        session.add(org)
        session.flush()
        bodies.append(({"title": f"{initiative.title} (new)"[:300], "description": initiative.description,
                        "goals": codes, "locations": places,
                        "start": initiative.start_date.isoformat() if initiative.start_date else None,
                        "end": initiative.end_date.isoformat() if initiative.end_date else None}, org.id))
    session.commit()
    return bodies


def measure(size: int, writes: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite'}",
                          "SECRET_KEY": "bench"})
        with app.app_context():
            m.Base.metadata.create_all(db.engine)
            ensure_sdg_vision(db.session)
            db.session.commit()
            stored = populate(size)
            bodies = _copies(writes)
            overlap_index.current_index(db.session)  # a serving process has its index warm
            db.session.commit()
            statements = [0]
            event.listen(db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))
            times, cpu, counts, found, refused = [], [], [], [], [0]
            for body, org_id in bodies:
                actor = Actor(role="member", organisation_id=org_id, label="bench")
                before = statements[0]
                t0, c0 = time.perf_counter(), time.process_time()
                try:
                    with UnitOfWork(db.session) as uow:
                        initiative = register_initiative(uow, actor, body)
                        uow.commit()
                except ValidationError:
                    refused[0] += 1  # a synthetic point in the sea, say: not a registration
                    continue
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                counts.append(statements[0] - before)
                found.append(db.session.scalar(select(m.Overlap.id).where(
                    (m.Overlap.initiative_a_id == initiative.id) | (m.Overlap.initiative_b_id == initiative.id)
                ).limit(1000).with_only_columns(db.func.count())))
            db.engine.dispose()
    times.sort()
    return {"size": size, "stored_overlaps": stored, "p50": statistics.median(times),
            "p95": times[int(0.95 * (len(times) - 1))], "max": times[-1], "cpu50": statistics.median(cpu),
            "statements": statistics.median(counts), "found": statistics.mean(found), "found_max": max(found),
            "refused": refused[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,5000,50000")
    parser.add_argument("--writes", type=int, default=100)
    args = parser.parse_args()
    print(f"{'stored':>8} {'overlaps':>9} | {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
          f"{'CPU p50':>7} {'statements':>10} {'found/write':>11} {'max found':>9}")
    for size in (int(s) for s in args.sizes.split(",")):
        r = measure(size, args.writes)
        print(f"{r['size']:>8,} {r['stored_overlaps']:>9,} | {r['p50']:7.1f} {r['p95']:7.1f} {r['max']:7.1f} {r['cpu50']:7.1f} "
              f"{r['statements']:>10.0f} {r['found']:>11.1f} {r['found_max']:>9}  ({r['refused']} refused)", flush=True)


if __name__ == "__main__":
    main()

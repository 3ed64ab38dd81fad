"""Benchmark: the public map's viewport answers with 100k initiatives, before and after the point table.

Builds a SQLite database with N initiatives (bulk inserts through SQLAlchemy core) and, in
Nairobi, overlaps between initiatives of different organisations. For a world, a country
and a city viewport it times, in the same process:

- before: the answer as it was computed before `coordination.mapping.table` (every point
  read through the ORM by `read.map_points`, then clustered) -- the baseline;
- build: the first view ever, with no table in memory nor stored (`mapping.snapshot`): the
  table is read from every point and stored (what every new process paid before issue #16);
- cold: a new process: no table in memory, the stored snapshot loaded (p50 / p95 of 20);
- warm: the table and its per-zoom index in memory (p50 / p95 of 20);
- after write: the first view after a logged write (the table replays it, the index of
  the new table is built for the zoom; p50 / p95 of 10);
- http: a repeated GET of `/map/initiatives.geojson` (finished answers are cached);
- naive: every point of the viewport as its own feature with its popup (sizes only matter).

Then the overlap lines and convergence groups of the city view (`/map/overlaps.geojson`).
Prints sizes (KB, plain and gzipped) and ratios against the baseline.

    .venv/bin/python bench/bench_map.py [--n 100000] [--db /tmp/bench_map.sqlite]
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from sqlalchemy import delete, func, insert, select

from api import create_app
from api.extensions import db
from api.pages.geojson import overlaps_geojson_for, viewport_geojson
from coordination.mapping import cluster_points, effective_zoom
from coordination.mapping import table as point_table
from coordination.mapping.read import map_points, popup_details
from coordination.models import (
    Base,
    Change,
    Goal,
    Initiative,
    InitiativeGoal,
    Location,
    MapSnapshot,
    Organisation,
    Overlap,
    Vision,
)
from api.sqlite import declare_read_only
from coordination.permissions import ANONYMOUS
from coordination.queries import InitiativeFilter
from coordination.services.visions import ensure_sdg_vision

VIEWS = {  # name: (zoom, bbox) as a 1280×800 browser would ask
    "world": (2, (-180.0, -85.0, 180.0, 85.0)),
    "country (Kenya)": (6, (33.0, -5.5, 42.0, 5.5)),
    "city (Nairobi)": (12, (36.70, -1.36, 36.93, -1.21)),
}


def populate(n: int, seed: int = 7) -> None:
    """N initiatives of 1,000 organisations: a quarter in Kenya (a tenth of those in Nairobi), the rest worldwide."""
    rng = random.Random(seed)
    goals = db.session.execute(select(Goal.id, Goal.level).join(Vision).where(Vision.slug == "sdg")).all()
    target_ids = [g for g, level in goals if level == "target"]
    conn = db.session.connection()
    conn.execute(insert(Organisation), [
        {"id": i, "slug": f"org-{i}", "name": f"Organisation {i}", "name_key": f"organisation {i}",
         "aliases": [], "alias_keys": "", "description": "", "verified": True} for i in range(1, 1001)])
    cities = [(rng.uniform(-40, 60), rng.uniform(-120, 150)) for _ in range(300)]
    batch_i, batch_g, batch_l = [], [], []
    for i in range(1, n + 1):
        r = rng.random()
        if r < 0.025:
            lat, lon, country = rng.gauss(-1.286, 0.04), rng.gauss(36.817, 0.05), "KE"
        elif r < 0.25:
            lat, lon, country = rng.uniform(-4.5, 4.5), rng.uniform(34, 41.5), "KE"
        else:
            clat, clon = rng.choice(cities)
            lat, lon, country = max(-89.0, min(89.0, rng.gauss(clat, 2))), max(-179.0, min(179.0, rng.gauss(clon, 2))), "XX"
        start = date(rng.randint(2018, 2025), rng.randint(1, 12), 1)
        batch_i.append({"id": i, "title": f"Initiative number {i} for water, food and schools",
                        "description": "", "organisation_id": rng.randint(1, 1000), "start_date": start,
                        "end_date": date(start.year + rng.randint(1, 4), start.month, 1), "status": 2,
                        "visibility": "public", "public_precision": "exact" if rng.random() > 0.02 else "admin",
                        "provenance": "bench", "version": 1})
        batch_g.append({"initiative_id": i, "goal_id": rng.choice(target_ids), "primary": True, "source": "own"})
        batch_l.append({"initiative_id": i, "lat": lat, "lon": lon, "country": country, "precision": "point",
                        "admin1": "Nairobi" if r < 0.025 else None})
        if len(batch_i) == 10_000 or i == n:
            conn.execute(insert(Initiative), batch_i)
            conn.execute(insert(InitiativeGoal), batch_g)
            conn.execute(insert(Location), batch_l)
            batch_i, batch_g, batch_l = [], [], []
    db.session.commit()


def populate_overlaps(seed: int = 11) -> int:
    """Overlaps in Nairobi: each initiative there paired with up to 3 others of other organisations."""
    rng = random.Random(seed)
    rows = db.session.execute(select(Initiative.id, Initiative.organisation_id).join(Location).where(
        Location.admin1 == "Nairobi")).all()
    pairs: dict[tuple[int, int], tuple[int, int]] = {}
    for i, org in rows:
        for j, other_org in rng.sample(rows, min(3, len(rows))):
            if other_org != org and i != j:
                a, b = sorted(((i, org), (j, other_org)))
                pairs[(a[0], b[0])] = (a[1], b[1])
    db.session.execute(insert(Overlap), [
        {"initiative_a_id": a, "initiative_b_id": b, "organisation_a_id": oa, "organisation_b_id": ob,
         "score": round(rng.uniform(0.48, 0.95), 4), "components": {},
         "explanation": "both target 6.1, in Nairobi, 2 km apart, both active in 2025, descriptions 60% similar",
         "status": "suggested", "active": True} for (a, b), (oa, ob) in pairs.items()])
    db.session.commit()
    return len(pairs)


def naive(session, f, bbox) -> dict:
    """Every point of the viewport as its own feature, with its popup (the unclustered answer)."""
    points = map_points(session, ANONYMOUS, f, bbox)
    details = popup_details(session, [p.initiative_id for p in points])
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(p.lon, 5), round(p.lat, 5)]},
         "properties": {"id": p.initiative_id, "colour": p.colour, **details[p.initiative_id],
                        "url": f"/initiatives/{p.initiative_id}"}} for p in points]}


def before(session, f, bbox, zoom: int) -> dict:
    """The clustered answer as computed before the point table: ORM points, clustered (the baseline).

    It clusters with today's `cluster_points` (sort-based, faster than the original), so the
    ratios against it are if anything understated.
    """
    zoom = effective_zoom(zoom, bbox)
    points = map_points(session, ANONYMOUS, f, bbox)
    items = cluster_points(points, zoom)
    details = popup_details(session, [c.initiative_id for c in items if c.initiative_id is not None])
    features = []
    for c in items:
        props = ({"cluster": True, "count": c.count, "colour": c.colour} if c.initiative_id is None else
                 {"id": c.initiative_id, "colour": c.colour, **details.get(c.initiative_id, {})})
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
                         "properties": props})
    return {"type": "FeatureCollection", "features": features,
            "meta": {"points": len(points), "initiatives": len({p.initiative_id for p in points})}}


def measure(fn, repeat: int = 3, setup=None) -> tuple[float, bytes]:
    """Best wall time in ms (calling `setup` untimed before each run) and the encoded answer."""
    best, body = float("inf"), b""
    for _ in range(repeat):
        if setup:
            setup()
        t0 = time.perf_counter()
        body = json.dumps(fn(), separators=(",", ":")).encode()
        best = min(best, (time.perf_counter() - t0) * 1000)
    return best, body


def percentiles(fn, repeat: int, setup=None) -> tuple[float, float]:
    """(p50, p95) wall time in ms of `repeat` runs, calling `setup` untimed before each."""
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        t0 = time.perf_counter()
        json.dumps(fn(), separators=(",", ":"))
        times.append((time.perf_counter() - t0) * 1000)
    p50, p95 = np.percentile(times, [50, 95])
    return float(p50), float(p95)


def logged_write() -> None:
    """A logged update of one initiative (what the change log replays), committed."""
    db.session.commit()
    initiative = random.randint(1, 1000)
    db.session.execute(insert(Change).values(entity_type="initiative", entity_id=initiative, action="update",
                                             actor="bench"))
    db.session.commit()


def new_process() -> None:
    """No table in memory (a new process), the stored one in the database; a new transaction."""
    db.session.commit()
    point_table.forget_all()


def forget_stored() -> None:
    """No table in memory and none stored: the first view ever."""
    db.session.commit()
    point_table.forget_all()
    db.session.execute(delete(MapSnapshot))
    db.session.commit()


def http_ms(client, url: str, repeat: int = 5) -> tuple[float, int]:
    """Best time of a repeated GET (the answer is cached after the first) and the gzipped size."""
    client.get(url, headers={"Accept-Encoding": "gzip"})
    best, size = float("inf"), 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        best = min(best, (time.perf_counter() - t0) * 1000)
        size = len(response.get_data())
    return best, size


def main() -> None:
    """Build (or reuse) the database, measure each view, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None,
                        help="keep the database in this file and reuse it when it already holds --n initiatives")
    parser.add_argument("--url", default=None,
                        help="a database URL instead of --db (PostgreSQL stores the snapshot a cold process loads)")
    parser.add_argument("--views-only", action="store_true",
                        help="only the viewport figures (no 'before', filtered views, overlaps or naive sizes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.sqlite"
        app = create_app({"SQLALCHEMY_DATABASE_URI": args.url or f"sqlite:///{path}", "SECRET_KEY": "bench"})
        with app.test_request_context("/"):
            Base.metadata.create_all(db.engine)
            have = db.session.scalar(select(func.count()).select_from(Initiative))
            if have != args.n:
                if have:
                    sys.exit(f"{args.url or path} holds {have:,} initiatives, not {args.n:,}: remove it or pass another --db")
                ensure_sdg_vision(db.session)
                db.session.commit()
                t0 = time.perf_counter()
                populate(args.n)
                print(f"inserted {args.n:,} initiatives in {time.perf_counter() - t0:.1f} s")
            else:
                print(f"reusing {args.url or path} ({have:,} initiatives)")
            if not db.session.scalar(select(func.count()).select_from(Overlap)):
                print(f"inserted {populate_overlaps():,} overlaps in Nairobi")
            db.session.commit()
            client = app.test_client()
            f = InitiativeFilter()
            declare_read_only()  # read as a GET request does (SQLite: no write lock held while reading)
            logged_write()  # a change log to replay from (a bulk-loaded database has none yet)
            print(f"\n{'view':<16} {'features':>8} {'KB':>6} {'KB gz':>6} | {'naive feats':>11} {'naive KB':>8} "
                  f"| {'before ms':>9} {'build ms':>8} {'cold p50/p95':>13} {'warm p50/p95':>13} "
                  f"{'after write':>13} {'http ms':>7}")
            for name, (zoom, bbox) in VIEWS.items():
                view = lambda b=bbox, z=zoom: viewport_geojson(db.session, ANONYMOUS, f, b, z)
                bms = (float("nan") if args.views_only else
                       measure(lambda b=bbox, z=zoom: before(db.session, f, b, z))[0])
                build, _ = measure(view, repeat=1, setup=forget_stored)
                cold = percentiles(view, 20, setup=new_process)
                warm = percentiles(view, 20)
                after = percentiles(view, 10, setup=logged_write)
                _wms, body = measure(view, repeat=1)
                hms, _ = http_ms(client, f"/map/initiatives.geojson?zoom={zoom}&bbox={','.join(map(str, bbox))}")
                nbody = b'{"features":[]}' if args.views_only else measure(
                    lambda b=bbox: naive(db.session, f, b), repeat=1)[1]
                feats = len(json.loads(body)["features"])
                nfeats = len(json.loads(nbody)["features"])
                print(f"{name:<16} {feats:>8,} {len(body) / 1024:>6.1f} {len(gzip.compress(body)) / 1024:>6.1f} | "
                      f"{nfeats:>11,} {len(nbody) / 1024:>8.0f} | {bms:>9.0f} {build:>8.0f} "
                      f"{cold[0]:>6.1f}/{cold[1]:<6.1f} {warm[0]:>6.1f}/{warm[1]:<6.1f} "
                      f"{after[0]:>6.1f}/{after[1]:<6.1f} {hms:>7.1f}")
            if args.views_only:
                return
            world = VIEWS["world"][1]
            for label, gf in (("goal 6", InitiativeFilter(goal="6")), ("year 2020", InitiativeFilter(year=2020))):
                bms, _ = measure(lambda g=gf: before(db.session, g, world, 2))
                point_table.MATCHES.clear()
                first, _ = measure(lambda g=gf: viewport_geojson(db.session, ANONYMOUS, g, world, 2), repeat=1)
                wms, body = measure(lambda g=gf: viewport_geojson(db.session, ANONYMOUS, g, world, 2))
                print(f"\nworld, filtered to {label}: {len(json.loads(body)['features'])} features, "
                      f"{len(body) / 1024:.1f} KB; before {bms:.0f} ms, first {first:.0f} ms "
                      f"(the filter's SQL), then {wms:.1f} ms ({bms / wms:.0f}x)")
            zoom, bbox = VIEWS["city (Nairobi)"]
            point_table.forget_all()
            cold, _ = measure(lambda: overlaps_geojson_for(db.session, ANONYMOUS, f, bbox, zoom), repeat=1)
            warm, body = measure(lambda: overlaps_geojson_for(db.session, ANONYMOUS, f, bbox, zoom))
            answer = json.loads(body)
            print(f"\noverlaps, city (Nairobi): {answer['meta']['lines']} lines of {answer['meta']['overlaps']:,} "
                  f"overlaps, {answer['meta']['groups']} groups, {len(body) / 1024:.1f} KB "
                  f"({len(gzip.compress(body)) / 1024:.1f} KB gz); cold {cold:.0f} ms, warm {warm:.0f} ms")


if __name__ == "__main__":
    main()

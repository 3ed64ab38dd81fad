"""Benchmark: the public map's viewport answer with 100k initiatives, clustered vs naive.

Builds a temporary SQLite database with N initiatives (bulk inserts through SQLAlchemy
core), then times `/map/initiatives.geojson`'s work for a world, a country and a city
viewport, against a naive answer built in the same process: every point of the viewport
as its own feature with its popup. Prints sizes (KB, plain and gzipped) and ratios.

    .venv/bin/python bench/bench_map.py [--n 100000]
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

from sqlalchemy import insert, select

from api import create_app
from api.extensions import db
from api.pages.geojson import viewport_geojson
from coordination.mapping.read import map_points, popup_details
from coordination.models import (
    Base,
    Goal,
    Initiative,
    InitiativeGoal,
    Location,
    Organisation,
    Vision,
)
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


def naive(session, f, bbox) -> dict:
    """The baseline: every point of the viewport as its own feature, with its popup."""
    points = map_points(session, ANONYMOUS, f, bbox)
    details = popup_details(session, [p.initiative_id for p in points])
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(p.lon, 5), round(p.lat, 5)]},
         "properties": {"id": p.initiative_id, "colour": p.colour, **details[p.initiative_id],
                        "url": f"/initiatives/{p.initiative_id}"}} for p in points]}


def measure(fn, repeat: int = 3) -> tuple[float, bytes]:
    """Best wall time in ms and the encoded answer."""
    best, body = float("inf"), b""
    for _ in range(repeat):
        t0 = time.perf_counter()
        body = json.dumps(fn(), separators=(",", ":")).encode()
        best = min(best, (time.perf_counter() - t0) * 1000)
    return best, body


def main() -> None:
    """Build the database, measure each view, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite", "SECRET_KEY": "bench"})
        with app.test_request_context("/"):
            Base.metadata.create_all(db.engine)
            ensure_sdg_vision(db.session)
            db.session.commit()
            t0 = time.perf_counter()
            populate(args.n)
            print(f"inserted {args.n:,} initiatives in {time.perf_counter() - t0:.1f} s\n")
            print(f"{'view':<16} {'features':>9} {'KB':>8} {'KB gz':>7} {'ms':>7} | {'naive feats':>11} "
                  f"{'naive KB':>9} {'naive ms':>9} | {'size ×':>7} {'time ×':>7}")
            f = InitiativeFilter()
            for name, (zoom, bbox) in VIEWS.items():
                ms, body = measure(lambda b=bbox, z=zoom: viewport_geojson(db.session, ANONYMOUS, f, b, z))
                nms, nbody = measure(lambda b=bbox: naive(db.session, f, b), repeat=1)
                feats = len(json.loads(body)["features"])
                nfeats = len(json.loads(nbody)["features"])
                print(f"{name:<16} {feats:>9,} {len(body) / 1024:>8.1f} {len(gzip.compress(body)) / 1024:>7.1f} "
                      f"{ms:>7.0f} | {nfeats:>11,} {len(nbody) / 1024:>9.0f} {nms:>9.0f} | "
                      f"{len(nbody) / len(body):>7.0f} {nms / ms:>7.1f}")
            gf = InitiativeFilter(goal="6")
            ms, body = measure(lambda: viewport_geojson(db.session, ANONYMOUS, gf, VIEWS["world"][1], 2))
            print(f"\nworld, filtered to goal 6: {len(json.loads(body)['features'])} features, "
                  f"{len(body) / 1024:.1f} KB, {ms:.0f} ms")


if __name__ == "__main__":
    main()

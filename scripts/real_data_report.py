"""Before/after on real data: what a coordinator gets from the demo and from each real 3W/IATI file.

For each data set, a fresh SQLite instance is built with a given checkout of this repository
(`--code`, default: this one) through its own command line (`init`, `seed` or `import`,
`converge`), then measured with that checkout's own code:

- overlaps by link kind (overlap, duplicate; everything is an overlap before kinds existed);
- notices reaching each organisation (max, p95) and own initiatives they bundle into;
- convergence group sizes (initiatives and organisations: max, p95) and how many were split;
- organisations, and how many hold UNICEF's names (one is right);
- country-precision locations carrying an admin-1 (should be none);
- identical points: the most initiatives stacked on one point, and distinct points;
- fragmentation gaps that contradict a cell of the same area (should be none).

Usage (the "before" column: a clone of an older commit):
    git clone -q . /tmp/before && git -C /tmp/before checkout -q 01e5051
    python scripts/real_data_report.py --code /tmp/before --out /tmp/before.json
    python scripts/real_data_report.py --out /tmp/after.json
    python scripts/real_data_report.py --table /tmp/before.json /tmp/after.json
Real files are read from ../shared/data (`--data`); data sets whose files are missing are skipped.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
AF = "hxl/hdx-afghanistan-3w-op/"
CA = "hxl/hdx-central-america-345w/"
SETS: dict[str, tuple[str, list[str]]] = {
    "demo (seed_data)": ("seed", []),
    "Afghanistan 3W Jan-Mar 2024": ("hxl", [AF + "afghanistan_3w_operational_presence_january_march_2024.csv"]),
    "Afghanistan 3W Jul-Sep 2021": ("hxl", [AF + "afghanistan_who_does_what_where_july_to_september_2021.csv"]),
    "Afghanistan 3W, both quarters": ("hxl", [AF + "afghanistan_who_does_what_where_july_to_september_2021.csv",
                                              AF + "afghanistan_3w_operational_presence_january_march_2024.csv"]),
    "Honduras 345W 2021": ("hxl", [CA + "whowhatwhere_345_honduras.csv"]),
    "El Salvador 345W 2021": ("hxl", [CA + "whowhatwhere_345w_el_salvador.csv"]),
    "Guatemala 345W 2021": ("hxl", [CA + "whowhatwhere_345w_guatemala.csv"]),
    "IATI D-Portal COVID-19 (401 activities)": ("iati", ["iati/dportal-ocha-iati-viz/covid_input_dportal.xml"]),
}

# Runs inside the instance, with the measured checkout's code on sys.path.
MEASURE = r'''
import json, math, sys
from collections import Counter
import networkx as nx
from sqlalchemy import inspect, text
from api import create_app
from api.extensions import db
from coordination import insights
from coordination.permissions import Actor
from coordination.queries import InitiativeFilter

def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, math.ceil(0.95 * len(values)) - 1)] if values else 0

app = create_app()
with app.app_context():
    s = db.session
    q = lambda sql: s.execute(text(sql)).all()
    cols = {c["name"] for c in inspect(db.engine).get_columns("overlap")}
    kind = "kind" if "kind" in cols else "'overlap'"
    out = {"initiatives": q("select count(*) from initiative where withdrawn_at is null")[0][0]}
    out["organisations"] = q("select count(distinct organisation_id) from initiative where withdrawn_at is null")[0][0]
    out["overlaps"] = dict(q(f"select {kind}, count(*) from overlap where active group by 1"))
    import coordination, pathlib
    threshold = 0.0  # before nudges existed every notice reached the organisation
    if (pathlib.Path(coordination.__file__).parent / "nudges.py").exists():
        from coordination.nudges import POLICY
        threshold = POLICY.notify_threshold
    rows = q("select n.organisation_id, case when o.organisation_a_id = n.organisation_id then o.initiative_a_id "
             f"else o.initiative_b_id end from overlap_notice n join overlap o on o.id = n.overlap_id "
             f"where o.active and o.score >= {threshold}")
    per_org = Counter(org for org, _own in rows)
    bundles = Counter(org for org, _own in set(rows))
    out["notices"] = {"max": max(per_org.values(), default=0), "p95": p95(per_org.values()),
                      "organisations": len(per_org), "bundles_max": max(bundles.values(), default=0),
                      "bundles_p95": p95(bundles.values()), "threshold": threshold}
    groups = insights.groups_for(s, Actor(role="coordinator"), InitiativeFilter(), with_allies=False, limit=10**7)
    sizes = [len(g["initiative_ids"]) for g in groups]
    orgs = [len(g["organisation_ids"]) for g in groups]
    out["groups"] = {"count": len(groups), "initiatives_max": max(sizes, default=0), "initiatives_p95": p95(sizes),
                     "organisations_max": max(orgs, default=0), "organisations_p95": p95(orgs),
                     "split": sum(1 for g in groups if g.get("split_from"))}
    out["unicef_organisations"] = q("select count(*) from organisation where (lower(name) like '%unicef%' "
                                    "or lower(name) like '%children''s fund%' or org_identifier = 'XM-DAC-41122') "
                                    "and id in (select organisation_id from initiative where withdrawn_at is null)")[0][0]
    out["country_locations_with_admin1"] = q("select count(*) from location where precision = 'country' "
                                             "and admin1 is not null")[0][0]
    stacks = Counter((round(a, 5), round(b, 5)) for (a, b) in q(
        "select distinct l.lat, l.lon from location l join initiative i on i.id = l.initiative_id "
        "where l.lat is not null and i.withdrawn_at is null"))
    points = Counter((round(a, 5), round(b, 5)) for (i, a, b) in q(
        "select distinct l.initiative_id, l.lat, l.lon from location l where l.lat is not null"))
    out["points"] = {"distinct": len(stacks), "most_stacked": max(points.values(), default=0)}
    bad = 0
    for country in [c for (c,) in q("select distinct country from location where country is not null")][:40]:
        everything = insights.fragmentation_for(s, Actor(role="coordinator"), InitiativeFilter(country=country), "admin1")
        worked = {(c["goal"], c["area"]) for c in everything["cells"]}
        for goal in sorted({c["goal"] for c in everything["cells"]})[:6]:
            data = insights.fragmentation_for(s, Actor(role="coordinator"),
                                              InitiativeFilter(goal=goal, country=country), "admin1")
            bad += sum((g["goal"], g["area"]) in worked for g in data["gaps"])
    out["gaps_contradicting_cells"] = bad
    print(json.dumps(out))
'''


def _cli(code: Path, instance: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(code), "COORDINATION_INSTANCE": str(instance)}
    env.pop("DATABASE_URL", None)
    cmd = [sys.executable, "-c", "from api.cli import main; main()", *args]
    subprocess.run(cmd, cwd=code, env=env, check=True, stdout=subprocess.DEVNULL)


def measure(code: Path, data: Path, name: str, how: str, files: list[str]) -> dict:
    """Build one data set's instance with `code` and measure it."""
    with tempfile.TemporaryDirectory(prefix="report-") as tmp:
        instance = Path(tmp)
        _cli(code, instance, "init")
        if how == "seed":
            _cli(code, instance, "seed")
        else:
            _cli(code, instance, "import", how, "--quiet", *[str(data / f) for f in files])
        _cli(code, instance, "converge")
        env = {**os.environ, "PYTHONPATH": str(code), "COORDINATION_INSTANCE": str(instance)}
        env.pop("DATABASE_URL", None)
        done = subprocess.run([sys.executable, "-c", MEASURE], cwd=code, env=env, check=True,
                              capture_output=True, text=True)
        return json.loads(done.stdout.strip().splitlines()[-1])


def _cell(m: dict | None, key: str) -> str:
    if m is None:
        return "–"
    if key == "overlaps":
        return ", ".join(f"{v:,} {k}" for k, v in sorted(m["overlaps"].items())) or "0"
    if key == "notices":
        n = m["notices"]
        return f"{n['max']:,} / {n['p95']:,} (bundles {n['bundles_max']:,} / {n['bundles_p95']:,})"
    if key == "groups":
        g = m["groups"]
        return (f"{g['count']:,}; max {g['initiatives_max']} init. / {g['organisations_max']} org.; "
                f"p95 {g['initiatives_p95']} / {g['organisations_p95']}; split {g['split']}")
    if key == "points":
        return f"{m['points']['distinct']:,} points, most stacked {m['points']['most_stacked']}"
    return f"{m[key]:,}"


ROWS = [("initiatives", "initiatives"), ("organisations", "organisations"), ("overlaps", "active links by kind"),
        ("notices", "notices per org max / p95"), ("groups", "groups"), ("unicef_organisations", "UNICEF organisations"),
        ("country_locations_with_admin1", "country locations with an admin-1"), ("points", "identical points"),
        ("gaps_contradicting_cells", "gaps contradicting a cell")]


def table(before: dict, after: dict) -> str:
    """A markdown table per data set: before | after."""
    lines = []
    for name in after:
        lines += [f"\n### {name}\n", "| measure | before | after |", "|---|---|---|"]
        lines += [f"| {label} | {_cell(before.get(name), key)} | {_cell(after.get(name), key)} |" for key, label in ROWS]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose code builds and measures")
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--only", action="append", help="data set names to run (substring)")
    parser.add_argument("--out", type=Path, help="write the measures as JSON here")
    parser.add_argument("--table", nargs=2, type=Path, metavar=("BEFORE", "AFTER"), help="print the table and exit")
    args = parser.parse_args()
    if args.table:
        print(table(*(json.loads(p.read_text()) for p in args.table)))
        return
    results = {}
    for name, (how, files) in SETS.items():
        if args.only and not any(o.lower() in name.lower() for o in args.only):
            continue
        if not all((args.data / f).exists() for f in files):
            print(f"skipped {name}: data not found under {args.data}", file=sys.stderr)
            continue
        results[name] = measure(args.code.resolve(), args.data, name, how, files)
        print(name, json.dumps(results[name]), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

"""Run check_location over every point in the real data and print how many were flagged and why.

Sources: IATI <location><point><pos> (checked against the activity's recipient-country),
the UNHCR 3W (#lat_deg/#lon_deg with #country) and the WFP markets (#geo+lat/#geo+lon with
#country+code). Usage: .venv/bin/python scripts/geo_report.py [--shared PATH] [--examples N]
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from lxml import etree
from report_cli import report_args

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coordination.geo import LocationCheck, Verdict, check_location

Point = tuple[str, float | None, float | None, list[str]]  # label, lat, lon, declared countries


def number(text: str | None) -> float | None:
    """A float from text, None when empty or not a number."""
    try:
        return float(text) if text and text.strip() else None
    except ValueError:
        return None


def iati_points(iati_dir: Path) -> Iterator[Point]:
    """Every pos of every activity, with the activity's recipient countries."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for path in sorted(iati_dir.rglob("*.xml")):
        if "codelists" in path.parts or path.parent.name.startswith("schemas"):
            continue
        for activity in etree.parse(str(path), parser).iter("iati-activity"):
            countries = [c.get("code", "") for c in activity.findall("recipient-country")]
            ident = (activity.findtext("iati-identifier") or "?").strip()
            for pos in activity.iterfind("location/point/pos"):
                parts = (pos.text or "").split()
                lat, lon = (number(parts[0]), number(parts[1])) if len(parts) == 2 else (None, None)
                yield f"{path.name} {ident}", lat, lon, countries


def hxl_points(path: Path, lat_tag: str, lon_tag: str, country_tag: str) -> Iterator[Point]:
    """Points from an HXL CSV whose hashtag row is the second row."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    tags = [t.replace(" ", "").lower() for t in rows[1]]
    i_lat, i_lon, i_country = tags.index(lat_tag), tags.index(lon_tag), tags.index(country_tag)
    for n, row in enumerate(rows[2:], start=3):
        yield f"{path.name} row {n}", number(row[i_lat]), number(row[i_lon]), [row[i_country]]


def is_regional(value: str) -> bool:
    """UNHCR writes regional operations as countries ("Mali Situation", "Thailand-Myanmar")."""
    return value.strip().lower().endswith(" situation") or "-" in value.strip()


def check(point: Point) -> LocationCheck | None:
    """The check against the best-fitting declared country; None when the point has no coordinates."""
    _, lat, lon, countries = point
    if lat is None and lon is None:
        return None
    if any(is_regional(c) for c in countries):
        return LocationCheck(
            Verdict.UNCHECKED, f"regional operation {countries[0]!r}: no single country"
        )
    results = [check_location(lat, lon, c) for c in countries if c] or [check_location(lat, lon)]
    return next((r for r in results if r.ok), results[0])


def report(title: str, points: Iterator[Point], examples: int) -> Counter[str]:
    """Print counts per verdict and a few flagged examples."""
    verdicts: Counter[str] = Counter()
    shown: Counter[str] = Counter()
    lines = []
    for point in points:
        result = check(point)
        verdict = "no coordinates" if result is None else str(result.verdict)
        verdicts[verdict] += 1
        if result is not None and not result.ok and shown[verdict] < examples:
            shown[verdict] += 1
            lines.append(f"    {verdict}: {point[0]} ({point[1]}, {point[2]}) — {result.message}")
    total = sum(verdicts.values()) - verdicts["no coordinates"]
    flagged = sum(
        v for k, v in verdicts.items() if k not in (Verdict.OK, Verdict.UNCHECKED, "no coordinates")
    )
    print(
        f"{title}: {total} points, {flagged} flagged — "
        + ", ".join(f"{k} {v}" for k, v in verdicts.most_common())
    )
    print("\n".join(lines))
    return verdicts


def main() -> None:
    """Report per source and in total."""
    args = report_args(__doc__, "--examples", 3)
    hxl = args.shared / "hxl" / "hxl-showcase-legacy"
    total: Counter[str] = Counter()
    total += report("IATI <pos>", iati_points(args.shared / "iati"), args.examples)
    total += report(
        "UNHCR 3W",
        hxl_points(hxl / "unhcr-3w.csv", "#lat_deg", "#lon_deg", "#country"),
        args.examples,
    )
    wfp = args.shared / "geo" / "wfp_markets_hxl.csv"
    total += report(
        "WFP markets", hxl_points(wfp, "#geo+lat", "#geo+lon", "#country+code"), args.examples
    )
    print("all: " + ", ".join(f"{k} {v}" for k, v in total.most_common()))


if __name__ == "__main__":
    main()

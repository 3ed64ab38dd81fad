"""Rebuild the demo data (organisations.json, initiatives.json) from the real shared files.

Run from the repository root:  .venv/bin/python seed_data/build_seed.py [--shared ../shared/data]

It imports real IATI activity files and real HXL 3W files with `coordination.formats`,
keeps what shows overlaps on a map (IATI activities with coordinates or in the 3W
countries; 3W rows of a few provinces where many organisations share sectors), gives 3W
locations that only have admin names their area's point from the shipped gazetteer (the
district's own point when it has one, else its province's), and writes organisations once,
referenced from initiatives by a stable "key". See SOURCES.md.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coordination.formats.codes import fold
from coordination.formats.hxl_import import HxlStats, parse_hxl
from coordination.formats.hxl_period import parse_period
from coordination.formats.iati_import import parse_iati
from coordination.formats.items import collect
from coordination.geo import area_of_code

IATI_FILES = [
    "iati/dportal-ocha-iati-viz/covid_input_dportal.xml",
    "iati/dportal-ocha-iati-viz/foodsecurity_input_dportal.xml",
    "iati/dportal-ocha-iati-viz/saved_data/dportal_117.xml",
    "iati/dportal-ocha-iati-viz/saved_data/dportal_128.xml",
    "iati/dportal-ocha-iati-viz/saved_data/dportal_15.xml",
    "iati/dportal-ocha-iati-viz/saved_data/dportal_86.xml",
]
# Countries where the 3W data below lies: IATI activities there converge with 3W entries.
THREE_W_COUNTRIES = {"AF", "HN", "SV", "GT"}
# (file, admin-1 p-codes kept or None for all, reporting period of undated rows or None):
# provinces with many organisations per sector.
HXL_FILES: list[tuple[str, set[str] | None, str | None]] = [
    ("hxl/hdx-afghanistan-3w-op/afghanistan_3w_operational_presence_january_march_2024.csv",
     {"AF01", "AF32", "AF06", "AF21"}, "2024-01-01..2024-03-31"),  # Kabul, Hirat, Nangarhar, Balkh
    ("hxl/hdx-central-america-345w/whowhatwhere_345_honduras.csv",
     {"HN08", "HN05", "HN16", "HN04"}, None),  # Francisco Morazán, Cortés, Santa Bárbara, Copán
    ("hxl/hdx-central-america-345w/whowhatwhere_345w_el_salvador.csv", {"SV10", "SV05", "SV14"}, None),
]
MAX_DESCRIPTION = 700


def add_area_points(record: dict[str, Any]) -> Counter[str]:
    """Give admin-only locations the point of their area (display only), from the gazetteer: the
    admin-2 area's own point when it has one, else its admin-1's; count which kind each got."""
    got: Counter[str] = Counter()
    for location in record["locations"]:
        if location["lat"] is not None:
            continue
        area = area_of_code(location["admin2_code"]) or area_of_code(location["admin1_code"])
        if area is not None and area.lat is not None:
            location["lat"], location["lon"] = area.lat, area.lon
            got[area.point_precision or ""] += 1
    return got


def org_key(org: dict[str, Any]) -> str:
    """A stable key: the org identifier when known, else a slug of the name."""
    if org.get("org_identifier") and "-" in org["org_identifier"]:
        return org["org_identifier"]
    return "name:" + re.sub(r"[^a-z0-9]+", "-", fold(org["name"])).strip("-")[:80]


class OrganisationBook:
    """Organisations seen so far, merged by key."""

    def __init__(self) -> None:
        self.by_key: dict[str, dict[str, Any]] = {}

    def ref(self, org: dict[str, Any]) -> dict[str, str]:
        """Register an organisation and return its {"key": ...} reference."""
        key = org_key(org)
        known = self.by_key.setdefault(key, {"key": key, **org, "aliases": list(org.get("aliases") or [])})
        for field in ("type", "country", "org_identifier"):
            known[field] = known.get(field) or org.get(field)
        for alias in org.get("aliases") or []:
            if alias not in known["aliases"]:
                known["aliases"].append(alias)
        return {"key": key}


def keep_iati(record: dict[str, Any]) -> bool:
    """Keep activities with a point, in the 3W countries, or tagged with SDGs."""
    has_point = any(loc["lat"] is not None for loc in record["locations"])
    in_3w = any(loc["country"] in THREE_W_COUNTRIES for loc in record["locations"])
    return has_point or in_3w or bool(record["goals"] and record["locations"])


def country_centroids(path: Path) -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> (lat, lon) from dr5hn countries (the OCHA centroids are unsafe)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["iso2"]: (float(row["latitude"]), float(row["longitude"]))
                for row in csv.DictReader(handle) if row["latitude"] and row["longitude"]}


def add_country_centroids(record: dict[str, Any], centroids: dict[str, tuple[float, float]]) -> None:
    """Country-only locations get the country centroid; precision stays "country"."""
    for location in record["locations"]:
        if location["lat"] is None and location["precision"] == "country" and location["country"] in centroids:
            location["lat"], location["lon"] = centroids[location["country"]]


def build(shared: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Return (organisations, initiatives, report lines)."""
    book = OrganisationBook()
    initiatives: list[dict[str, Any]] = []
    seen_ids: set[str] = set()
    report: list[str] = []
    for relative in IATI_FILES:
        result = collect(parse_iati(shared / relative))
        kept = [r for r in result.records if keep_iati(r) and r["iati_identifier"] not in seen_ids]
        seen_ids.update(r["iati_identifier"] for r in kept)
        initiatives.extend(kept)
        report.append(f"{relative}: {len(result.records)} read, {len(kept)} kept")
    for relative, provinces, period in HXL_FILES:
        stats = HxlStats()
        records = collect(parse_hxl(shared / relative, stats=stats,
                                    period=parse_period(period) if period else None)).records
        kept = [r for r in records
                if provinces is None or any(loc["admin1_code"] in provinces for loc in r["locations"])]
        located = sum((add_area_points(r) for r in kept), Counter())
        total = sum(len(r["locations"]) for r in kept)
        dated = sum(1 for r in kept if r["start"])
        initiatives.extend(kept)
        report.append(f"{relative}: {len(records)} groups from {stats.rows} rows, {len(kept)} kept "
                      f"({dated} dated); p-codes resolved {stats.share_resolved:.1%}; of {total} locations, "
                      f"own admin-2 point {located['admin2']}, admin-1 point {located['admin1']}, "
                      f"country point {located['country']}")
    countries = country_centroids(shared / "geo/dr5hn_countries.csv")
    for record in initiatives:
        add_country_centroids(record, countries)
        if len(record["description"]) > MAX_DESCRIPTION:
            record["description"] = record["description"][:MAX_DESCRIPTION].rsplit(" ", 1)[0] + " …"
        record["organisation"] = book.ref(record["organisation"])
        for partner in record["partners"]:
            partner["organisation"] = book.ref(partner["organisation"])
    organisations = sorted(book.by_key.values(), key=lambda o: o["key"])
    return organisations, initiatives, report


def write_json_lines(path: Path, items: list[dict[str, Any]]) -> None:
    """Write a JSON array with one item per line: small, and diffs stay readable."""
    body = ",\n".join(json.dumps(item, ensure_ascii=False, sort_keys=True) for item in items)
    path.write_text("[\n" + body + "\n]\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Build the seed files and print what was kept."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "seed_data")
    args = parser.parse_args(argv)
    organisations, initiatives, report = build(args.shared)
    write_json_lines(args.out / "organisations.json", organisations)
    write_json_lines(args.out / "initiatives.json", initiatives)
    print("\n".join(report))
    print(f"{len(organisations)} organisations, {len(initiatives)} initiatives")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

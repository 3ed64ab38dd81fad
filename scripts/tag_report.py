"""Print how many distinct tag labels the real data has, before and after normalisation.

Sources: the #sector / #activity / #subsector columns of the HXL 3W files in
../shared/data/hxl/ and the DAC sector names (codelists) of the sectors used in
../shared/data/iati/. Usage: .venv/bin/python scripts/tag_report.py [--shared PATH] [--top N]
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

from lxml import etree
from report_cli import report_args

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coordination.tagging import normalise_tag

ID_MARKERS = ("_id", "+code", "+id")  # identifiers, not labels (WASH_OP style codes are kept below)


def hxl_labels(hxl_dir: Path, prefixes: tuple[str, ...]) -> list[str]:
    """Every non-empty label in columns whose hashtag starts with a prefix; ';'-separated cells split."""
    labels = []
    for path in sorted(hxl_dir.rglob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        if len(rows) < 2 or not any(c.strip().startswith("#") for c in rows[1]):
            continue
        tags = [c.replace(" ", "").lower() for c in rows[1]]
        columns = [
            i for i, t in enumerate(tags)
            if t.startswith(prefixes) and (not any(m in t for m in ID_MARKERS) or "+cluster+code" in t)
        ]  # fmt: skip
        for row in rows[2:]:
            for i in columns:
                if i < len(row):
                    labels += [part.strip() for part in row[i].split(";") if part.strip()]
    return labels


def iati_sector_labels(iati_dir: Path) -> list[str]:
    """DAC names (5-digit vocabulary 1, 3-digit vocabulary 2) of the sector codes the IATI files use."""
    names = {}
    for codelist in ("Sector", "SectorCategory"):
        for item in json.loads((iati_dir / "codelists" / "json" / f"{codelist}.json").read_text())[
            "data"
        ]:
            names[item["code"]] = item["name"]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    labels = []
    for path in sorted(iati_dir.rglob("*.xml")):
        if "codelists" in path.parts or "schemas" in path.parts[-2]:
            continue
        for sector in etree.parse(str(path), parser).iter("sector"):
            if sector.get("vocabulary", "1") in ("1", "2") and sector.get("code") in names:
                labels.append(names[sector.get("code")])
    return labels


def report(title: str, labels: list[str], top: int) -> set[str]:
    """Print the before/after counts and the largest merges; return the distinct labels."""
    groups: dict[str, set[str]] = defaultdict(set)
    for label in labels:
        groups[normalise_tag(label)].add(label)
    distinct = {label for label in labels}
    print(
        f"{title}: {len(labels)} labels, {len(distinct)} distinct → {len(groups)} normalised tags"
    )
    for key, members in sorted(groups.items(), key=lambda kv: -len(kv[1]))[:top]:
        if len(members) > 1:
            print(f"  {key}: {len(members)} labels, e.g. {sorted(members)[:4]}")
    return distinct


def main() -> None:
    """Report per source, then for all sources together (cross-source merges show up there)."""
    args = report_args(__doc__, "--top", 8)
    sectors = report(
        "HXL 3W #sector/#subsector",
        hxl_labels(args.shared / "hxl", ("#sector", "#subsector")),
        args.top,
    )
    activities = report(
        "HXL 3W #activity (free text)", hxl_labels(args.shared / "hxl", ("#activity",)), args.top
    )
    hxl = report("HXL 3W all tag columns", sorted(sectors | activities), 0)
    iati = report("IATI DAC sector names", iati_sector_labels(args.shared / "iati"), args.top)
    report("3W sectors + IATI DAC sectors", sorted(sectors | iati), args.top)
    report("all sources", sorted(hxl | iati), 0)


if __name__ == "__main__":
    main()

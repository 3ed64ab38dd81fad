"""Run the convergence engine on the real 3W files in ../shared/data/hxl/ and report what it finds.

Usage: python scripts/overlap_report_real.py [SHARED_DATA_DIR]
Prints, per file: initiatives, overlaps, share of initiatives in an overlap, convergence
groups (and how many are grassroots-only), the most fragmented areas, and example pairs.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from coordination.convergence import find_all_overlaps
from coordination.convergence.fragmentation import fragmentation_cells
from coordination.convergence.groups import convergence_groups
from coordination.formats import parse_hxl
from coordination.records import InitiativeRecord, PlaceRecord
from coordination.tagging import normalise_tag
from coordination.tagging.sector_goals import goals_for_tags

FILES = [
    "hdx-afghanistan-3w-op/afghanistan_3w_operational_presence_january_march_2024.csv",
    "hdx-central-america-345w/whowhatwhere_345_honduras.csv",
    "hdx-central-america-345w/whowhatwhere_345w_el_salvador.csv",
    "hdx-central-america-345w/whowhatwhere_345w_guatemala.csv",
]


def _date(text):
    return date.fromisoformat(text) if text else None


def records_of(path: Path) -> tuple[list[InitiativeRecord], dict[int, str]]:
    """Engine records from a 3W file (organisations numbered by name)."""
    orgs: dict[str, int] = {}
    records = []
    for item in parse_hxl(path):
        if item.record is None:
            continue
        r = item.record
        org = orgs.setdefault(r["organisation"]["name"], len(orgs) + 1)
        places = tuple(PlaceRecord(country=loc.get("country"), admin1=loc.get("admin1_code") or loc.get("admin1"),
                                   admin2=loc.get("admin2_code") or loc.get("admin2"), lat=loc.get("lat"),
                                   lon=loc.get("lon"), precision=loc.get("precision") or "admin1",
                                   name=loc.get("admin2") or loc.get("admin1")) for loc in r["locations"])
        start, end = _date(r.get("start")), _date(r.get("end"))
        # 3W files name sectors, not goals: the platform suggests the sectors' goals (as it does
        # on import), so fragmentation and gaps see this work.
        tags = [normalise_tag(t) for t in r.get("tags") or ()]
        if start and end and end < start:
            start, end = end, start
        records.append(InitiativeRecord(
            id=len(records) + 1, organisation_id=org, title=r["title"], description=r.get("description") or "",
            goals=frozenset(r.get("goals") or goals_for_tags(tags)), tags=frozenset(tags),
            places=places, start=start, end=end, org_type=r["organisation"].get("type")))
    return records, {v: k for k, v in orgs.items()}


def report(path: Path) -> None:
    """Print what the engine finds in one file."""
    records, names = records_of(path)
    t = time.perf_counter()
    overlaps = find_all_overlaps(records)
    elapsed = time.perf_counter() - t
    in_overlap = {i for o in overlaps for i in o.pair}
    groups = convergence_groups(records, overlaps)
    grassroots = sum(1 for g in groups if not g.has_institutional_actor)
    print(f"\n== {path.name}: {len(records)} initiatives, {len(names)} organisations")
    print(f"   {len(overlaps)} overlaps in {elapsed:.1f} s; {len(in_overlap) / max(len(records), 1):.0%} of "
          f"initiatives overlap another organisation's; {len(groups)} convergence groups "
          f"({grassroots} without an institutional actor); largest group: "
          f"{max((len(g.organisation_ids) for g in groups), default=0)} organisations")
    by_tag = Counter(t for o in overlaps for t in records[o.a_id - 1].tags & records[o.b_id - 1].tags)
    print("   shared tags in overlaps:", ", ".join(f"{k} {n}" for k, n in by_tag.most_common(5)))
    cells = fragmentation_cells(records, area_level="admin1", overlaps=overlaps)
    cells = sorted((c for c in cells if c.n_initiatives >= 5), key=lambda c: -c.effective_actors)[:3]
    for c in cells:
        print(f"   most fragmented: goal {c.goal} in {c.area}: {c.n_initiatives} initiatives, "
              f"{c.n_organisations} organisations, H={c.herfindahl:.3f}, effective actors {c.effective_actors:.1f}")
    for o in overlaps[:3]:
        a, b = records[o.a_id - 1], records[o.b_id - 1]
        print(f"   e.g. {o.score:.2f} {names[a.organisation_id]} «{a.title[:50]}» ~ "
              f"{names[b.organisation_id]} «{b.title[:50]}»: {o.explanation}")


if __name__ == "__main__":
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data"
    for name in FILES:
        report(shared / "hxl" / name)

"""Fragmentation: how scattered the work on one goal in one area is, and where the gaps are.

A cell is (goal, area, period). Its Herfindahl index H is the sum over organisations of the
squared share of the cell's initiatives they run; 1/H is the effective number of actors
(H = 1: one organisation does everything; many small equal actors: 1/H is large). A gap is a
goal nobody works on in an area where related work (a sibling target of the same goal, or a
linked goal) exists.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from coordination.convergence.goals import RELATED_GOALS, family, normalise_code
from coordination.convergence.kinds import DUPLICATE, OVERLAP
from coordination.convergence.overlap import OverlapFinding
from coordination.convergence.sdg_reference import TARGETS
from coordination.records import InitiativeRecord

Period = tuple[date | None, date | None]


@dataclass(frozen=True, slots=True)
class FragmentationCell:
    """Concentration of the work on one goal in one area during one period."""

    goal: str
    area: str
    period: Period | None
    n_initiatives: int
    n_organisations: int
    herfindahl: float
    effective_actors: float
    overlap_share: float  # share of the cell's efforts that are in at least one overlap


@dataclass(frozen=True, slots=True)
class Gap:
    """A goal nobody works on in an area where related work exists."""

    goal: str
    area: str
    related_present: tuple[str, ...]


def herfindahl(counts: Iterable[int]) -> float:
    """Sum of squared shares; 0.0 for no initiatives (never divides by zero)."""
    counts = [c for c in counts if c > 0]
    total = sum(counts)
    return sum((c / total) ** 2 for c in counts) if total else 0.0


def area_keys(record: InitiativeRecord, area_level: str) -> set[str]:
    """The areas of an initiative: "KE" at country level, "KE/Kisumu" at admin-1 level."""
    if area_level not in ("country", "admin1"):
        raise ValueError("area_level must be 'country' or 'admin1'")
    keys = set()
    for p in record.places:
        if not p.country:
            continue
        if area_level == "country":
            keys.add(p.country)
        elif p.admin1:
            keys.add(f"{p.country}/{p.admin1}")
    return keys


def _active(record: InitiativeRecord, period: Period | None) -> bool:
    """True when the initiative runs during `period` (unknown dates count as active)."""
    if period is None or record.start is None:
        return True
    start, end = period
    return (end is None or record.start <= end) and (start is None or record.end is None or record.end >= start)


def _codes(record: InitiativeRecord, goal: str | None) -> set[str]:
    """The goal keys a record counts under: goal numbers, or the given goal/target only."""
    codes = {c for c in (normalise_code(g) for g in record.goals) if c}
    if goal is None:
        return {str(family(c)) for c in codes if family(c) is not None}
    wanted = normalise_code(goal) or goal
    if "." in wanted:
        return {wanted} if wanted in codes else set()
    return {wanted} if any(str(family(c)) == wanted for c in codes) else set()


def fragmentation_cells(
    records: Iterable[InitiativeRecord],
    goal: str | None = None,
    area_level: str = "country",
    period: Period | None = None,
    overlaps: Iterable[OverlapFinding] = (),
) -> list[FragmentationCell]:
    """Fragmentation cells per (goal, area) for initiatives active in `period`.

    An effort reported twice (a `duplicate` link: funder and implementer) counts once, for
    the organisation of its first report in the cell (lowest id); only `overlap` links count
    in `overlap_share`.
    """
    overlaps = list(overlaps)
    in_overlap = {i for o in overlaps if o.kind == OVERLAP for i in o.pair}
    first_report = _first_reports(o.pair for o in overlaps if o.kind == DUPLICATE)
    cells: dict[tuple[str, str], list[InitiativeRecord]] = defaultdict(list)
    for r in records:
        if not _active(r, period):
            continue
        for code in _codes(r, goal):
            for area in area_keys(r, area_level):
                cells[(code, area)].append(r)
    return [cell_for(code, area, members, period, first_report, in_overlap)
            for (code, area), members in sorted(cells.items())]


def cell_for(code: str, area: str, members: Iterable[InitiativeRecord], period: Period | None,
             first_report: Mapping[int, int], in_overlap: Container[int]) -> FragmentationCell:
    """One cell from its members: `first_report` maps a duplicate report to its effort's first
    (lowest) id, `in_overlap` holds the initiatives in at least one `overlap` link."""
    by_effort: dict[int, InitiativeRecord] = {}
    for r in sorted(members, key=lambda r: r.id):
        by_effort.setdefault(first_report.get(r.id, r.id), r)
    efforts = list(by_effort.values())
    per_org: dict[int, int] = defaultdict(int)
    for r in efforts:
        per_org[r.organisation_id] += 1
    h = herfindahl(per_org.values())
    return FragmentationCell(
        goal=code, area=area, period=period, n_initiatives=len(efforts),
        n_organisations=len(per_org), herfindahl=h,
        effective_actors=1.0 / h if h else 0.0,
        overlap_share=sum(r.id in in_overlap for r in efforts) / len(efforts),
    )


def _first_reports(pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    """For each initiative linked by duplicate reports, the lowest id of its effort (union-find)."""
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        ra, rb = root(a), root(b)
        parent[max(ra, rb)] = min(ra, rb)
    return {i: root(i) for i in parent}


def gaps(
    records: Iterable[InitiativeRecord],
    area_level: str = "country",
    period: Period | None = None,
    level: str = "goal",
    goal: str | None = None,
) -> list[Gap]:
    """Goals (level="goal") or targets (level="target") missing where related work exists.

    `records` must be all the work in the areas asked about, not only the work on `goal`:
    a gap is decided against everything present. `goal` (a goal number) keeps only its gaps.
    """
    wanted = None if goal is None else family(normalise_code(goal) or goal)
    present: dict[str, set[str]] = defaultdict(set)
    for r in records:
        if not _active(r, period):
            continue
        codes = {c for c in (normalise_code(g) for g in r.goals) if c}
        for area in area_keys(r, area_level):
            present[area] |= codes
    return [gap for area, codes in sorted(present.items()) for gap in area_gaps(area, codes, level, wanted)]


def area_gaps(area: str, codes: Container[str] | Iterable[str], level: str = "goal",
              wanted: int | None = None) -> list[Gap]:
    """The gaps of one area from the codes present there (`wanted`: one goal number only)."""
    codes = set(codes)
    found = []
    if level == "goal":
        fams = {family(c) for c in codes} - {None}
        for number in range(1, 18):
            linked = sorted(RELATED_GOALS[number] & fams)
            if number not in fams and linked and wanted in (None, number):
                found.append(Gap(str(number), area, tuple(str(x) for x in linked)))
    else:
        for target in TARGETS:
            siblings = sorted(c for c in codes if "." in c and family(c) == family(target))
            if target not in codes and siblings and wanted in (None, family(target)):
                found.append(Gap(target, area, tuple(siblings)))
    return found

"""Overlap explanations: one plain sentence saying why two initiatives were matched.

"both target 6.1, in Kisumu 3 km apart, both active in 2025, descriptions 71% similar".
Only the winning detail of each component is named; a component a side could not inform is
stated as missing so nobody mistakes a neutral value for evidence.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import date

import numpy as np

from coordination.convergence.goals import describe_goal_sets
from coordination.convergence.kinds import (
    KINDS,
    OVERLAP,
    describe_kind,
    describe_text,
    kind_codes,
    linked_mask,
)
from coordination.convergence.overlap import OverlapFinding
from coordination.convergence.places import (
    ADMIN2,
    EARTH_RADIUS_KM,
    has_point,
    is_usable,
    precision_of,
)
from coordination.convergence.words import ascii_fold_cached, normalise_tag
from coordination.convergence.work import CODES, LABELS, work_text, work_types
from coordination.records import InitiativeRecord, PlaceRecord


_BLOCK = 1024  # component values read at once by `FoundPairs.raw_components`


class FoundPairs:
    """The `OverlapSource` of overlaps found in bulk: their records and component columns.

    Overlap k pairs `records[rows_a[k]]` (the lower id) with `records[rows_b[k]]`; its raw
    component values are `columns[name][k]`; its link kind is `KINDS[kinds[k]]` (classified
    here unless given; `linked` marks the pairs linked by IATI identifiers, found per pair
    when not given). Explanations are built from these on demand.
    """

    __slots__ = ("_block", "_block_start", "columns", "kinds", "records", "rows_a", "rows_b")

    def __init__(
        self, records: Sequence[InitiativeRecord], rows_a: np.ndarray, rows_b: np.ndarray,
        columns: dict[str, np.ndarray], kinds: np.ndarray | None = None,
        linked: np.ndarray | None = None,
    ) -> None:
        """Pairs of `records` given by row arrays, with their component columns."""
        self.records = records
        self.rows_a, self.rows_b = rows_a, rows_b
        self.columns = columns
        if kinds is None:
            if linked is None:
                linked = linked_mask(records, rows_a, rows_b)
            kinds = kind_codes(records, rows_a, rows_b, linked, columns)
        self.kinds = kinds
        self._block: dict[str, list[float]] = {}
        self._block_start = -1

    def raw_components(self, k: int) -> dict[str, float]:
        """Unrounded component values of overlap `k`.

        Read as Python floats a block of `_BLOCK` overlaps at a time (the stored pairs are
        read in order): one numpy scalar per value costs more than the rest of a pair's row.
        """
        start = k - k % _BLOCK
        if start != self._block_start:
            self._block = {name: np.asarray(column[start : start + _BLOCK], np.float64).tolist()
                           for name, column in self.columns.items()}
            self._block_start = start
        at = k - start
        return {name: values[at] for name, values in self._block.items()}

    def components(self, k: int) -> dict[str, float]:
        """Component values of overlap `k`, clipped and rounded as stored."""
        return rounded_components(self.raw_components(k))

    def explanation(self, k: int) -> str:
        """The sentence explaining overlap `k`."""
        a, b = self.records[int(self.rows_a[k])], self.records[int(self.rows_b[k])]
        return explain(a, b, self.raw_components(k), KINDS[int(self.kinds[k])])

    def overlaps(self, scores: list[float]) -> list[OverlapFinding]:
        """Lazy `OverlapFinding`s of every pair (scores already rounded), in row order."""
        ids = [r.id for r in self.records]
        a_ids = [ids[i] for i in self.rows_a.tolist()]
        b_ids = [ids[j] for j in self.rows_b.tolist()]
        kinds = [KINDS[c] for c in self.kinds.tolist()]
        return OverlapFinding.lazy_many(a_ids, b_ids, scores, self, kinds)


def build_overlap(
    a: InitiativeRecord, b: InitiativeRecord, score: float, components: dict[str, float]
) -> OverlapFinding:
    """The `OverlapFinding` of a scored pair (a must have the lower id); explained on first read."""
    columns = {name: np.array([value]) for name, value in components.items()}
    source = FoundPairs([a, b], np.array([0]), np.array([1]), columns)
    kind = KINDS[int(source.kinds[0])]
    return OverlapFinding(a.id, b.id, float(np.round(score, 4)), source=source, k=0, kind=kind)


def rounded_components(components: dict[str, float]) -> dict[str, float]:
    """Component values clipped to [0, 1] and rounded to 4 decimals, as stored."""
    return {name: round(min(1.0, max(0.0, value)), 4) for name, value in components.items()}


def explain(
    a: InitiativeRecord, b: InitiativeRecord, components: dict[str, float], kind: str = OVERLAP
) -> str:
    """One plain sentence naming the link's kind, then what the two initiatives share."""
    parts = [
        describe_goal_sets(a.goals, b.goals),
        describe_work(a, b),
        describe_places(a.places, b.places),
        describe_time(a, b),
        describe_text(a, b, components.get("text", 0.0)),
        describe_tags(a.tags, b.tags),
    ]
    return describe_kind(kind, a, b) + ", ".join(p for p in parts if p)


def describe_work(a: InitiativeRecord, b: InitiativeRecord) -> str | None:
    """The kinds of work both name ("same work: water supply"), or how they differ; nothing
    when a side names none (`work.py`)."""
    work_a, work_b = work_types(work_text(a)), work_types(work_text(b))
    if not work_a or not work_b:
        return None
    shared = [LABELS[c] for c in CODES if c in work_a & work_b]
    if shared:
        return "same work: " + " and ".join(shared[:2])
    first = lambda codes: next(LABELS[c] for c in CODES if c in codes)  # noqa: E731
    return f"different work ({first(work_a)} / {first(work_b)})"


def describe_places(a: tuple[PlaceRecord, ...], b: tuple[PlaceRecord, ...]) -> str | None:
    """Where the two initiatives meet: the closest points or the smallest shared area."""
    usable_a = [p for p in a if is_usable(p)]
    usable_b = [p for p in b if is_usable(p)]
    if not usable_a or not usable_b:
        return "place not given on one side"
    best: tuple[float, PlaceRecord] | None = None
    for pa, pb in itertools.product(usable_a, usable_b):
        if has_point(pa) and has_point(pb) and max(precision_of(pa), precision_of(pb)) <= ADMIN2:
            km = _km(pa.lat, pa.lon, pb.lat, pb.lon)  # type: ignore[arg-type]
            if best is None or km < best[0]:
                best = (km, pa)
    if best is not None and best[0] < 100:
        km, place = best
        # An area's centroid is named by its area ("Paghman, Kabul"), a point by its own name.
        at_area = place.precision in ("admin1", "admin2")
        label = area_words(place) if at_area else place.name or area_words(place)
        distance = "at the same spot" if km < 0.5 else f"{km:.0f} km apart"
        return f"in {label}, {distance}" if label else distance
    for level in ("admin2", "admin1", "country"):
        for pa, pb in itertools.product(usable_a, usable_b):
            if _same_area(pa, pb, level):
                return f"both in {area_words(pa, level)}"
    if best is not None:
        return f"places {best[0]:.0f} km apart"
    return "no shared area"


def distance_words(km: float) -> str:
    """How far another place is, in words: "at the same place" under half a kilometre, else "12 km away"."""
    return "at the same place" if km < 0.5 else f"{km:.0f} km away"


def area_words(place: PlaceRecord, level: str | None = None) -> str:
    """The place's area at `level` (else its finest) by name, never by code: "Kisumu, Kenya",
    "Paghman, Kabul", "Kenya". A code is said only when no name is known."""
    country = place.country_name or place.country
    admin1 = place.admin1_name or place.admin1
    admin2 = place.admin2_name or place.admin2
    level = level or ("admin2" if admin2 else "admin1" if admin1 else "country")
    names = {"admin2": (admin2, admin1), "admin1": (admin1, country)}.get(level, ())
    if names and names[0]:  # "Kabul" district of Kabul province is said once
        return ", ".join({ascii_fold_cached(n): n for n in names if n}.values())
    return country or ""


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (plain math: numpy is slow for one pair)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(
        math.radians(lon2 - lon1) / 2
    ) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def _same_area(a: PlaceRecord, b: PlaceRecord, level: str) -> bool:
    """True when both places name the same area at `level` (and the same country)."""
    path = ("country", "admin1", "admin2")[: ("country", "admin1", "admin2").index(level) + 1]
    values_a = [ascii_fold_cached(getattr(a, p) or "").strip() for p in path]
    values_b = [ascii_fold_cached(getattr(b, p) or "").strip() for p in path]
    return bool(values_a[-1]) and values_a == values_b


def describe_time(a: InitiativeRecord, b: InitiativeRecord) -> str:
    """When both are active ("both active in 2025", "both active since 2021")."""
    if a.start is None and b.start is None:
        return "no dates given"
    if a.start is None or b.start is None:
        return "dates not given on one side"
    start = max(a.start, b.start)
    ends = [d for d in (a.end, b.end) if d is not None]
    end: date | None = min(ends) if ends else None
    if end is not None and end < start:
        return "not active at the same time"
    if end is None:
        return f"both active since {start.year}"
    if end.year == start.year:
        return f"both active in {start.year}"
    return f"both active {start.year}-{end.year}"


def describe_tags(a: frozenset[str], b: frozenset[str]) -> str | None:
    """The tags both carry, if any."""
    shared = sorted({normalise_tag(t) for t in a} & {normalise_tag(t) for t in b} - {""})
    if not shared:
        return None
    return "shared tags " + ", ".join(shared[:4])

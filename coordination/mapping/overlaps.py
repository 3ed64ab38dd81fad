"""Convergence on the map: lines between overlapping initiatives, and their groups, for a viewport.

At city zooms (`MIN_ZOOM` and closer, where markers are single initiatives) the map draws
each stored overlap (active, not dismissed) with at least one side in view as a line
between the two initiatives' shown points, and circles the convergence groups those
overlaps form.

What a reader sees follows the markers exactly (`table.view_points`):
- both sides must be initiatives the reader may see *and* that match the filter (as
  `insights.list_overlaps`), so a private initiative of another organisation never
  appears, not even as the far end of a line;
- the ends are the *shown* points — sensitive work sits at its area's centroid — and "in
  view" is tested on the shown point, so a small bbox reveals nothing more than markers do;
- the explanation was written from public places only (see `visibility`), so it names no
  hidden place and no distance to one; scores' components are not sent.

Groups here are the connected components of the overlaps touching the view (the same rule
as `convergence.groups`, over the part of the graph that reaches the view), so a group
that extends far outside the view is shown with the members that do.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from ..convergence.groups import is_institutional
from ..convergence.places import EARTH_RADIUS_KM
from ..models import Organisation, Overlap, OverlapKind, OverlapStatus
from ..permissions import Actor
from ..queries import InitiativeFilter
from .audience import CHUNK
from .cluster import distinct, is_in
from .points import PointTable
from .read import WORLD
from .table import view_points

MIN_ZOOM = 9  # lines from here on: city and district views, where markers are single initiatives
MAX_LINES = 200  # best-scoring overlaps drawn per view; the rest are counted
MAX_GROUPS = 60
GROUP_PAD_KM = 0.5  # a halo reaches this far beyond its outermost member


@dataclass(frozen=True, slots=True)
class End:
    """One side of an overlap line: where it is shown and whether that place is approximate."""

    initiative_id: int
    lat: float
    lon: float
    approximate: bool


@dataclass(frozen=True, slots=True)
class OverlapLine:
    """A stored overlap drawn between the shown points of its two initiatives."""

    overlap_id: int
    a: End
    b: End
    score: float
    status: str
    explanation: str
    group: int  # index into the groups of the same answer


@dataclass(frozen=True, slots=True)
class MapGroup:
    """A convergence group as the view shows it: its members and a circle around their shown points."""

    initiative_ids: tuple[int, ...]
    organisation_ids: tuple[int, ...]
    lat: float
    lon: float
    radius_km: float
    has_institutional_actor: bool


@dataclass(frozen=True, slots=True)
class ConvergenceView:
    """Lines and groups of one viewport; `total` counts every overlap touching it (lines are capped)."""

    lines: list[OverlapLine]
    groups: list[MapGroup]
    total: int


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def _points_by_initiative(table: PointTable, ids: Sequence[int]) -> dict[int, list[End]]:
    """The shown points of some initiatives, from the reader's table."""
    part = table.of_initiatives(np.asarray(sorted(set(ids)), np.int64))
    out: dict[int, list[End]] = defaultdict(list)
    for i, lat, lon, approximate in zip(part.initiative_id.tolist(), part.lat.tolist(), part.lon.tolist(),
                                        part.approximate.tolist(), strict=True):
        out[i].append(End(i, lat, lon, approximate))
    return out


def _closest(a: list[End], b: list[End]) -> tuple[End, End]:
    """The closest pair of shown points of two initiatives (each has at most a few dozen)."""
    return min(((pa, pb) for pa in a for pb in b), key=lambda p: km_between(p[0].lat, p[0].lon, p[1].lat, p[1].lon))


def _touching(session: Session, view_ids: np.ndarray) -> list[tuple[int, int, int, int, int, float]]:
    """(id, a, b, org_a, org_b, score) of the live overlaps with a side among `view_ids`."""
    rows: dict[int, tuple] = {}
    ids = view_ids.tolist()
    connection = session.connection()  # Core rows: thousands of tuples, no ORM bookkeeping
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        stmt = select(Overlap.id, Overlap.initiative_a_id, Overlap.initiative_b_id, Overlap.organisation_a_id,
                      Overlap.organisation_b_id, Overlap.score).where(
            Overlap.active.is_(True), Overlap.status != OverlapStatus.DISMISSED,
            Overlap.kind == OverlapKind.OVERLAP,  # one effort reported twice draws no line between efforts
            or_(Overlap.initiative_a_id.in_(chunk), Overlap.initiative_b_id.in_(chunk)))
        for row in connection.execute(stmt):
            rows[row[0]] = tuple(row)
    return list(rows.values())


def _components(edges: list[tuple[int, int]]) -> dict[int, int]:
    """Initiative → component root over the edges (union-find)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def convergence_view(session: Session, actor: Actor, f: InitiativeFilter,
                     bbox: tuple[float, float, float, float], marker=None,
                     max_lines: int = MAX_LINES) -> ConvergenceView:
    """The overlap lines and convergence groups of a viewport, as the reader may see them."""
    table = view_points(session, actor, f, WORLD, marker)  # every shown point matching the filter
    in_view = table.in_bbox(bbox)
    if not len(in_view):
        return ConvergenceView([], [], 0)
    view_ids = distinct(in_view.initiative_id)
    shown = distinct(table.initiative_id)
    rows = _touching(session, view_ids)
    # Both sides must be shown to this reader under this filter (private work never appears).
    sides = np.asarray([(r[1], r[2]) for r in rows], np.int64).reshape(-1, 2)
    ok = is_in(sides, shown).all(axis=1)
    rows = [r for r, keep in zip(rows, ok.tolist(), strict=True) if keep]
    if not rows:
        return ConvergenceView([], [], 0)
    root = _components([(r[1], r[2]) for r in rows])
    points = _points_by_initiative(table, list(root))
    # Groups: biggest first; each member once, circled around its shown points.
    members: dict[int, set[int]] = defaultdict(set)
    orgs: dict[int, set[int]] = defaultdict(set)
    for _id, a, b, org_a, org_b, _score in rows:
        members[root[a]] |= {a, b}
        orgs[root[a]] |= {org_a, org_b}
    order = sorted(members, key=lambda r: (-len(members[r]), r))[:MAX_GROUPS]
    org_types = dict(session.execute(select(Organisation.id, Organisation.type).where(
        Organisation.id.in_({o for r in order for o in orgs[r]}))).all()) if order else {}
    groups, group_of = [], {}
    for r in order:
        spots = [p for i in members[r] for p in points.get(i, ())]
        lat = sum(p.lat for p in spots) / len(spots)
        lon = sum(p.lon for p in spots) / len(spots)
        radius = max(km_between(lat, lon, p.lat, p.lon) for p in spots) + GROUP_PAD_KM
        group_of[r] = len(groups)
        groups.append(MapGroup(tuple(sorted(members[r])), tuple(sorted(orgs[r])), lat, lon, radius,
                               any(is_institutional(org_types.get(o)) for o in orgs[r])))
    best = sorted(rows, key=lambda r: (-r[5], r[0]))[:max_lines]
    stored = {o.id: o for o in session.scalars(select(Overlap).where(Overlap.id.in_([r[0] for r in best]))
                                                .options(selectinload(Overlap.initiative_a),
                                                         selectinload(Overlap.initiative_b)))}
    lines = []
    for overlap_id, a, b, _oa, _ob, score in best:
        row = stored[overlap_id]
        end_a, end_b = _closest(points[a], points[b])
        lines.append(OverlapLine(overlap_id, end_a, end_b, score, row.status, row.explanation,
                                 group_of.get(root[a], -1)))
    return ConvergenceView(lines, groups, len(rows))


__all__ = ["MAX_LINES", "MIN_ZOOM", "ConvergenceView", "End", "MapGroup", "OverlapLine", "convergence_view",
           "km_between"]

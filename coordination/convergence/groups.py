"""Convergence groups: initiatives of two or more organisations linked by overlaps.

A group is a connected component of the overlap graph. It reports its shared goals, area,
time span and whether an institutional actor takes part. "Bottom up needs an ally up": for
a group without one, `suggest_allies` names institutional organisations active on the same
goals nearby.

Institutional (IATI OrganisationType): 10 government, 11 local government, 15 other public
sector, 30 public-private partnership, 40 multilateral, 60 foundation, 70-73 private sector,
80 academic/research. Grassroots: 21-24 NGOs and community groups, 90 other, or unknown.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

import networkx as nx

from coordination.convergence.explain import area_words, distance_words
from coordination.convergence.goals import family, normalise_code
from coordination.convergence.group_split import split_component
from coordination.convergence.split_memo import ChangeMemo
from coordination.convergence.overlap import OverlapFinding
from coordination.convergence.places import has_point
from coordination.records import InitiativeRecord

INSTITUTIONAL_TYPES = frozenset({"10", "11", "15", "30", "40", "60", "70", "71", "72", "73", "80"})


def is_institutional(org_type: str | None) -> bool:
    """True for public bodies, multilaterals, foundations, private sector and academia."""
    return (org_type or "").strip() in INSTITUTIONAL_TYPES


@dataclass(frozen=True, slots=True)
class ConvergenceGroup:
    """Initiatives of several organisations that overlap, directly or through others."""

    initiative_ids: tuple[int, ...]
    organisation_ids: tuple[int, ...]
    shared_goals: tuple[str, ...]  # codes held by initiatives of at least two organisations
    countries: tuple[str, ...]
    admin1: tuple[str, ...]  # names of the first-level areas ("Kisumu")
    start: date | None
    end: date | None  # None when any initiative is open-ended (or no dates are known)
    has_institutional_actor: bool
    admin1_codes: tuple[str, ...] = ()  # their p-codes, where known ("KE042")
    # Set when the group is a part of a component too large to convene (see group_split):
    # (initiatives, organisations) of that component, and the cuts made ("area", "work", ...).
    split_from: tuple[int, int] | None = None
    split_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AllySuggestion:
    """An institutional organisation a group could ask to join, and why."""

    organisation_id: int
    initiative_ids: tuple[int, ...]
    reason: str


def convergence_groups(
    records: Iterable[InitiativeRecord], overlaps: Iterable[OverlapFinding]
) -> list[ConvergenceGroup]:
    """Connected components of the overlap graph spanning two or more organisations.

    A component with more organisations than a convener can invite is split into parts of at
    most `MAX_GROUP_ORGANISATIONS`, each saying what it was split from (`group_split`).
    """
    by_id = {r.id: r for r in records}
    graph = nx.Graph()
    graph.add_weighted_edges_from((o.a_id, o.b_id, float(o.score)) for o in overlaps
                                  if o.a_id in by_id and o.b_id in by_id)
    groups = []
    for component in nx.connected_components(graph):
        members = [by_id[i] for i in sorted(component)]
        groups += component_groups(members, canonical_graph(members, graph.subgraph(component).edges(data="weight")))
    groups.sort(key=lambda g: (-len(g.initiative_ids), g.initiative_ids))
    return groups


def group_answer(group: ConvergenceGroup, names: dict[int, Any], allies: Sequence[AllySuggestion]) -> dict[str, Any]:
    """A group as the doors show it: its fields, dates as ISO text, organisations by `names`
    (id -> what to show), and its suggested allies."""
    item = asdict(group)
    item["start"] = group.start.isoformat() if group.start else None
    item["end"] = group.end.isoformat() if group.end else None
    item["organisations"] = [names.get(o) for o in group.organisation_ids]
    item["grassroots_only"] = not group.has_institutional_actor
    item["suggested_allies"] = [{"organisation": names.get(a.organisation_id), "reason": a.reason,
                                 "initiative_ids": list(a.initiative_ids)} for a in allies]
    return item


def canonical_graph(members: Sequence[InitiativeRecord], edges: Iterable[tuple[int, int, float]]) -> nx.Graph:
    """The overlap graph of one component, nodes and edges in sorted order: whatever order the
    links were read in, the split (communities, walks) sees the same graph."""
    graph = nx.Graph()
    graph.add_nodes_from(r.id for r in members)
    graph.add_weighted_edges_from(sorted((min(a, b), max(a, b), w) for a, b, w in edges))
    return graph


def component_groups(members: Sequence[InitiativeRecord], graph: nx.Graph,
                     memo: dict | ChangeMemo | None = None) -> list[ConvergenceGroup]:
    """The groups of one connected component (`members` sorted by id).

    `graph` holds the component's links: its canonical graph, or any graph containing them (the
    split reads only the links among a part's members, and sorts what it hands Leiden).
    `memo` as `split_component`'s; a `ChangeMemo` remembers each group's summary too."""
    n_orgs = len({r.organisation_id for r in members})
    parts = split_component(members, graph, memo=memo)
    groups = []
    for part in parts:
        if len({r.organisation_id for r in part.members}) >= 2:
            split = (len(members), n_orgs) if len(parts) > 1 else None
            if not isinstance(memo, ChangeMemo):
                groups.append(_describe(part.members, split, part.split_by))
                continue
            group = memo.remembered("describe", part.members, part.split_by,
                                    lambda p=part: _describe(p.members, None, p.split_by), links=False)
            groups.append(group if split is None else replace(group, split_from=split))
    return groups


def _describe(members: Sequence[InitiativeRecord], split_from: tuple[int, int] | None = None,
              split_by: tuple[str, ...] = ()) -> ConvergenceGroup:
    """The summary of one group."""
    orgs_by_code: dict[str, set[int]] = defaultdict(set)
    for r in members:
        for code in {c for c in (normalise_code(g) for g in r.goals) if c}:
            orgs_by_code[code].add(r.organisation_id)
    starts = [r.start for r in members if r.start]
    ends = [r.end for r in members if r.start]
    places = [p for r in members for p in r.places]
    return ConvergenceGroup(
        initiative_ids=tuple(r.id for r in members),
        organisation_ids=tuple(sorted({r.organisation_id for r in members})),
        shared_goals=tuple(sorted(c for c, orgs in orgs_by_code.items() if len(orgs) >= 2)),
        countries=tuple(sorted({p.country for p in places if p.country})),
        admin1=tuple(sorted({p.admin1_name or p.admin1 for p in places if p.admin1})),
        admin1_codes=tuple(sorted({p.admin1 for p in places
                                   if p.admin1 and p.admin1 != p.admin1_name})),
        start=min(starts) if starts else None,
        end=None if not ends or None in ends else max(e for e in ends if e),
        has_institutional_actor=any(is_institutional(r.org_type) for r in members),
        split_from=split_from, split_by=split_by,
    )


def suggest_allies(
    group: ConvergenceGroup,
    records: Iterable[InitiativeRecord],
    limit: int = 5,
    max_distance_km: float = 100.0,
) -> list[AllySuggestion]:
    """Institutional organisations outside the group working on its goals nearby."""
    records = list(records)
    by_id = {r.id: r for r in records}
    members = [by_id[i] for i in group.initiative_ids if i in by_id]
    goals = {c for r in members for c in (normalise_code(g) for g in r.goals) if c}
    families = {family(c) for c in goals} - {None}
    points = [(p.lat, p.lon) for r in members for p in r.places if has_point(p) and p.precision != "country"]
    admin1 = {(p.country, p.admin1) for r in members for p in r.places if p.admin1}
    inside = set(group.organisation_ids)
    found: dict[int, list[tuple[float, InitiativeRecord, str]]] = defaultdict(list)
    for r in records:
        if r.organisation_id in inside or not is_institutional(r.org_type):
            continue
        codes = {c for c in (normalise_code(g) for g in r.goals) if c}
        shared = sorted(codes & goals)
        shared_fams = sorted({family(c) for c in codes} & families - {None})
        if not shared and not shared_fams:
            continue
        where = _nearness(r, points, admin1, set(group.countries), max_distance_km)
        if where is None:
            continue
        rank, place_words = where
        what = f"target {', '.join(shared[:2])}" if any("." in c for c in shared) else \
            f"goal {', '.join(str(f) for f in shared_fams[:2])}"
        found[r.organisation_id].append((rank - len(shared), r, f"works on {what} {place_words}"))
    ranked = sorted(found.items(), key=lambda kv: (min(x[0] for x in kv[1]), -len(kv[1]), kv[0]))
    return [
        AllySuggestion(org, tuple(sorted(x[1].id for x in items)),
                       min(items, key=lambda x: x[0])[2] + f" (institutional, type {items[0][1].org_type})")
        for org, items in ranked[:limit]
    ]


def _nearness(record: InitiativeRecord, points, admin1, countries, max_km) -> tuple[float, str] | None:
    """(rank, words) saying how close `record` is to the group; None when it is not."""
    best: tuple[float, str] | None = None
    for p in record.places:
        if has_point(p) and p.precision != "country":
            for lat, lon in points:
                km = _km(lat, lon, p.lat, p.lon)
                if km <= max_km and (best is None or km < best[0]):
                    best = (km, distance_words(km))
        if best is None and (p.country, p.admin1) in admin1 and p.admin1:
            best = (max_km, f"in {area_words(p, 'admin1')}")
        if best is None and p.country in countries:
            best = (2 * max_km, f"in {area_words(p, 'country')}")
    return best


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))

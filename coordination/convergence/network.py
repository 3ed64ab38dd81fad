"""The organisation network: who is connected to whom, and who bridges groups.

Nodes are organisations; an edge joins two organisations whose initiatives overlap (weight:
summed overlap scores) or who are partners on an initiative (weight: number of shared
initiatives). Weights are exact sums (`math.fsum`), whatever the order the parts come in.
Betweenness finds the brokers: computed per connected component (`brokers`), exact within a
work budget, else estimated from a seeded sample of the component's organisations.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from coordination.convergence.brokers import component_betweenness, normalised
from coordination.convergence.overlap import OverlapFinding
from coordination.records import InitiativeRecord


@dataclass(frozen=True, slots=True)
class OrganisationNode:
    """One organisation with its degree and betweenness (normalised to [0, 1])."""

    organisation_id: int
    degree: int
    betweenness: float


@dataclass(frozen=True, slots=True)
class OrganisationEdge:
    """A link between two organisations (a < b) and what it is made of."""

    a: int
    b: int
    weight: float
    kinds: tuple[str, ...]  # "overlap", "partnership"


@dataclass(frozen=True, slots=True)
class OrganisationNetwork:
    """The network of a set of initiatives."""

    nodes: tuple[OrganisationNode, ...]
    edges: tuple[OrganisationEdge, ...]
    components: tuple[tuple[int, ...], ...]  # largest first
    isolated: tuple[int, ...]
    graph: nx.Graph


def organisation_network(
    records: Iterable[InitiativeRecord],
    overlaps: Iterable[OverlapFinding] = (),
) -> OrganisationNetwork:
    """Build the organisation network from overlaps and partnerships."""
    records = list(records)
    org_of = {r.id: r.organisation_id for r in records}
    nodes = {r.organisation_id for r in records} | {p for r in records for p in r.partner_ids}
    parts: dict[tuple[int, int], list[float]] = defaultdict(list)
    kinds: dict[tuple[int, int], set[str]] = defaultdict(set)

    def link(a: int, b: int, weight: float, kind: str) -> None:
        if a != b:
            key = (min(a, b), max(a, b))
            parts[key].append(weight)
            kinds[key].add(kind)

    for o in overlaps:
        if o.a_id in org_of and o.b_id in org_of:
            link(org_of[o.a_id], org_of[o.b_id], o.score, "overlap")
    for r in records:
        for partner in r.partner_ids:
            link(r.organisation_id, partner, 1.0, "partnership")
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    graph.add_edges_from(sorted(parts))
    raw: dict[int, float] = {}
    for component in nx.connected_components(graph):
        members = sorted(component)
        raw.update(component_betweenness(members, graph.adj))
    return assemble(graph, {k: edge_weight(v) for k, v in parts.items()}, kinds, raw)


def edge_weight(parts: Iterable[float]) -> float:
    """An edge's weight from its parts (overlap scores, 1.0 per shared initiative), summed exactly."""
    return round(math.fsum(parts), 6)


def assemble(graph: nx.Graph, weights: Mapping[tuple[int, int], float],
             kinds: Mapping[tuple[int, int], Iterable[str]], raw: Mapping[int, float]) -> OrganisationNetwork:
    """The network from its graph, edge weights and kinds, and raw betweenness per node."""
    n = graph.number_of_nodes()
    nodes = tuple(OrganisationNode(v, graph.degree(v), round(normalised(raw.get(v, 0.0), n), 6))
                  for v in sorted(graph.nodes))
    edges = tuple(OrganisationEdge(a, b, weights[(a, b)], tuple(sorted(kinds[(a, b)]))) for a, b in sorted(weights))
    components = tuple(
        tuple(sorted(c)) for c in sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
        if len(c) > 1
    )
    isolated = tuple(sorted(v for v in graph.nodes if graph.degree(v) == 0))
    return OrganisationNetwork(nodes, edges, components, isolated, graph)

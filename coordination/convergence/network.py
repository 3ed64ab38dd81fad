"""The organisation network: who is connected to whom, and who bridges groups.

Nodes are organisations; an edge joins two organisations whose initiatives overlap (weight:
summed overlap scores) or who are partners on an initiative (weight: number of shared
initiatives). Betweenness finds the brokers. Exact betweenness is O(nodes x edges); above
`exact_limit` nodes it is estimated from a seeded sample of sources.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

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
    exact_limit: int = 2000,
) -> OrganisationNetwork:
    """Build the organisation network from overlaps and partnerships."""
    records = list(records)
    org_of = {r.id: r.organisation_id for r in records}
    graph = nx.Graph()
    graph.add_nodes_from({r.organisation_id for r in records})
    graph.add_nodes_from({p for r in records for p in r.partner_ids})

    def link(a: int, b: int, weight: float, kind: str) -> None:
        if a == b:
            return
        data = graph.get_edge_data(a, b) or {"weight": 0.0, "kinds": set()}
        data["weight"] += weight
        data["kinds"].add(kind)
        graph.add_edge(a, b, **data)

    for o in overlaps:
        if o.a_id in org_of and o.b_id in org_of:
            link(org_of[o.a_id], org_of[o.b_id], o.score, "overlap")
    for r in records:
        for partner in r.partner_ids:
            link(r.organisation_id, partner, 1.0, "partnership")
    k = None if graph.number_of_nodes() <= exact_limit else exact_limit
    betweenness = nx.betweenness_centrality(graph, k=k, seed=0 if k else None, normalized=True)
    nodes = tuple(
        OrganisationNode(n, graph.degree(n), round(betweenness.get(n, 0.0), 6))
        for n in sorted(graph.nodes)
    )
    edges = tuple(
        OrganisationEdge(min(a, b), max(a, b), round(d["weight"], 6), tuple(sorted(d["kinds"])))
        for a, b, d in sorted(graph.edges(data=True), key=lambda e: (min(e[:2]), max(e[:2])))
    )
    components = tuple(
        tuple(sorted(c)) for c in sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
        if len(c) > 1
    )
    isolated = tuple(sorted(n for n in graph.nodes if graph.degree(n) == 0))
    return OrganisationNetwork(nodes, edges, components, isolated, graph)

"""Betweenness per component (brokers) and the split memo: exact where they must be, deterministic always."""
from __future__ import annotations

import random

import networkx as nx
import pytest

from coordination.convergence.brokers import component_betweenness, normalised, sources_for
from coordination.convergence.groups import canonical_graph, component_groups
from coordination.records import InitiativeRecord, PlaceRecord


def _graph(seed: int, n: int = 40, p: float = 0.15) -> nx.Graph:
    g = nx.gnp_random_graph(n, p, seed=seed)
    return g.subgraph(max(nx.connected_components(g), key=len)).copy()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exact_betweenness_matches_networkx_normalised_by_the_whole_network(seed):
    g = _graph(seed)
    raw = component_betweenness(sorted(g), g.adj, budget=10**12)
    total = len(g) + 5  # five isolated organisations elsewhere in the network
    expected = nx.betweenness_centrality(nx.compose(g, nx.empty_graph(range(1000, 1005))), normalized=True)
    assert all(abs(normalised(raw[v], total) - expected[v]) < 1e-12 for v in g)


def test_over_the_budget_a_seeded_sample_estimates_and_repeats_itself():
    g = _graph(4, n=80, p=0.2)
    budget = 2 * g.number_of_edges() * 20  # room for 20 sources
    assert sources_for(sorted(g), g.number_of_edges(), budget) is not None
    one = component_betweenness(sorted(g), g.adj, budget=budget)
    shuffled = {v: random.Random(v).sample(list(g.adj[v]), len(g.adj[v])) for v in reversed(list(g))}
    assert component_betweenness(list(g), shuffled, budget=budget) == one  # order of links is irrelevant
    exact = component_betweenness(sorted(g), g.adj, budget=10**12)
    assert one != exact and sum(one.values()) == pytest.approx(sum(exact.values()), rel=0.3)


def test_a_component_splits_the_same_with_the_memo_and_in_any_link_order():
    rng = random.Random(3)
    members = [InitiativeRecord(id=i, organisation_id=1 + i % 30, title=f"w{i}", goals=frozenset({"6.1"}),
                                places=(PlaceRecord(country="KE", admin1="Kisumu", admin2=f"a{i % 2}"),))
               for i in range(1, 121)]
    edges = [(a, b, round(rng.random(), 3)) for a in range(1, 121) for b in range(a + 1, 121) if rng.random() < 0.08]
    plain = component_groups(members, canonical_graph(members, edges))
    memo: dict = {}
    assert component_groups(members, canonical_graph(members, reversed(edges)), memo) == plain
    assert memo and component_groups(members, canonical_graph(members, edges), memo) == plain
    assert len(plain) > 1 and all(g.split_by for g in plain)

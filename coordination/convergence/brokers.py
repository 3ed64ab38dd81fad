"""Betweenness of one connected component of the organisation network, within a work budget.

Brandes' algorithm in matrix form: the shortest-path counts of many sources advance together,
one sparse product per distance level (forward), and the dependencies flow back the same way.
Betweenness is local to a component (no shortest path leaves it), so the network computes
each component on its own and only normalises by the whole network's size at the end: a write
that changes one component's links recomputes that component only (`coordination.maintained`).

Work budget: the exact answer visits every edge once per source (sources x 2 x edges). When
that is over `WORK_BUDGET` the component is estimated from a seeded sample of sources (as
many as the budget allows, at least `MIN_SOURCES`), scaled by components / sample. The sample
depends only on the component (its sorted nodes and the seed), so the same component always
gets the same figures, whoever computes it. Before issue #16 the whole network was exact up
to 2,000 organisations: 1,250 organisations with 220,000 links (50k initiatives) took minutes.
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain

import numpy as np
from scipy import sparse

WORK_BUDGET = 8_000_000  # edge visits (sources x 2 x edges) for one component
MIN_SOURCES = 16
DENSE_LIMIT = 2_000  # components up to this many organisations use a dense matrix (32 MB at most)
SEED = 0


def sources_for(nodes: Sequence[int], n_edges: int, budget: int = WORK_BUDGET) -> list[int] | None:
    """The sampled sources of a component (sorted nodes), or None when it is computed exactly."""
    if len(nodes) * 2 * max(1, n_edges) <= budget:
        return None
    k = min(len(nodes), max(MIN_SOURCES, budget // (2 * max(1, n_edges))))
    if k >= len(nodes):
        return None
    return sorted(random.Random(SEED).sample(list(nodes), k))


def component_betweenness(nodes: Sequence[int], adjacency: Mapping[int, Iterable[int]],
                          budget: int = WORK_BUDGET) -> dict[int, float]:
    """Raw betweenness (both directions of every pair counted) of each node of one component.

    `nodes` the component's organisations, `adjacency` each one's neighbours (all inside the
    component). Divide by (N - 1)(N - 2) for the normalised figure of a network of N
    organisations (`normalised`).
    """
    nodes = sorted(nodes)
    if len(nodes) <= 2:
        return dict.fromkeys(nodes, 0.0)
    return matrix_betweenness(nodes, link_matrix(nodes, adjacency), budget)


def link_matrix(nodes: Sequence[int], adjacency: Mapping[int, Iterable[int]]):
    """The 0/1 link matrix of a component (`nodes` sorted): dense up to DENSE_LIMIT nodes, else sparse."""
    order = np.array(nodes, dtype=np.int64)
    counts = [len(adjacency[v]) for v in nodes]
    neighbours = np.fromiter(chain.from_iterable(adjacency[v] for v in nodes), dtype=np.int64, count=sum(counts))
    rows = np.repeat(np.arange(len(nodes)), counts)
    cols = np.searchsorted(order, neighbours)
    if len(nodes) <= DENSE_LIMIT:
        matrix = np.zeros((len(nodes), len(nodes)))
        matrix[rows, cols] = 1.0
        return matrix
    matrix = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(nodes), len(nodes)))
    matrix.sum_duplicates()
    matrix.sort_indices()  # the same matrix whatever order the neighbours came in
    return matrix


def matrix_betweenness(nodes: Sequence[int], matrix, budget: int = WORK_BUDGET) -> dict[int, float]:
    """`component_betweenness` from the component's link matrix (`link_matrix`, or one kept up to date)."""
    n = len(nodes)
    if n <= 2:
        return dict.fromkeys(nodes, 0.0)
    n_links = int(matrix.sum()) // 2
    sampled = sources_for(nodes, n_links, budget)
    sources = list(np.searchsorted(np.array(nodes), sampled)) if sampled is not None else list(range(n))
    raw = np.zeros(n)
    for start in range(0, len(sources), 256):  # bounded memory: 256 sources at a time
        raw += _dependencies(matrix, sources[start:start + 256])
    if sampled is not None:
        raw *= n / len(sources)
    return dict(zip(nodes, raw.tolist()))


def _dependencies(adjacency, sources: list[int]) -> np.ndarray:
    """Sum over `sources` of each node's dependency (Brandes), sources themselves excluded."""
    n, k = adjacency.shape[0], len(sources)
    cols = np.arange(k)
    dist = np.full((n, k), -1, dtype=np.int32)
    sigma = np.zeros((n, k))
    dist[sources, cols] = 0
    sigma[sources, cols] = 1.0
    frontier, level = sigma.copy(), 0
    while True:
        reached = adjacency @ frontier
        reached[dist >= 0] = 0.0
        if not reached.any():
            break
        level += 1
        dist[reached > 0] = level
        sigma += reached
        frontier = reached
    delta = np.zeros((n, k))
    for depth in range(level, 1, -1):
        coefficient = np.where(dist == depth, (1.0 + delta) / np.where(sigma > 0, sigma, 1.0), 0.0)
        delta += np.where(dist == depth - 1, sigma * (adjacency @ coefficient), 0.0)
    return delta.sum(axis=1)


def normalised(raw: float, n_total: int) -> float:
    """A raw betweenness as a share of the pairs of a network of `n_total` organisations."""
    return raw / ((n_total - 1) * (n_total - 2)) if n_total > 2 else 0.0


__all__ = ["WORK_BUDGET", "component_betweenness", "link_matrix", "matrix_betweenness", "normalised",
           "sources_for"]

"""Splitting a convergence group too large for anyone to convene.

A connected component of the overlap graph can hold a whole city's humanitarian response
(measured on the demo: Kabul's component held 69 initiatives from 60 organisations). Nobody
can invite that to one meeting, so a component with more than `MAX_GROUP_ORGANISATIONS`
organisations is split, most natural cut first:

1. by area (admin-2, else admin-1, else country) when the component spans several;
2. by work (the tags the members share) when it mixes kinds of work;
3. by the overlap graph's communities (Leiden on the pair scores, fixed seed: graspologic-native,
   in Rust; networkx's Louvain in Python took most of a kept state's time after a write);
4. as a last resort, into consecutive slices of a breadth-first walk from the most connected
   initiative, so neighbours stay together.

Each step is applied again to any part still too large. Every part remembers the size it was
split from and how, so pages and the API can say so. The split is deterministic.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import networkx as nx
from graspologic_native import leiden

from coordination.convergence.split_memo import ChangeMemo
from coordination.records import InitiativeRecord

MAX_GROUP_ORGANISATIONS = 12  # a meeting a convener can actually call


@dataclass(frozen=True, slots=True)
class Part:
    """Members of one group after splitting, and how they were cut from a larger component."""

    members: tuple[InitiativeRecord, ...]
    split_by: tuple[str, ...] = ()  # "area", "work", "overlaps", "size": the cuts, in order


def _organisations(members: Sequence[InitiativeRecord]) -> int:
    return len({r.organisation_id for r in members})


def _area(record: InitiativeRecord) -> tuple[str, ...]:
    return tuple(sorted({p.admin2 or p.admin1 or p.country or "" for p in record.places}))


def _work(record: InitiativeRecord) -> tuple[str, ...]:
    return tuple(sorted(record.tags))


def _by_key(key: Callable[[InitiativeRecord], tuple[str, ...]]):
    def cut(members: Sequence[InitiativeRecord], _graph: nx.Graph, _limit: int) -> list[list[InitiativeRecord]]:
        parts: dict[tuple[str, ...], list[InitiativeRecord]] = defaultdict(list)
        for r in members:
            parts[key(r)].append(r)
        return [parts[k] for k in sorted(parts)]
    return cut


def _sorted_subgraph(graph: nx.Graph, ids) -> nx.Graph:
    """The subgraph on `ids` with nodes and edges in sorted order (the same graph, however built)."""
    sub = nx.Graph()
    sub.add_nodes_from(sorted(ids))
    sub.add_weighted_edges_from(_links_among(graph, ids))
    return sub


def _links_among(graph: nx.Graph, ids) -> list[tuple[int, int, float]]:
    """The links between members of `ids`, as sorted (lower id, higher id, weight)."""
    ids, adjacency = set(ids), graph._adj  # read directly: the views cost more at 3,000 members
    return sorted((a, b, d["weight"]) for a in ids for b, d in adjacency.get(a, {}).items() if a < b and b in ids)


def _communities(members: Sequence[InitiativeRecord], graph: nx.Graph,
                 _limit: int) -> list[list[InitiativeRecord]]:
    by_id = {r.id: r for r in members}
    edges = _links_among(graph, by_id)
    community: dict[int, int] = {}
    if edges:  # Leiden on the links in sorted order, fixed seed: the same part always splits the same way
        _quality, found = leiden([(str(a), str(b), float(w)) for a, b, w in edges], seed=7)
        community = {int(node): c for node, c in found.items()}
    parts: dict[tuple, list[InitiativeRecord]] = defaultdict(list)
    for i in sorted(by_id):
        parts[("community", community[i]) if i in community else ("alone", i)].append(by_id[i])
    return sorted(parts.values(), key=lambda p: p[0].id)


def _slices(members: Sequence[InitiativeRecord], graph: nx.Graph, limit: int) -> list[list[InitiativeRecord]]:
    by_id = {r.id: r for r in members}
    sub = _sorted_subgraph(graph, by_id)
    start = max(sorted(by_id), key=lambda i: sub.degree(i, weight="weight"))
    order = [start, *(v for _u, v in nx.bfs_edges(sub, start, sort_neighbors=sorted))]
    order += sorted(set(by_id) - set(order))
    parts: list[list[InitiativeRecord]] = [[]]
    for i in order:
        candidate = parts[-1] + [by_id[i]]
        if parts[-1] and _organisations(candidate) > limit:
            parts.append([by_id[i]])
        else:
            parts[-1] = candidate
    return parts


def _connected(part: Sequence[InitiativeRecord], graph: nx.Graph) -> list[list[InitiativeRecord]]:
    """A cut part as the pieces that still overlap among themselves (a lone member is dropped)."""
    by_id = {r.id: r for r in part}
    adjacency, seen, pieces = graph._adj, set(), []  # a plain walk: subgraph views cost more at 3,000 members
    for start in by_id:
        if start in seen:
            continue
        piece, stack = {start}, [start]
        while stack:
            for other in adjacency.get(stack.pop(), ()):
                if other in by_id and other not in piece:
                    piece.add(other)
                    stack.append(other)
        seen |= piece
        pieces.append(piece)
    return sorted(([by_id[i] for i in sorted(c)] for c in pieces if len(c) > 1), key=lambda p: p[0].id)


_CUTS = (("area", _by_key(_area)), ("work", _by_key(_work)), ("overlaps", _communities), ("size", _slices))


def split_component(members: Sequence[InitiativeRecord], graph: nx.Graph,
                    limit: int = MAX_GROUP_ORGANISATIONS, memo: dict | ChangeMemo | None = None) -> list[Part]:
    """The parts of one component, each with at most `limit` organisations (itself if it fits).

    `memo` remembers the split of every part between calls, so splitting a component again
    after a change recomputes only the parts that changed; the answer is the same with or
    without it. A dict knows a part by its records and the links among them; a `ChangeMemo`
    (told of every change as it happens) by its members' ids and what changed since.
    """
    return _split(tuple(members), graph, limit, (), memo)


def _exact_key(members: tuple[InitiativeRecord, ...], graph: nx.Graph) -> tuple:
    """What a part's split depends on: its records and the links among them."""
    return members, tuple(_links_among(graph, (r.id for r in members)))


def _split(members: tuple[InitiativeRecord, ...], graph: nx.Graph, limit: int,
           how: tuple[str, ...], memo: dict | ChangeMemo | None = None) -> list[Part]:
    if _organisations(members) <= limit:
        return [Part(members, how)]

    def pieces(part: list[InitiativeRecord]) -> list[list[InitiativeRecord]]:
        if isinstance(memo, ChangeMemo):
            return memo.remembered("pieces", part, (), lambda: _connected(part, graph))
        return _connected(part, graph)

    def compute() -> list[Part]:
        for name, cut in _CUTS:
            parts = [c for p in cut(members, graph, limit) for c in pieces(p)]
            if len(parts) > 1:
                return [q for p in parts for q in _split(tuple(p), graph, limit, (*how, name), memo)]
        return [Part(members, how)]  # one organisation's initiatives only: cannot be cut further

    if isinstance(memo, ChangeMemo):
        return memo.remembered("split", members, (limit, how), compute)
    if memo is None:
        return compute()
    key = (_exact_key(members, graph), limit, how)
    if key not in memo:
        memo[key] = compute()
    return memo[key]


__all__ = ["MAX_GROUP_ORGANISATIONS", "Part", "split_component"]

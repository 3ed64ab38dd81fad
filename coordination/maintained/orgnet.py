"""The organisation network kept per organisation pair and per connected component.

Each edge keeps its parts (the score of every visible overlap between the two organisations'
initiatives, 1.0 per initiative one leads with the other as partner) and its weight is their
exact sum (`network.edge_weight`): a change recomputes only the pairs it touched. Betweenness
only depends on which pairs are linked: while a change adds weight to existing links, nothing
is recomputed; when links or organisations come or go, the components holding them are found
again and their betweenness recomputed (`brokers.component_betweenness`, within its budget).
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from typing import Any

import numpy as np

from ..convergence.brokers import link_matrix, matrix_betweenness, normalised
from ..convergence.network import edge_weight

Pair = tuple[int, int]


def _pair(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


class KeptNetwork:
    """Edges with their parts, the organisations present, components and raw betweenness."""

    def __init__(self) -> None:
        self.link_part: dict[int, tuple[Pair, float]] = {}
        self.record_part: dict[int, tuple[int, tuple[int, ...]]] = {}  # initiative -> (lead, partners)
        self.overlap_parts: dict[Pair, dict[int, float]] = defaultdict(dict)
        self.partner_parts: dict[Pair, set[int]] = defaultdict(set)
        self.refs: Counter = Counter()  # organisation -> initiatives it leads or partners
        self.edges: dict[Pair, dict[str, Any]] = {}
        self.adjacent: dict[int, set[int]] = defaultdict(set)
        self.component_of: dict[int, int] = {}
        self.components: dict[int, frozenset[int]] = {}
        self.raw: dict[int, float] = {}
        self._touched: set[Pair] = set()
        self._pending_ids: set[int] = set()
        self._added: list[Pair] = []  # links that came in the change being taken in
        self._was_links: dict[int, tuple[Pair, float] | None] = {}  # parts taken out (`retract`)
        self._was_records: dict[int, tuple[int, tuple[int, ...]] | None] = {}
        # component -> (its sorted organisations, their index, its dense link matrix), kept up to date
        self._matrices: dict[int, tuple[tuple[int, ...], dict[int, int], np.ndarray]] = {}
        self._pending_links: set[int] = set()
        self._nodes: set[int] = set()
        self._next = 0
        self._answer: dict[str, Any] | None = None
        self._pairs: list[Pair] = []  # the linked pairs, sorted
        self._edge_list: list[dict[str, Any]] = []  # their edges, in the same order (copied on write)
        self._shared = False  # the edge list was handed out in an answer

    def pending(self, touched: set[int], _related: set[int], links: set[int]) -> None:
        """Note what a change touched: initiatives and links."""
        self._pending_ids |= touched
        self._pending_links |= links

    def flush(self, state) -> None:
        """Take the parts of what changed out as they were counted, put them back as they are now."""
        if self._pending_ids or self._pending_links:
            touched, links = self._pending_ids, self._pending_links
            self._pending_ids, self._pending_links = set(), set()
            self.retract(touched, links)
            self.put_back(state, touched, links)

    def retract(self, touched: set[int], links) -> None:
        """Take out the parts of the touched initiatives and links, as they were counted."""
        self._touched, self._nodes = set(), set()
        self._was_links, self._was_records = {}, {}
        for lid in links:
            part = self._was_links[lid] = self.link_part.pop(lid, None)
            if part is not None:
                self.overlap_parts[part[0]].pop(lid, None)
        for i in touched:
            part = self._was_records[i] = self.record_part.pop(i, None)
            if part is not None:
                lead, partners = part
                for org in (lead, *partners):
                    self.refs[org] -= 1
                for p in partners:
                    if p != lead:
                        self.partner_parts[_pair(lead, p)].discard(i)

    def put_back(self, state, touched: set[int], links) -> None:
        """Put back the parts as they are now, then recompute the pairs and organisations whose
        parts differ from those taken out (a link or record counted as before moves nothing)."""
        records = state.records
        for lid in links:
            row, part = state.links.get(lid), None
            if row is not None and row[0] in records and row[1] in records:
                a, b = records[row[0]].organisation_id, records[row[1]].organisation_id
                if a != b:
                    part = self.link_part[lid] = (_pair(a, b), row[2])
                    self.overlap_parts[part[0]][lid] = row[2]
            was = self._was_links.get(lid)
            if was != part:
                self._touched.update(p[0] for p in (was, part) if p is not None)
        for i in touched:
            r, part = records.get(i), None
            if r is not None:
                part = self.record_part[i] = (r.organisation_id, tuple(sorted(r.partner_ids)))
                for org in (part[0], *part[1]):
                    self.refs[org] += 1
                for p in part[1]:
                    if p != part[0]:
                        self.partner_parts[_pair(part[0], p)].add(i)
            was = self._was_records.get(i)
            if was != part:
                for lead, partners in (p for p in (was, part) if p is not None):
                    self._nodes.update((lead, *partners))
                    self._touched.update(_pair(lead, p) for p in partners if p != lead)
        self._was_links, self._was_records = {}, {}
        self._recompute()

    def _recompute(self) -> None:
        if self._shared and self._touched:
            self._edge_list, self._shared = list(self._edge_list), False
        # A build (or a change to much of the network): sort once at the end rather than insert one by one.
        bulk = len(self._touched) > max(1000, len(self.edges) // 4)
        moved: set[int] = set()  # organisations whose links or presence changed
        cut = False  # an organisation or a link went: components may fall apart
        for org in self._nodes:
            if self.refs[org] <= 0:
                del self.refs[org]
                moved.add(org)
                cut = True
            elif org not in self.component_of:
                moved.add(org)
        for pair in self._touched:
            overlaps, partners = self.overlap_parts.get(pair), self.partner_parts.get(pair)
            if not overlaps and not partners:
                self.overlap_parts.pop(pair, None)
                self.partner_parts.pop(pair, None)
                if self.edges.pop(pair, None) is not None:
                    if not bulk:
                        at = bisect_left(self._pairs, pair)
                        del self._pairs[at], self._edge_list[at]
                    self.adjacent[pair[0]].discard(pair[1])
                    self.adjacent[pair[1]].discard(pair[0])
                    moved.update(pair)
                    cut = True
                continue
            kinds = tuple(k for k, parts in (("overlap", overlaps), ("partnership", partners)) if parts)
            weight = edge_weight([*(overlaps or {}).values(), *[1.0] * len(partners or ())])
            edge = {"a": pair[0], "b": pair[1], "weight": weight, "kinds": kinds}
            at = 0 if bulk else bisect_left(self._pairs, pair)
            if pair not in self.edges:
                if not bulk:
                    self._pairs.insert(at, pair)
                    self._edge_list.insert(at, edge)
                    self._added.append(pair)
                self.adjacent[pair[0]].add(pair[1])
                self.adjacent[pair[1]].add(pair[0])
                moved.update(pair)
            elif not bulk:
                self._edge_list[at] = edge
            self.edges[pair] = edge
        if bulk:
            self._pairs = sorted(self.edges)
            self._edge_list = [self.edges[p] for p in self._pairs]
        if self._touched or moved:
            self._answer = None
        if moved and not cut and not bulk:
            self._join(moved)
        elif moved:
            self._regroup(moved)
        self._added = []

    def _join(self, moved: set[int]) -> None:
        """Only links and organisations came: merge the components they join, recompute those."""
        for org in sorted(moved):
            if org not in self.component_of:
                cid, self._next = self._next, self._next + 1
                self.components[cid] = frozenset({org})
                self.component_of[org] = cid
        for org in sorted(moved):
            into = self.component_of[org]
            for other in self.adjacent.get(org, ()):
                cid = self.component_of[other]
                if cid != into:
                    if len(self.components[cid]) > len(self.components[into]):
                        cid, into = into, cid
                    members = self.components.pop(cid)
                    self._matrices.pop(cid, None)
                    self.components[into] = self.components[into] | members
                    for member in members:
                        self.component_of[member] = into
        for cid in {self.component_of[o] for o in moved}:
            self._betweenness(cid)

    def _betweenness(self, cid: int) -> None:
        """Recompute one component's raw betweenness, from its link matrix kept up to date when it can be."""
        nodes = tuple(sorted(self.components[cid]))
        held = self._matrices.get(cid)
        if held is not None and held[0] == nodes:
            index, matrix = held[1], held[2]
            for a, b in self._added:
                if a in index:
                    matrix[index[a], index[b]] = matrix[index[b], index[a]] = 1.0
        else:
            matrix = link_matrix(nodes, self.adjacent) if len(nodes) > 2 else None
            index = {v: i for i, v in enumerate(nodes)}
            self._matrices.pop(cid, None)
            if isinstance(matrix, np.ndarray):
                self._matrices[cid] = (nodes, index, matrix)
        self.raw.update(matrix_betweenness(nodes, matrix) if matrix is not None else dict.fromkeys(nodes, 0.0))

    def _regroup(self, moved: set[int]) -> None:
        """Find the components of the moved organisations again; recompute their betweenness."""
        for cid in {self.component_of[o] for o in moved if o in self.component_of}:
            self._matrices.pop(cid, None)
            for org in self.components.pop(cid):
                self.component_of.pop(org, None)
                self.raw.pop(org, None)
        for org in sorted(moved):
            if org not in self.refs or org in self.component_of:
                continue
            seen, stack = {org}, [org]
            while stack:
                for other in self.adjacent.get(stack.pop(), ()):
                    if other not in seen:
                        seen.add(other)
                        stack.append(other)
            cid, self._next = self._next, self._next + 1
            self.components[cid] = frozenset(seen)
            for member in seen:
                self.component_of[member] = cid
            self._betweenness(cid)
        for org in [o for o, peers in self.adjacent.items() if not peers]:
            del self.adjacent[org]

    def answer(self, names: dict[int, dict[str, Any]]) -> dict[str, Any]:
        """What `insights.network_for` answers with no filter (shared and read-only)."""
        if self._answer is None:
            n = len(self.refs)
            nodes = [{"organisation_id": v, "degree": len(self.adjacent.get(v, ())),
                      "betweenness": round(normalised(self.raw.get(v, 0.0), n), 6), "organisation": names.get(v)}
                     for v in sorted(self.refs)]
            groups = [self.components[c] for c in self.components if len(self.components[c]) > 1]
            self._answer = {
                "nodes": nodes,
                "edges": self._edge_list,
                "components": [sorted(c) for c in sorted(groups, key=lambda c: (-len(c), min(c)))],
                "isolated": [n["organisation_id"] for n in nodes if n["degree"] == 0],
            }
            self._shared = True
        return self._answer

    def forget_names(self) -> None:
        """Names changed: assemble the answer again."""
        self._answer = None


__all__ = ["KeptNetwork"]

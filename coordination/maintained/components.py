"""Convergence groups kept per connected component of the overlap graph, and their allies.

A change recomputes the components holding a touched initiative (before the change, they
are dropped; after it, they are found again by walking the links from the touched ones):
every initiative whose component changed is reachable from a touched one. Each component is
split as `convergence_groups` splits it (`component_groups` on its canonical graph), with a
memo of parts so a large component re-splits only the parts that changed.

Allies (`suggest_allies`) are kept per group and dropped when an institutional initiative
sharing a goal family with the group changes; they are only asked for the groups answered.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Any

import networkx as nx

from ..convergence.goals import family, normalise_code
from ..convergence.groups import (
    ConvergenceGroup,
    component_groups,
    group_answer,
    is_institutional,
    suggest_allies,
)
from ..convergence.kinds import OVERLAP
from ..convergence.split_memo import ChangeMemo
from ..records import InitiativeRecord

GROUP_LIMIT = 50  # groups answered (as `insights.groups_for`)
NO_ALLIES: tuple = ()  # a group with an institutional actor is suggested none
MEMO_LIMIT = 40_000  # remembered splits and summaries of parts (see `split_memo`)


def _codes(record: InitiativeRecord) -> set[str]:
    return {c for c in (normalise_code(g) for g in record.goals) if c}


def _topics(record: InitiativeRecord) -> set:
    """Goal codes and families of a record: what an ally must share with a group."""
    codes = _codes(record)
    return codes | {("family", family(c)) for c in codes}


class KeptGroups:
    """Groups per component, the sorted list of all groups, and allies per answered group."""

    def __init__(self) -> None:
        self.component_of: dict[int, int] = {}
        self.components: dict[int, tuple[frozenset[int], list[ConvergenceGroup]]] = {}
        self.memo = ChangeMemo(MEMO_LIMIT)
        self._seen: dict[int, InitiativeRecord] = {}  # the record each initiative was last split with
        # Every visible overlap link, kept with the state: the split only ever reads the links
        # among a part's members (and sorts what it hands Leiden), so one graph serves every
        # component and no component graph is built per change.
        self.graph = nx.Graph()
        self.allies: dict[tuple[int, ...], tuple[set, list]] = {}  # group ids -> (topics, allies)
        self.institutional: dict[Any, set[int]] = {}  # topic -> institutional initiatives
        self.indexed: dict[int, InitiativeRecord] = {}  # institutional records, as indexed by topic
        self._touched: set[int] = set()
        self._cut = False
        self._next = 0
        # Every group, largest first (as `convergence_groups`), by its sort key; kept as components change.
        self._keys: list[tuple] = []
        self._sorted: list[ConvergenceGroup] = []
        self._items: dict[int, tuple] = {}  # id(group) -> (group, allies, names version, answered item)

    def pending(self, touched: set[int], _related: set[int], _links: set[int]) -> None:
        """Note what a change touched."""
        self._touched |= touched

    def flush(self, state) -> None:
        """Recompute the components of the touched initiatives; forget allies they may change."""
        if self._touched:
            touched, self._touched = self._touched, set()
            self._update(state, touched)

    def _relink(self, state, touched: set[int]) -> None:
        """Bring the kept graph's links of the touched initiatives up to date (both ends of a
        changed link are touched), telling the memo what changed."""
        adjacency, graph = self.graph._adj, self.graph
        self._cut = False  # a link or an initiative went: a component may fall apart
        changed: list[tuple[int, int, float | None]] = []
        for i in sorted(touched):
            old, new = adjacency.get(i, {}), state.neighbours(i, OVERLAP)
            if old.keys() - new.keys():
                self._cut = True
            for other in sorted(old.keys() | new.keys()):
                if (other > i or other not in touched) and old.get(other, {}).get("weight") != new.get(other):
                    changed.append((i, other, new.get(other)))
            record = state.records.get(i)
            if self._seen.get(i) is not record:
                self.memo.record_changed(i)
                if record is None:
                    del self._seen[i]
                else:
                    self._seen[i] = record
        for a, b, weight in changed:
            self.memo.link_changed(a, b)
            if weight is None:
                graph.remove_edge(a, b)
                for end in (a, b):
                    if not adjacency[end]:
                        graph.remove_node(end)
            else:
                graph.add_edge(a, b, weight=weight)

    def _update(self, state, touched: set[int]) -> None:
        self._relink(state, touched)
        dropped: dict[int, frozenset[int]] = {}
        for cid in {self.component_of[i] for i in touched if i in self.component_of}:
            members, groups = self.components.pop(cid)
            dropped[cid] = members
            for i in members:
                del self.component_of[i]
            self._order(groups, remove=True)
        self.memo.trim()
        for component in self._found_again(state, touched, dropped):
            members = [state.records[i] for i in sorted(component)]
            cid, self._next = self._next, self._next + 1
            groups = component_groups(members, self.graph, self.memo)
            self.components[cid] = (frozenset(component), groups)
            for i in component:
                self.component_of[i] = cid
            self._order(groups)
        changed_topics: set = set()
        for i in touched:  # only a changed institutional record can change another group's allies
            old, record = self.indexed.get(i), state.records.get(i)
            new = record if record is not None and is_institutional(record.org_type) else None
            if old == new:
                continue
            for topic in _topics(old) if old is not None else ():
                self.institutional[topic].discard(i)
                changed_topics.add(topic)
            for topic in _topics(new) if new is not None else ():
                self.institutional.setdefault(topic, set()).add(i)
                changed_topics.add(topic)
            if new is None:
                del self.indexed[i]
            else:
                self.indexed[i] = new
        for key in [k for k, (topics, _a) in self.allies.items() if topics & changed_topics
                    or not touched.isdisjoint(k[0])]:
            del self.allies[key]

    def _found_again(self, state, touched: set[int], dropped: dict[int, frozenset[int]]) -> list[set[int]]:
        """The components holding the touched initiatives now. When links and initiatives only came,
        each is a union of dropped components and new initiatives, joined by the touched ones'
        links; else they are walked again."""
        starts = sorted(i for i in touched if i in state.records and state.neighbours(i, OVERLAP))
        if self._cut:
            found, seen = [], set()
            for start in starts:
                if start not in seen:
                    found.append(state.reach([start], OVERLAP))
                    seen |= found[-1]
            return found
        was = {i: cid for cid, members in dropped.items() for i in members}
        parent: dict = {}

        def root(x):
            while parent.setdefault(x, x) != x:
                parent[x] = x = parent[parent[x]]
            return x

        for i in starts:
            for other in (i, *state.neighbours(i, OVERLAP)):
                parent[root(("new", other) if other not in was else was[other])] = \
                    root(("new", i) if i not in was else was[i])
        joined: dict = {}
        for piece in list(parent):
            joined.setdefault(root(piece), set()).update(dropped[piece] if piece in dropped else {piece[1]})
        return sorted(joined.values(), key=min)

    def _order(self, groups: list[ConvergenceGroup], remove: bool = False) -> None:
        """Take groups out of (or put them into) the sorted list; many at once sort it again."""
        if len(groups) > 1000:
            gone = {id(g) for g in groups} if remove else set()
            pool = [g for g in self._sorted if id(g) not in gone] if remove else [*self._sorted, *groups]
            pool.sort(key=_sort_key)
            self._sorted, self._keys = pool, [_sort_key(g) for g in pool]
            return
        for g in groups:
            key = _sort_key(g)
            at = bisect_left(self._keys, key)
            if remove:
                del self._keys[at], self._sorted[at]
            else:
                self._keys.insert(at, key)
                self._sorted.insert(at, g)

    def sorted_groups(self) -> list[ConvergenceGroup]:
        """Every group, largest first (as `convergence_groups`): read-only."""
        return self._sorted

    def allies_of(self, state, group: ConvergenceGroup) -> list:
        """`suggest_allies(group, every visible record)`, from the institutional records sharing a topic."""
        key = (group.initiative_ids, group.organisation_ids)
        if key not in self.allies:
            members = [state.records[i] for i in group.initiative_ids]
            topics = set().union(*(_topics(r) for r in members)) if members else set()
            candidates = set().union(*(self.institutional.get(t, ()) for t in topics)) if topics else set()
            pool = [state.records[i] for i in sorted(candidates | set(group.initiative_ids)) if i in state.records]
            self.allies[key] = (topics, suggest_allies(group, pool))
        return self.allies[key][1]

    def answer(self, state) -> list[dict[str, Any]]:
        """What `insights.groups_for` answers with no filter (a new list each time)."""
        groups = self.sorted_groups()[:GROUP_LIMIT]
        live = {(g.initiative_ids, g.organisation_ids) for g in groups}
        for key in [k for k in self.allies if k not in live]:
            del self.allies[key]
        names, items, out = state.names, {}, []
        for g in groups:
            allies = NO_ALLIES if g.has_institutional_actor else self.allies_of(state, g)
            held = self._items.get(id(g))
            if held is None or held[0] is not g or held[1] is not allies or held[2] != state.names_version:
                held = (g, allies, state.names_version, group_answer(g, names, allies))
            items[id(g)] = held
            out.append(held[3])
        self._items = items
        return out


def _sort_key(group: ConvergenceGroup) -> tuple:
    return -len(group.initiative_ids), group.initiative_ids


__all__ = ["KeptGroups"]

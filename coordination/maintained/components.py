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
from ..records import InitiativeRecord

GROUP_LIMIT = 50  # groups answered (as `insights.groups_for`)
MEMO_LIMIT = 20_000  # remembered splits of parts (see `group_split`)


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
        self.memo: dict = {}
        # Every visible overlap link, kept with the state: the split only ever reads the links
        # among a part's members (and re-sorts what it hands Louvain), so one graph serves every
        # component and no component graph is built per change.
        self.graph = nx.Graph()
        self.allies: dict[tuple[int, ...], tuple[set, list]] = {}  # group ids -> (topics, allies)
        self.institutional: dict[Any, set[int]] = {}  # topic -> institutional initiatives
        self.indexed: dict[int, InitiativeRecord] = {}  # institutional records, as indexed by topic
        self._touched: set[int] = set()
        self._next = 0
        self._sorted: list[ConvergenceGroup] | None = None

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
        changed link are touched)."""
        for i in touched:
            if i in self.graph:
                self.graph.remove_node(i)
        for i in touched:
            self.graph.add_weighted_edges_from((i, o, w) for o, w in state.neighbours(i, OVERLAP).items())

    def _update(self, state, touched: set[int]) -> None:
        self._relink(state, touched)
        for cid in {self.component_of[i] for i in touched if i in self.component_of}:
            members, _groups = self.components.pop(cid)
            for i in members:
                self.component_of.pop(i, None)
        if len(self.memo) > MEMO_LIMIT:
            self.memo.clear()
        seen: set[int] = set()
        for start in sorted(touched):
            if start in seen or start not in state.records or not state.neighbours(start, OVERLAP):
                continue
            component = state.reach([start], OVERLAP)
            seen |= component
            members = [state.records[i] for i in sorted(component)]
            cid, self._next = self._next, self._next + 1
            self.components[cid] = (frozenset(component), component_groups(members, self.graph, self.memo))
            for i in component:
                self.component_of[i] = cid
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
        self._sorted = None

    def sorted_groups(self) -> list[ConvergenceGroup]:
        """Every group, largest first (as `convergence_groups`)."""
        if self._sorted is None:
            self._sorted = sorted((g for _m, groups in self.components.values() for g in groups),
                                  key=lambda g: (-len(g.initiative_ids), g.initiative_ids))
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
        names = state.names
        out = []
        for g in groups:
            allies = [] if g.has_institutional_actor else self.allies_of(state, g)
            out.append(group_answer(g, names, allies))
        return out


__all__ = ["KeptGroups"]

"""One reader class's kept state: the records and links it may see, and the views kept from them.

`KeptState.apply(delta)` takes the current value of whatever may have changed
(`source.Delta`), keeps only what really differs, and tells each view which initiatives were
touched: the changed ones and both ends of every changed link. The views (`cells`,
`components`, `orgnet`) note them and, when their answer is next asked for (`ready`),
recompute only the cells, components and organisation pairs those initiatives belong to (or belonged to), with the same functions the full computation
uses, so the answers are identical to it.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..convergence.kinds import DUPLICATE, OVERLAP
from ..records import InitiativeRecord
from .cells import KeptCells
from .components import KeptGroups
from .orgnet import KeptNetwork
from .source import Delta, Link


class KeptState:
    """Records and links one reader class may see, and the analytics kept over them."""

    def __init__(self) -> None:
        self.records: dict[int, InitiativeRecord] = {}
        self.links: dict[int, Link] = {}  # every active, not dismissed overlap (visible or not)
        self.links_of: dict[int, set[int]] = defaultdict(set)
        self.names: dict[int, dict[str, Any]] = {}
        # The visible links by kind: initiative -> {other side: score}, kept with the links.
        self.adjacency: dict[str, dict[int, dict[int, float]]] = {OVERLAP: {}, DUPLICATE: {}}
        self.cells = {level: KeptCells(level) for level in ("country", "admin1")}
        self.groups = KeptGroups()
        self.network = KeptNetwork()
        self.generation = 0  # moves whenever an answer may have changed
        self.names_version = 0  # moves whenever an organisation's name, slug or type changed

    # -- reads the views share ------------------------------------------------------------

    def visible_links(self, initiative_id: int):
        """(link id, other side, score, kind) of the visible links of one initiative."""
        for lid in self.links_of.get(initiative_id, ()):
            a, b, score, kind = self.links[lid]
            if a in self.records and b in self.records:
                yield lid, (b if a == initiative_id else a), score, kind

    def neighbours(self, initiative_id: int, kind: str = OVERLAP) -> dict[int, float]:
        """The other sides of the visible links of `kind`, with their scores (read-only)."""
        return self.adjacency[kind].get(initiative_id, {})

    def _relink(self, moved: set[int], links: dict[int, tuple[Link | None, Link | None]]) -> None:
        """Bring the adjacency up to date: every link of the initiatives that came or went
        (`moved`), and the changed links (old row, new row) between initiatives that stayed."""
        for kind, adjacency in self.adjacency.items():
            for i in moved:
                old = adjacency.pop(i, {})
                new = {} if i not in self.records else \
                    {other: score for _l, other, score, k in self.visible_links(i) if k == kind}
                for other in old.keys() - new.keys():
                    self._unlink(adjacency, other, i)
                for other, score in new.items():
                    adjacency.setdefault(other, {})[i] = score
                if new:
                    adjacency[i] = new
        for was, now in links.values():
            if was is not None and was[0] not in moved and was[1] not in moved:
                a, b, _score, kind = was
                self._unlink(self.adjacency[kind], a, b)
                self._unlink(self.adjacency[kind], b, a)
            if now is not None and now[0] not in moved and now[1] not in moved \
                    and now[0] in self.records and now[1] in self.records:
                a, b, score, kind = now
                self.adjacency[kind].setdefault(a, {})[b] = score
                self.adjacency[kind].setdefault(b, {})[a] = score

    @staticmethod
    def _unlink(adjacency: dict[int, dict[int, float]], one: int, other: int) -> None:
        peers = adjacency.get(one)
        if peers is not None:
            peers.pop(other, None)
            if not peers:
                del adjacency[one]

    def reach(self, starts, kind: str) -> set[int]:
        """Every initiative linked (by `kind`, visibly) to one of `starts`, directly or not."""
        seen, stack = set(), [i for i in starts if i in self.records]
        while stack:
            i = stack.pop()
            if i in seen:
                continue
            seen.add(i)
            stack.extend(o for o in self.neighbours(i, kind) if o not in seen)
        return seen

    def first_report(self, initiative_id: int) -> int:
        """The lowest id of the effort an initiative reports (itself without duplicate links)."""
        if not self.neighbours(initiative_id, DUPLICATE):
            return initiative_id
        return min(self.reach([initiative_id], DUPLICATE))

    def in_overlap(self, initiative_id: int) -> bool:
        """Whether the initiative is in at least one visible `overlap` link."""
        return bool(self.neighbours(initiative_id, OVERLAP))

    def ready(self, view):
        """`view` (one of the state's) with what changed since it last answered taken in."""
        view.flush(self)
        return view

    # -- changes ----------------------------------------------------------------------------

    def apply(self, delta: Delta) -> bool:
        """Take `delta` in; recompute what it touched. Returns whether anything changed."""
        self.names.update({i: v for i, v in delta.names.items() if v is not None})
        for i in [i for i, v in delta.names.items() if v is None]:
            self.names.pop(i, None)
        records = {i: r for i, r in delta.records.items() if self.records.get(i) != r}
        links = {i: v for i, v in delta.links.items() if self.links.get(i) != v}
        if delta.names:
            self.names_version += 1
            self.network.forget_names()
            self.generation += 1
        if not records and not links:
            return bool(delta.names)
        touched = set(records)
        for lid, new in links.items():
            for row in (self.links.get(lid), new):
                if row is not None:
                    touched.update(row[:2])
        # Links whose counted parts may differ: the changed ones and those of a changed record (its
        # organisation or visibility); a link only sharing an initiative with a changed link is as it was.
        changed_links = set(links) | {lid for i in records for lid in self.links_of.get(i, ())}
        duplicates_before = self.reach(touched, DUPLICATE)
        moved = {i for i, r in records.items() if (r is None) == (i in self.records)}  # came or went
        link_rows = {lid: (self.links.get(lid), new) for lid, new in links.items()}
        for i, r in records.items():
            if r is None:
                self.records.pop(i, None)
            else:
                self.records[i] = r
        for lid, new in links.items():
            old = self.links.pop(lid, None)
            if old is not None:
                for side in old[:2]:
                    self.links_of[side].discard(lid)
            if new is not None:
                self.links[lid] = new
                for side in new[:2]:
                    self.links_of[side].add(lid)
        for i in touched:
            if not self.links_of.get(i, True):
                del self.links_of[i]
        self._relink(moved, link_rows)
        related = touched | duplicates_before | self.reach(touched, DUPLICATE)
        for view in (*self.cells.values(), self.groups, self.network):
            view.pending(touched, related, changed_links)
        self.generation += 1
        return True


__all__ = ["KeptState"]

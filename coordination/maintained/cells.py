"""Fragmentation cells and gaps of one area level, kept per (goal, area) and per area.

A cell's figures depend on its members, which of them are in an `overlap` link, and which
report the same effort as a lower id (`duplicate` links): a change recomputes the cells of
the touched initiatives (before and after) and of everything linked to them by duplicates.
Gaps depend only on the codes present in an area: kept as counts per area, recomputed for
the touched areas. Both with the functions `insights.fragmentation_for` uses.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict
from typing import Any

from ..convergence.fragmentation import _codes, area_gaps, area_keys, cell_for
from ..convergence.goals import normalise_code
from ..records import InitiativeRecord

Key = tuple[str, str]  # (goal, area)


def _cell_keys(record: InitiativeRecord | None, level: str) -> set[Key]:
    if record is None:
        return set()
    return {(code, area) for code in _codes(record, None) for area in area_keys(record, level)}


def _present(record: InitiativeRecord | None, level: str) -> list[tuple[str, str]]:
    if record is None:
        return []
    codes = {c for c in (normalise_code(g) for g in record.goals) if c}
    return [(area, code) for area in area_keys(record, level) for code in codes]


class KeptCells:
    """Cells and gaps of one area level ("country" or "admin1"), no goal, no period."""

    def __init__(self, level: str) -> None:
        self.level = level
        self.members: dict[Key, set[int]] = defaultdict(set)
        self.keys_of: dict[int, set[Key]] = {}
        self.cells: dict[Key, dict[str, Any]] = {}
        self.present: dict[str, Counter] = defaultdict(Counter)
        self.present_of: dict[int, list[tuple[str, str]]] = {}  # initiative -> its (area, code)s counted
        self._related: set[int] = set()
        self._touched: set[int] = set()
        self.gaps: dict[str, list[dict[str, Any]]] = {}
        self._answer: dict[str, Any] | None = None

    def pending(self, touched: set[int], related: set[int], _links: set[int]) -> None:
        """Note what a change touched (`related`: with what duplicates link to them)."""
        self._touched |= touched
        self._related |= related

    def flush(self, state) -> None:
        """Recompute the cells of the related initiatives and the gaps of the touched ones' areas."""
        if self._related or self._touched:
            related, touched, self._related, self._touched = self._related, self._touched, set(), set()
            self._update(state, related, touched)

    def _update(self, state, related: set[int], touched: set[int]) -> None:
        touched_cells: set[Key] = set()
        for i in related:
            old = self.keys_of.pop(i, set())
            new = _cell_keys(state.records.get(i), self.level)
            for key in old - new:
                self.members[key].discard(i)
            for key in new - old:
                self.members[key].add(i)
            if new:
                self.keys_of[i] = new
            touched_cells |= old | new
        for key in touched_cells:
            ids = self.members.get(key)
            if not ids:
                self.members.pop(key, None)
                self.cells.pop(key, None)
                continue
            first = {i: state.first_report(i) for i in ids}
            in_overlap = {i for i in ids if state.in_overlap(i)}
            cell = cell_for(key[0], key[1], [state.records[i] for i in ids], None, first, in_overlap)
            self.cells[key] = {**asdict(cell), "period": None}
        touched_areas: set[str] = set()
        for i in touched:
            for area, code in self.present_of.pop(i, ()):
                self.present[area][code] -= 1
                touched_areas.add(area)
            now = _present(state.records.get(i), self.level)
            for area, code in now:
                self.present[area][code] += 1
                touched_areas.add(area)
            if now:
                self.present_of[i] = now
        for area in touched_areas:
            codes = {c for c, n in self.present[area].items() if n > 0}
            if codes:
                self.present[area] = Counter({c: n for c, n in self.present[area].items() if n > 0})
                self.gaps[area] = [asdict(g) for g in area_gaps(area, codes)]
            else:
                self.present.pop(area, None)
                self.gaps.pop(area, None)
        if touched_cells or touched_areas:
            self._answer = None

    def answer(self) -> dict[str, Any]:
        """What `insights.fragmentation_for` answers for this level with no filter (shared and read-only)."""
        if self._answer is None:
            self._answer = {"cells": [self.cells[k] for k in sorted(self.cells)],
                            "gaps": [g for area in sorted(self.gaps) for g in self.gaps[area]]}
        return self._answer


__all__ = ["KeptCells"]

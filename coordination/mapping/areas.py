"""Fragmentation by area: how many initiatives and organisations work on a goal per area.

H is the Herfindahl index (`convergence.fragmentation.herfindahl`, the engine's) over organisations' shares of the initiatives (1 = one actor
does everything); 1/H is the effective number of actors.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..convergence.fragmentation import herfindahl


@dataclass(frozen=True, slots=True)
class AreaCell:
    """One area's figures for the selected goal."""

    country: str
    admin1: str | None
    initiatives: int
    organisations: int
    herfindahl: float

    @property
    def effective_actors(self) -> float:
        """1/H: how many equally active organisations the spread corresponds to."""
        return 1.0 / self.herfindahl if self.herfindahl else 0.0


def fragmentation_by_area(rows: Iterable[tuple[int, int, str | None, str | None]],
                          by_admin1: bool = False) -> list[AreaCell]:
    """Cells from (initiative_id, organisation_id, country, admin1) rows, busiest first.

    An initiative counts once per area however many locations it has there.
    """
    per_area: dict[tuple[str, str | None], dict[int, int]] = defaultdict(dict)
    for initiative_id, organisation_id, country, admin1 in rows:
        if not country:
            continue
        key = (country, (admin1 or None) if by_admin1 else None)
        per_area[key][initiative_id] = organisation_id
    cells = []
    for (country, admin1), owners in per_area.items():
        by_org = Counter(owners.values())
        cells.append(AreaCell(country, admin1, len(owners), len(by_org), round(herfindahl(by_org.values()), 4)))
    cells.sort(key=lambda c: (-c.initiatives, c.country, c.admin1 or ""))
    return cells

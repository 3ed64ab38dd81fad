"""Per-request batch loaders: an initiative's nested fields for a whole page in one statement each.

graphene 3 runs resolvers synchronously here, so the loaders batch by *registration*
rather than by awaiting promises: every resolver that hands initiatives out (a page,
one initiative, the two sides of overlaps) registers them first, and the first field
resolver that needs, say, the tags of one registered initiative loads the tags of
every registered initiative that lacks them, in one statement. Later resolvers read
the per-request cache. So a page of 100 initiatives with their organisation, partners,
goals, tags, places and overlaps costs one statement per kind, whatever its size, and
nested overlaps cost one more statement per level, not one per node.

A relationship already loaded on the ORM object (e.g. by `coordination.queries.eager`)
is used as it is. Nothing here decides what a reader may see: initiatives are
registered only once a read function has let the reader see them, and overlaps come
from `coordination.insights.overlaps_of_many` (the visibility rule of `overlaps_of`).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, inspect, select
from sqlalchemy.orm import Session, joinedload

from coordination import insights
from coordination.models import (
    Goal,
    Initiative,
    InitiativeGoal,
    InitiativeTag,
    Location,
    Organisation,
    Overlap,
    Partner,
)
from coordination.permissions import Actor

# relationship name -> (row class, its order within an initiative, what to join into the statement)
RELATIONS: dict[str, tuple[type, Any, tuple]] = {
    "partners": (Partner, Partner.id, (joinedload(Partner.organisation),)),
    "goal_links": (InitiativeGoal, InitiativeGoal.id, (joinedload(InitiativeGoal.goal).joinedload(Goal.vision),)),
    "tag_links": (InitiativeTag, InitiativeTag.id, (joinedload(InitiativeTag.tag),)),
    "locations": (Location, Location.id, ()),
}


def _unloaded(obj: Any, name: str) -> bool:
    return name in inspect(obj).unloaded


class Loaders:
    """The batch loaders and caches of one GraphQL request (one session, one reader)."""

    def __init__(self, session: Session, actor: Actor):
        self.session = session
        self.actor = actor
        self._initiatives: dict[int, Initiative] = {}
        self._related: dict[str, dict[int, list]] = {name: {} for name in RELATIONS}
        self._organisations: dict[int, Organisation] = {}
        self._overlaps: dict[tuple[float | None, str | None, str | None], dict[int, list[Overlap]]] = {}

    # -- what the page statement loads itself ------------------------------------------------

    @staticmethod
    def page_options(stmt: Select) -> Select:
        """Join each initiative's organisation into the page statement; the rest comes on demand."""
        return stmt.options(joinedload(Initiative.organisation))

    # -- registration ---------------------------------------------------------------------------

    def register(self, initiatives: Iterable[Initiative]) -> None:
        """Initiatives handed to the reader: their fields are loaded together, when first asked."""
        for initiative in initiatives:
            self._initiatives.setdefault(initiative.id, initiative)

    def register_overlap_sides(self, rows: Iterable[Overlap]) -> None:
        self.register(side for row in rows for side in (row.initiative_a, row.initiative_b))

    def _pending(self, initiative: Initiative, done: dict, name: str) -> list[int]:
        """The registered initiatives (this one included) still lacking `name`, by id."""
        self.register([initiative])
        return [i for i, obj in self._initiatives.items() if i not in done and _unloaded(obj, name)]

    # -- loaders --------------------------------------------------------------------------------

    def related(self, initiative: Initiative, name: str) -> list:
        """`initiative.<name>` (partners, goal_links, tag_links, locations), batched."""
        cache = self._related[name]
        if initiative.id in cache:
            return cache[initiative.id]
        if not _unloaded(initiative, name):
            return getattr(initiative, name)
        model, order, options = RELATIONS[name]
        ids = self._pending(initiative, cache, name)
        found: dict[int, list] = {i: [] for i in ids}
        stmt = select(model).where(model.initiative_id.in_(ids)).options(*options).order_by(order)
        for row in self.session.scalars(stmt):
            found[row.initiative_id].append(row)
        cache.update(found)
        return cache[initiative.id]

    def organisation(self, initiative: Initiative) -> Organisation:
        """`initiative.organisation`, batched over the registered initiatives that lack it."""
        if not _unloaded(initiative, "organisation"):
            return initiative.organisation
        if initiative.organisation_id not in self._organisations:
            self.register([initiative])
            wanted = {obj.organisation_id for obj in self._initiatives.values()
                      if _unloaded(obj, "organisation") and obj.organisation_id not in self._organisations}
            stmt = select(Organisation).where(Organisation.id.in_(sorted(wanted)))
            self._organisations.update((o.id, o) for o in self.session.scalars(stmt))
        return self._organisations[initiative.organisation_id]

    def overlaps(self, initiative: Initiative, min_score: float | None = 0.0,
                 status: str | None = None, kind: str | None = None) -> list[Overlap]:
        """`insights.overlaps_of(initiative)`, batched per (min_score, status, kind); registers the other sides."""
        cache = self._overlaps.setdefault((min_score, status, kind), {})
        if initiative.id not in cache:
            self.register([initiative])
            ids = [i for i in self._initiatives if i not in cache]
            found = insights.overlaps_of_many(self.session, self.actor, ids, min_score, status, kind)
            cache.update(found)
            self.register_overlap_sides(row for rows in found.values() for row in rows)
        return cache[initiative.id]


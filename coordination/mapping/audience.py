"""Who a map point table is for, and reading an audience's shown points from SQL.

Audiences: "public" (anonymous readers and, for everything but their own organisation's
work, signed-in members), "all" (coordinators and platform admins), and ("org", id) (one
organisation's own initiatives, which its members see exactly, private ones included).
A member's view is the public table without their organisation's rows plus their
organisation's table (`table.view_points`).

The points are those of `read.map_points` *as that audience may see them*: sensitive work
already moved to its area's centroid, from the one visibility rule.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from sqlalchemy import and_, bindparam, or_, select, true
from sqlalchemy.orm import Session

from ..models import Initiative, Location
from ..permissions import ANONYMOUS, Actor
from ..visibility import exact_clause, readable_clause
from .points import EMPTY, PointTable
from .read import Centroid, _primary_goal_join, gazetteer_centroid

Audience = tuple  # ("public",) | ("all",) | ("org", organisation_id)
PUBLIC: Audience = ("public",)
_EVERYTHING = Actor(role="coordinator", label="map table")  # the reader of the ALL table
ALL: Audience = ("all",)
CHUNK = 900  # ids per IN (...) list


def audience_of(actor: Actor) -> Audience:
    """The table an actor's view starts from (members add their organisation's, see `view_points`)."""
    return ALL if actor.reads_everything else PUBLIC


def reader_of(actor: Actor) -> Audience:
    """Who reads, for cache keys: readers with the same key see the same initiatives and places."""
    if actor.reads_everything or actor.organisation_id is None:
        return audience_of(actor)
    return ("org", actor.organisation_id)


def _conditions(audience: Audience):
    """(visible, exact) SQL conditions of an audience, from the one visibility rule."""
    if audience[0] == "org":  # an organisation's own table: all its live work, exact
        return and_(Initiative.withdrawn_at.is_(None), Initiative.organisation_id == audience[1]), true()
    reader = _EVERYTHING if audience == ALL else ANONYMOUS
    return readable_clause(reader), exact_clause(reader)


@lru_cache(maxsize=64)
def _statements(audience: Audience, some: bool):
    """(exact points, coarse locations) statements of an audience, of the initiatives in the
    expanding parameter `ids` when `some`; built once (a catch-up reruns them with new ids)."""
    visible, exact = _conditions(audience)
    only = Location.initiative_id.in_(bindparam("ids", expanding=True)) if some else true()
    stmt, goal = _primary_goal_join(select(Location.initiative_id, Initiative.organisation_id, Location.lat,
                                           Location.lon).join(Initiative, Initiative.id == Location.initiative_id))
    stmt = stmt.add_columns(goal.colour).where(visible, exact, only, Location.lat.is_not(None),
                                               Location.lon.is_not(None))
    coarse, goal = _primary_goal_join(select(
        Location.initiative_id, Initiative.organisation_id, Location.country, Location.admin1,
        Initiative.public_precision).join(Initiative, Initiative.id == Location.initiative_id))
    coarse = coarse.add_columns(goal.colour).where(visible, only, or_(
        ~exact, Location.lat.is_(None), Location.lon.is_(None)))
    return stmt, coarse


def load_points(session: Session, audience: Audience, ids: Sequence[int] | None = None,
                centroid: Centroid = gazetteer_centroid) -> PointTable:
    """The shown points of an audience (of the initiatives `ids` only, when given), straight from SQL."""
    if ids is not None and not ids:
        return EMPTY
    stmt, coarse = _statements(audience, ids is not None)
    connection = session.connection()  # Core rows: no ORM bookkeeping for 100k tuples
    chunks = [{}] if ids is None else [{"ids": list(ids)[i:i + CHUNK]} for i in range(0, len(ids), CHUNK)]
    rows: list[tuple] = []
    for chunk in chunks:
        rows += [(*row, False) for row in connection.execute(stmt, chunk)]
        # Coarsened and point-less locations: at their area's centroid (as read.map_points places them).
        for i, org, country, admin1, precision, colour in connection.execute(coarse, chunk):
            spot = centroid(country, admin1 if precision != "country" else None)
            if spot is not None:
                rows.append((i, org, spot[0], spot[1], colour, True))
    return PointTable.from_rows(rows)

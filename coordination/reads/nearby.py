"""Other organisations' initiatives on the same goal family nearby: the form's quick lookup without text."""
from __future__ import annotations

import math
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from .. import vocab
from ..convergence.explain import distance_words
from ..errors import ValidationError
from ..models import Initiative, InitiativeGoal, Location
from ..permissions import Actor
from ..queries import eager, goal_ids_for, visible_to
from ..visibility import exact_clause, sees_exact

NEARBY_KM = 50.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def similar_initiatives(session: Session, actor: Actor, goals: list[str], countries: list[str],
                        points: list[tuple[float, float]], exclude_id: int | None = None,
                        limit: int = 10) -> list[dict[str, Any]]:
    """Other organisations' initiatives on the same goal family, in the same country or within ~50 km.

    The simple stand-in for the convergence engine's preview. Exact distances are only
    computed against initiatives whose exact places the reader may see.
    """
    families = sorted({vocab.goal_family(c) for c in goals if ":" not in c and vocab.normalise_goal_code(c)})
    if not families or not (countries or points):
        return []
    goal_ids: list[int] = []
    for family in families:
        try:
            goal_ids += goal_ids_for(session, family, include_children=True)
        except ValidationError:
            continue
    if not goal_ids:
        return []
    near = [Location.country.in_([c.upper() for c in countries])] if countries else []
    for lat, lon in points[:20]:
        dlat = NEARBY_KM / 111.0
        dlon = NEARBY_KM / (111.0 * max(0.05, math.cos(math.radians(lat))))
        near.append(and_(exact_clause(actor), Location.lat.between(lat - dlat, lat + dlat),
                         Location.lon.between(lon - dlon, lon + dlon)))
    stmt = visible_to(actor, select(Initiative)).where(
        exists().where(InitiativeGoal.initiative_id == Initiative.id, InitiativeGoal.goal_id.in_(goal_ids)),
        exists().where(Location.initiative_id == Initiative.id, or_(*near)))
    if actor.organisation_id is not None:
        stmt = stmt.where(Initiative.organisation_id != actor.organisation_id)
    if exclude_id is not None:
        stmt = stmt.where(Initiative.id != exclude_id)
    out = []
    for other in session.scalars(eager(stmt.order_by(Initiative.id.desc()).limit(200))):
        exact = sees_exact(actor, other)
        distance = None
        if exact and points:
            ds = [_km(lat, lon, loc.lat, loc.lon) for lat, lon in points for loc in other.locations
                  if loc.lat is not None and loc.lon is not None]
            distance = min(ds) if ds else None
        if distance is not None and distance > NEARBY_KM and not any(
                loc.country in countries for loc in other.locations):
            continue
        shared = sorted({link.goal.code for link in other.goal_links if link.goal.vision.slug == "sdg"
                         and vocab.goal_family(link.goal.code) in families})
        where = (distance_words(distance) if distance is not None else
                 "in " + ", ".join(sorted({loc.country for loc in other.locations if loc.country in countries})))
        out.append({"id": other.id, "title": other.title, "organisation": other.organisation.name,
                    "organisation_slug": other.organisation.slug, "goals": shared, "distance_km": distance,
                    "reason": f"works on {', '.join(shared) or 'the same goal'}, {where}"})
    out.sort(key=lambda item: (item["distance_km"] is None, item["distance_km"] or 0, -item["id"]))
    return out[:limit]

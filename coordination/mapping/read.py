"""Database reads behind the map: points as the reader may see them, popup details, area rows.

Sensitive initiatives (public precision admin or country) are shown to the public at the
centroid of their admin-1 area or country — never at the exact point, and the viewport
filter runs on the shown point, so a small bbox cannot reveal where the work really is.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from ..freshness import freshness_since
from ..models import Goal, Initiative, InitiativeGoal, Location, Organisation, Vision
from ..permissions import Actor
from ..queries import InitiativeFilter, filtered
from ..status import effective_status
from ..visibility import area_centroid, exact_clause
from ..vocab import goal_reference
from .cluster import MapPoint, in_bbox

Centroid = Callable[[str | None, str | None], "tuple[float, float] | None"]
WORLD = (-180.0, -90.0, 180.0, 90.0)


gazetteer_centroid = area_centroid  # the map shows coarse work where `visibility` says it lies


def _primary_goal_join(stmt):
    primary = aliased(InitiativeGoal)
    goal = aliased(Goal)
    stmt = stmt.outerjoin(primary, and_(primary.initiative_id == Initiative.id, primary.primary.is_(True),
                                        primary.source == "own"))
    return stmt.outerjoin(goal, goal.id == primary.goal_id), goal


def map_points(session: Session, actor: Actor, f: InitiativeFilter,
               bbox: tuple[float, float, float, float] = WORLD,
               centroid: Centroid = gazetteer_centroid) -> list[MapPoint]:
    """The points to draw for a filter and viewport, coarsened where the reader may not see more."""
    ids = filtered(session, actor, f).with_only_columns(Initiative.id).scalar_subquery()
    exact = exact_clause(actor)
    min_lon, min_lat, max_lon, max_lat = bbox
    lon_ok = (Location.lon.between(min_lon, max_lon) if min_lon <= max_lon
              else or_(Location.lon >= min_lon, Location.lon <= max_lon))
    base = select(Location.initiative_id, Location.lat, Location.lon).join(
        Initiative, Initiative.id == Location.initiative_id)
    stmt, goal = _primary_goal_join(base)
    stmt = stmt.add_columns(goal.colour).where(
        Location.initiative_id.in_(ids), exact, Location.lat.is_not(None), Location.lon.is_not(None),
        Location.lat.between(min_lat, max_lat), lon_ok)
    points = [MapPoint(i, lat, lon, colour) for i, lat, lon, colour in session.execute(stmt)]
    # Coarsened and point-less locations: placed at their area's centroid, filtered in Python.
    coarse = select(Location.initiative_id, Location.country, Location.admin1,
                    Initiative.public_precision, Location.lat).join(
        Initiative, Initiative.id == Location.initiative_id)
    coarse, goal = _primary_goal_join(coarse)
    coarse = coarse.add_columns(goal.colour).where(
        Location.initiative_id.in_(ids), or_(~exact, Location.lat.is_(None), Location.lon.is_(None)))
    for initiative_id, country, admin1, precision, _lat, colour in session.execute(coarse):
        spot = centroid(country, admin1 if precision != "country" else None)
        if spot is not None and in_bbox(spot[0], spot[1], bbox):
            points.append(MapPoint(initiative_id, spot[0], spot[1], colour, approximate=True))
    return points


def popup_details(session: Session, initiative_ids: Iterable[int]) -> dict[int, dict]:
    """Title, organisation, goals, dates, status and freshness of the initiatives shown as single markers."""
    wanted = list(dict.fromkeys(initiative_ids))
    if not wanted:
        return {}
    out: dict[int, dict] = {}
    for chunk_start in range(0, len(wanted), 900):
        chunk = wanted[chunk_start:chunk_start + 900]
        rows = session.execute(
            select(Initiative.id, Initiative.title, Initiative.start_date, Initiative.end_date,
                   Organisation.name, Organisation.slug, Initiative.status,
                   func.coalesce(Initiative.confirmed_at, Initiative.updated_at, Initiative.created_at))
            .join(Organisation, Organisation.id == Initiative.organisation_id)
            .where(Initiative.id.in_(chunk)))
        for i, title, start, end, org_name, org_slug, status, confirmed in rows:
            fresh = freshness_since(confirmed)
            out[i] = {"title": title, "organisation": org_name, "organisation_slug": org_slug,
                      "start": start.isoformat() if start else None,
                      "end": end.isoformat() if end else None, "goals": [],
                      "status": effective_status(status, start, end)[0],
                      "freshness": fresh.level, "confirmed_days_ago": fresh.age_days}
        goals = session.execute(
            select(InitiativeGoal.initiative_id, Goal.code, Vision.slug)
            .join(Goal, Goal.id == InitiativeGoal.goal_id).join(Vision, Vision.id == Goal.vision_id)
            .where(InitiativeGoal.initiative_id.in_(chunk), InitiativeGoal.source == "own")
            .order_by(InitiativeGoal.initiative_id, InitiativeGoal.primary.desc(), InitiativeGoal.id))
        for i, code, slug in goals:
            if i in out:
                out[i]["goals"].append(goal_reference(slug, code))
    return out


def area_rows(session: Session, actor: Actor, f: InitiativeFilter) -> list[tuple[int, int, str | None, str | None]]:
    """(initiative, organisation, country, admin1) for every location of the matching initiatives.

    admin1 is dropped for initiatives whose public precision is "country" when the reader
    may not see more, as `location_to_dict` does.
    """
    ids = filtered(session, actor, f).with_only_columns(Initiative.id).scalar_subquery()
    exact = exact_clause(actor)
    stmt = (select(Initiative.id, Initiative.organisation_id, Location.country, Location.admin1,
                   or_(exact, Initiative.public_precision != "country").label("admin_ok"))
            .join(Location, Location.initiative_id == Initiative.id).where(Initiative.id.in_(ids)))
    return [(i, org, country, admin1 if admin_ok else None)
            for i, org, country, admin1, admin_ok in session.execute(stmt)]


"""Reads behind the overlaps page: one page of matching overlaps, and the countries to filter by."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..insights import _loaded  # the same eager loading as the API
from ..models import Initiative, Location, Overlap, OverlapStatus
from ..permissions import Actor
from ..queries import InitiativeFilter, filtered, visible_to
from ..visibility import admin1_clause


@dataclass(frozen=True)
class OverlapQuery:
    """What the overlaps page asks for: goal and country of both sides, status ("all" for every one,
    empty for all but dismissed), kind, minimum score in percent, the actor's own only, a page."""
    goal: str = ""
    country: str = ""
    status: str = ""
    kind: str = ""
    area: str = ""  # a first-level area's p-code: either side shown in it (visibility.admin1_clause)
    min_score: int = 0
    mine: bool = False
    page: int = 1


def overlap_page(session: Session, actor: Actor, q: OverlapQuery, per_page: int) -> tuple[list[Overlap], int]:
    """One page of the matching overlaps, best first, and how many match."""
    # As the API's list: both initiatives readable by the actor and matching the goal and country.
    f = InitiativeFilter(goal=q.goal or None, country=q.country or None)
    matching = filtered(session, actor, f).with_only_columns(Initiative.id)
    conditions = [Overlap.active.is_(True), Overlap.initiative_a_id.in_(matching),
                  Overlap.initiative_b_id.in_(matching), Overlap.score >= q.min_score / 100]
    if q.status == "all":
        pass
    elif q.status:
        conditions.append(Overlap.status == q.status)
    else:
        conditions.append(Overlap.status != OverlapStatus.DISMISSED)
    if q.kind:
        conditions.append(Overlap.kind == q.kind)
    if q.area:
        in_area = select(Initiative.id).where(admin1_clause(actor, q.area))
        conditions.append(or_(Overlap.initiative_a_id.in_(in_area), Overlap.initiative_b_id.in_(in_area)))
    if q.mine and actor.organisation_id is not None:
        conditions.append(or_(Overlap.organisation_a_id == actor.organisation_id,
                              Overlap.organisation_b_id == actor.organisation_id))
    total = session.scalar(select(func.count(Overlap.id)).where(*conditions)) or 0
    stmt = _loaded(select(Overlap).where(*conditions).order_by(Overlap.score.desc(), Overlap.id)
                   .offset((q.page - 1) * per_page).limit(per_page))
    return list(session.scalars(stmt)), total


def visible_countries(session: Session, actor: Actor) -> list[str]:
    """Codes of the countries where the reader can see work, sorted."""
    ids = visible_to(actor, select(Initiative.id))
    return sorted(session.scalars(select(Location.country).where(Location.initiative_id.in_(ids),
                                                                 Location.country.is_not(None)).distinct()))

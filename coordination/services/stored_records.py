"""Turning stored initiatives into the engine's plain records."""
from __future__ import annotations

from typing import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..display import country_name
from ..models import Goal, Initiative, InitiativeGoal, InitiativeTag
from ..records import InitiativeRecord, PlaceRecord
from ..visibility import public_places


def record_from_initiative(initiative: Initiative) -> InitiativeRecord:
    """The engine's view of an initiative: SDG-equivalent goals, tag keys, public places, dates."""
    goals = set()
    for link in initiative.goal_links:
        code = link.goal.sdg_equivalent
        if code:
            goals.add(code)
    # Sensitive work is matched at its public precision, for everybody (see `visibility`).
    places = tuple(PlaceRecord(country=p["country"], admin1=p["admin1_code"] or p["admin1"],
                               admin2=p["admin2_code"] or p["admin2"], lat=p["lat"], lon=p["lon"],
                               precision=p["precision"] or "point", name=p["name"] or p["admin1"],
                               admin1_name=p["admin1"], admin2_name=p["admin2"],
                               country_name=country_name(p["country"]) or None)
                   for p in public_places(initiative))
    return InitiativeRecord(
        id=initiative.id, organisation_id=initiative.organisation_id, title=initiative.title,
        description=initiative.description or "", goals=frozenset(goals),
        tags=frozenset(link.tag.key for link in initiative.tag_links), places=places,
        start=initiative.start_date, end=initiative.end_date, org_type=initiative.organisation.type,
        partner_ids=frozenset(p.organisation_id for p in initiative.partners),
        own_text=bool((initiative.description or "").strip()) or not initiative.title_generated,
        iati_identifier=initiative.iati_identifier,
        related_identifiers=frozenset(initiative.related_identifiers or ()))


def _loaded(stmt):
    # Rows that belong to one initiative or link (organisation, goal and vision, tag) come in
    # the same statement as it (joined): 4 statements a batch instead of 8.
    return stmt.options(
        joinedload(Initiative.organisation),
        selectinload(Initiative.partners),
        selectinload(Initiative.goal_links).joinedload(InitiativeGoal.goal).joinedload(Goal.vision),
        selectinload(Initiative.locations),
        selectinload(Initiative.tag_links).joinedload(InitiativeTag.tag))


def live_records(session: Session, batch: int = 2000, ids: Iterable[int] | None = None) -> Iterator[InitiativeRecord]:
    """Records of every live (not withdrawn) initiative, loaded in batches."""
    last = 0
    while True:
        stmt = select(Initiative).where(Initiative.withdrawn_at.is_(None), Initiative.id > last)
        if ids is not None:
            stmt = stmt.where(Initiative.id.in_(list(ids)))
        rows = list(session.scalars(_loaded(stmt.order_by(Initiative.id).limit(batch))))
        if not rows:
            return
        for row in rows:
            yield record_from_initiative(row)
        last = rows[-1].id
        if len(rows) < batch:
            return


def live_records_with(session: Session, known: dict[int, InitiativeRecord]) -> list[InitiativeRecord]:
    """Every live initiative's record, by id: those in `known` as given (an import builds them from
    what it has just written, `record_from_initiative` of its drafts), the others loaded."""
    wanted = [i for i in session.scalars(select(Initiative.id).where(Initiative.withdrawn_at.is_(None)))
              if i not in known]
    records = list(known.values())
    for start in range(0, len(wanted), 2000):
        records.extend(live_records(session, ids=wanted[start:start + 2000]))
    records.sort(key=lambda r: r.id)
    return records


__all__ = ["record_from_initiative", "live_records", "live_records_with"]

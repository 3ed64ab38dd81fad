"""Keeping initiatives current: the organisation's "still accurate" confirmation, and the
reminder of its stale initiatives (see `coordination.freshness` for the traffic light)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import Conflict
from ..freshness import freshness_of, stale_before
from ..models import Initiative, utcnow
from ..permissions import Actor
from .history import record_change
from .initiatives import load_for_write

SHOWN_STALE = 10  # stale initiatives named in a digest (all are counted)


def confirm_initiative(session: Session, actor: Actor, initiative_id: int) -> Initiative:
    """Mark the initiative as still accurate now (members of its organisation, platform admins).

    Nothing else changes: not the version (an edit form open elsewhere stays valid), not the
    overlaps. The confirmation is recorded in the history with who made it.
    """
    try:
        initiative = load_for_write(session, actor, initiative_id)
        if initiative.withdrawn_at is not None:
            raise Conflict("A withdrawn initiative cannot be confirmed.", {"_state": ["withdrawn"]})
        before = initiative.confirmed_at
        initiative.confirmed_at = utcnow()
        session.flush()
        record_change(session, actor, "initiative", initiative.id, "confirm",
                      {"confirmed_at": before.isoformat() if before else None},
                      {"confirmed_at": initiative.confirmed_at.isoformat()})
        session.commit()
        return initiative
    except Exception:
        session.rollback()
        raise


def _confirmed_column():
    return func.coalesce(Initiative.confirmed_at, Initiative.updated_at, Initiative.created_at)


def stale_initiatives(session: Session, organisation_id: int, now: datetime | None = None,
                      days: int | None = None) -> tuple[list[Initiative], int]:
    """The organisation's live initiatives not confirmed for `days` (configured by default),
    longest unconfirmed first: the first SHOWN_STALE of them and how many there are."""
    stale = (Initiative.organisation_id == organisation_id, Initiative.withdrawn_at.is_(None),
             _confirmed_column() < stale_before(now, days))
    count = session.scalar(select(func.count()).select_from(Initiative).where(*stale)) or 0
    shown = list(session.scalars(select(Initiative).where(*stale)
                                 .order_by(_confirmed_column(), Initiative.id).limit(SHOWN_STALE)))
    return shown, count


def stale_reminder(initiatives: list[Initiative], count: int, base_url: str,
                   now: datetime | None = None) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The digest's reminder: its text lines, and (title, url, "not confirmed for N days") per shown one."""
    if not count:
        return [], []
    base_url = base_url.rstrip("/")
    items = [(i.title, f"{base_url}/initiatives/{i.id}",
              f"not confirmed for {freshness_of(i, now).age_days} days") for i in initiatives]
    head = (f"{count} of your initiatives {'is' if count == 1 else 'are'} stale: still accurate? Open each "
            "and press \"Still accurate\", edit it, or withdraw it if it has ended.")
    lines = [head] + [f"  - {title} ({age}): {url}" for title, url, age in items]
    if count > len(items):
        lines.append(f"  and {count - len(items)} more")
    return lines, items

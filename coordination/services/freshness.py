"""Keeping initiatives current: the organisation's "still accurate" confirmation, and the
reminder of its stale initiatives (see `coordination.freshness` for the traffic light)."""
from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import Conflict
from ..freshness import freshness_of, stale_after_days, stale_before
from ..models import Initiative, utcnow
from ..permissions import Actor
from .history import record_change
from .initiatives import load_for_write

SHOWN_STALE = 10  # stale initiatives named in a digest (all are counted)
REMIND_EVERY_DAYS = 7  # with nothing else new, a reminder alone is sent at most this often


def confirm_initiative(session: Session, actor: Actor, initiative_id: int) -> Initiative:
    """Mark the initiative as still accurate now (members of its organisation, platform admins).

    Nothing else changes: not the version (an edit form open elsewhere stays valid), not the
    overlaps. The confirmation is recorded in the history with who made it.
    """
    initiative = load_for_write(session, actor, initiative_id)
    if initiative.withdrawn_at is not None:
        raise Conflict("A withdrawn initiative cannot be confirmed.", {"_state": ["withdrawn"]})
    before = initiative.confirmed_at
    initiative.confirmed_at = utcnow()
    session.flush()
    record_change(session, actor, "initiative", initiative.id, "confirm",
                  {"confirmed_at": before.isoformat() if before else None},
                  {"confirmed_at": initiative.confirmed_at.isoformat()})
    return initiative


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


@dataclass(frozen=True)
class StaleReminder:
    """The digest's reminder of an organisation's stale initiatives."""

    count: int
    items: list[tuple[str, str, int]]  # (title, url, days since last confirmed) of the first SHOWN_STALE
    due: bool  # worth a digest of its own (nothing else new): none sent for REMIND_EVERY_DAYS

    @property
    def headline(self) -> str:
        return f"{self.count} initiative{'s' if self.count != 1 else ''} to confirm"

    def text(self) -> list[str]:
        """Plain-text lines."""
        lines = [(f"* {self.headline}: not confirmed for {stale_after_days()} days or more, so shown as stale. "
                  "Still accurate? Open each and press \"Still accurate\", edit it, or withdraw it if it ended.")]
        lines += [f"  - {title} (last confirmed {days} days ago): {url}" for title, url, days in self.items]
        if self.count > len(self.items):
            lines.append(f"  and {self.count - len(self.items)} more")
        return lines + [""]

    def html(self) -> str:
        """An HTML list item, every value escaped."""
        e = html.escape
        items = "".join(f"<li><a href=\"{e(url)}\">{e(title)}</a> (last confirmed {days} days ago)</li>"
                        for title, url, days in self.items)
        more = f"<li>and {self.count - len(self.items)} more</li>" if self.count > len(self.items) else ""
        return (f"<li><p>{e(self.headline)}: not confirmed for {stale_after_days()} days or more, so shown as "
                "stale. Still accurate? Open each and press &ldquo;Still accurate&rdquo;, edit it, or withdraw it "
                f"if it ended.</p><ul>{items}{more}</ul></li>")


def stale_reminder_for(session: Session, organisation_id: int, base_url: str, now: datetime | None = None,
                       last_sent_at: datetime | None = None) -> StaleReminder | None:
    """The reminder for the organisation's digest, or None when none of its initiatives is stale."""
    now = now or utcnow()
    shown, count = stale_initiatives(session, organisation_id, now)
    if not count:
        return None
    base_url = base_url.rstrip("/")
    items = [(i.title, f"{base_url}/initiatives/{i.id}", freshness_of(i, now).age_days) for i in shown]
    if last_sent_at is not None and last_sent_at.tzinfo is None:
        last_sent_at = last_sent_at.replace(tzinfo=UTC)
    due = last_sent_at is None or now - last_sent_at >= timedelta(days=REMIND_EVERY_DAYS)
    return StaleReminder(count, items, due)

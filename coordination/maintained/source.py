"""What changed in the database since a kept state last looked (`coordination.maintained`).

A state remembers a `Mark`: the wall-clock time it last read at, the newest change-log id it
saw, and the rows it knows. Catching up reads

- initiatives whose `updated_at` is at or after that time minus `WINDOW` (a transaction that
  flushed before we read and committed after is still caught if it took under `WINDOW`) and
  differs from the one it had when last read (or that were not read inside the window), the
  initiatives the change log names since, and those led or partnered by an organisation the
  change log names (a merge moves partner rows without touching the initiative);
- overlaps likewise by `updated_at`, and all overlap ids when their count differs from the
  rows known (a deleted row);
- organisations' names (new ones, and those the change log names).

Tags and visions change what every record says (merged tag keys, SDG equivalents): a change
to either, or a change log that went backwards (a restore), asks for a rebuild.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..models import Change, Initiative, Organisation, Overlap, OverlapStatus, Partner
from ..models.base import utcnow
from ..permissions import Actor
from ..records import InitiativeRecord
from ..services.stored_records import live_records
from ..visibility import readable_clause

WINDOW = timedelta(seconds=30)
REBUILD_ENTITIES = frozenset({"tag", "vision"})

Link = tuple  # (initiative_a_id, initiative_b_id, score, kind): an active, not dismissed overlap


class Rebuild(Exception):
    """The changes cannot be followed row by row: build the state again."""


@dataclass
class Mark:
    """Where a state last looked."""

    at: datetime
    change_id: int
    overlap_ids: set[int] = field(default_factory=set)  # every overlap row, live or not
    org_ids: set[int] = field(default_factory=set)
    # initiative -> the `updated_at` it had when last read, for those read inside the window:
    # one still inside it at the same `updated_at` is not read again
    updated: dict[int, Any] = field(default_factory=dict)


@dataclass
class Delta:
    """The current value of everything that may have changed (None: gone or not visible)."""

    records: dict[int, InitiativeRecord | None]
    links: dict[int, Link | None]
    names: dict[int, dict[str, Any] | None]


def _link(active: bool, status: str, a: int, b: int, score: float, kind: str) -> Link | None:
    return (a, b, float(score), kind) if active and status != OverlapStatus.DISMISSED else None


_LINK_COLUMNS = (Overlap.id, Overlap.active, Overlap.status, Overlap.initiative_a_id, Overlap.initiative_b_id,
                 Overlap.score, Overlap.kind)


def read_records(session: Session, actor: Actor, ids: set[int] | None) -> dict[int, InitiativeRecord | None]:
    """The records the reader may see among `ids` (all when None); the others map to None."""
    stmt = select(Initiative.id).where(readable_clause(actor))
    if ids is not None:
        if not ids:
            return {}
        stmt = stmt.where(Initiative.id.in_(sorted(ids)))
    visible = list(session.scalars(stmt))
    found: dict[int, InitiativeRecord | None] = dict.fromkeys(ids or (), None)
    if visible:
        found.update((r.id, r) for r in live_records(session, ids=visible))
    return found


def read_names(session: Session, ids: set[int] | None = None) -> dict[int, dict[str, Any] | None]:
    """Organisations as the analytics name them (all when `ids` is None)."""
    stmt = select(Organisation.id, Organisation.slug, Organisation.name, Organisation.type)
    if ids is not None:
        stmt = stmt.where(Organisation.id.in_(sorted(ids)))
    found: dict[int, dict[str, Any] | None] = dict.fromkeys(ids or (), None)
    found.update((i, {"slug": s, "name": n, "type": t}) for i, s, n, t in session.execute(stmt))
    return found


def _updated_since(session: Session, start: datetime) -> dict[int, Any]:
    """Initiatives changed at or after `start`, with their `updated_at`."""
    return dict(session.execute(select(Initiative.id, Initiative.updated_at).where(Initiative.updated_at >= start)).all())


def full(session: Session, actor: Actor) -> tuple[Delta, Mark]:
    """Everything the reader may see, and the mark to catch up from."""
    at = utcnow()
    change_id = session.scalar(select(func.max(Change.id))) or 0
    updated = _updated_since(session, at - WINDOW)  # before the records: a later change is read again
    rows = session.execute(select(*_LINK_COLUMNS)).all()
    links = {i: _link(*rest) for i, *rest in rows}
    names = read_names(session)
    mark = Mark(at, change_id, set(links), set(names), updated)
    return Delta(read_records(session, actor, None), {i: v for i, v in links.items() if v}, names), mark


def since(session: Session, actor: Actor, mark: Mark, overlap_count: int) -> Delta:
    """What may have changed since `mark` (which it moves on); `Rebuild` when that cannot be said."""
    at = utcnow()
    start = mark.at - WINDOW
    changes = session.execute(select(Change.id, Change.entity_type, Change.entity_id)
                              .where(Change.id > mark.change_id).order_by(Change.id)).all()
    newest = session.scalar(select(func.max(Change.id))) or 0
    if newest < mark.change_id or any(kind in REBUILD_ENTITIES for _i, kind, _e in changes):
        raise Rebuild()
    named = {kind: {e for _i, k, e in changes if k == kind} for kind in ("initiative", "overlap", "organisation")}
    orgs = named["organisation"] | set(session.scalars(select(Organisation.id).where(
        Organisation.id > max(mark.org_ids, default=0))))
    updated = _updated_since(session, start)
    ids = {i for i, when in updated.items() if mark.updated.get(i) != when} | named["initiative"]
    if orgs:
        ids |= set(session.scalars(select(Initiative.id).where(Initiative.organisation_id.in_(sorted(orgs)))))
        ids |= set(session.scalars(select(Partner.initiative_id).where(Partner.organisation_id.in_(sorted(orgs)))))
    rows = session.execute(select(*_LINK_COLUMNS).where(
        or_(Overlap.updated_at >= start, Overlap.id.in_(sorted(named["overlap"]))))).all()
    links = {i: _link(*rest) for i, *rest in rows}
    mark.overlap_ids |= set(links)
    if len(mark.overlap_ids) != overlap_count:  # rows went (or came unseen): look at every id
        present = set(session.scalars(select(Overlap.id)))
        links.update(dict.fromkeys(mark.overlap_ids - present, None))
        unseen = present - mark.overlap_ids
        if unseen:
            links.update({i: _link(*rest) for i, *rest in session.execute(
                select(*_LINK_COLUMNS).where(Overlap.id.in_(sorted(unseen))))})
        mark.overlap_ids = present
    names = read_names(session, orgs) if orgs else {}
    mark.org_ids |= {i for i, v in names.items() if v}
    mark.at, mark.change_id, mark.updated = at, max(mark.change_id, newest), updated
    return Delta(read_records(session, actor, ids), links, names)


__all__ = ["WINDOW", "Delta", "Link", "Mark", "Rebuild", "full", "read_names", "read_records", "since"]

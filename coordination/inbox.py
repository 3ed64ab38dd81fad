"""An organisation's overlap inbox: the overlaps that reach it, bundled by its own initiative.

Only overlaps at or above the notification threshold reach an organisation (`nudges`); they
are bundled per own initiative, best first, with `shown_per_initiative` overlaps under each and
the rest one click away (`initiative_id=`). `items` keeps the flat newest-first list.
"""
from __future__ import annotations

import math
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .insights import overlap_to_dict
from .models import Initiative, Overlap, OverlapNotice
from .nudges import Notice, NudgePolicy, bundle, current
from .permissions import Actor
from .visibility import overlap_visible_clause


def _notices(session: Session, actor: Actor, unread_only: bool, policy: NudgePolicy) -> list[Notice]:
    stmt = (select(OverlapNotice.id, OverlapNotice.read_at, OverlapNotice.created_at, Overlap.id, Overlap.score,
                   Overlap.organisation_a_id, Overlap.initiative_a_id, Overlap.initiative_b_id)
            .join(Overlap, OverlapNotice.overlap_id == Overlap.id)
            .where(OverlapNotice.organisation_id == actor.organisation_id, Overlap.active.is_(True),
                   Overlap.score >= policy.notify_threshold, overlap_visible_clause(actor)))
    if unread_only:
        stmt = stmt.where(OverlapNotice.read_at.is_(None))
    return [Notice(notice_id=n, overlap_id=o, own_id=a if org_a == actor.organisation_id else b,
                   score=float(score), unread=read_at is None, created_at=created)
            for n, read_at, created, o, score, org_a, a, b in session.execute(stmt)]


def _rows(session: Session, overlap_ids: set[int]) -> dict[int, Overlap]:
    if not overlap_ids:
        return {}
    stmt = (select(Overlap).where(Overlap.id.in_(overlap_ids))
            .options(selectinload(Overlap.initiative_a).selectinload(Initiative.organisation),
                     selectinload(Overlap.initiative_b).selectinload(Initiative.organisation)))
    return {row.id: row for row in session.scalars(stmt)}


def _item(n: Notice, row: Overlap, actor: Actor) -> dict[str, Any]:
    return {"notice_id": n.notice_id, "read": not n.unread,
            "created_at": n.created_at.isoformat() if n.created_at else None,
            "overlap": overlap_to_dict(row, viewpoint=n.own_id, actor=actor)}


def inbox(session: Session, actor: Actor, unread_only: bool = False, limit: int = 100,
          initiative_id: int | None = None, page: int = 1, policy: NudgePolicy | None = None) -> dict[str, Any]:
    """The notices that reach the actor's organisation: newest first, and bundled by own initiative."""
    policy = current(policy)
    empty = {"unread": 0, "items": [], "by_initiative": [], "initiatives": 0, "page": 1, "pages": 1,
             "notify_threshold": policy.notify_threshold}
    if actor.organisation_id is None:
        return empty
    notices = _notices(session, actor, unread_only, policy)
    bundles = bundle(notices)
    if initiative_id is not None:
        bundles = [b for b in bundles if b.own_id == initiative_id]
    per_page = policy.inbox_initiatives
    pages = max(1, math.ceil(len(bundles) / per_page))
    page = min(max(1, page), pages)
    shown = bundles[(page - 1) * per_page:page * per_page]
    keep = None if initiative_id is not None else policy.shown_per_initiative
    newest = sorted(notices, key=lambda n: -n.notice_id)[:limit]
    rows = _rows(session, {n.overlap_id for n in newest} | {n.overlap_id for b in shown for n in b.notices[:keep]})
    by_initiative = []
    for b in shown:
        listed = [_item(n, rows[n.overlap_id], actor) for n in b.notices[:keep]]
        own = next(s for s in listed[0]["overlap"]["initiatives"] if s["id"] == b.own_id)
        by_initiative.append({"initiative": {"id": own["id"], "title": own["title"]}, "count": len(b.notices),
                              "unread": b.unread, "best_score": b.best, "overlaps": listed,
                              "more": len(b.notices) - len(listed)})
    return {**empty, "unread": sum(n.unread for n in notices),
            "items": [_item(n, rows[n.overlap_id], actor) for n in newest],
            "by_initiative": by_initiative, "initiatives": len(bundles), "page": page, "pages": pages}


__all__ = ["inbox"]

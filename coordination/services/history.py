"""Recording changes: who did what to which object, before → after."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Change, Initiative
from ..permissions import Actor
from ..visibility import coarsen, sees_exact, shown_actor


def record_change(session: Session, actor: Actor, entity_type: str, entity_id: int, action: str,
                  before: dict[str, Any] | None, after: dict[str, Any] | None) -> Change:
    """Add a Change row in the current transaction."""
    change = Change(entity_type=entity_type, entity_id=entity_id, action=action,
                    actor=actor.label[:160], actor_token_id=actor.token_id,
                    organisation_id=actor.organisation_id, before=before, after=after)
    session.add(change)
    return change


def _as_seen(snapshot: dict[str, Any] | None, exact: bool, precision: str) -> dict[str, Any]:
    """A stored (exact) snapshot as the reader may see it: places coarsened when not exact."""
    snapshot = dict(snapshot or {})
    if not exact and isinstance(snapshot.get("locations"), list):
        snapshot["locations"] = [coarsen(p, precision) for p in snapshot["locations"] if isinstance(p, dict)]
    return snapshot


def initiative_history(session: Session, actor: Actor, initiative: Initiative) -> list[dict[str, Any]]:
    """An initiative's changes, oldest first, as the reader may see them (every door reads this).

    Who made a change is named to the initiative's organisation and coordinators only; which
    fields changed is judged on what the reader can see, so moving a sensitive initiative's
    exact point inside its public area shows no change to those who only see the area.
    """
    exact = sees_exact(actor, initiative)
    precision = initiative.public_precision or "exact"
    changes = session.scalars(select(Change).where(
        Change.entity_type == "initiative", Change.entity_id == initiative.id).order_by(Change.id))
    out = []
    for c in changes:
        before, after = _as_seen(c.before, exact, precision), _as_seen(c.after, exact, precision)
        out.append({"action": c.action, "at": c.at,
                    "actor": shown_actor(actor, initiative.organisation_id, c.actor),
                    "changed": sorted(k for k in after if before.get(k) != after.get(k)) if c.before else []})
    return out

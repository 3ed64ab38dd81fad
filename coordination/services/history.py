"""Recording changes: who did what to which object, before → after."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..models import Change
from ..permissions import Actor


def record_change(session: Session, actor: Actor, entity_type: str, entity_id: int, action: str,
                  before: dict[str, Any] | None, after: dict[str, Any] | None) -> Change:
    """Add a Change row in the current transaction."""
    change = Change(entity_type=entity_type, entity_id=entity_id, action=action,
                    actor=actor.label[:160], actor_token_id=actor.token_id,
                    organisation_id=actor.organisation_id, before=before, after=after)
    session.add(change)
    return change

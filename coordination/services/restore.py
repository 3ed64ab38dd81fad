"""Restoring a withdrawn initiative: a platform admin brings it back, recorded in the change log."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Conflict, NotFound, PermissionDenied
from ..models import Initiative
from ..permissions import Actor, require_authenticated
from ..serialise import snapshot
from .history import record_change

if TYPE_CHECKING:
    from ..unit_of_work import UnitOfWork


def restore_initiative(uow: UnitOfWork, actor: Actor, initiative_id: int,
                       expected_version: int | None = None) -> Initiative:
    """Undo a withdrawal: the initiative is listed again and its overlaps are found again."""
    session = uow.session
    require_authenticated(actor)
    if not actor.is_platform_admin:
        raise PermissionDenied("Only a platform admin can restore a withdrawn initiative.")
    initiative = session.get(Initiative, initiative_id)
    if initiative is None:
        raise NotFound(f"No initiative {initiative_id}.")
    if expected_version is not None and expected_version != initiative.version:
        raise Conflict(f"The initiative was changed meanwhile (now version {initiative.version}).",
                       {"version": [f"expected {expected_version}, current is {initiative.version}"]})
    if initiative.withdrawn_at is None:
        raise Conflict("The initiative is not withdrawn; there is nothing to restore.",
                       {"_state": ["not withdrawn"]})
    before = snapshot(initiative)
    initiative.withdrawn_at = None
    initiative.version += 1
    session.flush()
    record_change(session, actor, "initiative", initiative.id, "restore", before, snapshot(initiative))
    uow.after_write(initiative, "update")  # overlaps come back as for an edit
    return initiative

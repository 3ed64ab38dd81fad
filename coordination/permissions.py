"""Who may do what. Every write is checked here, whichever door it came through."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import AuthenticationRequired, PermissionDenied


@dataclass(frozen=True)
class Actor:
    """The person or system acting: a role, possibly within one organisation."""

    role: str = "anonymous"  # anonymous | member | admin | coordinator | platform_admin | system
    organisation_id: int | None = None
    token_id: int | None = None
    label: str = "anonymous"

    @property
    def authenticated(self) -> bool:
        """True unless anonymous."""
        return self.role != "anonymous"

    @property
    def reads_everything(self) -> bool:
        """Coordinators and admins see private initiatives and exact sensitive locations."""
        return self.role in ("coordinator", "platform_admin", "system")

    @property
    def is_platform_admin(self) -> bool:
        """Platform admins (and the system itself, e.g. the CLI) may do anything."""
        return self.role in ("platform_admin", "system")


ANONYMOUS = Actor()
SYSTEM = Actor(role="system", label="system")


def require_authenticated(actor: Actor) -> None:
    """Refuse anonymous actors."""
    if not actor.authenticated:
        raise AuthenticationRequired("This action needs an API token (Authorization: Bearer ...).")


def require_org_writer(actor: Actor, organisation_id: int) -> None:
    """Members and admins write their own organisation's initiatives; platform admins any."""
    require_authenticated(actor)
    if actor.is_platform_admin:
        return
    if actor.role in ("member", "admin") and actor.organisation_id == organisation_id:
        return
    raise PermissionDenied("You can only change your own organisation's initiatives.")


def require_org_admin(actor: Actor, organisation_id: int) -> None:
    """Organisation admins manage their organisation, its members and tokens."""
    require_authenticated(actor)
    if actor.is_platform_admin or (actor.role == "admin" and actor.organisation_id == organisation_id):
        return
    raise PermissionDenied("Only an admin of this organisation can do this.")


def require_coordinator(actor: Actor) -> None:
    """Coordinators and platform admins curate (visions, tags, verification)."""
    require_authenticated(actor)
    if actor.role in ("coordinator", "platform_admin", "system"):
        return
    raise PermissionDenied("Only a coordinator can do this.")


def can_read_initiative(actor: Actor, visibility: str, organisation_id: int, withdrawn: bool) -> bool:
    """Public initiatives to all; private and withdrawn ones to their organisation and coordinators."""
    if actor.reads_everything:
        return True
    if actor.organisation_id is not None and actor.organisation_id == organisation_id:
        return True
    return visibility == "public" and not withdrawn

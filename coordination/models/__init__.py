"""The persistent domain model (SQLAlchemy 2 typed models)."""
from .base import Base, utcnow
from .account import User
from .history import Change
from .initiative import Initiative, InitiativeGoal, InitiativeTag, Location, Partner
from .introduction import Introduction
from .organisation import INSTITUTIONAL_TYPES, ApiToken, Organisation, OrganisationMerge
from .overlap import Overlap, OverlapKind, OverlapNotice, OverlapStatus
from .snapshot import MapSnapshot
from .tag import Tag
from .vision import Goal, Vision
from .webhook import DeliveryStatus, DigestSubscription, Webhook, WebhookDelivery  # noqa: F401

__all__ = [
    "Base", "utcnow", "Change", "Initiative", "InitiativeGoal", "InitiativeTag", "Location",
    "Partner", "INSTITUTIONAL_TYPES", "ApiToken", "Organisation", "OrganisationMerge", "Tag", "Goal", "Vision", "User",
    "Overlap", "OverlapKind", "OverlapNotice", "OverlapStatus", "Introduction", "MapSnapshot",
]

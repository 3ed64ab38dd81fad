"""The persistent domain model (SQLAlchemy 2 typed models)."""
from . import sqlite as _sqlite  # noqa: F401  (engine setup)
from .base import Base, utcnow
from .account import User
from .history import Change
from .idempotency import IdempotencyKey  # noqa: F401
from .initiative import Initiative, InitiativeGoal, InitiativeTag, Location, Partner
from .introduction import Introduction
from .organisation import INSTITUTIONAL_TYPES, ApiToken, Organisation, OrganisationMerge
from .overlap import Overlap, OverlapKind, OverlapNotice, OverlapStatus
from .ratelimit import RateLimitBucket  # noqa: F401
from .snapshot import MapSnapshot
from .tag import Tag
from .vision import Goal, Vision
from .webhook import DeliveryStatus, DigestSubscription, Webhook, WebhookDelivery  # noqa: F401

__all__ = [
    "Base", "utcnow", "Change", "Initiative", "InitiativeGoal", "InitiativeTag", "Location",
    "Partner", "INSTITUTIONAL_TYPES", "ApiToken", "Organisation", "OrganisationMerge", "Tag", "Goal", "Vision", "User",
    "Overlap", "OverlapKind", "OverlapNotice", "OverlapStatus", "Introduction", "MapSnapshot",
]

"""The persistent domain model (SQLAlchemy 2 typed models)."""
from .base import Base, utcnow
from .history import Change
from .initiative import Initiative, InitiativeGoal, InitiativeTag, Location, Partner
from .organisation import INSTITUTIONAL_TYPES, ApiToken, Organisation
from .tag import Tag
from .vision import Goal, Vision

__all__ = [
    "Base", "utcnow", "Change", "Initiative", "InitiativeGoal", "InitiativeTag", "Location",
    "Partner", "INSTITUTIONAL_TYPES", "ApiToken", "Organisation", "Tag", "Goal", "Vision",
]

"""The change log: every write recorded with who made it, when, and before → after."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class Change(Base):
    """One recorded write to a domain object."""

    __tablename__ = "change"
    __table_args__ = (Index("ix_change_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column()
    action: Mapped[str] = mapped_column(String(20))  # create | update | withdraw | ...
    actor: Mapped[str] = mapped_column(String(160))
    actor_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_token.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

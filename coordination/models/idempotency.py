"""Idempotency keys: a retried POST with the same key returns the first response and writes nothing."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class IdempotencyKey(Base):
    """One `Idempotency-Key` of one actor: the request it was used for and the response it got."""

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("actor_key", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_key: Mapped[str] = mapped_column(String(80))  # "token:<id>" or "user:<label>"
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))  # method, path and canonical body
    status: Mapped[int | None] = mapped_column()  # None while the first request is running
    body: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

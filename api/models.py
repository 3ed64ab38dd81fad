"""Tables of the web layer: idempotency keys and rate-limit buckets.

They live beside the doors that use them (`api.idempotency`, `api.security`) but on the
domain's declarative base, so one migration history covers the whole database; importing
`api.extensions` (as the app, alembic and the tests do) registers them.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coordination.models.base import Base, utcnow


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


class RateLimitBucket(Base):
    """One GCRA bucket: the theoretical arrival time of the next request, in epoch seconds.

    A bucket whose `tat` is in the past is full again and may be deleted at any time.
    """

    __tablename__ = "rate_limit_bucket"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)  # "token:<sha256 prefix>" | "addr:<ip>"
    tat: Mapped[float] = mapped_column(Float)

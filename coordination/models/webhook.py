"""Notification channels of an organisation: signed webhooks (with their delivery queue) and e-mail digests."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .introduction import Introduction
from .overlap import Overlap


class DeliveryStatus:
    """Where a webhook delivery stands: queued (maybe retrying), delivered, or given up."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    ALL = (PENDING, DELIVERED, FAILED)


class Webhook(Base):
    """A URL an organisation asked us to POST its overlap notices to, signed with its secret.

    The secret is kept in clear because signing needs it; the API shows it only once.
    """

    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[str] = mapped_column(String(160), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="webhook", cascade="all, delete-orphan", passive_deletes=True)


class WebhookDelivery(Base):
    """One queued POST of one event to one webhook; retried with backoff until delivered or failed.

    The payload is frozen at the first attempt, so every retry sends the same event.
    """

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhook.id", ondelete="CASCADE"), index=True)
    overlap_id: Mapped[int | None] = mapped_column(ForeignKey("overlap.id"), index=True)
    # Set for an `overlap.introduction` event: the introduction it announces.
    introduction_id: Mapped[int | None] = mapped_column(ForeignKey("introduction.id", ondelete="CASCADE"),
                                                        index=True)
    event: Mapped[str] = mapped_column(String(40))  # overlap.suggested | overlap.introduction | webhook.test
    payload: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_attempt_at: Mapped[datetime | None] = mapped_column()
    delivered_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    webhook: Mapped[Webhook] = relationship(back_populates="deliveries")
    overlap: Mapped[Overlap | None] = relationship()
    introduction: Mapped[Introduction | None] = relationship()


class DigestSubscription(Base):
    """An organisation's contact address for e-mail digests of its unread overlap notices."""

    __tablename__ = "digest_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), unique=True)
    contact_email: Mapped[str] = mapped_column(String(320))
    active: Mapped[bool] = mapped_column(default=True)
    # Notices newer than this go into the next digest; None: everything unread.
    last_sent_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

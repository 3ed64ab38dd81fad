"""Overlaps between initiatives of different organisations, and the notices they raise."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .initiative import Initiative


class OverlapStatus:
    """What the organisations decided about a suggested overlap."""

    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    COORDINATING = "coordinating"
    ALL = (SUGGESTED, CONFIRMED, DISMISSED, COORDINATING)


class OverlapKind:
    """What a stored link means (`coordination.convergence.kinds`; co-presence is never stored)."""

    DUPLICATE = "duplicate"  # the same effort reported twice: count it once
    OVERLAP = "overlap"  # two efforts doing the same work: the thing to nudge about
    ALL = (DUPLICATE, OVERLAP)


class Overlap(Base):
    """A pair of initiatives (a < b) the engine found to overlap, with why and what was decided.

    `kind` says whether the pair is the same effort reported twice or two overlapping
    efforts; only overlaps raise notices and webhooks.

    `active` is False once the pair no longer scores above the threshold or one side was
    withdrawn; decided pairs are kept either way so decisions survive recomputation.
    The fingerprints are those at decision time: a dismissed pair comes back only when
    one side's material fingerprint changes.
    """

    __tablename__ = "overlap"
    __table_args__ = (
        UniqueConstraint("initiative_a_id", "initiative_b_id", name="uq_overlap_pair"),
        CheckConstraint("initiative_a_id < initiative_b_id", name="ordered_pair"),
        Index("ix_overlap_org_a", "organisation_a_id", "active"),
        Index("ix_overlap_org_b", "organisation_b_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_a_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"))  # led by uq_overlap_pair
    initiative_b_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"), index=True)
    organisation_a_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    organisation_b_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    score: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(10), default=OverlapKind.OVERLAP, index=True)
    components: Mapped[dict] = mapped_column(JSON, default=dict)
    explanation: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=OverlapStatus.SUGGESTED, index=True)
    active: Mapped[bool] = mapped_column(default=True)  # nearly all are: read by organisation (ix_overlap_org_*)
    decided_by: Mapped[str | None] = mapped_column(String(160))
    decided_by_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    fingerprint_a: Mapped[str | None] = mapped_column(String(64))
    fingerprint_b: Mapped[str | None] = mapped_column(String(64))
    detected_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)  # data versions

    initiative_a: Mapped[Initiative] = relationship(foreign_keys=[initiative_a_id])
    initiative_b: Mapped[Initiative] = relationship(foreign_keys=[initiative_b_id])


class OverlapNotice(Base):
    """An entry in an organisation's overlap inbox: a new overlap concerning its work."""

    __tablename__ = "overlap_notice"
    __table_args__ = (UniqueConstraint("organisation_id", "overlap_id", name="uq_notice"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))  # led by uq_notice
    overlap_id: Mapped[int] = mapped_column(ForeignKey("overlap.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column()

    overlap: Mapped[Overlap] = relationship()

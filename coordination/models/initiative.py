"""Initiatives: an organisation's piece of work registered against shared goals."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON, CheckConstraint, Float, ForeignKey, Index, Numeric, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .organisation import Organisation
from .tag import Tag
from .vision import Goal


class Initiative(Base):
    """One organisation's effort: what, where, when, towards which goals.

    `version` increases on every change (optimistic concurrency); `withdrawn_at`
    marks a withdrawal — the row and its history are kept. `related_identifiers` are the IATI
    activity ids its record links to (participating-org activity-id, related-activity,
    transaction provider/receiver activity ids): the same effort reported by another
    publisher. `title_generated` marks a title the platform made up (a 3W row's "<sector> in
    <place>"): no text of the organisation's own, so no text evidence.
    """

    __tablename__ = "initiative"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
                        name="dates_ordered"),
        # Unique per organisation, not platform-wide: another organisation's (maybe private)
        # record with the same identifier is neither a conflict nor revealed by one.
        UniqueConstraint("organisation_id", "iati_identifier",
                         name="uq_initiative_organisation_iati_identifier"),
        # Platform identifiers must differ from every IATI identifier (services.identifiers).
        Index("ix_initiative_iati_identifier", "iati_identifier"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    # Read by organisation through uq_initiative_organisation_iati_identifier, which it leads.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    start_date: Mapped[date | None] = mapped_column()
    end_date: Mapped[date | None] = mapped_column()
    status: Mapped[int | None] = mapped_column()  # IATI ActivityStatus code 1..6
    budget: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    people_targeted: Mapped[int | None] = mapped_column()
    visibility: Mapped[str] = mapped_column(String(10), default="public")  # public | private
    # What the public sees of the locations: exact | admin | country (sensitive work).
    public_precision: Mapped[str] = mapped_column(String(10), default="exact")
    language: Mapped[str | None] = mapped_column(String(8))
    iati_identifier: Mapped[str | None] = mapped_column(String(200))
    # The platform's own identifier, assigned once at registration and never changed
    # (`services.identifiers`): what exports write when there is no IATI identifier.
    platform_identifier: Mapped[str | None] = mapped_column(String(200), unique=True)
    related_identifiers: Mapped[list] = mapped_column(JSON, default=list)
    title_generated: Mapped[bool] = mapped_column(default=False)
    provenance: Mapped[str] = mapped_column(String(300), default="")
    confirmed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)  # data versions
    withdrawn_at: Mapped[datetime | None] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)

    organisation: Mapped[Organisation] = relationship()
    goal_links: Mapped[list[InitiativeGoal]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="InitiativeGoal.id")
    partners: Mapped[list[Partner]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="Partner.id")
    locations: Mapped[list[Location]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="Location.id")
    tag_links: Mapped[list[InitiativeTag]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="InitiativeTag.id")

    @property
    def is_public(self) -> bool:
        """Visible to anonymous readers."""
        return self.visibility == "public" and self.withdrawn_at is None


class InitiativeGoal(Base):
    """Link of an initiative to a goal or target; `source` is "own" or "suggested"."""

    __tablename__ = "initiative_goal"
    __table_args__ = (UniqueConstraint("initiative_id", "goal_id", name="uq_initiative_goal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"))  # led by uq_initiative_goal
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    primary: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(12), default="own")
    score: Mapped[float | None] = mapped_column(Float)

    initiative: Mapped[Initiative] = relationship(back_populates="goal_links")
    goal: Mapped[Goal] = relationship()


class Partner(Base):
    """Another organisation's role in an initiative (IATI OrganisationRole)."""

    __tablename__ = "partner"
    __table_args__ = (
        UniqueConstraint("initiative_id", "organisation_id", "role", name="uq_partner_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"))  # led by uq_partner_role
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # funding|accountable|extending|implementing

    initiative: Mapped[Initiative] = relationship(back_populates="partners")
    organisation: Mapped[Organisation] = relationship()


class Location(Base):
    """Where an initiative works: a WGS84 point and/or an administrative area."""

    __tablename__ = "location"
    __table_args__ = (
        CheckConstraint("lat IS NULL OR (lat >= -90 AND lat <= 90)", name="lat_range"),
        CheckConstraint("lon IS NULL OR (lon >= -180 AND lon <= 180)", name="lon_range"),
        Index("ix_location_lat_lon", "lat", "lon"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    admin1: Mapped[str | None] = mapped_column(String(200))
    admin2: Mapped[str | None] = mapped_column(String(200))
    admin1_code: Mapped[str | None] = mapped_column(String(32))
    admin2_code: Mapped[str | None] = mapped_column(String(32))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    precision: Mapped[str] = mapped_column(String(10), default="point")  # point|admin2|admin1|country

    initiative: Mapped[Initiative] = relationship(back_populates="locations")


class InitiativeTag(Base):
    """Link of an initiative to a normalised tag, keeping the label as typed."""

    __tablename__ = "initiative_tag"
    __table_args__ = (UniqueConstraint("initiative_id", "tag_id", name="uq_initiative_tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"))  # led by uq_initiative_tag
    tag_id: Mapped[int] = mapped_column(ForeignKey("tag.id"), index=True)
    label: Mapped[str] = mapped_column(String(120))

    initiative: Mapped[Initiative] = relationship(back_populates="tag_links")
    tag: Mapped[Tag] = relationship()

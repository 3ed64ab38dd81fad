"""Introductions: one party of an overlap asks the platform to put it in touch with the other."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .organisation import Organisation
from .overlap import Overlap


class Introduction(Base):
    """"Introduce us": sent once per overlap and sending organisation, through the platform.

    The receiving organisation learns who wants to talk and about which pair of initiatives,
    and sees the sender's *published* contact (Organisation.public_email / public_website)
    if any; no address of the sender's people is stored here or shown.
    """

    __tablename__ = "introduction"
    __table_args__ = (UniqueConstraint("overlap_id", "from_organisation_id", name="uq_introduction_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    overlap_id: Mapped[int] = mapped_column(ForeignKey("overlap.id"), index=True)
    from_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    to_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(160), default="")  # for history; never shown to the recipient
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column()

    overlap: Mapped[Overlap] = relationship()
    from_organisation: Mapped[Organisation] = relationship(foreign_keys=[from_organisation_id])
    to_organisation: Mapped[Organisation] = relationship(foreign_keys=[to_organisation_id])

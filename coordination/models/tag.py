"""Tags: a normalised vocabulary over the labels people type."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class Tag(Base):
    """A normalised tag; `key` is the canonical form, `aliases` the other labels seen.

    A merged tag points at the tag it was merged into and is no longer used.
    """

    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tag.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

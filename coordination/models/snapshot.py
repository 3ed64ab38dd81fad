"""Stored snapshots of derived read data, so a new process starts warm."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class MapSnapshot(Base):
    """The map's point table as one audience sees it, at a data marker (`mapping.snapshot`).

    A process without the table in memory loads it from here and replays the change log
    since `change_id` instead of reading every point; whoever builds the table whole stores it.
    """

    __tablename__ = "map_snapshot"

    audience: Mapped[str] = mapped_column(String(40), primary_key=True)  # "public" | "all"
    change_id: Mapped[int] = mapped_column()  # the data marker it was built at
    change_at: Mapped[datetime | None] = mapped_column()
    newest_initiative: Mapped[int] = mapped_column()
    built_at: Mapped[datetime] = mapped_column()
    payload: Mapped[bytes] = mapped_column(LargeBinary)

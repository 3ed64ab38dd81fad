"""Stored snapshots of derived read data, so a new process starts warm."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, LargeBinary, String, event
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


# The payload is loaded whole by every new process: stored uncompressed (PostgreSQL compresses
# large values by default, and decompressing them took as long as reading them).
UNCOMPRESSED_PAYLOAD = "ALTER TABLE map_snapshot ALTER COLUMN payload SET STORAGE EXTERNAL"
event.listen(MapSnapshot.__table__, "after_create", DDL(UNCOMPRESSED_PAYLOAD).execute_if(dialect="postgresql"))

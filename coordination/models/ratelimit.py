"""Rate-limit buckets shared by every worker and machine (used with PostgreSQL)."""
from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class RateLimitBucket(Base):
    """One GCRA bucket: the theoretical arrival time of the next request, in epoch seconds.

    A bucket whose `tat` is in the past is full again and may be deleted at any time.
    """

    __tablename__ = "rate_limit_bucket"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)  # "token:<sha256 prefix>" | "addr:<ip>"
    tat: Mapped[float] = mapped_column(Float)

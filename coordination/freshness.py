"""Freshness: how long ago an initiative's organisation last said it is still accurate.

Every initiative carries `confirmed_at`, set when it is registered, on every edit, and by the
organisation's explicit "still accurate" confirmation (`services.freshness.confirm_initiative`).
It is *stale* once that is `stale_after_days` old (app config STALE_AFTER_DAYS, default 180),
*ageing* from half that age, and *fresh* before. The traffic light is always shown with its
word ("Fresh", "Ageing", "Stale"), never by colour alone.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .models import Initiative, utcnow

DEFAULT_STALE_AFTER_DAYS = 180
FRESH, AGEING, STALE = "fresh", "ageing", "stale"
LEVELS = (FRESH, AGEING, STALE)
_configured = DEFAULT_STALE_AFTER_DAYS


def stale_after_days_from(config: Mapping[str, Any]) -> int:
    """STALE_AFTER_DAYS from the app config, else the environment, else 180; at least 2."""
    value = config.get("STALE_AFTER_DAYS")
    value = os.environ.get("STALE_AFTER_DAYS") if value is None else value
    try:
        days = int(value) if value not in (None, "") else DEFAULT_STALE_AFTER_DAYS
    except (TypeError, ValueError):
        raise ValueError(f"STALE_AFTER_DAYS must be a whole number of days, not {value!r}") from None
    if days < 2:
        raise ValueError("STALE_AFTER_DAYS must be at least 2 days")
    return days


def configure(days: int) -> None:
    """Set the platform's stale-after age (the app does it once from its config)."""
    global _configured
    _configured = days


def stale_after_days() -> int:
    """The configured stale-after age in days."""
    return _configured


@dataclass(frozen=True, slots=True)
class Freshness:
    """An initiative's traffic light: its level, when it was last confirmed and how many days ago."""

    level: str
    confirmed_at: datetime | None
    age_days: int
    stale_after_days: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, as the API writes it."""
        return {"level": self.level, "confirmed_at": self.confirmed_at.isoformat() if self.confirmed_at else None,
                "age_days": self.age_days, "stale_after_days": self.stale_after_days}


def last_confirmed(initiative: Initiative) -> datetime | None:
    """When the organisation last stood by the initiative (confirmed, edited or registered it)."""
    return initiative.confirmed_at or initiative.updated_at or initiative.created_at


def freshness_of(initiative: Initiative, now: datetime | None = None, days: int | None = None) -> Freshness:
    """The initiative's traffic light on `now` (default: now) with `days` (default: configured)."""
    return freshness_since(last_confirmed(initiative), now, days)


def freshness_since(confirmed: datetime | None, now: datetime | None = None, days: int | None = None) -> Freshness:
    """The traffic light of something last confirmed at `confirmed` (None: as old as stale)."""
    days = days or _configured
    now = now or utcnow()
    if confirmed is not None and confirmed.tzinfo is None:
        confirmed = confirmed.replace(tzinfo=UTC)  # the database keeps UTC without a zone
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    age = max(0, (now - confirmed).days) if confirmed else days
    level = STALE if age >= days else AGEING if age >= days / 2 else FRESH
    return Freshness(level, confirmed, age, days)


def stale_before(now: datetime | None = None, days: int | None = None) -> datetime:
    """Initiatives last confirmed before this moment are stale."""
    return (now or utcnow()) - timedelta(days=days or _configured)

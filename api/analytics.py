"""The doors' way to the analytics (groups, fragmentation, network): once per request, cached per app.

Every door (REST, GraphQL, pages) calls these instead of `coordination.insights` directly, so
the same request never computes one answer twice and repeated requests are served from the
app's `AnalyticsCache` (see `coordination.analytics_cache`). Settings:

- ANALYTICS_CACHE_ENABLED (default True): off, only the per-request memo remains;
- ANALYTICS_CACHE_ENTRIES (128), ANALYTICS_CACHE_MB (64), ANALYTICS_CACHE_TTL (600 seconds).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, g, has_request_context
from sqlalchemy.orm import Session

from coordination import analytics_cache
from coordination.analytics_cache import AnalyticsCache
from coordination.permissions import Actor
from coordination.queries import InitiativeFilter

from .extensions import db

EXTENSION = "analytics_cache"


def cache() -> AnalyticsCache | None:
    """This app's analytics cache (made on first use), or None when disabled."""
    config = current_app.config
    if not config.get("ANALYTICS_CACHE_ENABLED", True):
        return None
    found = current_app.extensions.get(EXTENSION)
    if found is None:
        found = current_app.extensions.setdefault(EXTENSION, AnalyticsCache(
            max_entries=int(config.get("ANALYTICS_CACHE_ENTRIES", 128)),
            max_bytes=int(float(config.get("ANALYTICS_CACHE_MB", 64)) * (1 << 20)),
            ttl=float(config.get("ANALYTICS_CACHE_TTL", 600.0))))
    return found


def memo() -> dict | None:
    """This request's memo of analytics answers (None outside a request, e.g. in a CLI command)."""
    if not has_request_context():
        return None
    return g.setdefault("analytics_memo", {})


def groups_for(actor: Actor, f: InitiativeFilter, session: Session | None = None) -> list[dict[str, Any]]:
    """Convergence groups with suggested allies (`insights.groups_for`)."""
    return analytics_cache.groups_for(session or db.session, actor, f, cache=cache(), memo=memo())


def fragmentation_for(actor: Actor, f: InitiativeFilter, area_level: str = "country",
                      period: tuple[date | None, date | None] | None = None,
                      session: Session | None = None) -> dict[str, Any]:
    """Fragmentation cells and gaps (`insights.fragmentation_for`)."""
    return analytics_cache.fragmentation_for(session or db.session, actor, f, area_level, period,
                                             cache=cache(), memo=memo())


def network_for(actor: Actor, f: InitiativeFilter, session: Session | None = None) -> dict[str, Any]:
    """The organisation network (`insights.network_for`)."""
    return analytics_cache.network_for(session or db.session, actor, f, cache=cache(), memo=memo())

"""Reads behind the map's filter form: where and by whom public work is registered."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Initiative, Location, Organisation

_PUBLIC = (Initiative.visibility == "public", Initiative.withdrawn_at.is_(None))


def public_countries(session: Session) -> list[str]:
    """Countries with public initiatives, by code."""
    return list(session.scalars(select(Location.country).distinct().join(Initiative).where(
        *_PUBLIC, Location.country.is_not(None)).order_by(Location.country)))


def public_organisations(session: Session, limit: int = 500) -> list[tuple[str, str]]:
    """(slug, name) of organisations with public initiatives, by name."""
    return list(session.execute(select(Organisation.slug, Organisation.name).where(
        Organisation.id.in_(select(Initiative.organisation_id).where(*_PUBLIC)))
        .order_by(Organisation.name).limit(limit)))

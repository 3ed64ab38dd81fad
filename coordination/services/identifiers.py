"""Identifiers on export: every initiative has one, unique and the same in every export.

An initiative registered through a form or from a 3W file has no IATI identifier. It gets a
platform identifier once, when it is registered: its organisation's identifier (org-id
style) or `XX-NONE-<organisation slug>`, then its id — `XX-NONE-kisumu-water-friends-42`.
It is stored, so renaming the organisation or exporting again never changes it, and
exports write it wherever the IATI identifier would go (`serialise.export_record`). A
re-import of an export (even into another database) keeps it as the IATI identifier, so
two initiatives of one organisation can never fold into one.
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..formats.limits import IDENTIFIER
from ..models import Initiative

PREFIX_AT_MOST = IDENTIFIER - 30  # room for "-<id>" and a "-<n>" when the first choice is taken


def _taken(session: Session, value: str) -> bool:
    """Whether any initiative already exports `value` (as its IATI or its platform identifier)."""
    return session.scalar(select(Initiative.id).where(or_(
        Initiative.platform_identifier == value, Initiative.iati_identifier == value)).limit(1)) is not None


def assign_platform_identifier(session: Session, initiative: Initiative) -> str:
    """Give a newly flushed initiative its platform identifier (once; an existing one is kept)."""
    if initiative.platform_identifier:
        return initiative.platform_identifier
    org = initiative.organisation
    prefix = (org.org_identifier or f"XX-NONE-{org.slug}")[:PREFIX_AT_MOST]
    value, n = f"{prefix}-{initiative.id}", 1
    while _taken(session, value):  # e.g. an imported export of another database named it already
        n += 1
        value = f"{prefix}-{initiative.id}-{n}"
    initiative.platform_identifier = value
    return value

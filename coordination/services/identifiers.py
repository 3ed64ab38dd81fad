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


def _taken(session: Session, values: list[str]) -> set[str]:
    """Which of `values` some initiative already exports (as its IATI or its platform identifier)."""
    taken: set[str] = set()
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        with session.no_autoflush:
            rows = session.execute(select(Initiative.platform_identifier, Initiative.iati_identifier).where(or_(
                Initiative.platform_identifier.in_(chunk), Initiative.iati_identifier.in_(chunk)))).all()
        taken.update(value for row in rows for value in row if value in chunk)
    return taken


def assign_platform_identifiers(session: Session, initiatives: list[Initiative]) -> None:
    """Give newly flushed initiatives their platform identifiers (once; an existing one is kept).

    One query asks which first choices are taken (e.g. an imported export of another database
    named one already); only those try further suffixes.
    """
    wanted: dict[str, Initiative] = {}
    for initiative in initiatives:
        if not initiative.platform_identifier:
            org = initiative.organisation
            prefix = (org.org_identifier or f"XX-NONE-{org.slug}")[:PREFIX_AT_MOST]
            wanted[f"{prefix}-{initiative.id}"] = initiative
    taken = _taken(session, list(wanted))
    for first, initiative in wanted.items():
        value, n = first, 1
        while value in taken:
            n += 1
            value = f"{first}-{n}"
            taken |= _taken(session, [value])
        taken.add(value)
        initiative.platform_identifier = value

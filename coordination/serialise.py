"""Initiatives as plain dicts: the API's JSON, the history snapshots, the exporters' input.

Each field's rule (own and suggested goals, places coarsened for readers who may not see
exact places of sensitive work, status from the dates, ...) is the read model's,
`coordination.reads.initiative_view`; this module only projects it, so every door that
uses these functions respects the precision.
"""
from __future__ import annotations

from typing import Any

from .models import Initiative
from .permissions import SYSTEM, Actor
from .reads.initiative_view import InitiativeView, location_to_dict  # noqa: F401  (re-exported)
from .vocab import STATUS_NAMES


def initiative_to_dict(initiative: Initiative, actor: Actor = SYSTEM) -> dict[str, Any]:
    """The initiative as the REST API writes it: the read model (`reads.initiative_view`) as plain data."""
    return InitiativeView(initiative, actor).as_dict()


def export_record(initiative: Initiative, actor: Actor) -> dict[str, Any]:
    """The initiative in the formats' common shape (organisations as full references)."""
    data = initiative_to_dict(initiative, actor)

    def org_ref(org) -> dict[str, Any]:
        return {"name": org.name, "type": org.type, "country": org.country,
                "org_identifier": org.org_identifier, "aliases": org.aliases or []}

    data["organisation"] = org_ref(initiative.organisation)
    data["partners"] = [{"organisation": org_ref(p.organisation), "role": p.role} for p in initiative.partners]
    data["language"] = initiative.language
    # Every exported initiative has an identifier, the same in every export (services.identifiers).
    data["iati_identifier"] = initiative.iati_identifier or initiative.platform_identifier
    return data


NOT_IN_SNAPSHOTS = frozenset({"created_at", "updated_at", "status_from_dates", "freshness"})


def snapshot(initiative: Initiative) -> dict[str, Any]:
    """What the change log keeps of an initiative (everything, exact, but when and how fresh)."""
    data = InitiativeView(initiative, SYSTEM).as_dict(NOT_IN_SNAPSHOTS)
    # What was stored, not what today's date makes of it: history records changes, not time passing.
    data["status"] = STATUS_NAMES.get(initiative.status) if initiative.status else None
    return data

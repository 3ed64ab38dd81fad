"""Initiatives as plain dicts: the API's JSON, the history snapshots, the exporters' input.

Locations are coarsened here for readers who may not see exact places of
sensitive work, so every door that uses this function respects the precision.
"""
from __future__ import annotations

from typing import Any

from .freshness import freshness_of
from .models import Initiative, Location
from .permissions import SYSTEM, Actor
from .status import status_of
from .visibility import coarsen, location_dict, sees_exact
from .vocab import STATUS_NAMES


def location_to_dict(loc: Location, exact: bool, public_precision: str = "exact") -> dict[str, Any]:
    """A location, coarsened to the public precision when `exact` is False (see `visibility.coarsen`)."""
    place = location_dict(loc)
    return place if exact else coarsen(place, public_precision)


def goal_ref(link) -> str:
    """The code under which a goal link is written: "6.1", or "slug:code" outside the SDGs."""
    return link.goal.ref


def initiative_to_dict(initiative: Initiative, actor: Actor = SYSTEM) -> dict[str, Any]:
    """The initiative as the REST API writes it."""
    exact = sees_exact(actor, initiative)
    own = [link for link in initiative.goal_links if link.source == "own"]
    primary = next((goal_ref(link) for link in own if link.primary), None)
    status, from_dates = status_of(initiative)
    return {
        "id": initiative.id,
        "title": initiative.title,
        "description": initiative.description,
        "organisation": {"slug": initiative.organisation.slug, "name": initiative.organisation.name},
        "partners": [{"organisation": {"slug": p.organisation.slug, "name": p.organisation.name},
                      "role": p.role} for p in initiative.partners],
        "goals": [goal_ref(link) for link in own],
        "primary_goal": primary,
        "suggested_goals": [{"code": goal_ref(link), "score": link.score}
                            for link in initiative.goal_links if link.source == "suggested"],
        "tags": [link.tag.label for link in initiative.tag_links],
        "locations": [location_to_dict(loc, exact, initiative.public_precision)
                      for loc in initiative.locations],
        "start": initiative.start_date.isoformat() if initiative.start_date else None,
        "end": initiative.end_date.isoformat() if initiative.end_date else None,
        "status": status,
        "status_from_dates": from_dates,  # not given: worked out from the dates today (`status`)
        "budget": float(initiative.budget) if initiative.budget is not None else None,
        "currency": initiative.currency,
        "people_targeted": initiative.people_targeted,
        "visibility": initiative.visibility,
        "public_precision": initiative.public_precision,
        "iati_identifier": initiative.iati_identifier,
        "provenance": initiative.provenance,
        "created_at": initiative.created_at.isoformat() if initiative.created_at else None,
        "updated_at": initiative.updated_at.isoformat() if initiative.updated_at else None,
        "withdrawn": initiative.withdrawn_at is not None,
        # When the organisation last stood by it, and the traffic light that makes (fresh/ageing/stale).
        "freshness": freshness_of(initiative).as_dict(),
        "version": initiative.version,
    }


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


def snapshot(initiative: Initiative) -> dict[str, Any]:
    """What the change log keeps of an initiative (everything, exact)."""
    data = initiative_to_dict(initiative, SYSTEM)
    for key in ("created_at", "updated_at", "status_from_dates", "freshness"):
        data.pop(key, None)
    # What was stored, not what today's date makes of it: history records changes, not time passing.
    data["status"] = STATUS_NAMES.get(initiative.status) if initiative.status else None
    return data

"""Initiatives as plain dicts: the API's JSON, the history snapshots, the exporters' input.

Locations are coarsened here for readers who may not see exact places of
sensitive work, so every door that uses this function respects the precision.
"""
from __future__ import annotations

from typing import Any

from .models import Initiative, Location
from .permissions import SYSTEM, Actor
from .vocab import STATUS_NAMES


def sees_exact_locations(actor: Actor, initiative: Initiative) -> bool:
    """Coordinators and the initiative's own organisation see exact places."""
    return (initiative.public_precision == "exact" or actor.reads_everything
            or actor.organisation_id == initiative.organisation_id)


def location_to_dict(loc: Location, exact: bool, public_precision: str = "exact") -> dict[str, Any]:
    """A location, coarsened to the public precision when `exact` is False."""
    out = {"name": loc.name, "country": loc.country, "admin1": loc.admin1, "admin2": loc.admin2,
           "admin1_code": loc.admin1_code, "admin2_code": loc.admin2_code,
           "lat": loc.lat, "lon": loc.lon, "precision": loc.precision}
    if exact:
        return out
    if public_precision == "country":
        return {**{k: None for k in out}, "country": loc.country, "precision": "country"}
    # "admin": the admin area stays, the point and the place name go.
    return {**out, "name": None, "lat": None, "lon": None, "admin2": None, "admin2_code": None,
            "precision": "admin1" if loc.admin1 else "country"}


def goal_ref(link) -> str:
    """The code under which a goal link is written: "6.1", or "slug:code" outside the SDGs."""
    goal = link.goal
    return goal.code if goal.vision.slug == "sdg" else f"{goal.vision.slug}:{goal.code}"


def initiative_to_dict(initiative: Initiative, actor: Actor = SYSTEM) -> dict[str, Any]:
    """The initiative as the REST API writes it."""
    exact = sees_exact_locations(actor, initiative)
    own = [link for link in initiative.goal_links if link.source == "own"]
    primary = next((goal_ref(link) for link in own if link.primary), None)
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
        "status": STATUS_NAMES.get(initiative.status) if initiative.status else None,
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
    return data


def snapshot(initiative: Initiative) -> dict[str, Any]:
    """What the change log keeps of an initiative (everything, exact)."""
    data = initiative_to_dict(initiative, SYSTEM)
    for key in ("created_at", "updated_at"):
        data.pop(key, None)
    return data

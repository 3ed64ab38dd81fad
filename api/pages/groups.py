"""Convergence groups (the list and one group's page) and the overlap inbox."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from coordination import insights
from coordination.inbox import inbox as inbox_of
from coordination.services.overlaps import decide_overlap
from coordination.errors import NotFound, ValidationError
from coordination.queries import InitiativeFilter
from coordination.reads.groups import group_members, titles_of
from coordination.visibility import area_centroid, location_for

from .. import analytics
from ..extensions import db
from ..unit_of_work import unit_of_work
from . import bp
from .common import organisation_of, signed_in_user, signin_redirect, web_actor
from .coordinator_helpers import countries_with_names, describe_group, goal_options, sdg_goals
from .i18n import _

DECISIONS = {"confirm": "confirmed", "dismiss": "dismissed", "coordinating": "coordinating"}


def _group_filter() -> InitiativeFilter:
    """The goal and country a group list (and the group links from it) are filtered by."""
    goal = (request.args.get("goal") or "").strip() or None
    country = (request.args.get("country") or "").strip().upper() or None
    if goal is not None and not all(part.isdigit() for part in goal.split(".")):
        raise ValidationError("Invalid goal.", {"goal": ["must be an SDG goal or target code such as 6 or 6.1"]})
    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise ValidationError("Invalid country.", {"country": ["must be a two-letter country code"]})
    return InitiativeFilter(goal=goal, country=country)


def described_groups(items: list) -> list:
    """Groups from the engine with names instead of codes."""
    known = sdg_goals()
    return [describe_group(item, known) for item in items]


@bp.get("/groups")
def groups():
    """Each convergence group with members, shared goals, area and whether it has an institutional ally."""
    actor = web_actor()
    f = _group_filter()
    items = list(analytics.groups_for(actor, f))
    countries = countries_with_names(sorted({c for item in analytics.groups_for(actor, InitiativeFilter())
                                             for c in item["countries"]}))
    return render_template("groups.html", groups=described_groups(items), goals=goal_options(),
                           countries=countries, goal=f.goal or "", country=f.country or "",
                           link_args={k: v for k, v in (("goal", f.goal), ("country", f.country)) if v})


def find_group(actor, f: InitiativeFilter, key: int) -> dict | None:
    """The group (with allies) whose smallest initiative id is `key`, among the groups of filter `f`."""
    for item in analytics.groups_for(actor, f):
        if min(item["initiative_ids"]) == key:
            return item
    # Beyond the first 50 groups: find its members, then describe that group alone (with allies).
    for item in insights.groups_for(db.session, actor, f, with_allies=False, limit=100_000):
        if min(item["initiative_ids"]) == key:
            only = insights.groups_for(db.session, actor, InitiativeFilter(ids=list(item["initiative_ids"])))
            return next((g for g in only if min(g["initiative_ids"]) == key), None)
    return None


@bp.get("/groups/<int:key>")
def group(key: int):
    """One convergence group: members, shared goals, area, time span, a small map and suggested allies."""
    actor = web_actor()
    f = _group_filter()
    item = find_group(actor, f, key)
    if item is None:
        raise NotFound(f"No convergence group {key}.")
    described = describe_group(item, sdg_goals())
    members = group_members(db.session, actor, item["initiative_ids"])
    by_org: dict[int, dict] = {}
    points: dict[tuple[float, float], dict] = {}
    for i in members:
        entry = by_org.setdefault(i.organisation_id, {"organisation": i.organisation, "initiatives": []})
        entry["initiatives"].append(i)
        for loc in i.locations:
            place = location_for(actor, i, loc)
            lat, lon, approx = place["lat"], place["lon"], False
            if lat is None or lon is None:
                spot = area_centroid(place["country"], place["admin1"] if place["precision"] != "country" else None)
                if spot is None:
                    continue
                (lat, lon), approx = spot, True
            spot = points.setdefault((round(lat, 4), round(lon, 4)), {
                "lat": round(lat, 4), "lon": round(lon, 4), "approx": approx, "titles": []})
            spot["approx"] = spot["approx"] and approx
            spot["titles"].append(f"{i.title} ({i.organisation.name})")
    organisations = sorted(by_org.values(), key=lambda e: (-len(e["initiatives"]), e["organisation"].name))
    ally_ids = {i for a in described["allies"] for i in a["initiative_ids"]}
    ally_titles = titles_of(db.session, actor, ally_ids)
    return render_template("group.html", group=described, organisations=organisations,
                           points=[{**p, "count": len(p["titles"]), "titles": p["titles"][:8]} for p in points.values()],
                           ally_titles=ally_titles,
                           back_args={k: v for k, v in (("goal", f.goal), ("country", f.country)) if v})


@bp.get("/inbox")
def inbox():
    """The signed-in organisation's suggested overlaps to confirm, dismiss or mark as coordinating."""
    from flask import g
    if g.get("user") is None:
        return signin_redirect()
    organisation_of(g.user)  # a coordinator has no inbox: they decide on the Overlaps page
    page = request.args.get("page", "1")
    initiative = request.args.get("initiative", "")
    if not page.isdigit() or (initiative and not initiative.isdigit()):
        raise ValidationError("Invalid inbox page.", {"page": ["must be a whole number"]})
    data = inbox_of(db.session, web_actor(), initiative_id=int(initiative) if initiative else None,
                    page=int(page) or 1)
    return render_template("inbox.html", data=data, one=bool(initiative))


@bp.post("/inbox/<int:overlap_id>")
def decide(overlap_id: int):
    """Record the organisation's decision on one overlap."""
    signed_in_user()
    decision = DECISIONS.get(request.form.get("decision", ""))
    if decision is None:
        raise ValidationError("Unknown decision.", {"decision": [f"must be one of {', '.join(DECISIONS)}"]})
    with unit_of_work() as uow:
        decide_overlap(uow.session, web_actor(), overlap_id, decision)
        uow.commit()
    flash(_("Thank you, your decision is recorded."))
    return redirect(url_for("pages.inbox"))


from . import fragmentation, network, overlaps  # noqa: F401  (the other coordinator pages' routes)

"""Organisation pages: the list, and one organisation's initiatives, partners, overlaps and neighbourhood."""
from __future__ import annotations

import math

from flask import redirect, render_template, request, url_for
from coordination.display import verification_label
from coordination.models import Organisation
from coordination.reads import organisations as reads
from coordination.services.org_identity import resolved
from coordination.services.organisations import get_organisation

from ..extensions import db
from . import bp
from . import introductions as _introductions  # noqa: F401  (template filters, "Introduce us")
from .common import web_actor

PAGE = 100
PICTURE_NODES = 12  # more would not fit readable labels around the circle
LIST_FIRST = 8  # partner and overlap lists show this many, then "Show all"


def neighbourhood(org: Organisation, neighbours: list[tuple[Organisation, str, int]]) -> dict:
    """Positions for a small radial picture: the organisation in the middle, its links around it.

    Labels sit outside their dot, anchored away from the centre (left of the circle: text
    ends at the dot; right: starts there), inside a viewBox wide enough to hold them.
    """
    width, height, radius = 600, 400, 120
    cx, cy = width / 2, height / 2
    shown = neighbours[:PICTURE_NODES]
    nodes = []
    for i, (other, kind, weight) in enumerate(shown):
        angle = 2 * math.pi * i / max(1, len(shown)) - math.pi / 2
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = cx + radius * cos, cy + radius * sin
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        lx = x + (16 if anchor == "start" else -16 if anchor == "end" else 0)
        ly = y + (26 if sin > 0.3 and anchor == "middle" else -18 if anchor == "middle" else 4)
        name = other.name if len(other.name) <= 18 else other.name[:17].rstrip() + "…"
        nodes.append({"org": other, "kind": kind, "weight": weight, "x": round(x, 1), "y": round(y, 1),
                      "lx": round(lx, 1), "ly": round(ly, 1), "anchor": anchor, "label": name})
    return {"width": width, "height": height, "cx": cx, "cy": cy, "nodes": nodes,
            "more": max(0, len(neighbours) - len(shown))}


@bp.get("/organisations")
def organisations():
    """Organisations with public work, by name (case-insensitive); `q` searches names."""
    actor = web_actor()
    q = request.args.get("q", "").strip()[:200]
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 1000))
    rows, more = reads.organisation_page(db.session, actor, q, page, PAGE)
    return render_template("organisations.html", rows=rows, q=q, page=page, more=more,
                           with_accounts=reads.with_accounts(db.session, [o.id for o, _n in rows]))


@bp.get("/organisations/<slug>")
def organisation(slug: str):
    """One organisation: its initiatives, partners, overlapping organisations and its neighbourhood."""
    actor = web_actor()
    org = get_organisation(db.session, slug)
    if org.merged_into_id is not None:  # merged by a coordinator: the organisation lives on there
        return redirect(url_for("pages.organisation", slug=resolved(db.session, org).slug), 301)
    initiatives = reads.initiatives_of(db.session, actor, org)
    partners_of_its, leads_it_works_with = reads.partners(db.session, actor, org)
    overlapping = reads.overlapping_organisations(db.session, actor, org)
    links: dict[int, list] = {}
    for entry in [*partners_of_its, *leads_it_works_with]:
        link = links.setdefault(entry["org"].id, [entry["org"], "partner", 0])
        link[2] += entry["n"]
    for other, n in overlapping:
        links.setdefault(other.id, [other, "overlap", n])
    neighbours = sorted(((o, k, n) for o, k, n in links.values()),
                        key=lambda t: (t[1] != "partner", -t[2], t[0].name.lower()))
    return render_template("organisation.html", org=org, initiatives=initiatives,
                           partners_of_its=partners_of_its, leads_it_works_with=leads_it_works_with,
                           overlapping=overlapping, network=neighbourhood(org, neighbours), first=LIST_FIRST,
                           verification=verification_label(
                               org.verified, bool(reads.with_accounts(db.session, [org.id])),
                               published=bool(org.org_identifier)))

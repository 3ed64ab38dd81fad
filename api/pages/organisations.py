"""Organisation pages: the list, and one organisation's initiatives, partners, overlaps and neighbourhood."""
from __future__ import annotations

import math

from flask import redirect, render_template, request, url_for
from sqlalchemy import func, or_, select

from coordination.display import verification_label
from coordination.models import Initiative, Organisation, Overlap, OverlapKind, OverlapStatus, Partner, User
from coordination.queries import eager, visible_to
from coordination.services.org_identity import resolved
from coordination.services.organisations import get_organisation
from coordination.visibility import overlap_visible_clause

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


def _with_accounts(ids: list[int]) -> set[int]:
    """Which of these organisations have people signed up here (verification means something for them)."""
    if not ids:
        return set()
    return set(db.session.scalars(select(User.organisation_id).where(User.organisation_id.in_(ids)).distinct()))


@bp.get("/organisations")
def organisations():
    """Organisations with public work, by name (case-insensitive); `q` searches names."""
    actor = web_actor()
    visible = visible_to(actor, select(Initiative.organisation_id, func.count(Initiative.id))
                         .group_by(Initiative.organisation_id)).subquery()
    stmt = (select(Organisation, func.coalesce(visible.c[1], 0))
            .outerjoin(visible, visible.c.organisation_id == Organisation.id)
            .where(Organisation.merged_into_id.is_(None))  # a merged record is its survivor now
            # name_key: lower case with accents folded, so "Ó" sorts with "o" on every database.
            .order_by(Organisation.name_key, func.lower(Organisation.name), Organisation.id))
    q = request.args.get("q", "").strip()[:200]
    if q:
        stmt = stmt.where(Organisation.name.ilike(f"%{q}%", escape="\\"))
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 1000))
    rows = db.session.execute(stmt.offset((page - 1) * PAGE).limit(PAGE + 1)).all()
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return render_template("organisations.html", rows=rows, q=q, page=page, more=more,
                           with_accounts=_with_accounts([o.id for o, _n in rows]))


def _overlapping(actor, org: Organisation) -> list[tuple[Organisation, int]]:
    """Other organisations whose work overlaps with this one's (overlaps the reader may see), most first."""
    other_id = func.coalesce(
        func.nullif(Overlap.organisation_a_id, org.id), Overlap.organisation_b_id)
    counts = db.session.execute(
        select(other_id, func.count()).where(
            or_(Overlap.organisation_a_id == org.id, Overlap.organisation_b_id == org.id),
            Overlap.organisation_a_id != Overlap.organisation_b_id,
            Overlap.active.is_(True), Overlap.status != OverlapStatus.DISMISSED, overlap_visible_clause(actor),
            Overlap.kind == OverlapKind.OVERLAP)  # a funder reporting the same effort is a partner, not an overlap
        .group_by(other_id)).all()
    by_id = {o.id: o for o in db.session.scalars(select(Organisation).where(
        Organisation.id.in_([i for i, _n in counts])))}
    return sorted(((by_id[i], n) for i, n in counts if i in by_id), key=lambda t: (-t[1], t[0].name.lower()))


def _grouped(rows) -> list[dict]:
    """(organisation, role, n) rows as one entry per organisation with its roles, most shared first."""
    out: dict[int, dict] = {}
    for other, role, n in rows:
        entry = out.setdefault(other.id, {"org": other, "roles": {}, "n": 0})
        entry["roles"][role] = entry["roles"].get(role, 0) + n
        entry["n"] += n
    return sorted(out.values(), key=lambda e: (-e["n"], e["org"].name.lower()))


@bp.get("/organisations/<slug>")
def organisation(slug: str):
    """One organisation: its initiatives, partners, overlapping organisations and its neighbourhood."""
    actor = web_actor()
    org = get_organisation(db.session, slug)
    if org.merged_into_id is not None:  # merged by a coordinator: the organisation lives on there
        return redirect(url_for("pages.organisation", slug=resolved(db.session, org).slug), 301)
    initiatives = list(db.session.scalars(eager(visible_to(actor, select(Initiative)).where(
        Initiative.organisation_id == org.id).order_by(Initiative.start_date.desc(), Initiative.id.desc()))))
    # Partners on its initiatives, and organisations that list it as a partner on theirs.
    visible_ids = visible_to(actor, select(Initiative.id)).scalar_subquery()
    partners_of_its = _grouped(db.session.execute(
        select(Organisation, Partner.role, func.count()).join(Partner, Partner.organisation_id == Organisation.id)
        .join(Initiative, Initiative.id == Partner.initiative_id)
        .where(Initiative.organisation_id == org.id, Initiative.id.in_(visible_ids), Organisation.id != org.id)
        .group_by(Organisation.id, Partner.role)).all())
    leads_it_works_with = _grouped(db.session.execute(
        select(Organisation, Partner.role, func.count()).join(Initiative, Initiative.organisation_id == Organisation.id)
        .join(Partner, Partner.initiative_id == Initiative.id)
        .where(Partner.organisation_id == org.id, Initiative.id.in_(visible_ids), Organisation.id != org.id)
        .group_by(Organisation.id, Partner.role)).all())
    overlapping = _overlapping(actor, org)
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
                           verification=verification_label(org.verified, bool(_with_accounts([org.id])),
                                                           published=bool(org.org_identifier)))

"""Organisation pages: the list, and one organisation's initiatives, partners and neighbourhood."""
from __future__ import annotations

import math

from flask import render_template, request
from sqlalchemy import func, select

from coordination.models import Initiative, Organisation, Partner
from coordination.queries import eager, visible_to
from coordination.services.organisations import get_organisation

from ..extensions import db
from . import bp
from .common import web_actor

PAGE = 100


def neighbourhood(org: Organisation, neighbours: list[tuple[Organisation, str, int]]) -> dict:
    """Positions for a small radial picture: the organisation in the middle, its links around it."""
    size, radius = 360, 130
    nodes = []
    for i, (other, kind, weight) in enumerate(neighbours[:16]):
        angle = 2 * math.pi * i / max(1, min(len(neighbours), 16)) - math.pi / 2
        nodes.append({"org": other, "kind": kind, "weight": weight,
                      "x": round(size / 2 + radius * math.cos(angle), 1),
                      "y": round(size / 2 + radius * math.sin(angle), 1)})
    return {"size": size, "centre": size / 2, "nodes": nodes, "more": max(0, len(neighbours) - 16)}


@bp.get("/organisations")
def organisations():
    """Organisations with public work, by name; `q` searches names."""
    actor = web_actor()
    visible = visible_to(actor, select(Initiative.organisation_id, func.count(Initiative.id))
                         .group_by(Initiative.organisation_id)).subquery()
    stmt = (select(Organisation, func.coalesce(visible.c[1], 0))
            .outerjoin(visible, visible.c.organisation_id == Organisation.id).order_by(Organisation.name))
    q = request.args.get("q", "").strip()
    if q:
        stmt = stmt.where(Organisation.name.ilike(f"%{q}%", escape="\\"))
    rows = db.session.execute(stmt.limit(PAGE)).all()
    return render_template("organisations.html", rows=rows, q=q)


@bp.get("/organisations/<slug>")
def organisation(slug: str):
    """One organisation: its initiatives, its partners and its neighbourhood in the network."""
    actor = web_actor()
    org = get_organisation(db.session, slug)
    initiatives = list(db.session.scalars(eager(visible_to(actor, select(Initiative)).where(
        Initiative.organisation_id == org.id).order_by(Initiative.start_date.desc(), Initiative.id.desc()))))
    # Partners on its initiatives, and organisations that list it as a partner on theirs.
    visible_ids = visible_to(actor, select(Initiative.id)).scalar_subquery()
    partners_of_its = db.session.execute(
        select(Organisation, Partner.role, func.count()).join(Partner, Partner.organisation_id == Organisation.id)
        .join(Initiative, Initiative.id == Partner.initiative_id)
        .where(Initiative.organisation_id == org.id, Initiative.id.in_(visible_ids), Organisation.id != org.id)
        .group_by(Organisation.id, Partner.role)).all()
    leads_it_works_with = db.session.execute(
        select(Organisation, Partner.role, func.count()).join(Initiative, Initiative.organisation_id == Organisation.id)
        .join(Partner, Partner.initiative_id == Initiative.id)
        .where(Partner.organisation_id == org.id, Initiative.id.in_(visible_ids), Organisation.id != org.id)
        .group_by(Organisation.id, Partner.role)).all()
    links: dict[int, list] = {}
    for other, role, n in [*partners_of_its, *leads_it_works_with]:
        entry = links.setdefault(other.id, [other, role, 0])
        entry[2] += n
    neighbours = sorted(((o, r, n) for o, r, n in links.values()), key=lambda t: (-t[2], t[0].name))
    return render_template("organisation.html", org=org, initiatives=initiatives,
                           partners_of_its=partners_of_its, leads_it_works_with=leads_it_works_with,
                           network=neighbourhood(org, neighbours))

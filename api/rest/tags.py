"""REST: /tags — the normalised vocabulary with aliases and usage counts."""
from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import func, select

from coordination.models import Initiative, InitiativeTag, Tag

from ..extensions import db
from . import bp
from .common import int_arg


@bp.get("/tags")
def list_tags():
    """Tags by usage (public, live initiatives), with aliases; `q` filters by prefix."""
    first = int_arg("first", 100, 1, 500)
    usage = (select(InitiativeTag.tag_id, func.count().label("n")).join(Initiative)
             .where(Initiative.withdrawn_at.is_(None), Initiative.visibility == "public")
             .group_by(InitiativeTag.tag_id).subquery())
    stmt = (select(Tag, func.coalesce(usage.c.n, 0)).outerjoin(usage, usage.c.tag_id == Tag.id)
            .where(Tag.merged_into_id.is_(None)))
    if request.args.get("q"):
        stmt = stmt.where(Tag.key.startswith(request.args["q"].lower(), autoescape=True))
    rows = db.session.execute(stmt.order_by(func.coalesce(usage.c.n, 0).desc(), Tag.key).limit(first))
    return jsonify({"items": [{"key": t.key, "label": t.label, "aliases": t.aliases or [], "count": n}
                              for t, n in rows]})

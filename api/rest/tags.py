"""REST: /tags — the normalised vocabulary with aliases and usage counts."""
from __future__ import annotations

from flask import jsonify, request
from coordination.queries import tag_usage

from ..auth import current_actor
from ..extensions import db
from . import bp
from .common import int_arg


@bp.get("/tags")
def list_tags():
    """Tags by usage (public, live initiatives), with aliases; `q` filters by prefix."""
    first = int_arg("first", 100, 1, 500)
    rows = tag_usage(db.session, current_actor(), request.args.get("q"), first)
    return jsonify({"items": [{"key": t.key, "label": t.label, "aliases": t.aliases or [], "count": n}
                              for t, n in rows]})

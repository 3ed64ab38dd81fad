"""REST: POST /suggestions (goals, targets, tags, places from text); reject a suggested goal."""
from __future__ import annotations

from flask import jsonify

from coordination.errors import ValidationError
from coordination.serialise import initiative_to_dict
from coordination.services.initiatives import load_for_write
from coordination.services.suggestions import reject_suggested_goal, suggest

from ..auth import current_actor
from ..extensions import db
from . import bp
from .common import json_body


@bp.post("/suggestions")
def suggestions():
    """{"title", "description"?, "tags"?, "country"?} → ranked goals and targets, tags, places."""
    body = json_body()
    if not isinstance(body, dict):
        raise ValidationError("The body must be a JSON object.", {"_body": ["must be an object"]})
    unknown = set(body) - {"title", "description", "tags", "country"}
    if unknown:
        raise ValidationError("Unknown fields.", {k: ["is not a known field"] for k in sorted(unknown)})
    tags = body.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValidationError("Invalid tags.", {"tags": ["must be a list of strings"]})
    return jsonify(suggest(db.session, body.get("title"), body.get("description") or "", tags,
                           body.get("country")))


@bp.delete("/initiatives/<int:initiative_id>/suggested-goals/<code>")
def reject_suggestion(initiative_id: int, code: str):
    """Reject a goal the platform suggested (accept one by PATCHing it into `goals`)."""
    actor = current_actor()
    initiative = load_for_write(db.session, actor, initiative_id)
    reject_suggested_goal(db.session, actor, initiative, code.lower())
    return jsonify(initiative_to_dict(initiative, actor))

"""REST: POST /suggestions (goals, targets, tags, places from text); reject a suggested goal."""
from __future__ import annotations

from flask import jsonify

from coordination.serialise import initiative_to_dict
from coordination.services.initiatives import load_for_write
from coordination.services.suggestions import reject_suggested_goal, suggest

from ..auth import current_actor
from ..extensions import db
from ..schemas import SuggestionInputSchema, load_or_raise
from ..unit_of_work import unit_of_work
from . import bp
from .common import json_body
from .initiatives import _with_etag


@bp.post("/suggestions")
def suggestions():
    """{"title", "description"?, "tags"?, "country"?} → ranked goals and targets, tags, places."""
    body = load_or_raise(SuggestionInputSchema(), json_body())
    return jsonify(suggest(db.session, body["title"], body.get("description") or "", body.get("tags") or [],
                           body.get("country") or None))


@bp.delete("/initiatives/<int:initiative_id>/suggested-goals/<code>")
def reject_suggestion(initiative_id: int, code: str):
    """Reject a goal the platform suggested (accept one by PATCHing it into `goals`)."""
    actor = current_actor()
    with unit_of_work() as uow:
        initiative = load_for_write(uow.session, actor, initiative_id)
        reject_suggested_goal(uow.session, actor, initiative, code.lower())
        uow.commit()
    return _with_etag(jsonify(initiative_to_dict(initiative, actor)), initiative)

"""REST: POST /initiatives/<id>/confirm — its organisation says the initiative is still accurate."""
from __future__ import annotations

from flask import jsonify

from coordination.serialise import initiative_to_dict
from coordination.services.freshness import confirm_initiative as confirm_service

from ..auth import current_actor
from ..unit_of_work import unit_of_work
from . import bp
from .initiatives import _with_etag


@bp.post("/initiatives/<int:initiative_id>/confirm")
def confirm_initiative(initiative_id: int):
    """Mark the initiative still accurate now (its organisation's members); its freshness starts again."""
    actor = current_actor()
    with unit_of_work() as uow:
        initiative = confirm_service(uow.session, actor, initiative_id)
        uow.commit()
    return _with_etag(jsonify(initiative_to_dict(initiative, actor)), initiative)

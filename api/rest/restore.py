"""REST: POST /initiatives/<id>/restore — a platform admin brings back a withdrawn initiative."""
from __future__ import annotations

from flask import jsonify

from coordination.serialise import initiative_to_dict
from coordination.services.restore import restore_initiative as restore_service

from ..auth import current_actor
from ..unit_of_work import unit_of_work
from . import bp
from .initiatives import _version_from_if_match, _with_etag


@bp.post("/initiatives/<int:initiative_id>/restore")
def restore_initiative(initiative_id: int):
    """Restore a withdrawn initiative (platform admins); send If-Match to refuse a stale restore."""
    actor = current_actor()
    with unit_of_work() as uow:
        initiative = restore_service(uow, actor, initiative_id, expected_version=_version_from_if_match())
        uow.commit()
    return _with_etag(jsonify(initiative_to_dict(initiative, actor)), initiative)

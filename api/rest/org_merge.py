"""REST: POST /organisations/<slug>/merge and /unmerge (coordinators), GET /organisations/<slug>/merges."""
from __future__ import annotations

from flask import jsonify, request

from coordination.services import org_merge as service
from coordination.services.organisations import get_organisation

from ..auth import current_actor
from ..extensions import db
from ..schemas import OrganisationMergeInputSchema, OrganisationUnmergeInputSchema, load_or_raise
from ..unit_of_work import unit_of_work
from . import bp
from .common import json_body


@bp.post("/organisations/<slug>/merge")
def merge_organisation(slug: str):
    """Merge this organisation record into `into` (coordinators, platform admins)."""
    data = load_or_raise(OrganisationMergeInputSchema(), json_body())
    with unit_of_work() as uow:
        merge = service.merge_organisations(uow, current_actor(), data["into"], slug,
                                            data["reason"], share_access=data["share_access"])
        uow.commit()
    return jsonify(service.merge_summary(db.session, merge))


@bp.post("/organisations/<slug>/unmerge")
def unmerge_organisation(slug: str):
    """Undo this record's merge: what the merge moved goes back (coordinators, platform admins)."""
    data = load_or_raise(OrganisationUnmergeInputSchema(), json_body() if request.get_data().strip() else {})
    with unit_of_work() as uow:
        merge = service.unmerge_organisation(uow, current_actor(), slug, data["reason"])
        uow.commit()
    return jsonify(service.merge_summary(db.session, merge))


@bp.get("/organisations/<slug>/merges")
def organisation_merges(slug: str):
    """The merges an organisation took part in, newest first (who and what moved: coordinators only)."""
    reader = current_actor()
    org = get_organisation(db.session, slug)
    return jsonify({"items": [service.merge_summary(db.session, m, reader)
                              for m in service.merge_history(db.session, org)]})

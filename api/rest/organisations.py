"""REST: /organisations — list, read, create (coordinators), verify."""
from __future__ import annotations

from flask import jsonify, request, url_for

from coordination.models import Organisation
from coordination.permissions import require_coordinator
from coordination import queries
from coordination.services import organisations as service
from coordination.vocab import ORGANISATION_TYPES

from ..auth import current_actor
from ..extensions import db
from ..schemas import OrganisationInputSchema, load_or_raise
from ..unit_of_work import unit_of_work
from . import bp
from .common import int_arg, json_body


def organisation_to_dict(org: Organisation) -> dict:
    """An organisation as the API writes it."""
    return {"slug": org.slug, "name": org.name, "type": org.type,
            "type_name": ORGANISATION_TYPES.get(org.type or ""), "country": org.country,
            "org_identifier": org.org_identifier, "aliases": org.aliases or [], "verified": org.verified,
            "merged_into": org.merged_into.slug if org.merged_into_id else None}


@bp.get("/organisations")
def list_organisations():
    """Organisations by name; `q` searches names, `after` is the last slug seen."""
    first = int_arg("first", 50, 1, 200)
    page = queries.list_organisations(db.session, request.args.get("q"), first, request.args.get("after"))
    rows, has_next = page.items, page.has_next
    return jsonify({"items": [organisation_to_dict(o) for o in rows], "has_next": has_next,
                    "next_cursor": rows[-1].slug if has_next and rows else None})


@bp.post("/organisations")
def create_organisation():
    """Coordinators and platform admins register an organisation (verified)."""
    actor = current_actor()
    require_coordinator(actor)
    data = load_or_raise(OrganisationInputSchema(), json_body())
    with unit_of_work() as uow:
        org = service.create_organisation(uow.session, actor, data, verified=True)
        uow.commit()
    response = jsonify(organisation_to_dict(org))
    response.status_code = 201
    response.headers["Location"] = url_for("rest.get_organisation", slug=org.slug)
    return response


@bp.get("/organisations/<slug>")
def get_organisation(slug: str):
    """One organisation."""
    return jsonify(organisation_to_dict(service.get_organisation(db.session, slug)))


@bp.post("/organisations/<slug>/verify")
def verify_organisation(slug: str):
    """Mark an organisation verified (coordinators)."""
    with unit_of_work() as uow:
        org = service.verify_organisation(uow.session, current_actor(), slug, True)
        uow.commit()
    return jsonify(organisation_to_dict(org))

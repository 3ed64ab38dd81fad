"""REST: /organisations — list, read, create (coordinators), verify."""
from __future__ import annotations

from flask import jsonify, request, url_for

from coordination import queries
from coordination.models import Organisation
from coordination.permissions import require_coordinator
from coordination.services import organisations as service
from coordination.vocab import ORGANISATION_TYPES

from ..auth import current_actor
from ..extensions import db
from ..schemas import OrganisationInputSchema
from ..unit_of_work import unit_of_work
from . import bp
from .common import caller_and_body, created, int_arg


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
    actor, data = caller_and_body(require_coordinator, OrganisationInputSchema())
    with unit_of_work() as uow:
        org = service.create_organisation(uow.session, actor, data, verified=True)
        uow.commit()
    return created(organisation_to_dict(org), url_for("rest.get_organisation", slug=org.slug))


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

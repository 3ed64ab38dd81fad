"""REST: /initiatives — register, read, list with filters, edit, withdraw."""
from __future__ import annotations

from flask import jsonify, request, url_for

from coordination.errors import ValidationError
from coordination.queries import (
    MAX_PAGE,
    InitiativeFilter,
    count_initiatives,
    get_initiative,
    list_initiatives,
)
from coordination.serialise import initiative_to_dict
from coordination.services import initiatives as service
from coordination.services.history import initiative_history

from ..auth import current_actor
from ..extensions import db
from ..schemas import InitiativeInputSchema, load_or_raise
from ..unit_of_work import unit_of_work
from . import bp
from .common import created, int_arg, json_body


def filter_from_args(args, status_arg: str = "status") -> InitiativeFilter:
    """Build the shared filter from query-string arguments (also used by exports and the map).

    `status_arg` names the argument holding the initiative status: /overlaps uses `status` for
    the overlap's own status, so there the initiative status is `initiative_status`.
    """
    params = dict(args.items())
    params["status"] = args.get(status_arg)
    return InitiativeFilter.from_params(params)


def _version_from_if_match() -> int | None:
    header = request.headers.get("If-Match")
    if not header:
        return None
    value = header.strip().strip('W/').strip('"')
    if not value.isdigit():
        raise ValidationError("Invalid If-Match.", {"If-Match": ["must be the ETag of the initiative"]})
    return int(value)


def _with_etag(response, initiative):
    response.headers["ETag"] = f'"{initiative.version}"'
    return response


def _etagged(response, data: dict):
    """`response` with the ETag of the initiative `data` (an `initiative_to_dict`) describes."""
    response.headers["ETag"] = f'"{data["version"]}"'
    return response


def _answer_edit(actor, edit):
    """Run `edit(uow, version)` (version: the If-Match ETag, or None) in one unit of work, commit,
    and answer the initiative as committed, with its new ETag."""
    with unit_of_work() as uow:
        initiative = edit(uow, _version_from_if_match())
        data = uow.commit_answer(lambda: initiative_to_dict(initiative, actor))
    return _etagged(jsonify(data), data)


@bp.get("/initiatives")
def list_():
    """List initiatives the caller may read, filtered, one page after `after`."""
    actor = current_actor()
    f = filter_from_args(request.args)
    first = int_arg("first", 20, 1, MAX_PAGE)
    page = list_initiatives(db.session, actor, f, first=first, after=request.args.get("after"))
    return jsonify({
        "items": [initiative_to_dict(i, actor) for i in page.items],
        "next_cursor": page.end_cursor if page.has_next else None,
        "has_next": page.has_next,
        "total": count_initiatives(db.session, actor, f, page),
    })


@bp.post("/initiatives")
def create():
    """Register an initiative for the token's organisation."""
    actor = current_actor()
    data = load_or_raise(InitiativeInputSchema(), json_body())
    with unit_of_work() as uow:
        initiative = service.register_initiative(uow, actor, data)
        answer = uow.commit_answer(lambda: initiative_to_dict(initiative, actor))
    return _etagged(created(answer, url_for("rest.get_one", initiative_id=answer["id"])), answer)


@bp.get("/initiatives/<int:initiative_id>")
def get_one(initiative_id: int):
    """One initiative."""
    actor = current_actor()
    initiative = get_initiative(db.session, actor, initiative_id)
    return _with_etag(jsonify(initiative_to_dict(initiative, actor)), initiative)


@bp.patch("/initiatives/<int:initiative_id>")
def update(initiative_id: int):
    """Edit some fields; send If-Match with the ETag to refuse stale edits."""
    actor = current_actor()
    data = load_or_raise(InitiativeInputSchema(), json_body(), partial=True)
    return _answer_edit(actor, lambda uow, version: service.update_initiative(
        uow, actor, initiative_id, data, expected_version=version))


@bp.delete("/initiatives/<int:initiative_id>")
def withdraw(initiative_id: int):
    """Withdraw: the initiative leaves the listings; its history is kept."""
    actor = current_actor()
    return _answer_edit(actor, lambda uow, version: service.withdraw_initiative(
        uow, actor, initiative_id, expected_version=version))


@bp.get("/initiatives/<int:initiative_id>/history")
def history(initiative_id: int):
    """The recorded changes of an initiative, oldest first."""
    actor = current_actor()
    initiative = get_initiative(db.session, actor, initiative_id)
    return jsonify({"items": [{**c, "at": c["at"].isoformat()}
                              for c in initiative_history(db.session, actor, initiative)]})

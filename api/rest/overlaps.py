"""REST: overlaps, decisions, the inbox, convergence groups, fragmentation and the network."""
from __future__ import annotations

from datetime import date

from flask import jsonify, request

from coordination import insights
from coordination.errors import ValidationError
from coordination.inbox import inbox as inbox_of
from coordination.permissions import require_authenticated
from coordination.queries import InitiativeFilter, get_initiative
from coordination.services.overlaps import decide_overlap, mark_read

from .. import analytics
from ..auth import current_actor
from ..extensions import db
from ..schemas import InboxReadInputSchema, OverlapDecisionInputSchema, load_or_raise
from ..unit_of_work import unit_of_work
from . import bp
from .common import caller_and_body, int_arg, json_body
from .initiatives import filter_from_args


def _min_score() -> float:
    raw = request.args.get("min_score")
    try:
        value = float(raw) if raw else 0.0
    except ValueError:
        raise ValidationError("Invalid min_score.", {"min_score": ["must be a number in [0, 1]"]}) from None
    if not 0 <= value <= 1:
        raise ValidationError("Invalid min_score.", {"min_score": ["must be a number in [0, 1]"]})
    return value


def _period(f: InitiativeFilter):
    """The year of the filter (already checked by filter_from_args) as a period."""
    return (date(f.year, 1, 1), date(f.year, 12, 31)) if f.year else None


@bp.get("/initiatives/<int:initiative_id>/overlaps")
def initiative_overlaps(initiative_id: int):
    """Overlaps of one initiative with other organisations' work, best first."""
    actor = current_actor()
    get_initiative(db.session, actor, initiative_id)
    rows = insights.overlaps_of(db.session, actor, initiative_id, _min_score(), request.args.get("status"),
                                request.args.get("kind"))
    return jsonify({"items": [insights.overlap_to_dict(r, viewpoint=initiative_id, actor=actor) for r in rows]})


@bp.get("/overlaps")
def list_overlaps():
    """Overlaps whose two initiatives match the filter (goal, country, organisation, ...)."""
    actor = current_actor()
    rows, cursor = insights.list_overlaps(db.session, actor, filter_from_args(request.args, "initiative_status"),
                                          request.args.get("status"), _min_score(),
                                          int_arg("first", 50, 1, 100), request.args.get("after"),
                                          request.args.get("kind"))
    return jsonify({"items": [insights.overlap_to_dict(r, actor=actor) for r in rows], "next_cursor": cursor,
                    "has_next": cursor is not None})


@bp.post("/overlaps/<int:overlap_id>/decision")
def decide(overlap_id: int):
    """Confirm, dismiss or mark "coordinating": {"status": "confirmed|dismissed|coordinating|suggested"}."""
    actor, body = caller_and_body(require_authenticated, OverlapDecisionInputSchema())
    with unit_of_work() as uow:
        row = decide_overlap(uow.session, actor, overlap_id, body["status"])
        uow.commit()
    return jsonify(insights.overlap_to_dict(row, actor=actor))


@bp.get("/inbox")
def inbox():
    """The caller's organisation's overlap inbox: newest first, and bundled by its own initiative."""
    actor = current_actor()
    require_authenticated(actor)
    unread = request.args.get("unread", "")
    if unread not in ("", "0", "1"):
        raise ValidationError("Invalid unread.", {"unread": ["must be 0 or 1"]})
    return jsonify(inbox_of(db.session, actor, unread_only=unread == "1",
                            initiative_id=int_arg("initiative", None, 1, 2_147_483_647),
                            page=int_arg("page", 1, 1, 1_000_000)))


@bp.post("/inbox/read")
def inbox_read():
    """Mark notices read: {"ids": [...]}, or all of them without a body."""
    actor = current_actor()
    require_authenticated(actor)
    body = load_or_raise(InboxReadInputSchema(), json_body()) if request.get_data().strip() else {}
    with unit_of_work() as uow:
        marked = mark_read(uow.session, actor, body.get("ids"))
        uow.commit()
    return jsonify({"marked": marked})


@bp.get("/groups")
def groups():
    """Convergence groups, grassroots-only flags and suggested institutional allies."""
    actor = current_actor()
    return jsonify({"items": analytics.groups_for(actor, filter_from_args(request.args))})


@bp.get("/fragmentation")
def fragmentation():
    """Fragmentation cells per goal and area (Herfindahl, effective actors) and gaps."""
    actor = current_actor()
    f = filter_from_args(request.args)
    return jsonify(analytics.fragmentation_for(actor, f, request.args.get("area_level") or "country", _period(f)))


@bp.get("/network")
def network():
    """The organisation network: who is linked to whom, brokers (betweenness), isolated groups."""
    actor = current_actor()
    return jsonify(analytics.network_for(actor, filter_from_args(request.args)))

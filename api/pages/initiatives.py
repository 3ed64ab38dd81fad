"""Initiative pages: one initiative, and the form to register or edit one."""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from coordination import insights, vocab
from coordination.convergence.work import work_labels
from coordination.display import country_choices
from coordination.errors import Conflict, DomainError, PermissionDenied, ValidationError
from coordination.permissions import Actor
from coordination.queries import get_initiative
from coordination.reads.organisations import organisation_choices
from coordination.serialise import initiative_to_dict, location_to_dict
from coordination.services import initiatives as service
from coordination.services.history import initiative_history
from coordination.services.similar import similar_to_draft
from coordination.status import status_of
from coordination.validation import validate_initiative
from coordination.visibility import sees_exact

from ..extensions import db
from ..unit_of_work import unit_of_work
from . import bp
from . import freshness as _freshness  # noqa: F401  (the "Still accurate" route, the traffic light helper)
from . import introductions as _introductions  # noqa: F401  (template filters, "Introduce us")
from .common import organisation_of, signin_redirect, visions_with_goals, web_actor
from .forms import data_to_form, field_errors, form_to_data, initiative_to_form
from .i18n import _


def can_edit(actor: Actor, initiative) -> bool:
    """Members and admins of the owning organisation, and platform admins, may edit."""
    return actor.is_platform_admin or (actor.role in ("member", "admin")
                                       and actor.organisation_id == initiative.organisation_id)


@bp.get("/initiatives/<int:initiative_id>")
def initiative(initiative_id: int):
    """Details, own and suggested goals, places (at the precision the reader may see), partners, overlaps, history."""
    actor = web_actor()
    i = get_initiative(db.session, actor, initiative_id)
    exact = sees_exact(actor, i)
    locations = [location_to_dict(loc, exact, i.public_precision) for loc in i.locations]
    history = initiative_history(db.session, actor, i)
    return render_template(
        "initiative.html", i=i, locations=locations, exact=exact, history=history,
        own=[link for link in i.goal_links if link.source == "own"],
        suggested=[link for link in i.goal_links if link.source == "suggested"],
        status=status_of(i),
        work=work_labels(i.title, i.description or "", [t.label for t in i.tag_links]),
        **_links(actor, i.id), editable=can_edit(actor, i))


def _links(actor, initiative_id: int) -> dict:
    """The initiative's overlaps, and apart from them the reports of the same effort by others."""
    links = [insights.overlap_to_dict(row, viewpoint=initiative_id, actor=actor)
             for row in insights.overlaps_of(db.session, actor, initiative_id)]
    duplicate = [o["kind"] == "duplicate" for o in links]
    return {"overlaps": [o for o, d in zip(links, duplicate) if not d],
            "duplicates": [o for o, d in zip(links, duplicate) if d]}


def _render_form(values: dict, errors: dict | None = None, message: str | None = None, similar=None,
                 initiative=None, status: int = 200):
    return render_template(
        "initiative_form.html", values=values, errors=errors or {}, message=message, similar=similar,
        initiative=initiative, visions=visions_with_goals(), statuses=list(vocab.STATUS_CODES),
        today=date.today().isoformat(), countries=country_choices(),
        roles=list(vocab.PARTNER_ROLES), precisions=vocab.PUBLIC_PRECISIONS,
        organisations=organisation_choices(db.session)), status


@bp.route("/initiatives/new", methods=["GET", "POST"])
def new_initiative():
    """Register an initiative; before saving, similar initiatives nearby are shown once."""
    if g.get("user") is None:
        return signin_redirect()
    organisation_of(g.user)  # a coordinator has no organisation to register for
    actor = web_actor()
    if request.method == "GET":
        # No preset status: the form works it out from the dates until the person picks one.
        return _render_form({"visibility": "public", "public_precision": "exact", "status": ""})
    data = form_to_data(request.form)
    values = data_to_form(data)
    try:
        validate_initiative(data)
        if request.form.get("similar_seen") != "1":
            # The engine's overlaps for the draft, scored as the saved initiative would be.
            similar = similar_to_draft(db.session, actor, data)
            if similar:
                return _render_form(values, similar=similar)
        with unit_of_work() as uow:
            created = service.register_initiative(uow, actor, {**data, "provenance": "web form"})
            uow.commit()
    except ValidationError as err:
        return _render_form(values, field_errors(err), err.message, status=400)
    except DomainError as err:
        return _render_form(values, field_errors(err), err.message, status=409 if err.code == "conflict" else 400)
    flash(_("Saved. Your initiative is on the map."))
    return redirect(url_for("pages.initiative", initiative_id=created.id))


def _changed_only(data: dict, current, actor: Actor) -> dict:
    """Leave out linked lists the form did not change (the service rewrites links it is given)."""
    before = initiative_to_dict(current, actor)
    out = dict(data)
    if data["goals"] == before["goals"] and (data["primary_goal"] or None) in (None, before["primary_goal"]):
        out.pop("goals"), out.pop("primary_goal")
    if data["tags"] == before["tags"]:
        out.pop("tags")
    if data["partners"] == [{"organisation": p["organisation"]["slug"], "role": p["role"]} for p in before["partners"]]:
        out.pop("partners")
    return out


@bp.route("/initiatives/<int:initiative_id>/edit", methods=["GET", "POST"])
def edit_initiative(initiative_id: int):
    """Edit an initiative; a stale form (someone saved meanwhile) is refused, nothing is overwritten."""
    if g.get("user") is None:
        return signin_redirect()
    actor = web_actor()
    current = get_initiative(db.session, actor, initiative_id)
    if not can_edit(actor, current):
        raise PermissionDenied(_("Only your own organisation's initiatives can be edited."))
    if request.method == "GET":
        values = initiative_to_form(initiative_to_dict(current, actor))
        values["version"] = current.version
        return _render_form(values, initiative=current)
    data = form_to_data(request.form)
    values = {**data_to_form(data), "version": request.form.get("version", "")}
    version = request.form.get("version", "")
    try:
        with unit_of_work() as uow:
            service.update_initiative(uow, actor, initiative_id, _changed_only(data, current, actor),
                                      expected_version=int(version) if version.isdigit() else None)
            uow.commit()
    except Conflict as err:
        return _render_form(values, field_errors(err), err.message + " " + _(
            "Reload the page to see the current version, then make your change again."), initiative=current,
            status=409)
    except ValidationError as err:
        return _render_form(values, field_errors(err), err.message, initiative=current, status=400)
    flash(_("Saved."))
    return redirect(url_for("pages.initiative", initiative_id=initiative_id))

"""Convergence groups and the overlap inbox (empty states until the engine's service lands)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from coordination.errors import ValidationError

from . import bp, convergence
from .common import signed_in_user, signin_redirect, web_actor
from .i18n import _

DECISIONS = {"confirm": "confirmed", "dismiss": "dismissed", "coordinating": "coordinating"}


@bp.get("/groups")
def groups():
    """Each convergence group with members, shared goals, area and whether it has an institutional ally."""
    return render_template("groups.html", groups=convergence.groups(web_actor()))


@bp.get("/inbox")
def inbox():
    """The signed-in organisation's suggested overlaps to confirm, dismiss or mark as coordinating."""
    from flask import g
    if g.get("user") is None:
        return signin_redirect()
    return render_template("inbox.html", items=convergence.inbox(web_actor()), field=convergence.field,
                           engine=convergence.available())


@bp.post("/inbox/<int:overlap_id>")
def decide(overlap_id: int):
    """Record the organisation's decision on one overlap."""
    signed_in_user()
    decision = DECISIONS.get(request.form.get("decision", ""))
    if decision is None:
        raise ValidationError("Unknown decision.", {"decision": [f"must be one of {', '.join(DECISIONS)}"]})
    if convergence.decide(web_actor(), overlap_id, decision) is None:
        flash(_("Overlap detection is not running yet, so there is nothing to decide."), "error")
    else:
        flash(_("Thank you, your decision is recorded."))
    return redirect(url_for("pages.inbox"))

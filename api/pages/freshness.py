"""Freshness on the pages: the traffic light's helper for the templates and the "Still accurate" button."""
from __future__ import annotations

from flask import flash, g, redirect, url_for

from coordination.freshness import freshness_of
from coordination.services.freshness import confirm_initiative

from ..unit_of_work import unit_of_work
from . import bp
from .common import signin_redirect, web_actor
from .i18n import _


@bp.app_template_global("freshness_of")
def _freshness_of(initiative):
    """The initiative's traffic light (see `coordination.freshness`)."""
    return freshness_of(initiative)


@bp.post("/initiatives/<int:initiative_id>/confirm")
def confirm(initiative_id: int):
    """Its organisation's members say the initiative is still accurate; back to its page."""
    if g.get("user") is None:
        return signin_redirect()
    with unit_of_work() as uow:
        confirm_initiative(uow.session, web_actor(), initiative_id)
        uow.commit()
    flash(_("Thank you: marked as still accurate today."))
    return redirect(url_for("pages.initiative", initiative_id=initiative_id))

"""Words for codes on every page, published contacts, and "Introduce us" on an overlap.

Template filters: `country_name`, `area_name`, `org_type`, `names_in_text` (engine
explanations), `provenance_text`. Template globals: `published_contact(slug)`,
`introductions()` (the signed-in organisation's, for the inbox and initiative pages),
`may_introduce_on(overlap)`.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, g, redirect, request, url_for
from coordination import display
from coordination.errors import Conflict, PermissionDenied
from coordination.models import Organisation
from coordination.reads.organisations import organisation_by_slug
from coordination.services import introductions as service

from ..extensions import db
from ..unit_of_work import unit_of_work
from . import bp
from .common import signed_in_user, web_actor
from .i18n import _

bp.add_app_template_filter(display.country_name, "country_name")
bp.add_app_template_filter(display.area_name, "area_name")
bp.add_app_template_filter(display.organisation_type_name, "org_type")
bp.add_app_template_filter(display.names_in_text, "names_in_text")
bp.add_app_template_filter(display.why_text, "why_text")
bp.add_app_template_filter(display.provenance_text, "provenance_text")


def _request_cache(name: str, make):
    """A value kept for this request only."""
    store = g.setdefault("introductions_cache", {})
    if name not in store:
        store[name] = make()
    return store[name]


@bp.app_template_global()
def published_contact(slug: str | None) -> dict[str, str]:
    """The contact an organisation published ({} when none), by slug; read once per request."""
    if not slug:
        return {}
    cache = _request_cache("contacts", dict)
    if slug not in cache:
        cache[slug] = service.public_contact(organisation_by_slug(db.session, slug))
    return cache[slug]


def _state() -> dict:
    """The signed-in organisation's introductions, by overlap id and direction (once per request)."""
    def load() -> dict:
        actor = web_actor()
        items = [service.introduction_to_dict(i, actor.organisation_id)
                 for i in service.introductions_for(db.session, actor)] if actor.organisation_id else []
        return {"items": items,
                "sent": {i["overlap_id"]: i for i in items if i["direction"] == "sent"},
                "received": {i["overlap_id"]: i for i in items if i["direction"] == "received"}}
    return _request_cache("introductions", load)


@bp.app_template_global()
def introductions() -> dict:
    """{'items': [...], 'sent': {overlap_id: ...}, 'received': {overlap_id: ...}} for the signed-in organisation."""
    return _state()


@bp.app_template_global()
def may_introduce_on(overlap: dict) -> bool:
    """Whether the signed-in person may press "Introduce us" on an overlap shown to them.

    The page only lists overlaps the reader may see; the reader's organisation must be one
    of the two sides, and the person a member or admin. The service checks all of it again.
    """
    user = g.get("user")
    if user is None or user.role not in ("member", "admin") or not isinstance(overlap, dict):
        return False
    org = db.session.get(Organisation, user.organisation_id)
    sides = [side.get("organisation", {}).get("slug") for side in overlap.get("initiatives") or []]
    return org is not None and org.slug in sides and len(set(sides)) == 2


def _back() -> str:
    """Where to go after the form: a same-site path from the form, else the inbox."""
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("pages.inbox")


@bp.post("/overlaps/<int:overlap_id>/introduce")
def introduce(overlap_id: int):
    """"Introduce us": tell the other organisation of the overlap that we would like to talk."""
    user = signed_in_user()
    try:
        with unit_of_work() as uow:
            intro = service.introduce(uow.session, web_actor(), overlap_id)
            uow.commit()
    except (Conflict, PermissionDenied) as err:
        flash(err.message, "error")
        return redirect(_back())
    other = intro.to_organisation.name
    if service.someone_hears(db.session, intro.to_organisation_id):
        done = _("Done: %(org)s now finds your introduction in its inbox.", org=other)
    else:
        done = _("Done, but nobody from %(org)s has joined the platform yet (no account, webhook or digest), so "
                 "nobody is told now: your introduction waits in their inbox for when they join.", org=other)
    if service.public_contact(db.session.get(Organisation, user.organisation_id)):
        flash(done + " " + _("It carries the contact your organisation published."))
    else:
        flash(done + " " + _("Your organisation has not published a contact yet, so they can only introduce "
                             "themselves back; an admin can publish one on the Account page."))
    return redirect(_back())

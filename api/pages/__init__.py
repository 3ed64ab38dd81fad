"""Web pages: the public goal map, the goal, initiative, organisation and group pages, and the NGO flow.

Thin like the other doors: parse the request, call a service or a read function, render.
Signed-in people act through the same services as API tokens, as an `Actor` of their
organisation; every form carries a CSRF token.
"""
from __future__ import annotations

from flask import Blueprint, g, request, session

from coordination.models import User

from ..extensions import db
from .csrf import csrf_token, verify_csrf
from .i18n import _, ngettext

bp = Blueprint("pages", __name__, template_folder="../templates")


@bp.record_once
def _configure(state) -> None:
    """Template helpers. (The session cookie's HttpOnly, SameSite=Lax and Secure come from
    api/config.py and api.security.SessionInterface.)"""
    state.app.jinja_env.globals.update(_=_, ngettext=ngettext, csrf_token=csrf_token)


@bp.before_request
def _load_user() -> None:
    """Turn the session cookie into the signed-in user and the actor the services see."""
    from coordination.services.accounts import actor_for_user

    g.user = None
    user_id = session.get("user_id")
    if user_id is not None:
        user = db.session.get(User, user_id)
        if user is not None and session.get("auth") == user.password_hash[-16:]:
            g.user = user
            g.session_actor = actor_for_user(user)
        else:
            session.clear()
    if request.method == "POST":
        request_limit()  # before the form is read: uploads may be large, other forms may not
        verify_csrf()


@bp.app_context_processor
def _template_globals() -> dict:
    """What every template may use: the signed-in user."""
    return {"current_user": g.get("user")}


from . import (  # noqa: F401  (routes)
    account,
    errors,
    forms_api,
    geojson,
    goals,
    groups,
    imports,
    initiatives,
    map,
    organisations,
)
from .imports import request_limit

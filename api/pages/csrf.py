"""CSRF protection: a random token per session, required on every form post of the pages."""
from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


def csrf_token() -> str:
    """This session's token, created on first use; templates put it in every form."""
    token = session.get(FIELD)
    if not token:
        token = session[FIELD] = secrets.token_urlsafe(32)
    return token


def verify_csrf() -> None:
    """Refuse a post whose form field or header does not carry the session's token."""
    expected = session.get(FIELD)
    sent = request.form.get(FIELD) or request.headers.get(HEADER) or ""
    if not expected or not hmac.compare_digest(str(expected), str(sent)):
        abort(400, description="The form has expired or did not come from this site. Reload the page and try again.")

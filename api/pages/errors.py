"""Errors on the pages: an HTML page for people, the one JSON shape for the map and form helpers."""
from __future__ import annotations

from flask import render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from coordination.errors import DomainError

from ..errors import STATUS, error_response
from ..extensions import db
from . import bp
from .i18n import _

JSON_PREFIXES = ("/map/", "/pages-api/")


def _wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES)


@bp.errorhandler(DomainError)
def domain_error(err: DomainError):
    """Not found, forbidden, invalid filters: JSON for scripts, a page for people."""
    db.session.rollback()
    if _wants_json():
        return error_response(err.code, err.message, err.fields)
    status = STATUS.get(err.code, 400)
    if err.code == "unauthorized":
        return render_template("error.html", title=_("Please sign in"), message=err.message,
                               signin=True), 401
    return render_template("error.html", title=_("Sorry"), message=err.message), status


@bp.errorhandler(RequestEntityTooLarge)
def too_large(err: RequestEntityTooLarge):
    """A post over the size limit (see imports.request_limit): say what the limit is and what to do."""
    from .imports import UPLOAD_ENDPOINT, limit_text

    if request.endpoint == UPLOAD_ENDPOINT:
        message = _("The file is larger than %(limit)s, the most one upload may carry. Split it into smaller "
                    "files (for example one per country or year) and upload them one after the other.",
                    limit=limit_text())
    else:
        message = _("What was sent is too large for this form.")
    if _wants_json():
        return error_response("too_large", message, None, 413)
    return render_template("error.html", title=_("File too large"), message=message), 413


@bp.errorhandler(HTTPException)
def http_error(err: HTTPException):
    """HTTP errors raised by a page (bad CSRF token, 404)."""
    if _wants_json():
        return error_response("bad_request" if err.code == 400 else "error", err.description or err.name,
                              None, err.code)
    return render_template("error.html", title=err.name, message=err.description), err.code

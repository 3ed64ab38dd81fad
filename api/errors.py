"""The one error shape: `{"error": {"code", "message", "fields"}}` for every failure."""
from __future__ import annotations

from flask import Flask, jsonify, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from coordination.errors import DomainError

from .extensions import db

STATUS = {"validation_error": 400, "unauthorized": 401, "forbidden": 403, "not_found": 404,
          "conflict": 409, "too_large": 413, "unprocessable": 422, "rate_limited": 429,
          "method_not_allowed": 405, "unavailable": 503, "internal_error": 500}
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
              422: "unprocessable", 429: "rate_limited"}


def error_response(code: str, message: str, fields: dict | None = None, status: int | None = None):
    """A JSON error in the platform's one shape."""
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return jsonify(body), status or STATUS.get(code, 400)


def register_error_handlers(app: Flask) -> None:
    """Map domain errors and HTTP errors to the one shape; never leak a stack trace."""

    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):
        db.session.rollback()
        return error_response(err.code, err.message, err.fields)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        code = HTTP_CODES.get(err.code or 500, "error")
        if err.code == 413:
            limit = request.max_content_length  # this request's limit (uploads allow more)
            return error_response(code, f"The request body is larger than the limit of {limit} bytes.",
                                  {"_body": ["too large"]}, 413)
        return error_response(code, err.description or err.name, None, err.code)

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_unavailable(err: DBAPIError):
        # A lost connection or a database that went away: 503, and the pool recovers on the next request.
        if not isinstance(err, OperationalError) and not err.connection_invalidated:
            return unexpected(err)
        try:
            db.session.rollback()
        except DBAPIError:
            pass
        db.session.remove()
        app.logger.warning("database unavailable: %s", err.__class__.__name__)
        response, status = error_response(
            "unavailable", "The database is unavailable; nothing was saved. Try again shortly.", None, 503)
        response.headers["Retry-After"] = "5"
        return response, status

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return error_response("internal_error", "Something went wrong on our side; nothing was saved.",
                              None, 500)

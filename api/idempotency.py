"""`Idempotency-Key` on POST: a retry with the same key and body returns the first response, writing nothing.

The wrapper opens the request's unit of work before the view runs and adds the key row to
it; the view's own unit of work joins it. Once the view has answered, the response is
stored on the key row and the unit commits once: the write, the key and the response are
durable together, or none of them is. A crash after that commit leaves a key whose retry
replays the stored response; a crash before it leaves nothing, so the retry writes anew.
A failed request commits nothing, so its key may be used again. The same key with another
body is a 422; a retry while the first request is still running is a 409.
"""
from __future__ import annotations

import functools
import hashlib
import json

from flask import Flask, Response, make_response, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coordination.errors import Conflict, DomainError, ValidationError

from .auth import current_actor
from .errors import STATUS
from .extensions import db
from .models import IdempotencyKey
from .unit_of_work import unit_of_work

HEADER = "Idempotency-Key"
ENDPOINTS = ("rest.create", "graphql.graphql", "rest.restore_initiative")
REPLAYED_HEADERS = ("Location", "ETag", "Content-Type")


class KeyReused(DomainError):
    """The key was already used for a different request."""

    code = "unprocessable"


def _key() -> str | None:
    """The request's key, checked: 1-255 printable ASCII characters."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not 1 <= len(key) <= 255 or not key.isascii() or not key.isprintable():
        raise ValidationError(f"Invalid {HEADER}.", {HEADER: ["must be 1-255 printable ASCII characters"]})
    return key


def request_fingerprint() -> str:
    """SHA-256 of method, path and body (JSON compared by meaning, not by spacing or key order)."""
    raw = request.get_data(cache=True)
    try:
        body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError):
        body = raw
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def _actor_key(actor) -> str:
    return f"token:{actor.token_id}" if actor.token_id is not None else f"user:{actor.label}"[:80]


def _find(actor_key: str, key: str) -> IdempotencyKey | None:
    return db.session.scalar(select(IdempotencyKey).where(
        IdempotencyKey.actor_key == actor_key, IdempotencyKey.key == key))


def _replay(row: IdempotencyKey, fingerprint: str) -> Response:
    """The stored response of an earlier request with this key, or why it cannot be replayed."""
    if row.request_hash != fingerprint:
        raise KeyReused(f"This {HEADER} was already used for a different request.",
                        {HEADER: ["was used with a different body or URL; use a new key for a new request"]})
    if row.status is None:
        raise Conflict(f"A request with this {HEADER} is still being processed; retry shortly.",
                       {HEADER: ["in progress"]})
    response = make_response(row.body or "", row.status)
    for name, value in (row.headers or {}).items():
        response.headers[name] = value
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(view):
    """Wrap a POST view so that a repeated `Idempotency-Key` replays instead of writing again."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.method != "POST" or HEADER not in request.headers:
            return view(*args, **kwargs)
        try:
            return _run_once(view, args, kwargs)
        except DomainError as err:
            if request.path != "/graphql":
                raise
            from .graphql.errors import domain_entry
            return make_response({"errors": [domain_entry(err)]}, STATUS.get(err.code, 400))

    return wrapper


def _run_once(view, args, kwargs) -> Response:
    """Replay the stored response of this key, or run the view with the key in its transaction."""
    key = _key()
    actor = current_actor()
    if not actor.authenticated:
        return make_response(view(*args, **kwargs))  # refused by the view; nothing to remember
    actor_key, fingerprint = _actor_key(actor), request_fingerprint()
    existing = _find(actor_key, key)
    if existing is not None:
        return _replay(existing, fingerprint)
    with unit_of_work() as uow:
        row = IdempotencyKey(actor_key=actor_key, key=key, request_hash=fingerprint)
        uow.session.add(row)
        try:
            uow.session.flush()  # a concurrent twin waits here on the unique index, then fails
        except IntegrityError:
            uow.rollback()
            existing = _find(actor_key, key)
            if existing is None:
                raise
            return _replay(existing, fingerprint)
        response = make_response(view(*args, **kwargs))  # the view's unit of work joins this one
        if _succeeded(response):
            _remember(row, response)
            uow.commit()  # the write, its key and its response: one commit
        # Otherwise leaving the block rolls back: the key goes with the failed write.
    return response


def _succeeded(response: Response) -> bool:
    """2xx, and for GraphQL no errors (a failed mutation rolled back, so it may be retried)."""
    if not 200 <= response.status_code < 300:
        return False
    if request.path == "/graphql":
        body = response.get_json(silent=True) or {}
        return not body.get("errors")
    return True


def _remember(row: IdempotencyKey, response: Response) -> None:
    """Store the response on the key row, in the write's unit of work."""
    row.status = response.status_code
    row.body = response.get_data(as_text=True)
    row.headers = {h: response.headers[h] for h in REPLAYED_HEADERS if h in response.headers}


def init_app(app: Flask) -> None:
    """Make the POST endpoints that create things idempotent (run after the blueprints exist)."""
    for endpoint in ENDPOINTS:
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = idempotent(app.view_functions[endpoint])

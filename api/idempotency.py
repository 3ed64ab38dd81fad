"""`Idempotency-Key` on POST: a retry with the same key and body returns the first response, writing nothing.

The key row is added to the request's transaction before the write runs, so the write
and the key commit together (or neither does): a crash can never leave a write whose
key is forgotten. The response is stored just after. The same key with another body is
a 422; a retry while the first request is still running is a 409 with Retry-After.

If the process dies between the write's commit and storing the response, the key would
stay "in progress" for ever. So the key row also records, in the write's own commit, what
the write changed (the history entries it added); a retry of such a key gets the response
rebuilt from the current state of what was written (REST: the initiative, with the status
the first request would have had; GraphQL: an error naming the written initiative, since
the selection of the original query cannot be replayed faithfully).
"""
from __future__ import annotations

import functools
import hashlib
import json

from flask import Flask, Response, jsonify, make_response, request, url_for
from sqlalchemy import event, inspect, select
from sqlalchemy.exc import IntegrityError

from coordination.errors import Conflict, DomainError, ValidationError
from coordination.models import Change, IdempotencyKey

from .auth import current_actor
from .errors import STATUS
from .extensions import db

HEADER = "Idempotency-Key"
ENDPOINTS = ("rest.create", "graphql.graphql", "rest.restore_initiative")
REPLAYED_HEADERS = ("Location", "ETag", "Content-Type")
COMMITTED = "_committed"  # in IdempotencyKey.headers while no response is stored: what was written


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
    if row.status is None and (row.headers or {}).get(COMMITTED):
        return _rebuilt(row.headers[COMMITTED])
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
            db.session.rollback()
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
    row = IdempotencyKey(actor_key=actor_key, key=key, request_hash=fingerprint)
    db.session.add(row)
    try:
        db.session.flush()  # a concurrent twin waits here on the unique index, then fails
    except IntegrityError:
        db.session.rollback()
        existing = _find(actor_key, key)
        if existing is None:
            raise
        return _replay(existing, fingerprint)
    stop_noting = _note_writes(row)
    try:
        response = make_response(view(*args, **kwargs))
    finally:
        stop_noting()
    _remember(row, response)
    return response


def _note_writes(row: IdempotencyKey):
    """Record in `row`, as part of the write's commit, which history entries the write added.

    Returns the function that stops listening.
    """
    session = db.session()
    written: list[Change] = []

    def collect(sess, *_args) -> None:
        written.extend(obj for obj in sess.new if isinstance(obj, Change))

    def before_commit(sess) -> None:
        collect(sess)
        if written and row.status is None and row in sess:
            row.headers = {COMMITTED: [[c.entity_type, c.entity_id, c.action] for c in written]}

    event.listen(session, "before_flush", collect)
    event.listen(session, "before_commit", before_commit)

    def stop() -> None:
        event.remove(session, "before_flush", collect)
        event.remove(session, "before_commit", before_commit)

    return stop


def _rebuilt(committed: list) -> Response:
    """The response of a request whose write committed but whose response was lost."""
    from coordination.queries import get_initiative
    from coordination.serialise import initiative_to_dict

    actor = current_actor()
    ids = [entity_id for kind, entity_id, _action in committed if kind == "initiative"]
    if request.path == "/graphql" or not ids:
        message = ("This request was already carried out, but its response was lost; "
                   f"it wrote {', '.join(f'{k} {i} ({a})' for k, i, a in committed)}. "
                   "Read the result instead of retrying.")
        if request.path == "/graphql":
            response = make_response({"data": None, "errors": [{"message": message, "extensions": {
                "code": "response_lost", "written": committed}}]}, 200)
        else:
            response = make_response({"error": {"code": "response_lost", "message": message,
                                                "fields": {HEADER: ["already used; its write committed"]}}}, 409)
    else:
        initiative = get_initiative(db.session, actor, ids[0])
        response = jsonify(initiative_to_dict(initiative, actor))
        created = request.endpoint == "rest.create"
        response.status_code = 201 if created else 200
        if created:
            response.headers["Location"] = url_for("rest.get_one", initiative_id=initiative.id)
        response.headers["ETag"] = f'"{initiative.version}"'
    response.headers["Idempotent-Replayed"] = "true"
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
    """Store the response with the key; a failed request forgets the key so the client may retry."""
    if not _succeeded(response):
        # Not yet committed: the key goes with the failed write. Committed with a write that then
        # failed to answer: it stays "in progress", so a retry can never write twice.
        db.session.rollback()
        return
    state = inspect(row)
    if state.transient or state.detached:
        return  # the request's transaction was rolled back; the key went with it
    row.status = response.status_code
    row.body = response.get_data(as_text=True)
    # Replaces the COMMITTED note: the stored response is the faithful answer now.
    row.headers = {h: response.headers[h] for h in REPLAYED_HEADERS if h in response.headers}
    db.session.commit()


def init_app(app: Flask) -> None:
    """Make the POST endpoints that create things idempotent (run after the blueprints exist)."""
    for endpoint in ENDPOINTS:
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = idempotent(app.view_functions[endpoint])

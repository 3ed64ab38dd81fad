"""Who is calling: a bearer token (API) turned into an `Actor` for the services."""
from __future__ import annotations

from flask import g, request

from coordination.permissions import ANONYMOUS, Actor
from coordination.services.tokens import authenticate

from .extensions import db


def current_actor() -> Actor:
    """The actor of this request; raises AuthenticationRequired for a bad token."""
    if "actor" in g:
        return g.actor
    header = request.headers.get("Authorization", "")
    actor = ANONYMOUS
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            from coordination.errors import AuthenticationRequired
            raise AuthenticationRequired("Send the token as 'Authorization: Bearer <token>'.")
        actor = authenticate(db.session, token.strip())
    elif "session_actor" in g:
        actor = g.session_actor
    g.actor = actor
    return actor

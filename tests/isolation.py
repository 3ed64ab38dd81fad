"""Each test request and CLI invocation runs as in production: in its own app context and session.

A test keeps an app context of its own (the `app` fixture) to arrange and check data with
`db.session`. Flask pushes a new app context for a request only when none is active, so a
request made from inside the test's context would share its `g` and its session. The client
and runner below run each request (and each command) in a fresh `contextvars.Context`, as a
server thread or a new process would: Flask pushes a new app context there, Flask-SQLAlchemy
scopes a new session to it, and both are gone when the request ends.

Before each request the test's own session ends its transaction (a commit: what the test
arranged is saved, as another client would have done, and SQLite's write lock is released);
its objects are expired by that commit, so the test reads what the request wrote. Requests
made another way (schemathesis calls the WSGI app itself) go through `in_own_context`.
"""
from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any, TypeVar

from flask import has_app_context
from flask.testing import FlaskClient, FlaskCliRunner

from api.extensions import db

T = TypeVar("T")


def in_own_context(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`call(...)` as another client would make it: the test's transaction ended first (so the
    call sees its data and finds no lock held), then run in a fresh context of its own."""
    if has_app_context():
        db.session.commit()
    return contextvars.Context().run(call, *args, **kwargs)


class RequestPerContextClient(FlaskClient):
    """A test client whose every request has its own app context, `g` and database session."""

    def open(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("buffered", True)  # a streamed body is read while its request is alive
        return in_own_context(super().open, *args, **kwargs)


class CommandPerContextRunner(FlaskCliRunner):
    """A CLI runner whose every invocation has its own app context and database session."""

    def invoke(self, *args: Any, **kwargs: Any):
        return in_own_context(super().invoke, *args, **kwargs)

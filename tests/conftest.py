"""Shared fixtures: an app on a real, fresh database per test (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from flask import Flask

from api import create_app
from api.extensions import db

from .backends import postgres_url, reset_postgres, sqlite_url
from .isolation import CommandPerContextRunner, RequestPerContextClient


@pytest.fixture(autouse=True, scope="session")
def _requests_in_their_own_context():
    """Every app's test client and CLI runner give each request its own context (tests/isolation.py)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Flask, "test_client_class", RequestPerContextClient)
        mp.setattr(Flask, "test_cli_runner_class", CommandPerContextRunner)
        yield


def _make_app(backend: str, tmp_path, monkeypatch):
    monkeypatch.setenv("COORDINATION_INSTANCE", str(tmp_path / "instance"))
    if backend == "postgres":
        url = postgres_url()
        reset_postgres(url)
    else:
        url = sqlite_url(tmp_path)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret"})
    return app


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def app(request, tmp_path, monkeypatch):
    """The Flask app on a fresh database; runs once on SQLite and once on PostgreSQL."""
    app = _make_app(request.param, tmp_path, monkeypatch)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def sqlite_app(tmp_path, monkeypatch):
    """The Flask app on a fresh SQLite database only (for slower or browser tests)."""
    app = _make_app("sqlite", tmp_path, monkeypatch)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def session(app):
    """The test's own database session (each request has another; see tests/isolation.py)."""
    return db.session


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the app."""
    return app.test_cli_runner()


@pytest.fixture
def local_webhooks(app):
    """Let this test's app call webhooks on this machine (a local receiver; production refuses them)."""
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    return app

"""Shared fixtures: an app on a real, fresh database per test (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest

from api import create_app
from api.extensions import db

from .backends import postgres_url, reset_postgres, sqlite_url


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
    """The app's database session."""
    return db.session


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the app."""
    return app.test_cli_runner()

"""The Alembic migrations build exactly the schema the models describe, on both databases."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from api import create_app
from api.extensions import db
from coordination.models import Base, Goal

from ..backends import postgres_url


def _fresh_app(url: str, tmp_path):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x",
                       "COORDINATION_INSTANCE": str(tmp_path)})


def _check(url: str, tmp_path) -> None:
    app = _fresh_app(url, tmp_path)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["init"])
        assert result.exit_code == 0, result.output
        again = app.test_cli_runner().invoke(args=["init"])  # idempotent
        assert again.exit_code == 0, again.output
        assert db.session.query(Goal).count() == 17 + 169
        db.session.remove()  # end its transaction: on SQLite it holds the write lock
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations differ; run `coordination db migrate`: {diff}"


def test_init_on_sqlite_builds_the_models_schema(tmp_path):
    _check(f"sqlite:///{tmp_path / 'migrated.sqlite'}", tmp_path)


def test_init_on_postgresql_builds_the_models_schema(tmp_path):
    url = postgres_url()
    engine = create_engine(url)
    with engine.begin() as conn:  # start from an empty schema, then put the test schema back
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    try:
        _check(url, tmp_path)
    finally:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        Base.metadata.create_all(engine)
        from sqlalchemy.orm import Session

        from coordination.services.visions import ensure_sdg_vision
        with Session(engine) as session:
            ensure_sdg_vision(session)
            session.commit()
        engine.dispose()

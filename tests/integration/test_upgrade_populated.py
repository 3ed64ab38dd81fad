"""Upgrading a populated SQLite database: table rebuilds must not trip over enforced foreign keys.

Measured: `coordination init` on the demo database of the previous release stopped at the
organisation-identity migration with "FOREIGN KEY constraint failed" on DROP TABLE organisation.
"""
from __future__ import annotations

from sqlalchemy import text

from api import create_app
from api.extensions import db

BEFORE_ORG_IDENTITY = "a4c9e2f7b813"
NOW = "2026-12-04 00:00:00"


def test_a_populated_database_upgrades_to_head_and_keeps_its_rows(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}",
                      "SECRET_KEY": "x", "COORDINATION_INSTANCE": str(tmp_path)})
    with app.app_context():
        runner = app.test_cli_runner()
        assert runner.invoke(args=["db", "upgrade", BEFORE_ORG_IDENTITY]).exit_code == 0
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO organisation (id, slug, name, name_key, aliases, alias_keys, description, "
                              "verified, created_at) VALUES (1, 'unicef', 'UNICEF', 'unicef', '[]', '', '', 0, :now)"),
                         {"now": NOW})
            conn.execute(text("INSERT INTO initiative (id, title, description, organisation_id, visibility, "
                              "public_precision, provenance, created_at, updated_at, version) VALUES (1, 'WASH in "
                              "Kabul', '', 1, 'public', 'exact', 'test', :now, :now, 1)"), {"now": NOW})
        result = runner.invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT organisation_id FROM initiative")).all() == [(1,)]
            assert conn.execute(text("SELECT name FROM organisation")).all() == [("UNICEF",)]
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # enforced again afterwards
        db.engine.dispose()

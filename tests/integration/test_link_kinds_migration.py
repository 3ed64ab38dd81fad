"""Upgrading to link kinds marks the generated titles of 3W records already stored."""
from __future__ import annotations

from sqlalchemy import text

from api import create_app
from api.extensions import db

BEFORE, LINK_KINDS = "e5a7c2d9f014", "a4c9e2f7b813"
NOW = "2026-12-04 00:00:00"
# Three 3W records as the importer stored them before it marked generated titles (rows of the real
# Afghan presence file, tests/data/real/hxl): two generated titles, one activity name.
ROWS = [(1, "Education in Emergencies in Kabul", "", "Education in Emergencies", "Kabul"),
        (2, "Protection in Kandahar", "", "Protection", "Kandahar"),
        (3, "Girls' classes in Paghman", "", "Education in Emergencies", "Kabul")]


def _run(runner, *args: str) -> None:
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output


def test_the_upgrade_marks_stored_3w_titles_that_were_generated(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}",
                      "SECRET_KEY": "x", "COORDINATION_INSTANCE": str(tmp_path)})
    with app.app_context():
        runner = app.test_cli_runner()
        _run(runner, "db", "upgrade", BEFORE)
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO organisation (id, slug, name, name_key, aliases, alias_keys, description, "
                              "verified, created_at) VALUES (1, 'occd', 'OCCD', 'occd', '[]', '[]', '', 0, :now)"),
                         {"now": NOW})
            for i, title, description, tag, admin1 in ROWS:
                conn.execute(text(
                    "INSERT INTO initiative (id, title, description, organisation_id, visibility, public_precision, "
                    "provenance, created_at, updated_at, version) VALUES (:i, :title, :description, 1, 'public', "
                    "'exact', :provenance, :now, :now, 1)"),
                    {"i": i, "title": title, "description": description, "now": NOW,
                     "provenance": f"hxl:afghanistan_3w_operational_presence_january_march_2024.csv#row={i + 2}"})
                conn.execute(text("INSERT INTO tag (id, key, label, aliases, created_at) VALUES (:i, :key, :tag, "
                                  "'[]', :now)"), {"i": i, "key": f"t{i}", "tag": tag, "now": NOW})
                conn.execute(text("INSERT INTO initiative_tag (initiative_id, tag_id, label) VALUES (:i, :i, :tag)"),
                             {"i": i, "tag": tag})
                conn.execute(text("INSERT INTO location (initiative_id, country, admin1, precision) "
                                  "VALUES (:i, 'AF', :admin1, 'admin1')"), {"i": i, "admin1": admin1})
        _run(runner, "db", "upgrade", LINK_KINDS)
        with db.engine.connect() as conn:
            flags = dict(conn.execute(text("SELECT id, title_generated FROM initiative")).all())
        db.engine.dispose()
    assert flags == {1: True, 2: True, 3: False}

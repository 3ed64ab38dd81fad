"""Importing real IATI and HXL files through the services, on SQLite and PostgreSQL."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree

from coordination.models import Initiative, Organisation
from coordination.serialise import initiative_to_dict

from api import create_app
from api.extensions import db

from ..backends import sqlite_url
from ..factories import bearer, make_organisation, make_token

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"
REAL_IATI = Path(__file__).resolve().parents[1] / "data" / "real" / "iati"
XSD = DATA / "iati-schemas-2.03" / "iati-activities-schema.xsd"


def _import(runner, kind, path):
    result = runner.invoke(args=["import", kind, "--quiet", str(path)])
    return result


def _comparable(session):
    rows = session.query(Initiative).order_by(Initiative.iati_identifier).all()
    keep = ("title", "description", "goals", "start", "end", "status", "budget", "currency", "iati_identifier")
    return [{k: initiative_to_dict(i)[k] for k in keep} | {"tags": sorted(initiative_to_dict(i)["tags"])}
            for i in rows]


def test_a_real_iati_file_imports_and_a_second_import_changes_nothing(runner, session):
    path = DATA / "activity-standard-example-annotated.xml"
    first = _import(runner, "iati", path)
    assert first.exit_code == 0, first.output
    assert "1 imported" in first.output
    before = (session.query(Initiative).count(), session.query(Organisation).count())
    second = _import(runner, "iati", path)
    assert "0 imported, 1 already present" in second.output
    assert (session.query(Initiative).count(), session.query(Organisation).count()) == before


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml", "truncated_dportal_15.xml"])
def test_hostile_and_truncated_files_are_refused_and_leave_the_database_as_it_was(runner, session, name):
    result = _import(runner, "iati", DATA / name)
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output
    assert session.query(Initiative).count() == 0 and session.query(Organisation).count() == 0


def test_import_export_import_yields_the_same_initiatives(app, runner, session, tmp_path):
    source = REAL_IATI / "MAEC_IATI_INDONESIA.xml"  # 83 real activities of a 2015 publisher file (v2.01)
    first = _import(runner, "iati", source)
    assert first.exit_code == 0, first.output
    assert session.query(Initiative).count() == 83
    exported = tmp_path / "export.xml"
    assert runner.invoke(args=["export", "iati", "-o", str(exported)]).exit_code == 0
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(etree.parse(str(exported))), schema.error_log.last_error
    before = _comparable(session)
    second = tmp_path / "second"
    second.mkdir()
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sqlite_url(second), "SECRET_KEY": "x"})
    with other.app_context():
        assert _import(other.test_cli_runner(), "iati", exported).exit_code == 0
        after = _comparable(db.session)
        db.session.remove()
        db.engine.dispose()
    assert after == before and len(after) > 0


def test_a_3w_file_imports_with_admin_areas_resolved(runner, session):
    result = _import(runner, "hxl", DATA / "afghanistan_3w_2024_excerpt.csv")
    assert result.exit_code == 0, result.output
    locations = [loc for i in session.query(Initiative) for loc in i.locations]
    assert locations and sum(1 for loc in locations if loc.admin1_code) / len(locations) > 0.9


def test_an_organisation_admin_uploads_a_file_and_gets_the_report(client, session):
    org = make_organisation(session, name="Uploader")
    token = make_token(session, org, "admin")
    data = (DATA / "activity-standard-example-annotated.xml").read_bytes()
    response = client.post("/api/v1/imports", headers=bearer(token), content_type="multipart/form-data",
                           data={"format": "iati", "file": (io.BytesIO(data), "example.xml")})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["created"] == 1
    assert session.query(Initiative).one().organisation_id == org.id
    member = make_token(session, org, "member")
    refused = client.post("/api/v1/imports", headers=bearer(member), content_type="multipart/form-data",
                          data={"format": "iati", "file": (io.BytesIO(data), "example.xml")})
    assert refused.status_code == 403
    hostile = client.post("/api/v1/imports", headers=bearer(token), content_type="multipart/form-data",
                          data={"format": "iati", "file": (io.BytesIO((DATA / "billion_laughs.xml").read_bytes()),
                                                           "bomb.xml")})
    assert hostile.status_code == 400 and "file" in hostile.get_json()["error"]["fields"]


def test_a_file_parsed_in_a_second_process_imports_as_one_parsed_in_process(session, monkeypatch):
    """Big IATI files are parsed ahead in a second process (`parse_ahead`): the same report and
    the same initiatives as parsing in process."""
    from coordination.services import file_imports
    from coordination.services.file_imports import import_file
    from coordination.unit_of_work import UnitOfWork

    path = REAL_IATI / "covid_input_dportal_excerpt.xml"
    with UnitOfWork(session) as uow:
        here = import_file(uow, "iati", path)
        stored_here = _comparable(session)
    assert session.query(Initiative).count() == 0  # not committed: rolled back
    used, real = [], file_imports.parsed_ahead
    monkeypatch.setattr(file_imports, "PARSE_AHEAD_FROM", 10)
    monkeypatch.setattr(file_imports, "parsed_ahead", lambda *args, **kwargs: used.append(args) or real(*args, **kwargs))
    with UnitOfWork(session) as uow:
        ahead = import_file(uow, "iati", path)
        uow.commit()
    assert used and ahead == here and here["created"] == 81
    assert _comparable(session) == stored_here


def test_the_command_says_what_it_does_once_its_records_are_read(runner, session):
    """After the progress bar: the stored initiatives read first (once per process, seconds per
    50,000) and the overlap detection, on stderr; then the report."""
    from coordination.services import overlap_index

    first = runner.invoke(args=["import", "iati", str(REAL_IATI / "dportal_117_excerpt.xml")])
    assert first.exit_code == 0, first.output
    stored = session.query(Initiative).count()
    assert stored > 10
    overlap_index.forget(session)  # a new process: no index of what is stored yet
    second = runner.invoke(args=["import", "iati", str(REAL_IATI / "dportal_128_excerpt.xml")])
    assert second.exit_code == 0, second.output
    new = session.query(Initiative).count() - stored
    assert new > 10
    assert f"Reading the {stored:,} stored initiatives to compare with (once per process)…" in second.stderr
    assert f"Finding the overlaps of {new:,} new initiatives…" in second.stderr
    assert second.stderr.index("Reading the") < second.stderr.index("Finding the overlaps")
    assert "imported" in second.stdout and "Finding" not in second.stdout
    # The same process again: its index is kept up to date, nothing to read first.
    third = runner.invoke(args=["import", "iati", str(REAL_IATI / "dportal_15_excerpt.xml")])
    assert third.exit_code == 0, third.output
    assert "Reading the" not in third.stderr and "Finding the overlaps of" in third.stderr
    quiet = runner.invoke(args=["import", "iati", "--quiet", str(REAL_IATI / "dportal_86_excerpt.xml")])
    assert quiet.exit_code == 0 and "Finding" not in quiet.stderr


def test_a_command_with_many_files_has_one_parser_process_and_imports_each_as_given_alone(
        runner, session, tmp_path, monkeypatch):
    """`coordination import iati A B C D`: one process parses every file, in order, while the
    command writes and detects (`file_imports.files_ahead`). A truncated file among them is
    refused whole; the others are imported as when each is given to a command of its own."""
    import multiprocessing

    from coordination.services import file_imports

    started, real = [], file_imports.FilesAhead
    monkeypatch.setattr(file_imports, "FilesAhead", lambda *args, **kwargs: started.append(args) or real(*args, **kwargs))
    good = [REAL_IATI / "dportal_117_excerpt.xml", REAL_IATI / "dportal_128_excerpt.xml",
            REAL_IATI / "MAEC_IATI_INDONESIA.xml"]
    files = [good[0], DATA / "truncated_dportal_15.xml", *good[1:]]
    result = runner.invoke(args=["import", "iati", "--quiet", *map(str, files)])
    assert result.exit_code == 1, result.output  # one file refused
    assert len(started) == 1 and [path for path, _ in started[0][1]] == files
    assert "truncated_dportal_15.xml: refused" in result.output and "Nothing was imported" in result.output
    reports = [line for line in result.output.splitlines() if " read, " in line]
    assert [line.split(":")[0] for line in reports] == [path.name for path in good]
    assert all(" 0 skipped" in line for line in reports)
    together = _comparable(session)
    assert not multiprocessing.active_children()

    alone = tmp_path / "alone"
    alone.mkdir()
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sqlite_url(alone), "SECRET_KEY": "x"})
    with other.app_context():
        for path in good:
            assert _import(other.test_cli_runner(), "iati", path).exit_code == 0
        separately = _comparable(db.session)
        db.session.remove()
        db.engine.dispose()
    assert together == separately and len(together) > 100

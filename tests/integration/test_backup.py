"""`coordination backup` and `coordination restore`: a round trip on SQLite and PostgreSQL loses the later change."""
from __future__ import annotations

from sqlalchemy import select

from api.extensions import db
from coordination.models import Initiative
from coordination.permissions import SYSTEM
from coordination.services.initiatives import withdraw_initiative

from ..factories import in_unit_of_work, make_initiative, make_organisation


def test_a_backup_restored_brings_back_the_initiative_and_drops_the_later_change(app, tmp_path):
    session = db.session
    org = make_organisation(session, name="Backup Test NGO")
    kept = make_initiative(session, org, title="Kept by the backup").id
    runner = app.test_cli_runner()
    file = tmp_path / "coordination.backup"
    result = runner.invoke(args=["backup", str(file)])
    assert result.exit_code == 0, result.output
    assert file.stat().st_size > 0
    in_unit_of_work(session, withdraw_initiative, SYSTEM, kept)
    make_initiative(session, org, title="Registered after the backup")
    db.session.remove()
    result = runner.invoke(args=["restore", "--yes", str(file)])
    assert result.exit_code == 0, result.output
    rows = db.session.execute(select(Initiative.title, Initiative.withdrawn_at)).all()
    assert rows == [("Kept by the backup", None)]


def test_restoring_a_file_that_is_not_a_backup_fails_clearly_and_changes_nothing(app, tmp_path):
    make_initiative(db.session, make_organisation(db.session))
    bogus = tmp_path / "not-a-backup"
    bogus.write_text("hello")
    db.session.remove()
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(bogus)])
    assert result.exit_code != 0
    assert "Error" in result.output
    assert db.session.scalar(select(Initiative.title)) == "Repairing community wells in Kisumu"

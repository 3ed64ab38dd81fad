"""CLI: `coordination backup FILE` and `coordination restore FILE` (SQLite or PostgreSQL), and
`coordination index-snapshot`."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from coordination.errors import DomainError
from coordination.services import overlap_index
from coordination.services.backup import backup_database, restore_database

from .cli_common import fail
from .extensions import db


def _database_url() -> str:
    return db.engine.url.render_as_string(hide_password=False)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write a consistent copy of the database to FILE while it stays in use."""
    try:
        backup_database(_database_url(), file)
    except DomainError as err:
        fail(err)
    click.echo(f"Backed up {db.engine.url.render_as_string(hide_password=True)} to {file}")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Replace everything in the database with the backup in FILE (asks first unless --yes)."""
    shown = db.engine.url.render_as_string(hide_password=True)
    if not yes:
        click.confirm(f"Replace every row of {shown} with {file}?", abort=True)
    url = _database_url()
    db.session.remove()
    db.engine.dispose()  # our own pooled connections would hold locks the restore needs
    try:
        restore_database(url, file)
    except DomainError as err:
        fail(err)
    click.echo(f"Restored {shown} from {file}")


@click.command("index-snapshot")
@with_appcontext
def index_snapshot_command() -> None:
    """Write the overlap index to disk now: new processes read it instead of every initiative.

    Run it after an upgrade (a snapshot of other code is not used) or a restore, before the
    web workers take their first writes; processes also write it by themselves from
    OVERLAP_INDEX_SNAPSHOT_FROM initiatives."""
    try:
        path, count = overlap_index.write_snapshot(db.session)
    except DomainError as err:
        fail(err)
    finally:
        db.session.rollback()  # it only read
    click.echo(f"Wrote the overlap index of {count:,} initiatives to {path} ({path.stat().st_size / 1e6:,.1f} MB)")


COMMANDS = [backup_command, restore_command, index_snapshot_command]

"""CLI: set up and run the platform — `init`, `seed`, `demo` and `converge`."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from .cli_common import progress, unit_of_work
from .extensions import db


def init_database() -> None:
    """Create or migrate the schema and load the SDG vision (idempotent)."""
    from flask_migrate import upgrade

    from coordination.services.visions import ensure_sdg_vision

    upgrade(directory=current_app.extensions["migrate"].directory)
    with unit_of_work() as uow:
        ensure_sdg_vision(uow.session)
        uow.commit()


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or migrate the database schema and load the SDG vision."""
    init_database()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("seed")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@with_appcontext
def seed_command(quiet: bool) -> None:
    """Load the demo data in seed_data/ (real-derived IATI and 3W records); idempotent."""
    from coordination.jobs.seed import load_seed

    report = load_seed(db.session, progress=None if quiet else progress("Seeding"))
    click.echo(f"Seeded: {report['organisations']} organisations, {report['created']} initiatives created, "
               f"{report['existing']} already present, {report['skipped']} skipped.")


def _refuse_taken_port(host: str, port: int) -> None:
    """Exit with a clear message when nothing can listen on host:port."""
    import socket

    try:
        with socket.create_server((host, port)):
            pass
    except OSError as err:
        click.secho(f"Error: cannot serve on {host}:{port} ({err.strerror or err}). "
                    f"Is another server running there? Try --port {port + 1}.", fg="red", err=True)
        sys.exit(2)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Set up and seed, then exit.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Init + seed + serve: the whole platform with demo data on one machine."""
    from coordination.jobs.seed import load_seed

    if not no_serve:
        _refuse_taken_port(host, port)  # before a minute of seeding, not after
    init_database()
    report = load_seed(db.session, progress=progress("Loading demo data"))
    click.echo(f"Demo data: {report['created'] + report['existing']} initiatives from "
               f"{report['organisations']} organisations.")
    # The serving threads have sessions of their own; this one must not keep a transaction
    # (on SQLite, the write lock) open while the server runs.
    db.session.remove()
    base = f"http://{host}:{port}"
    click.echo(f"\n  Goal map:     {base}/\n  REST API:     {base}/api/v1/initiatives"
               f"   (docs: {base}/api/v1/docs)\n  GraphQL:      {base}/graphql\n")
    if not no_serve:
        # Flask refuses app.run() inside its own CLI; serve with werkzeug directly.
        from werkzeug.serving import run_simple

        run_simple(host, port, current_app._get_current_object(), threaded=True)


@click.command("converge")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--scheduler", envvar="COORDINATION_DASK_SCHEDULER", default=None, metavar="ADDRESS",
              help="Run the batch partitioned by region on this Dask scheduler (tcp://host:8786); "
                   "needs the [distributed] extra. Same result as in this process.")
@with_appcontext
def converge_command(quiet: bool, scheduler: str | None) -> None:
    """Recompute every overlap (batch); decisions are kept, an interruption changes nothing."""
    from coordination.services.overlaps import recompute_all

    with unit_of_work() as uow:  # all of it, or (interrupted) nothing
        report = recompute_all(uow, progress=None if quiet else progress("Finding overlaps"), scheduler=scheduler)
        uow.commit()
    click.echo(f"{report['overlaps']} overlaps among {report['initiatives']} initiatives "
               f"({report['decided_kept']} decisions kept).")



COMMANDS = [init_command, seed_command, demo_command, converge_command]

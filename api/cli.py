"""The `coordination` command: set up, seed, serve and administer the platform.

Examples:
  coordination demo                      # init + seed + serve on http://127.0.0.1:5000
  coordination org create --name "Water Aid Kenya" --type 22 --country KE
  coordination token create --org water-aid-kenya --role member
"""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from coordination.errors import DomainError
from coordination.permissions import SYSTEM
from coordination.services import organisations as org_service
from coordination.services import tokens as token_service
from coordination.vocab import ORGANISATION_TYPES

from . import create_app
from .extensions import db


def _fail(err: DomainError) -> None:
    """Print a domain error the way a person can act on, and exit non-zero."""
    click.secho(f"Error: {err.message}", fg="red", err=True)
    for field, messages in err.fields.items():
        click.echo(f"  {field}: {'; '.join(messages)}", err=True)
    sys.exit(2)


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=True,
             context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Coordinate initiatives across organisations: register, map, find overlaps.

    The database is DATABASE_URL (default: an SQLite file in ./instance).
    Start with `coordination demo`, then open http://127.0.0.1:5000/.
    """


def init_database() -> None:
    """Create or migrate the schema and load the SDG vision (idempotent)."""
    from flask_migrate import upgrade

    from coordination.services.visions import ensure_sdg_vision

    upgrade(directory=current_app.extensions["migrate"].directory)
    ensure_sdg_vision(db.session)
    db.session.commit()


@main.command("init")
@with_appcontext
def init_command() -> None:
    """Create or migrate the database schema and load the SDG vision."""
    init_database()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


@main.command("seed")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@with_appcontext
def seed_command(quiet: bool) -> None:
    """Load the demo data in seed_data/ (real-derived IATI and 3W records); idempotent."""
    from coordination.services.seed import load_seed

    report = load_seed(db.session, progress=None if quiet else _progress("Seeding"))
    click.echo(f"Seeded: {report['organisations']} organisations, {report['created']} initiatives created, "
               f"{report['existing']} already present, {report['skipped']} skipped.")


def _progress(label: str):
    """A click progress bar driven by callback(done, total)."""
    state: dict = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
            state["done"] = 0
        state["bar"].update(done - state["done"])
        state["done"] = done
        if done >= total:
            state["bar"].__exit__(None, None, None)
    return update


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


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Set up and seed, then exit.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Init + seed + serve: the whole platform with demo data on one machine."""
    from coordination.services.seed import load_seed

    if not no_serve:
        _refuse_taken_port(host, port)  # before a minute of seeding, not after
    init_database()
    report = load_seed(db.session, progress=_progress("Loading demo data"))
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


@main.group("org")
def org_group() -> None:
    """Manage organisations."""


@org_group.command("create")
@click.option("--name", required=True, help="Organisation name.")
@click.option("--type", "type_", type=click.Choice(sorted(ORGANISATION_TYPES)), default=None,
              help="IATI OrganisationType: 10 government, 21 international NGO, 22 national NGO, "
                   "40 multilateral, 60 foundation, ...")
@click.option("--country", default=None, help="ISO 3166-1 alpha-2 code, e.g. KE.")
@click.option("--identifier", default=None, help="Org-id style identifier, e.g. GB-CHC-202918.")
@with_appcontext
def org_create(name: str, type_: str | None, country: str | None, identifier: str | None) -> None:
    """Create a verified organisation; prints its slug."""
    try:
        org = org_service.create_organisation(
            db.session, SYSTEM, {"name": name, "type": type_, "country": country, "org_identifier": identifier},
            verified=True)
    except DomainError as err:
        _fail(err)
    click.echo(org.slug)


@main.group("user")
def user_group() -> None:
    """Manage the people who sign in to the web pages."""


@user_group.command("create")
@click.option("--org", "org_slug", default=None, help="Organisation slug (from `org create`); not for coordinators.")
@click.option("--email", required=True, help="The person's e-mail address: their sign-in name.")
@click.option("--role", type=click.Choice(["admin", "member", "coordinator"]), default="admin", show_default=True,
              help="admin|member of --org, or coordinator (platform-wide, without --org).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="At least 10 characters (asked for when not given).")
@with_appcontext
def user_create(org_slug: str | None, email: str, role: str, password: str) -> None:
    """Give an organisation's member or admin, or a coordinator, a web sign-in (at /signin)."""
    from coordination.services.accounts import add_coordinator, add_member

    if (role == "coordinator") == bool(org_slug):
        _fail(DomainError("A coordinator belongs to no organisation: leave out --org." if org_slug
                          else "Name the organisation with --org (or use --role coordinator)."))
    try:
        if role == "coordinator":
            user = add_coordinator(db.session, SYSTEM, {"email": email, "password": password})
            click.echo(f"{user.email} can now sign in at /signin as a coordinator of the whole platform.")
            return
        org = org_service.get_organisation(db.session, org_slug)
        user = add_member(db.session, SYSTEM, org, {"email": email, "password": password, "role": role})
    except DomainError as err:
        _fail(err)
    click.echo(f"{user.email} can now sign in at /signin as {role} of {org.name}.")


@main.group("token")
def token_group() -> None:
    """Manage API tokens."""


@token_group.command("create")
@click.option("--org", "org_slug", default=None, help="Organisation slug (omit for a platform-wide token).")
@click.option("--role", required=True, type=click.Choice(["member", "admin", "coordinator"]),
              help="member|admin with --org; coordinator|admin without (platform-wide).")
@click.option("--label", default="", help="What the token is for.")
@with_appcontext
def token_create(org_slug: str | None, role: str, label: str) -> None:
    """Create an API token; the token is printed once, alone on the last line."""
    try:
        org = org_service.get_organisation(db.session, org_slug) if org_slug else None
        token, plaintext = token_service.create_token(db.session, SYSTEM, role, org, label)
    except DomainError as err:
        _fail(err)
    scope = f"organisation {org.slug}" if org else "the whole platform"
    click.echo(f"Created {token.role} token {token.prefix}… for {scope}. Store it now; it is not shown again:")
    click.echo(plaintext)


@token_group.command("revoke")
@click.argument("prefix")
@with_appcontext
def token_revoke(prefix: str) -> None:
    """Revoke the token whose printed prefix is PREFIX."""
    from sqlalchemy import select

    from coordination.models import ApiToken
    token = db.session.scalar(select(ApiToken).where(ApiToken.prefix == prefix))
    if token is None:
        click.secho(f"Error: no token with prefix {prefix!r}", fg="red", err=True)
        sys.exit(2)
    token_service.revoke_token(db.session, SYSTEM, token.id)
    click.echo(f"Revoked {prefix}.")


from . import cli_data  # noqa: E402,F401  (registers import/export commands)


@main.command("converge")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--scheduler", envvar="COORDINATION_DASK_SCHEDULER", default=None, metavar="ADDRESS",
              help="Run the batch partitioned by region on this Dask scheduler (tcp://host:8786); "
                   "needs the [distributed] extra. Same result as in this process.")
@with_appcontext
def converge_command(quiet: bool, scheduler: str | None) -> None:
    """Recompute every overlap (batch); decisions are kept, an interruption changes nothing."""
    from coordination.services.overlaps import recompute_all

    report = recompute_all(db.session, progress=None if quiet else _progress("Finding overlaps"),
                           scheduler=scheduler)
    click.echo(f"{report['overlaps']} overlaps among {report['initiatives']} initiatives "
               f"({report['decided_kept']} decisions kept).")


def register_cli(app) -> None:
    """Expose the platform's commands on `app.cli` too (flask's runner, tests)."""
    for name, command in main.commands.items():
        if name not in app.cli.commands:
            app.cli.add_command(command, name)


from . import cli_notify  # noqa: E402,F401  (registers deliver and digest commands)
from . import cli_ops  # noqa: E402,F401  (registers backup/restore commands)
from . import cli_orgs  # noqa: E402,F401  (registers org merge/unmerge)

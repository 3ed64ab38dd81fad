"""CLI: organisations and who acts for them — `org create|merge|unmerge`, `user create`, `token create|revoke`."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from coordination.errors import DomainError
from coordination.permissions import SYSTEM
from coordination.services import organisations as org_service
from coordination.services import tokens as token_service
from coordination.vocab import ORGANISATION_TYPES

from .cli_common import fail, unit_of_work
from .extensions import db


@click.group("org")
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
        with unit_of_work() as uow:
            org = org_service.create_organisation(
                uow.session, SYSTEM, {"name": name, "type": type_, "country": country, "org_identifier": identifier},
                verified=True)
            uow.commit()
    except DomainError as err:
        fail(err)
    click.echo(org.slug)


@click.group("user")
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
        fail(DomainError("A coordinator belongs to no organisation: leave out --org." if org_slug
                         else "Name the organisation with --org (or use --role coordinator)."))
    try:
        with unit_of_work() as uow:
            if role == "coordinator":
                user = add_coordinator(uow.session, SYSTEM, {"email": email, "password": password})
                uow.commit()
                click.echo(f"{user.email} can now sign in at /signin as a coordinator of the whole platform.")
                return
            org = org_service.get_organisation(uow.session, org_slug)
            user = add_member(uow.session, SYSTEM, org, {"email": email, "password": password, "role": role})
            uow.commit()
    except DomainError as err:
        fail(err)
    click.echo(f"{user.email} can now sign in at /signin as {role} of {org.name}.")


@click.group("token")
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
        with unit_of_work() as uow:
            org = org_service.get_organisation(uow.session, org_slug) if org_slug else None
            token, plaintext = token_service.create_token(uow.session, SYSTEM, role, org, label)
            uow.commit()
    except DomainError as err:
        fail(err)
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
    with unit_of_work() as uow:
        token_service.revoke_token(uow.session, SYSTEM, token.id)
        uow.commit()
    click.echo(f"Revoked {prefix}.")


def _moved(summary: dict) -> str:
    return ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in summary["moved"].items() if n) or "nothing"


@org_group.command("merge")
@click.argument("survivor")
@click.argument("absorbed")
@click.option("--reason", default="", help="Why: kept in the merge history.")
@click.option("--share-access", is_flag=True,
              help="Accept that people of one record will read the other's private initiatives.")
@with_appcontext
def merge_command(survivor: str, absorbed: str, reason: str, share_access: bool) -> None:
    """Merge the ABSORBED record (a slug) into SURVIVOR; ABSORBED stays as a redirect."""
    from coordination.services.org_merge import merge_organisations, merge_summary

    try:
        with unit_of_work() as uow:
            merge = merge_organisations(uow, SYSTEM, survivor, absorbed, reason, share_access=share_access)
            uow.commit()
    except DomainError as err:
        fail(err)
    summary = merge_summary(db.session, merge)
    click.echo(f"Merged {absorbed} into {survivor} (merge {merge.id}): moved {_moved(summary)}.")


@org_group.command("unmerge")
@click.argument("absorbed")
@click.option("--reason", default="", help="Why: kept in the merge history.")
@with_appcontext
def unmerge_command(absorbed: str, reason: str) -> None:
    """Undo the merge of ABSORBED: what the merge moved goes back to it."""
    from coordination.services.org_merge import merge_summary, unmerge_organisation

    try:
        with unit_of_work() as uow:
            merge = unmerge_organisation(uow, SYSTEM, absorbed, reason)
            uow.commit()
    except DomainError as err:
        fail(err)
    summary = merge_summary(db.session, merge)
    click.echo(f"Unmerged {absorbed} from {summary['survivor']}: moved back {_moved(summary)}.")


COMMANDS = [org_group, user_group, token_group]

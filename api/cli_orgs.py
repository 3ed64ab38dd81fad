"""CLI: `coordination org merge SURVIVOR ABSORBED` and `coordination org unmerge ABSORBED` (as the system),
beside `org create` in the `org` group of api/cli.py."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from coordination.errors import DomainError
from coordination.permissions import SYSTEM

from .cli import _fail, org_group
from .extensions import db


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
        merge = merge_organisations(db.session, SYSTEM, survivor, absorbed, reason, share_access=share_access)
    except DomainError as err:
        _fail(err)
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
        merge = unmerge_organisation(db.session, SYSTEM, absorbed, reason)
    except DomainError as err:
        _fail(err)
    summary = merge_summary(db.session, merge)
    click.echo(f"Unmerged {absorbed} from {summary['survivor']}: moved back {_moved(summary)}.")

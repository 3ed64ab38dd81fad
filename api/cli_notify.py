"""CLI: `coordination deliver` (the webhook worker) and `coordination digest` (e-mail digests)."""
from __future__ import annotations

import os
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from .extensions import db


@click.command("deliver")
@click.option("--loop", is_flag=True, help="Keep running, polling for due deliveries.")
@click.option("--interval", default=10.0, show_default=True, type=float, help="Seconds between polls with --loop.")
@click.option("--timeout", default=5.0, show_default=True, type=float, help="Seconds to wait for a receiver.")
@with_appcontext
def deliver_command(loop: bool, interval: float, timeout: float) -> None:
    """Send due webhook deliveries once (or forever with --loop); retries back off, then fail."""
    from coordination.jobs.delivery import deliver_due
    from coordination.services.webhook_hosts import private_allowed

    allow_private = private_allowed(current_app.config)
    while True:
        while True:  # drain everything due before sleeping
            counts = deliver_due(db.session, timeout=timeout, allow_private=allow_private)
            if sum(counts.values()):
                click.echo(f"{counts['delivered']} delivered, {counts['retrying']} to retry, "
                           f"{counts['failed']} failed.")
            if sum(counts.values()) < 100:
                break
        if not loop:
            return
        time.sleep(interval)


@click.command("digest")
@click.option("--base-url", default=None,
              help="Public address of the platform for links (default PUBLIC_BASE_URL or http://127.0.0.1:5000).")
@with_appcontext
def digest_command(base_url: str | None) -> None:
    """E-mail each organisation its unread overlap notices since its last digest (needs SMTP_HOST)."""
    from coordination.jobs.digests import send_digests
    from coordination.services.digest import smtp_settings

    settings = smtp_settings(current_app.config)
    if settings is None:
        click.secho("Error: SMTP is not configured (set SMTP_HOST, SMTP_PORT and SMTP_FROM).", fg="red", err=True)
        sys.exit(2)
    base = (base_url or current_app.config.get("PUBLIC_BASE_URL") or os.environ.get("PUBLIC_BASE_URL")
            or "http://127.0.0.1:5000")
    report = send_digests(db.session, settings, base)
    click.echo(f"{report['sent']} digests sent ({report['notices']} notices); "
               f"nothing new for {report['nothing_new']} organisation(s).")
    for slug, error in report["errors"].items():
        click.secho(f"  {slug}: not sent — {error}", fg="red", err=True)
    if report["errors"]:
        sys.exit(1)


COMMANDS = [deliver_command, digest_command]

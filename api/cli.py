"""The `coordination` command: set up, seed, serve and administer the platform.

Examples:
  coordination demo                      # init + seed + serve on http://127.0.0.1:5000
  coordination org create --name "Water Aid Kenya" --type 22 --country KE
  coordination token create --org water-aid-kenya --role member

The command group is composed here, once, from the area modules (cli_setup, cli_orgs,
cli_data, cli_notify, cli_ops); they define their commands and never import this module.
"""
from __future__ import annotations

import click
from flask.cli import FlaskGroup

from . import cli_data, cli_notify, cli_ops, cli_orgs, cli_setup, create_app

AREAS = (cli_setup, cli_orgs, cli_data, cli_notify, cli_ops)


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=True,
             context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Coordinate initiatives across organisations: register, map, find overlaps.

    The database is DATABASE_URL (default: an SQLite file in ./instance).
    Start with `coordination demo`, then open http://127.0.0.1:5000/.
    """


for _area in AREAS:
    for _command in _area.COMMANDS:
        main.add_command(_command)


def register_cli(app) -> None:
    """Expose the platform's commands on `app.cli` too (flask's runner, tests)."""
    for name, command in main.commands.items():
        if name not in app.cli.commands:
            app.cli.add_command(command, name)

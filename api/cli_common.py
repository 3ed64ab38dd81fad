"""What every CLI area shares: printing a domain error, a progress bar, and the command's unit of work."""
from __future__ import annotations

import sys

import click

from coordination.errors import DomainError
from coordination.unit_of_work import UnitOfWork

from .extensions import db


def fail(err: DomainError) -> None:
    """Print a domain error the way a person can act on, and exit non-zero."""
    click.secho(f"Error: {err.message}", fg="red", err=True)
    for field, messages in err.fields.items():
        click.echo(f"  {field}: {'; '.join(messages)}", err=True)
    sys.exit(2)


def progress(label: str):
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


def unit_of_work() -> UnitOfWork:
    """A command's unit of work on the app's session: `with unit_of_work() as uow: ...; uow.commit()`."""
    return UnitOfWork(db.session)

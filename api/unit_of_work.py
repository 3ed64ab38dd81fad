"""The doors' unit of work: one per request or command, on the app's database session.

A write handler opens it and commits when the work is done::

    with unit_of_work() as uow:
        initiative = service.register_initiative(uow, actor, data)
        uow.commit()

Within a request every call returns the same unit, so a wrapper that opened it first (the
idempotency wrapper, which stores the response in the same commit) joins the handler's work
into its own transaction; see `coordination.unit_of_work`.
"""
from __future__ import annotations

from flask import g

from coordination.unit_of_work import UnitOfWork

from .extensions import db


def unit_of_work() -> UnitOfWork:
    """The unit of work of this request (or CLI command) on `db.session`."""
    uow = g.get("unit_of_work")
    if uow is None or uow.session is not db.session:
        uow = g.unit_of_work = UnitOfWork(db.session)
    return uow

"""An initiative's status: the one its organisation gave, else the one its dates imply today.

A status worked out from the dates is computed on every read, never stored: dates pass with
time, and a stored "implementation" would still say so a year after the end date. So an
initiative registered without a status reads as pipeline before its start, implementation
between start and end, and closed after its end (IATI ActivityStatus 1, 2, 4), on the pages,
in the API, in the exports and in the status filter alike. A status the organisation chose
always wins.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import ColumnElement

from . import vocab
from .models import Initiative


def today() -> date:
    """The platform's today (UTC), the day dates are compared against."""
    return datetime.now(UTC).date()


def effective_status(code: int | None, start: date | None, end: date | None,
                     on: date | None = None) -> tuple[str | None, bool]:
    """(status name, worked out from the dates?): the given status, else the dates' one on `on`."""
    if code:
        return vocab.STATUS_NAMES.get(code), False
    on = on or today()
    derived = vocab.status_from_dates(start.isoformat() if start else None, end.isoformat() if end else None,
                                      on.isoformat())
    return derived, derived is not None


def status_of(initiative: Initiative, on: date | None = None) -> tuple[str | None, bool]:
    """`effective_status` of an initiative."""
    return effective_status(initiative.status, initiative.start_date, initiative.end_date, on)


def status_clause(name: str, on: date | None = None) -> ColumnElement[bool]:
    """SQL condition: the initiative's effective status is `name` on `on` (a valid status name)."""
    on = on or today()
    given = Initiative.status == vocab.STATUS_CODES[name]
    start, end = Initiative.start_date, Initiative.end_date
    not_ended = or_(end.is_(None), end >= on)
    implied = {
        "closed": end < on,
        "pipeline": and_(not_ended, start > on),
        "implementation": and_(not_ended, or_(start.is_(None), start <= on),
                               or_(start.isnot(None), end.isnot(None))),
    }.get(name)
    if implied is None:
        return given
    return or_(given, and_(Initiative.status.is_(None), implied))

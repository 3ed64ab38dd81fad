"""Dates in 3W files: ISO, day-first ("15/01/2021", Excel in most locales) or month-first.

A numeric date such as 03/04/2021 is 3 April or 4 March. A file is read in one order, decided
by its own dates: if some date has a first number over 12 (25/03/2021) and none has a
second number over 12, the file is day-first; the other way round, month-first. A date that
only the order decides, in a file whose dates do not settle it, is not guessed: the row is
refused naming the row and the column.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from .cleaning import parse_date

_NUMERIC = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_WORDY = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%d-%b-%Y", "%d-%b-%y", "%B %Y", "%b %Y")
# One order beats the other when it has at least this many times more unambiguous dates.
_MAJORITY = 10


@dataclass(frozen=True, slots=True)
class DateOrder:
    """How a file writes numeric dates: "dmy", "mdy", or None (its dates do not say)."""

    order: str | None
    day_first: int = 0  # unambiguous day-first dates seen
    month_first: int = 0  # unambiguous month-first dates seen

    def why_undecided(self) -> str:
        """Why an ambiguous date cannot be read, for the refusal."""
        if self.day_first or self.month_first:
            return (f"the file's dates disagree ({self.day_first} read only day-first, "
                    f"{self.month_first} only month-first)")
        return "no date in the file has a day over 12 to tell the order"


def _parts(text: str) -> tuple[int, int, int] | None:
    match = _NUMERIC.match(text.strip())
    if match is None:
        return None
    first, _, second, year = match.groups()
    full = int(year) if len(year) == 4 else (2000 + int(year) if int(year) < 70 else 1900 + int(year))
    return int(first), int(second), full


def file_order(values: Iterable[str]) -> DateOrder:
    """The order the file's numeric dates are written in (see the module docstring)."""
    day_first = month_first = 0
    for value in values:
        parts = _parts(value)
        if parts is None:
            continue
        first, second, _ = parts
        day_first += first > 12 >= second
        month_first += second > 12 >= first
    if day_first and not month_first or day_first >= _MAJORITY * max(month_first, 1) and month_first:
        return DateOrder("dmy", day_first, month_first)
    if month_first and not day_first or month_first >= _MAJORITY * max(day_first, 1) and day_first:
        return DateOrder("mdy", day_first, month_first)
    return DateOrder(None, day_first, month_first)


def read_date(value: str, order: DateOrder) -> tuple[str | None, bool]:
    """(YYYY-MM-DD or None, ambiguous): ambiguous when only an unknown order could read it."""
    text = value.strip()
    parts = _parts(text)
    if parts is None:
        return _other_date(text), False
    first, second, year = parts
    if first > 12 or second > 12 or first == second:
        day, month = (first, second) if first > 12 or first == second else (second, first)
    elif order.order == "dmy":
        day, month = first, second
    elif order.order == "mdy":
        day, month = second, first
    else:
        return None, True
    try:
        return date(year, month, day).isoformat(), False
    except ValueError:
        return None, False


def _other_date(text: str) -> str | None:
    """ISO dates and forms with month names ("1 March 2015", "Mar 2015")."""
    found = parse_date(text)
    if found:
        return found
    for fmt in _WORDY:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None

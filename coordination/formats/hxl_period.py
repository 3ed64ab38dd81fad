"""Reporting periods of 3W files: the months a file's undated rows describe.

A 3W ("who does what where") is a snapshot of one reporting period — OCHA Afghanistan
publishes one per quarter — and its rows carry no dates. Without the period, a row of
July 2021 and a row of January 2024 look simultaneous to the overlap engine. The period is
given at import (`parse_period("2024-01..2024-03")`) or read, conservatively, from the
file's name or its title rows ("…_january_march_2024.csv", "July to September 2021"):
two month names and a year, in that order, or a quarter ("Q1 2024"). Anything else is
not guessed. The period is applied to rows that have neither a start nor an end.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

MAX_MONTHS = 24  # a longer span is not a reporting period


@dataclass(frozen=True, slots=True)
class Period:
    """First and last day of a reporting period, and where it came from (for the report)."""

    start: date
    end: date
    source: str = "given at import"

    @property
    def label(self) -> str:
        """"2024-01..2024-03" (the form the CLI and the upload page accept)."""
        return f"{self.start:%Y-%m}..{self.end:%Y-%m}"

    def as_dict(self) -> dict[str, str]:
        """JSON-ready: start, end, label and source."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label,
                "source": self.source}


def _months(first_year: int, first_month: int, last_year: int, last_month: int, source: str) -> Period | None:
    """The period from the first day of one month to the last day of another; None when backwards or too long."""
    span = (last_year - first_year) * 12 + last_month - first_month + 1
    if not 1 <= span <= MAX_MONTHS or not (1 <= first_month <= 12 and 1 <= last_month <= 12):
        return None
    last_day = calendar.monthrange(last_year, last_month)[1]
    return Period(date(first_year, first_month, 1), date(last_year, last_month, last_day), source)


_YEAR_MONTH = r"(\d{4})-(\d{1,2})"
_SPAN = re.compile(rf"^\s*{_YEAR_MONTH}(?:-(\d{{1,2}}))?\s*(?:\.\.|/)\s*{_YEAR_MONTH}(?:-(\d{{1,2}}))?\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})-?q([1-4])\s*$", re.IGNORECASE)


def parse_period(text: str) -> Period:
    """A period written at import: "2024-01..2024-03", "2024-01-01..2024-03-31", "2024-Q1" or
    "2024-03" (one month). Raises ValueError saying what is accepted."""
    value = (text or "").strip()
    quarter = _QUARTER.match(value)
    if quarter:
        year, q = int(quarter[1]), int(quarter[2])
        found = _months(year, 3 * q - 2, year, 3 * q, "given at import")
    elif re.fullmatch(_YEAR_MONTH, value):
        year, month = (int(p) for p in value.split("-"))
        found = _months(year, month, year, month, "given at import")
    else:
        span = _SPAN.match(value)
        found = None
        if span:
            y1, m1, d1, y2, m2, d2 = span.groups()
            found = _months(int(y1), int(m1), int(y2), int(m2), "given at import")
            if found and (d1 or d2):
                try:
                    found = Period(date(int(y1), int(m1), int(d1 or 1)),
                                   date(int(y2), int(m2), int(d2) if d2 else found.end.day), found.source)
                except ValueError:
                    found = None
                if found and found.end < found.start:
                    found = None
    if found is None:
        raise ValueError(f"{value!r} is not a period: write 2024-01..2024-03 (first and last month, "
                         f"at most {MAX_MONTHS} months), 2024-01-01..2024-03-31 or 2024-Q1")
    return found


_MONTH_NAMES = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTH_NAMES["sept"] = 9
_MONTH = "(" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + ")"
_SEP = r"[\s_.\-]+"
# "january_march_2024", "July to September 2021", "jan-mar 2024": two month names then a year.
_NAMED = re.compile(rf"(?<![a-z]){_MONTH}(?:{_SEP}(?:to|until|through){_SEP}|{_SEP}){_MONTH}{_SEP}(\d{{4}})(?!\d)",
                    re.IGNORECASE)
# "q1_2024", "Q1 2024", "2024_q1".
_NAMED_QUARTER = re.compile(r"(?<![a-z0-9])(?:q([1-4])[\s_.\-]*(\d{4})|(\d{4})[\s_.\-]*q([1-4]))(?![a-z0-9])",
                            re.IGNORECASE)


def find_period(text: str, source: str) -> Period | None:
    """The one period `text` names (see the module docstring), or None when it names none or several."""
    found: set[Period] = set()
    for match in _NAMED.finditer(text):
        first, last, year = _MONTH_NAMES[match[1].lower()], _MONTH_NAMES[match[2].lower()], int(match[3])
        period = _months(year, first, year, last, source)
        if period:
            found.add(period)
    for match in _NAMED_QUARTER.finditer(text):
        q, year = (match[1], match[2]) if match[1] else (match[4], match[3])
        period = _months(int(year), 3 * int(q) - 2, int(year), 3 * int(q), source)
        if period:
            found.add(period)
    return found.pop() if len(found) == 1 else None


def period_of_file(name: str, title_rows: Iterable[list[str]]) -> Period | None:
    """The period a file's name names, else the one its title rows (above the headers) name."""
    named = find_period(name, f"file name {name!r}")
    if named:
        return named
    for row in title_rows:
        text = " ".join(cell.strip() for cell in row if cell.strip())
        titled = find_period(text, f"title row {text[:80]!r}") if text else None
        if titled:
            return titled
    return None


def period_sentence(period: dict | None) -> str:
    """The import report's line about the period (`import_file`'s report["period"])."""
    if not period:
        return "no reporting period: rows without dates stay undated (time unknown to the overlap engine)"
    rows = period.get("rows", 0)
    return (f"reporting period {period['start']} to {period['end']} ({period['source']}) given to "
            f"{rows} row{'s' if rows != 1 else ''} without dates")

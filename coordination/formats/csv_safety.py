"""Writing CSV rows as strings, with spreadsheet formula injection neutralised."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

# A text cell starting with these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "@", "\t", "\r")


def cell(value: Any) -> str:
    """Render one value as CSV text; formula-like text gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    text = str(value)
    if text.startswith(_FORMULA_START) or (text.startswith("-") and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    """Tell whether text parses as a number (a negative number is not a formula)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_line(values: Iterable[Any]) -> str:
    """Return one CSV line (CRLF-terminated, as RFC 4180 says)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([cell(v) for v in values])
    return buffer.getvalue()

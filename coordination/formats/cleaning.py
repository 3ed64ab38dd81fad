"""Text clean-up shared by importers: HTML stripping, whitespace, dates, numbers."""
from __future__ import annotations

import html
import math
import re
from datetime import date, datetime

_BLOCK_TAGS = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|/tr)\b[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^<>]{0,2000}>")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_SPACE_KINDS = "\t\r\f\v\u00a0"  # what _SPACES takes besides " "


def strip_html(text: str | None) -> str:
    """Return plain text: tags removed, entities decoded, paragraphs kept as line breaks.

    Some publishers escape their markup twice ("&amp;lt;p&amp;gt;"), so decoding and
    stripping run twice.
    """
    if not text:
        return ""
    for _ in range(2):
        if "<" not in text and "&" not in text:  # no tag, no entity: nothing to strip or decode
            break
        text = _BLOCK_TAGS.sub("\n", text)
        text = _TAGS.sub(" ", text)
        text = html.unescape(text)
    if "  " in text or any(c in text for c in _SPACE_KINDS):  # else each run is one " " already
        text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]  # _SPACES never takes a line break
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def squash(text: str | None) -> str:
    """Collapse all whitespace to single spaces."""
    return " ".join((text or "").split())


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y-%m")


def parse_date(value: str | None) -> str | None:
    """Return "YYYY-MM-DD" for an ISO or day-first date (3W files write dd/mm/yyyy)."""
    if not value:
        return None
    text = value.strip()[:19]
    if "T" in text:
        text = text.split("T", 1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text.split(" ", 1)[0], fmt).date().isoformat()
        except ValueError:
            continue
    return None


def parse_number(value: str | None) -> float | None:
    """Return a float for "1,234.5", "1 234" or "12.5"; None when it is not a number."""
    if value is None:
        return None
    text = value.strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text and len(text.rsplit(",", 1)[1]) != 3:
        text = text.replace(",", ".")  # decimal comma
    text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def is_iso_date(value: str | None) -> bool:
    """Tell whether value is a real "YYYY-MM-DD" date."""
    try:
        date.fromisoformat(value or "")
    except ValueError:
        return False
    return True

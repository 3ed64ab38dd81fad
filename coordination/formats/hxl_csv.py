"""Reading a 3W file's bytes as a table: its encoding, its delimiter and its hashtag row.

Files reach us from Excel ("CSV UTF-8" with a BOM and CRLF, or "CSV" in Windows-1252 with
semicolons in French and Spanish locales), from Google Sheets, from databases (tab
separated) and now and then in UTF-16 or UTF-32. The encoding is taken from the byte-order
mark, else from the pattern of NUL bytes, else UTF-8 when the bytes are valid UTF-8, else
Windows-1252. The delimiter is the one (comma, semicolon, tab, pipe) under which a hashtag
row is found; when none gives one, the refusal says what was read.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from .hxl_tags import MAX_HEADER_ROWS, find_hashtag_row, is_hashtag
from .items import ImportFileError

# (byte-order mark, codec, name to show); UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# Files that are not text at all, by their first bytes.
_BINARY = (
    (b"PK\x03\x04", "an Excel workbook or another ZIP file; save the sheet as \"CSV UTF-8\""),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls); save the sheet as \"CSV UTF-8\""),
    (b"%PDF", "a PDF document"),
)


@dataclass(frozen=True, slots=True)
class Table:
    """A decoded, split file: its rows, where the hashtag row is, and how it was read."""

    rows: list[list[str]]
    tag_index: int
    encoding: str
    delimiter: str

    @property
    def how(self) -> str:
        """"UTF-8, semicolon-separated": for messages."""
        return f"{self.encoding}, {DELIMITERS[self.delimiter]}-separated"


def decode(raw: bytes) -> tuple[str, str]:
    """Return (text, encoding name) for the bytes of a CSV file; see the module docstring."""
    for magic, what in _BINARY:
        if raw.startswith(magic):
            raise ImportFileError(f"not a CSV file: this is {what}")
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            return _strict(raw[len(bom):], codec, f"{label} (byte-order mark)"), label
    head = raw[:4]
    if len(head) == 4 and b"\x00" in head:
        codec, label = _wide_codec(head)
        if codec:
            return _strict(raw, codec, f"{label} without byte-order mark"), label
        raise ImportFileError("not a text file: NUL bytes found in the first bytes")
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "Latin-1"


def _wide_codec(head: bytes) -> tuple[str | None, str]:
    """UTF-16/32 without a BOM from where the NUL bytes of the first (ASCII) characters fall."""
    nul = [b == 0 for b in head]
    patterns = {
        (True, True, True, False): ("utf-32-be", "UTF-32"),
        (False, True, True, True): ("utf-32-le", "UTF-32"),
        (True, False, True, False): ("utf-16-be", "UTF-16"),
        (False, True, False, True): ("utf-16-le", "UTF-16"),
    }
    return patterns.get(tuple(nul), (None, ""))  # type: ignore[arg-type]


def _strict(raw: bytes, codec: str, what: str) -> str:
    """Decode strictly; a file that is not what its first bytes say is refused, saying so."""
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"the file starts as {what} but byte {exc.start} is not valid {codec.upper()}") from exc


def _rows(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_table(text: str, encoding: str = "UTF-8") -> Table:
    """Split the text with the delimiter that yields a hashtag row (see the module docstring).

    Among delimiters that give a hashtag row, the one whose row has the most hashtags wins
    (a comma inside "#org +name, #org +acronym" must not beat the file's semicolons).
    """
    best: tuple[int, int, str] | None = None  # (hashtags, -order, delimiter)
    for order, delimiter in enumerate(DELIMITERS):
        try:
            head = list(islice(_rows(text, delimiter), MAX_HEADER_ROWS))
        except csv.Error:
            continue
        index = find_hashtag_row(head)
        if index is None:
            continue
        score = (sum(is_hashtag(c) for c in head[index]), -order, delimiter)
        best = max(best, score) if best else score
    if best is None:
        raise ImportFileError(f"not HXL: no row of #hashtags found in the first {MAX_HEADER_ROWS} rows "
                              f"({_what_was_read(text, encoding)})")
    delimiter = best[2]
    try:
        rows = list(_rows(text, delimiter))
    except csv.Error as exc:
        raise ImportFileError(f"unreadable CSV: {exc}") from exc
    index = find_hashtag_row(rows[:MAX_HEADER_ROWS])
    assert index is not None
    return Table(rows, index, encoding, delimiter)


def _what_was_read(text: str, encoding: str) -> str:
    """What the file looked like, for a refusal: encoding, likeliest delimiter, first cells."""
    lines = [line for line in text.splitlines()[:MAX_HEADER_ROWS] if line.strip()]
    if not lines:
        return f"read as {encoding}: the file is empty"
    delimiter = max(DELIMITERS, key=lambda d: (sum(line.count(d) for line in lines), d == ","))
    first = next(_rows(lines[0], delimiter), [])
    cells = ", ".join(repr(c.strip()[:30]) for c in first[:6] if c.strip())
    more = f" and {len(first) - 6} more" if len(first) > 6 else ""
    hashes = sum(line.count("#") for line in lines)
    seen = f"{hashes} '#' characters, none in a row where at least half the cells are hashtags" if hashes \
        else "no '#' at all"
    return (f"read as {encoding}, {DELIMITERS[delimiter]}-separated, {len(lines)} non-empty rows; "
            f"the first row has {len(first)} cells: {cells}{more}; {seen}")

"""Import of HXL-tagged 3W/4W/5W CSV ("who does what where") into initiative records.

Grouping: in a 3W one row is one organisation's activity in one admin area. Rows are
grouped into one initiative per (organisation, activity code or sector + activity
name, country, admin-1); the group's admin-2 areas become its locations. So "UNICEF,
Education, Kabul province" with rows for five districts is one initiative with five
locations, while the same organisation's Health work in Kabul is another. Rows whose
activity code is an IATI-style identifier of their organisation (`activity_identifier`;
this platform's own exports write one on every row) are one initiative wherever they are,
and it becomes the initiative's IATI identifier.

Admin names and p-codes are resolved through the OCHA p-code table; `HxlStats` counts
how many admin areas resolved. Rows without an organisation or without any sector or
activity are yielded as problems and the others are kept. A file without a hashtag row
raises `ImportFileError` ("not HXL").
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..text import fold
from . import pcodes
from .hxl_csv import decode, read_table
from .hxl_dates import DateOrder, file_order, read_date
from .hxl_period import Period, period_of_file
from .hxl_records import RowGroup, activity_identifier, group_record
from .hxl_rows import RowValues, read_row
from .hxl_tags import columns_for, is_hashtag
from .items import ImportFileError, ImportItem, ImportProblem

Source = str | os.PathLike[str] | IO[bytes] | IO[str]
MAX_BYTES = 50 * 1024 * 1024


@dataclass(slots=True)
class HxlStats:
    """What an HXL import saw: rows, groups and how many admin areas were resolved."""

    rows: int = 0
    skipped_rows: int = 0
    initiatives: int = 0
    admin_areas: int = 0
    admin_areas_resolved: int = 0
    group_rows: list[int] = field(default_factory=list)  # rows in each record, in the order yielded
    period: Period | None = None  # the reporting period applied to undated rows
    period_rows: int = 0  # rows that took their dates from it

    @property
    def share_resolved(self) -> float:
        """Share of rows' admin areas matched to an OCHA p-code (0..1)."""
        return self.admin_areas_resolved / self.admin_areas if self.admin_areas else 0.0


def _read_text(source: Source) -> tuple[str, str, str]:
    """Return (decoded text, file name, encoding name); see `hxl_csv.decode`."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            raw: bytes | str = path.read_bytes()
        except OSError as exc:
            raise ImportFileError(f"cannot open {path.name}: {exc.strerror}") from exc
        name = path.name
    else:
        raw = source.read(MAX_BYTES + 1)
        name = Path(str(getattr(source, "name", "upload.csv"))).name
    if len(raw) > MAX_BYTES:
        raise ImportFileError("the file is larger than 50 MB")
    if isinstance(raw, str):
        return raw.lstrip("\ufeff"), name, "text"
    text, encoding = decode(raw)
    return text, name, encoding


def parse_hxl(
    source: Source,
    *,
    source_name: str | None = None,
    language: str | None = None,
    stats: HxlStats | None = None,
    period: Period | None = None,
) -> Iterator[ImportItem]:
    """Yield problems for unusable rows, then one record per initiative group.

    `language` overrides the language guessed from the headers ("es" for the Spanish
    345W files, otherwise "en"). Pass an `HxlStats` to learn the share of resolved areas.
    `period` is the file's reporting period, given to rows with neither start nor end; without
    it, the one the file's name or title rows name is used (`hxl_period.period_of_file`).
    """
    text, name, encoding = _read_text(source)
    name = source_name or name
    stats = stats if stats is not None else HxlStats()
    table = read_table(text, encoding)
    rows, tag_index = table.rows, table.tag_index
    header = rows[tag_index - 1] if tag_index > 0 else None
    columns, spanish = columns_for(rows[tag_index], header)
    if not any(c.tag == "org" for c in columns):
        found = ", ".join(c.strip() for c in rows[tag_index] if is_hashtag(c)) or "none"
        raise ImportFileError(f"the HXL file has no #org column (read as {table.how}; hashtags: {found})",
                              line=tag_index + 1)
    lang = language or ("es" if spanish else "en")
    stats.period = period = period or period_of_file(name, rows[:max(tag_index - 1, 0)])
    kept: list[tuple[int, RowValues]] = []
    for offset, row in enumerate(rows[tag_index + 1:]):
        line = tag_index + 2 + offset  # 1-based line of the row in the file
        if not any(cell.strip() for cell in row):
            continue
        stats.rows += 1
        values = read_row(row, columns)
        problem = _row_problem(values)
        if problem:
            stats.skipped_rows += 1
            yield ImportItem(problem=ImportProblem(f"row={line}", problem, line))
            continue
        values.area = _resolve(values, values.country)
        kept.append((line, values))
    order = file_order(raw for _, v in kept for _, raw, _ in v.dates)
    file_country = _file_country(v for _, v in kept)
    groups: dict[tuple[str, ...], RowGroup] = {}
    for line, values in kept:
        problem = _read_dates(values, order)
        if problem:
            stats.skipped_rows += 1
            yield ImportItem(problem=ImportProblem(f"row={line}", problem, line))
            continue
        if period and values.start is None and values.end is None:
            values.start, values.end = period.start.isoformat(), period.end.isoformat()
            stats.period_rows += 1
        area = values.area or {}
        if file_country and not area.get("country"):
            # Nothing in the row names its country: the file's one country does.
            values.area = area = _resolve(values, file_country)
        if values.adm1_name or values.adm1_code or values.adm2_name or values.adm2_code:
            stats.admin_areas += 1
            wanted = "admin2_code" if (values.adm2_name or values.adm2_code) else "admin1_code"
            stats.admin_areas_resolved += wanted in area
        key = _group_key(values)
        group = groups.setdefault(key, RowGroup(line))
        group.rows.append(values)
        group.lines.append(line)
    for group in groups.values():
        stats.initiatives += 1
        stats.group_rows.append(len(group.rows))
        record, warnings = group_record(group, name, lang)
        yield ImportItem(record=record, warnings=tuple(warnings))


def _read_dates(values: RowValues, order: DateOrder) -> str | None:
    """Set the row's start and end (the first readable of each); say why not when one is ambiguous."""
    for kind, raw, column in values.dates:
        if getattr(values, kind) is not None:
            continue
        found, ambiguous = read_date(raw, order)
        if ambiguous:
            spec = "#" + " +".join([column.tag, *sorted(column.attributes)])
            named = f"{column.header!r} ({spec})" if column.header else spec
            return (f"date {raw.strip()!r} in column {column.index + 1} {named} could be day-first or "
                    f"month-first, and {order.why_undecided()}; write it as YYYY-MM-DD")
        setattr(values, kind, found)
    return None


def _resolve(values: RowValues, country: str | None) -> dict[str, str]:
    """The row's admin area through the p-code table (see `pcodes.resolve`)."""
    return pcodes.resolve(country, values.adm1_name, values.adm1_code, values.adm2_name, values.adm2_code)


def _file_country(rows: Iterator[RowValues]) -> str | None:
    """The country of every row that names one, when they all name the same one."""
    countries = {(v.area or {}).get("country") or v.country for v in rows} - {None}
    return countries.pop() if len(countries) == 1 else None


def _row_problem(values: RowValues) -> str | None:
    """Why a row cannot become (part of) an initiative, if it cannot."""
    if not values.org_name:
        return "no organisation name (#org)"
    if not (values.sectors or values.activity_name or values.activity_code):
        return "no sector or activity (#sector, #activity)"
    return None


def _group_key(values: RowValues) -> tuple[str, ...]:
    """The initiative a row belongs to (see the module docstring); rows with an activity
    identifier (`activity_identifier`) are one initiative wherever they are."""
    identifier = activity_identifier(values)
    if identifier:
        return (fold(values.org_name or ""), "id", identifier)
    area = values.area or {}
    what = values.activity_code or "|".join(values.sectors) + "|" + (values.activity_name or "")
    where = area.get("admin1_code") or fold(area.get("admin1") or "")
    return (fold(values.org_name or ""), fold(what), area.get("country") or values.country or "", where)



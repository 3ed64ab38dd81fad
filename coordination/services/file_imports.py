"""Importing whole IATI and HXL files: all or nothing per file, a report per record.

A file that cannot be parsed to its end (truncated, hostile, not the format) leaves the
database as it was; inside a good file, bad records are skipped with their reasons and
the good ones kept. Records go through the same services as any other write.
"""
from __future__ import annotations

import mmap
import re
from collections import OrderedDict
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, Iterator

from ..errors import ValidationError
from ..formats import HxlStats, ImportFileError, parse_hxl, parse_iati
from ..formats.hxl_period import Period, parse_period
from ..permissions import SYSTEM, Actor
from .import_checks import Prepared, Preparer
from .imports import WRITE_BATCH, ImportReport, import_records
from .parse_ahead import FilesAhead, parsed_ahead

if TYPE_CHECKING:
    from ..unit_of_work import UnitOfWork


_ACTIVITY_TAG = re.compile(rb"<iati-activity[\s/>]")


def count_activities(path: Path) -> int:
    """Cheap count of <iati-activity> elements, for a progress bar's length."""
    with open(path, "rb") as f:
        if path.stat().st_size == 0:
            return 0
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            # Scan the mapping in place: slicing it would copy the whole file into memory.
            return sum(1 for _ in _ACTIVITY_TAG.finditer(data))


UNITS = {"iati": "activity", "hxl": "record"}
# An IATI file of this many activities or more is parsed in a second process
# (`parse_ahead`) while this one checks, writes and detects: below it, starting that
# process costs more than it saves.
PARSE_AHEAD_FROM = 2 * WRITE_BATCH
SHOWN_WARNINGS = 500  # warnings listed in a report (all are counted in "warned")


def _prepared(items: Iterator[Any], preparer: Preparer) -> Iterator[Prepared]:
    """`preparer(item)` of each item parsed in this process (closing it closes the parser)."""
    try:
        for item in items:
            yield preparer(item)
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()


def describe(entry: dict[str, Any], unit: str = "activity") -> str:
    """Where a problem or warning is: "activity 3 (line 42) FI-3-X", "activity 1 (line 7), no identifier".

    Every door (CLI, REST upload, upload page) names records with this text.
    """
    where = f"{unit} {entry['position']}" if entry.get("position") else unit
    if entry.get("line"):
        where += f" (line {entry['line']})"
    return f"{where} {entry['record']}" if entry.get("record") else f"{where}, no identifier"


def _period(kind: str, period: Period | str | None) -> Period | None:
    """The reporting period asked for, checked: written as `parse_period` reads it, for HXL files only."""
    if isinstance(period, str):
        try:
            period = parse_period(period) if period.strip() else None
        except ValueError as err:
            raise ValidationError("Invalid reporting period.", {"period": [str(err)]}) from None
    if period is not None and kind != "hxl":
        raise ValidationError("A reporting period is for 3W (HXL) files.",
                              {"period": ["IATI activities carry their own dates"]})
    return period


def files_ahead(kind: str, paths: list[Path], actor: Actor = SYSTEM,
                organisation: str | None = None) -> FilesAhead | None:
    """A parser process for a command's IATI files (`parse_ahead.FilesAhead`), to hand to
    `import_file` for each of them, with the same actor and organisation; None for HXL (a 3W
    file is read whole, and grouped, before its import starts).

    Start it before anything else: the gazetteer is loaded first so the parser shares it."""
    if kind != "iati" or not paths:
        return None
    preparer = Preparer(organisation, strict=actor.role != "system")
    preparer.warm()
    return FilesAhead(parse_iati, [(path, {"source_name": path.name}) for path in paths], prepare=preparer)


def import_file(uow: UnitOfWork, kind: str, source: Path | IO[bytes], actor: Actor = SYSTEM,
                organisation: str | None = None, progress: Callable[[int, int], None] | None = None,
                source_name: str | None = None, period: Period | str | None = None,
                stage: Callable[[str], None] | None = None, ahead: FilesAhead | None = None) -> dict[str, Any]:
    """Import one file of `kind` ("iati" or "hxl"); return the report as a dict.

    `organisation` (a slug) registers every record for that organisation — used when an
    organisation's admin uploads its own file. `period` (HXL only; a `Period` or its text, see
    `hxl_period.parse_period`) is the file's reporting period, given to rows without dates;
    without it the file's name or title may name one.
    The report's "period" says which was applied, where it came from and to how many rows.
    `stage(sentence)` is told what the import does once its records are read (the overlap
    detection, and reading the stored initiatives first in a process that has not yet), for
    a command to say while its progress bar stands at the end. `ahead` (`files_ahead`, made
    with the same actor and organisation): the process parsing a command's files, used when it
    holds this file.

    The report counts the records read ("records"), registered ("created"), known already
    ("existing"), kept with something shortened or dropped ("warned") and refused
    ("skipped"). Each problem and warning names the record's position in the file, its line
    when known, its identifier, and "where": all three in words (see `describe`).
    """
    if kind not in ("iati", "hxl"):
        raise ValidationError("Unknown format.", {"format": ["must be iati or hxl"]})
    period = _period(kind, period)
    stats = HxlStats()
    parse = parse_iati if kind == "iati" else partial(parse_hxl, stats=stats, period=period)
    unit = UNITS[kind]
    name = source_name or (source.name if isinstance(source, Path) else "upload")
    total = count_activities(source) if kind == "iati" and isinstance(source, Path) else 0
    parse_problems: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []  # the first SHOWN_WARNINGS; all are counted in `warned_at`
    warned_at: set[int] = set()
    # id(record) -> {"position", "line"} while it is imported; a streamed file keeps only the
    # records that may still be pending (memory stays flat), a 3W file is read whole anyway.
    places: OrderedDict[int, dict[str, Any]] = OrderedDict()
    keep_places = 4 * WRITE_BATCH if kind == "iati" else None
    read = 0

    # What each record's check gave where it was parsed (`import_checks`), by id(record), as `places`.
    checks: OrderedDict[int, dict[str, Any] | None] = OrderedDict()
    preparer = Preparer(organisation, strict=actor.role != "system")

    def records() -> Iterator[dict[str, Any]]:
        commanded = (ahead is not None and kind == "iati" and isinstance(source, Path) and ahead.holds(source)
                     and isinstance(ahead.prepare, Preparer) and ahead.prepare.organisation == organisation
                     and ahead.prepare.strict == preparer.strict and source_name in (None, source.name))
        separate = not commanded and kind == "iati" and isinstance(source, Path) and total >= PARSE_AHEAD_FROM
        if separate:
            preparer.warm()
        if commanded:
            stream = ahead.items(source)
        elif separate:
            stream = parsed_ahead(parse, source, prepare=preparer, source_name=name)
        else:
            stream = _prepared(parse(source, source_name=name), preparer)
        try:
            yield from _checked(stream)
        finally:
            stream.close()  # a parser process stops as soon as the import does

    def _checked(stream: Iterator[Prepared]) -> Iterator[dict[str, Any]]:
        nonlocal read
        for prepared in stream:
            item = prepared.item
            read += 1
            if item.problem is not None:
                parse_problems.append({"position": read, "line": item.problem.line, "record": item.problem.ref,
                                       "reason": item.problem.reason})
                continue
            record = item.record
            place = {"position": read, "line": getattr(item, "line", None)}
            notes = prepared.notes
            label = record.get("iati_identifier") or record.get("provenance") or None
            if notes:
                warned_at.add(read)
                warnings.extend({**place, "record": label, "reason": note}
                                for note in notes[:max(0, SHOWN_WARNINGS - len(warnings))])
            places[id(record)] = place
            checks[id(record)] = prepared.checked
            if keep_places is not None and len(places) > keep_places:
                places.popitem(last=False)
                checks.popitem(last=False)
            yield record

    reading = records()
    try:
        items: Iterator[dict[str, Any]] | list[dict[str, Any]] = reading
        if kind == "hxl":
            # A 3W file's rows are grouped into initiatives only once all are read: read them
            # all (3W files are thousands of rows), so the progress bar knows its length.
            items = list(items)
            total = len(items)
        report: ImportReport = import_records(uow, items, actor, progress=progress, total=total or None,
                                              locate=lambda record: places.get(id(record), {}),
                                              checked=lambda record: checks.get(id(record)), stage=stage)
    except ImportFileError as err:
        where = f" (line {err.line})" if getattr(err, "line", None) else ""
        raise ValidationError(f"{name}: {err.reason}{where}. Nothing was imported from this file.",
                              {"file": [f"{err.reason}{where}"]}) from None
    finally:
        reading.close()
    out = report.as_dict()
    problems = sorted(parse_problems + out["problems"], key=lambda p: p.get("position") or 0)
    skipped_at = {p.get("position") for p in problems}
    for entry in problems + warnings:
        entry["where"] = describe(entry, unit)
    out["records"] = read
    out["skipped"] += len(parse_problems)
    out["warned"] = len(warned_at - skipped_at)
    out["problems"] = problems
    out["file"] = name
    out["warnings"] = warnings
    if kind == "hxl":
        out["period"] = {**stats.period.as_dict(), "rows": stats.period_rows} if stats.period else None
    return out

"""Importing whole IATI and HXL files: all or nothing per file, a report per record.

A file that cannot be parsed to its end (truncated, hostile, not the format) leaves the
database as it was; inside a good file, bad records are skipped with their reasons and
the good ones kept. Records go through the same services as any other write.
"""
from __future__ import annotations

import mmap
import re
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..formats import ImportFileError, parse_hxl, parse_iati
from ..permissions import SYSTEM, Actor
from .imports import ImportReport, import_records


_ACTIVITY_TAG = re.compile(rb"<iati-activity[\s/>]")


def count_activities(path: Path) -> int:
    """Cheap count of <iati-activity> elements, for a progress bar's length."""
    with open(path, "rb") as f:
        if path.stat().st_size == 0:
            return 0
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            # Scan the mapping in place: slicing it would copy the whole file into memory.
            return sum(1 for _ in _ACTIVITY_TAG.finditer(data))


def import_file(session: Session, kind: str, source: Path | IO[bytes], actor: Actor = SYSTEM,
                organisation: str | None = None, progress: Callable[[int, int], None] | None = None,
                source_name: str | None = None) -> dict[str, Any]:
    """Import one file of `kind` ("iati" or "hxl"); return the report as a dict.

    `organisation` (a slug) registers every record for that organisation — used when an
    organisation's admin uploads its own file.
    """
    if kind not in ("iati", "hxl"):
        raise ValidationError("Unknown format.", {"format": ["must be iati or hxl"]})
    parse = parse_iati if kind == "iati" else parse_hxl
    name = source_name or (source.name if isinstance(source, Path) else "upload")
    total = count_activities(source) if kind == "iati" and isinstance(source, Path) else 0
    parse_problems: list[dict[str, Any]] = []
    warnings: list[str] = []

    def records() -> Iterator[dict[str, Any]]:
        for item in parse(source, source_name=name):
            warnings.extend(getattr(item, "warnings", None) or [])
            if item.problem is not None:
                parse_problems.append({"record": item.problem.ref, "reason": item.problem.reason,
                                       "line": item.problem.line})
                continue
            record = item.record
            if isinstance(record.get("budget"), (int, float)) and record["budget"] < 0:
                # Net de-obligations in real IATI files: keep the activity, not the budget.
                warnings.append(f"{record.get('iati_identifier')}: negative budget {record['budget']} dropped")
                record["budget"], record["currency"] = None, None
            if organisation:
                record["organisation"] = organisation
            yield record

    try:
        items: Iterator[dict[str, Any]] | list[dict[str, Any]] = records()
        if kind == "hxl":
            # A 3W file's rows are grouped into initiatives only once all are read: read them
            # all (3W files are thousands of rows), so the progress bar knows its length.
            items = list(items)
            total = len(items)
        report: ImportReport = import_records(session, items, actor, progress=progress,
                                              total=total or None, batch=None)
        session.commit()
    except ImportFileError as err:
        session.rollback()
        where = f" (line {err.line})" if getattr(err, "line", None) else ""
        raise ValidationError(f"{name}: {err.reason}{where}. Nothing was imported from this file.",
                              {"file": [f"{err.reason}{where}"]}) from None
    except Exception:
        session.rollback()
        raise
    out = report.as_dict()
    out["skipped"] += len(parse_problems)
    out["problems"] = parse_problems + out["problems"]
    out["file"] = name
    out["warnings"] = warnings[:200]
    return out

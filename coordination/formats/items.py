"""What importers yield: a record, or a problem with one record; and the fatal file error.

Importers are generators of `ImportItem`. A per-record problem (no identifier, no
title, an unreadable row) is yielded and the importer carries on with the next record.
A file that cannot be read at all (malformed or truncated XML, hostile XML, a CSV
without a hashtag row) raises `ImportFileError` after the items parsed so far.

The service imports **all or nothing per file**: it collects the items first (see
`collect`) and writes nothing when `ImportFileError` is raised, but can still show the
user which records were read before the break.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Why one record was skipped: `ref` names it (IATI identifier or "row=12")."""

    ref: str | None
    reason: str
    line: int | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return (ImportProblem, (self.ref, self.reason, self.line))  # as ImportItem's


@dataclass(frozen=True, slots=True)
class ImportItem:
    """Either a record in the common initiative-input shape, or a problem.

    `warnings` lists what was dropped from a kept record (an unknown SDG code, a
    budget in a second currency) so that the user can be told; `line` is where the
    record starts in the file, when the format knows it.
    """

    record: Record | None = None
    problem: ImportProblem | None = None
    warnings: tuple[str, ...] = field(default=())
    line: int | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt by its constructor: the dataclass's own state setter (a `fields()` walk per
        # object) costs more than the record it carries, for every item a parser process sends.
        return (ImportItem, (self.record, self.problem, self.warnings, self.line))

    @property
    def ok(self) -> bool:
        """Tell whether this item carries a record."""
        return self.record is not None


class ImportFileError(Exception):
    """The file as a whole cannot be imported (malformed, truncated, hostile, not HXL)."""

    def __init__(self, message: str, *, line: int | None = None, parsed_before: int = 0) -> None:
        super().__init__(message if line is None else f"{message} (line {line})")
        self.reason = message
        self.line = line
        self.parsed_before = parsed_before


@dataclass(slots=True)
class ImportResult:
    """Everything one file gave: the records, the skipped ones with reasons, warnings."""

    records: list[Record] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[tuple[str | None, str]] = field(default_factory=list)


def collect(items: Iterable[ImportItem]) -> ImportResult:
    """Drain an importer into an `ImportResult`; `ImportFileError` propagates unchanged."""
    result = ImportResult()
    for item in items:
        if item.record is not None:
            result.records.append(item.record)
            ref = item.record.get("iati_identifier") or item.record.get("provenance")
            result.warnings.extend((ref, w) for w in item.warnings)
        elif item.problem is not None:
            result.problems.append(item.problem)
    return result

"""Bulk registration of initiative records (seed data, IATI and HXL imports).

Every record goes through `register_initiative`, like a form or an API call, inside its
own savepoint of the caller's unit of work: a bad record is reported with its reason and the
good ones are kept.
Records are idempotent by IATI identifier (or provenance when there is none).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import DomainError
from ..models import Initiative
from ..permissions import SYSTEM, Actor
from .initiatives import register_initiative
from .organisations import find_organisation

if TYPE_CHECKING:
    from ..unit_of_work import UnitOfWork


@dataclass
class ImportReport:
    """What an import did, record by record."""

    created: int = 0
    existing: int = 0
    skipped: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)  # {"record", "reason", "fields"}

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {"created": self.created, "existing": self.existing, "skipped": self.skipped,
                "problems": self.problems}


def _owner_id(session: Session, actor: Actor, record: dict[str, Any]) -> int | None:
    """The organisation the record would be registered for, if it exists yet (nothing is created)."""
    ref = record.get("organisation")
    if ref is None:
        return actor.organisation_id
    org = find_organisation(session, ref if isinstance(ref, dict) else str(ref))
    return org.id if org is not None else None


def _known(session: Session, actor: Actor, record: dict[str, Any]) -> bool:
    """Whether the record's own organisation already has it (by IATI identifier, else provenance).

    Only that organisation's initiatives count: another organisation's record with the same
    identifier (perhaps a private one) is neither "existing" nor in the way.
    """
    key = ("iati_identifier" if record.get("iati_identifier") else
           "provenance" if record.get("provenance") else None)
    if key is None:
        return False
    owner = _owner_id(session, actor, record)
    if owner is None:
        return False
    return session.scalar(select(Initiative.id).where(
        Initiative.organisation_id == owner, getattr(Initiative, key) == record[key]).limit(1)) is not None


def import_records(uow: UnitOfWork, records: Iterable[dict[str, Any]], actor: Actor = SYSTEM,
                   progress: Callable[[int, int], None] | None = None, total: int | None = None,
                   locate: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
                   report: ImportReport | None = None) -> ImportReport:
    """Register each record that is not known yet, each in its own savepoint of the unit of work.

    A refused record is rolled back to its savepoint and reported; the others stay. Nothing is
    committed: the door commits the file (or, for a bulk load, each batch: see
    `coordination.jobs.seed`). `locate(record)` gives what places a refused record in its file
    ({"position", "line"}): it is added to the record's problem. Counts are added to `report`
    when one is given (a bulk load's batches share one).
    """
    report = report if report is not None else ImportReport()
    done = 0
    for record in records:
        label = record.get("iati_identifier") or record.get("provenance") or record.get("title", "?")
        try:
            if _known(uow.session, actor, record):
                report.existing += 1
            else:
                with uow.savepoint():
                    register_initiative(uow, actor, record)
                report.created += 1
        except DomainError as err:
            report.skipped += 1
            report.problems.append({**(locate(record) if locate else {}), "record": label,
                                    "reason": err.message, "fields": err.fields})
        done += 1
        if progress and total:
            progress(done, total)
    return report

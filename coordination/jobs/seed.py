"""Loading the demo data in seed_data/ (real-derived IATI and 3W records), batch by batch.

The seed owns several units of work: the organisations, then every `BATCH` records (each
record in its own savepoint: a bad one is reported and the batch kept), with overlap
detection off, then one recomputation of every overlap.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ..formats.generated_titles import title_looks_generated
from ..permissions import SYSTEM, Actor
from ..services.imports import ImportReport, import_records
from ..services.organisations import find_or_create_organisation
from ..services.overlaps import recompute_all
from ..services.visions import SEED_DIR, ensure_sdg_vision
from ..unit_of_work import UnitOfWork

BATCH = 200  # records per commit


def _read(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def import_in_batches(session: Session, records: list[dict[str, Any]], actor: Actor = SYSTEM,
                      progress: Callable[[int, int], None] | None = None, batch: int = BATCH) -> ImportReport:
    """Register the records `batch` at a time, one unit of work (one commit) per batch.

    Overlap detection is off: the caller recomputes every overlap once at the end.
    """
    report = ImportReport()
    for start in range(0, len(records), batch):
        def step(done: int, _total: int, offset: int = start) -> None:
            if progress:
                progress(offset + done, len(records))

        with UnitOfWork(session, detect_overlaps=False) as uow:
            import_records(uow, records[start:start + batch], actor, progress=step,
                           total=len(records), report=report)
            uow.commit()
    return report


def load_seed(session: Session, directory: Path | None = None,
              progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Load organisations and initiatives from seed_data/ (idempotent); return counts.

    "organisations" counts the organisations the entries resolved to, "organisation_entries"
    the entries as the seed writes them (one organisation may be written several ways).
    """
    directory = directory or SEED_DIR
    organisations = {o["key"]: o for o in _read(directory / "organisations.json")}
    slugs = {}
    with UnitOfWork(session) as uow:
        ensure_sdg_vision(session)
        for key, ref in organisations.items():
            slugs[key] = find_or_create_organisation(
                session, SYSTEM, {k: v for k, v in ref.items() if k != "key"}).slug
        uow.commit()

    def resolve(ref: dict[str, Any]) -> dict[str, Any] | str:
        # Known keys become slugs: one indexed lookup per record instead of a name search.
        if ref.get("key") in slugs:
            return slugs[ref["key"]]
        return {k: v for k, v in ref.items() if k != "key"}

    records = _read(directory / "initiatives.json")
    for record in records:
        record["organisation"] = resolve(record["organisation"])
        record.setdefault("title_generated", title_looks_generated(record))
        for partner in record.get("partners") or []:
            partner["organisation"] = resolve(partner["organisation"])
    report = import_in_batches(session, records, SYSTEM, progress=progress)
    overlaps = None
    if report.created:
        with UnitOfWork(session) as uow:
            overlaps = recompute_all(uow)
            uow.commit()
    # Entries written differently for one organisation resolve to one record (org_identity).
    return {"organisations": len(set(slugs.values())), "organisation_entries": len(organisations),
            **report.as_dict(),
            "overlaps": overlaps["overlaps"] if overlaps else None}

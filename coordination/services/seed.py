"""Loading the demo data in seed_data/ (real-derived IATI and 3W records)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from sqlalchemy.orm import Session

from ..formats.generated_titles import title_looks_generated
from ..permissions import SYSTEM
from .imports import import_records
from .initiatives import hooks_paused
from .overlaps import recompute_all
from .organisations import find_or_create_organisation
from .visions import SEED_DIR, ensure_sdg_vision


def _read(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def load_seed(session: Session, directory: Path | None = None,
              progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Load organisations and initiatives from seed_data/ (idempotent); return counts.

    "organisations" counts the organisations the entries resolved to, "organisation_entries"
    the entries as the seed writes them (one organisation may be written several ways).
    """
    directory = directory or SEED_DIR
    ensure_sdg_vision(session)
    organisations = {o["key"]: o for o in _read(directory / "organisations.json")}
    slugs = {}
    for key, ref in organisations.items():
        slugs[key] = find_or_create_organisation(
            session, SYSTEM, {k: v for k, v in ref.items() if k != "key"}).slug
    session.commit()

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
    with hooks_paused(session):
        report = import_records(session, records, SYSTEM, progress=progress, total=len(records), detect=False)
    overlaps = recompute_all(session) if report.created else None
    # Entries written differently for one organisation resolve to one record (org_identity).
    return {"organisations": len(set(slugs.values())), "organisation_entries": len(organisations),
            **report.as_dict(),
            "overlaps": overlaps["overlaps"] if overlaps else None}

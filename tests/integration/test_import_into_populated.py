"""An import into a platform that already holds initiatives finds what a full recomputation finds.

The new initiatives are compared with each other and with the index of those stored before
(`overlaps.detect_after_import`); the pairs among the stored ones are neither recomputed
nor read. These tests import real IATI activities into a database holding others (some of
them the same work by other organisations), on SQLite and PostgreSQL, and check the stored
pairs and notices against a recomputation of everything, the process's index afterwards
against one built from scratch, and that a rolled-back import leaves the index alone.
"""
from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coordination.models import Initiative, Overlap, OverlapNotice
from coordination.permissions import SYSTEM
from coordination.services import overlap_index
from coordination.services.imports import import_records
from coordination.services.stored_records import live_records
from coordination.unit_of_work import UnitOfWork

from ..factories import in_unit_of_work, recompute
from .test_bulk_equivalence import _records

REAL = Path(__file__).resolve().parents[1] / "data" / "real" / "iati"


def _copies(records: list[dict], publisher: str, count: int) -> list[dict]:
    """The first `count` records again, published by another organisation under its own identifiers."""
    out = []
    for record in copy.deepcopy(records[:count]):
        record["iati_identifier"] = f"{publisher}-{record['iati_identifier']}"
        record["organisation"] = {"name": f"{publisher} Relief", "org_identifier": publisher}
        record.pop("related_identifiers", None)
        out.append(record)
    return out


def _pairs(session) -> set:
    return set(session.execute(select(Overlap.initiative_a_id, Overlap.initiative_b_id, Overlap.score,
                                      Overlap.kind, Overlap.active)).all())


def _notices(session) -> set:
    return set(session.execute(select(OverlapNotice.organisation_id, Overlap.initiative_a_id,
                                      Overlap.initiative_b_id).join(Overlap)).all())


def test_an_import_into_a_populated_platform_stores_the_pairs_of_a_full_recomputation(session):
    first = _records("iati", REAL / "dportal_117_excerpt.xml")
    in_unit_of_work(session, import_records, first, SYSTEM)
    in_unit_of_work(session, import_records, _records("iati", REAL / "covid_input_dportal_excerpt.xml"), SYSTEM)
    stored_before = _pairs(session)
    later = _copies(first, "XM-TEST-77", len(first))
    report = in_unit_of_work(session, import_records, later, SYSTEM)
    assert report.created == len(later)
    after_import, notices = _pairs(session), _notices(session)
    new_ids = set(session.scalars(select(Initiative.id).order_by(Initiative.id.desc()).limit(len(later))))
    touching = {p for p in after_import if p[0] in new_ids or p[1] in new_ids}
    assert touching, "the copies must overlap the stored originals for this test to mean anything"
    assert after_import == stored_before | touching  # the stored pairs were left as they were
    recompute(session)
    assert _pairs(session) == after_import
    assert _notices(session) == notices


def test_the_index_after_an_import_answers_as_one_built_from_scratch(session):
    first = _records("iati", REAL / "dportal_117_excerpt.xml")
    in_unit_of_work(session, import_records, first[:12], SYSTEM)
    overlap_index.current_index(session)  # the process's index, as a server holds it
    session.commit()
    in_unit_of_work(session, import_records, _copies(first, "XM-TEST-78", 12), SYSTEM)
    kept = overlap_index.current_index(session)
    session.commit()
    fresh = overlap_index.build_index(session).index
    assert len(kept) == len(fresh) == session.scalar(select(func.count(Initiative.id)))
    probes = list(live_records(session))[:20]
    for record in probes:
        probe = replace(record, id=10**6 + record.id, organisation_id=10**6)
        assert kept.find_overlaps(probe) == fresh.find_overlaps(probe)


def test_a_rolled_back_import_leaves_the_index_as_it_was(session):
    first = _records("iati", REAL / "dportal_117_excerpt.xml")
    in_unit_of_work(session, import_records, first[:12], SYSTEM)
    index = overlap_index.current_index(session)
    session.commit()
    size = len(index)
    with UnitOfWork(session) as uow:
        import_records(uow, _copies(first, "XM-TEST-79", 12), SYSTEM)
        uow.rollback()
    assert len(index) == size
    assert overlap_index.current_index(session) is index and len(index) == size  # still valid
    session.commit()
    in_unit_of_work(session, import_records, _copies(first, "XM-TEST-79", 12), SYSTEM)
    kept = overlap_index.current_index(session)
    session.commit()
    assert kept is index and len(kept) == size + 12


@pytest.mark.parametrize("share", [1, 20])
def test_small_and_large_imports_take_the_same_path_and_agree(session, share):
    """An import of a twentieth of the platform or less once went one record at a time."""
    first = _records("iati", REAL / "dportal_117_excerpt.xml")
    in_unit_of_work(session, import_records, first, SYSTEM)
    count = max(1, len(first) // share)
    in_unit_of_work(session, import_records, _copies(first, "XM-TEST-80", count), SYSTEM)
    after_import = _pairs(session)
    recompute(session)
    assert _pairs(session) == after_import

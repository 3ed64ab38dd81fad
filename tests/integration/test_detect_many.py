"""Many initiatives changed at once (a merge) have their overlaps refreshed together
(`UnitOfWork.after_writes`, `overlaps.detect_for_many`), and what is stored is what a full
recomputation stores: pairs found anew, pairs kept with new scores, pairs gone inactive
(an initiative withdrawn among them), their notices; the process's index afterwards answers
as one built from scratch. On SQLite and PostgreSQL, with real IATI activities.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, update

from coordination.models import Initiative, Overlap, utcnow
from coordination.permissions import SYSTEM
from coordination.services import overlap_index
from coordination.services.imports import import_records
from coordination.unit_of_work import UnitOfWork

from ..factories import in_unit_of_work, recompute
from .test_bulk_equivalence import _records
from .test_import_into_populated import _copies, _notices
from .test_index_snapshots import _assert_as_built

REAL = Path(__file__).resolve().parents[1] / "data" / "real" / "iati"


def _pairs(session) -> set:
    return set(session.execute(select(Overlap.initiative_a_id, Overlap.initiative_b_id, Overlap.score,
                                      Overlap.kind, Overlap.active, Overlap.explanation)).all())


def test_many_changed_at_once_store_what_a_recomputation_stores(session):
    first = _records("iati", REAL / "dportal_117_excerpt.xml")
    in_unit_of_work(session, import_records, first[:20], SYSTEM)
    in_unit_of_work(session, import_records, _copies(first, "XM-TEST-95", 20), SYSTEM)
    overlap_index.current_index(session)  # the process's index, as a server holds it
    session.commit()
    before = _pairs(session)
    ids = list(session.scalars(select(Initiative.id).order_by(Initiative.id)))
    copies, originals = ids[20:], ids[:20]
    assert any(a in originals and b in copies for a, b, *_ in before), "copies must overlap their originals"

    with UnitOfWork(session) as uow:
        # Rewritten as other work: their pairs with the originals go; one copy is withdrawn;
        # one original is rewritten as another original's twin: a pair is found anew.
        session.execute(update(Initiative).where(Initiative.id.in_(copies[:6])).values(
            title="Teacher training in secondary schools", description="Training secondary school teachers "
            "in mathematics and science teaching methods.", version=Initiative.version + 1))
        session.execute(update(Initiative).where(Initiative.id == copies[6]).values(withdrawn_at=utcnow()))
        twin = session.get(Initiative, originals[1])
        session.execute(update(Initiative).where(Initiative.id == originals[0]).values(
            title=twin.title, description=twin.description))
        session.expire_all()
        uow.after_writes(list(session.scalars(select(Initiative).where(
            Initiative.id.in_([*copies[:7], originals[0]])))))
        uow.commit()
    batch, notices = _pairs(session), _notices(session)
    assert batch != before
    assert {(a, b) for a, b, _, _, active, _ in batch if active and copies[6] in (a, b)} == set()

    kept = overlap_index.current_index(session)
    session.commit()
    assert copies[6] not in kept
    _assert_as_built(session, kept)

    recompute(session)
    assert _pairs(session) == batch
    assert _notices(session) == notices


def test_a_rolled_back_batch_leaves_no_trace_in_the_index(session):
    first = _records("iati", REAL / "dportal_117_excerpt.xml")
    in_unit_of_work(session, import_records, first[:12], SYSTEM)
    index = overlap_index.current_index(session)
    session.commit()
    ids = list(session.scalars(select(Initiative.id).order_by(Initiative.id)))
    with UnitOfWork(session) as uow:
        session.execute(update(Initiative).where(Initiative.id.in_(ids[:3])).values(withdrawn_at=utcnow()))
        session.expire_all()
        uow.after_writes(list(session.scalars(select(Initiative).where(Initiative.id.in_(ids[:3])))))
        assert ids[0] not in index
        uow.rollback()
    rebuilt = overlap_index.current_index(session)
    session.commit()
    assert rebuilt is not index and all(i in rebuilt for i in ids)

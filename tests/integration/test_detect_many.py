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


def test_pairs_refreshed_in_bulk_hold_what_the_engine_finds_and_the_loaded_rows_too(session):
    """Copies reworded: their pairs with the originals stay, with new scores and sentences.
    Each stored active pair then holds the engine's own finding on the stored initiatives
    (score, components, sentence); before the commit, the rows the session had loaded say
    what the table says; a pair whose values did not change was not written (`updated_at`)."""
    from coordination.convergence import find_all_overlaps
    from coordination.services.stored_records import live_records

    first = _records("iati", REAL / "dportal_117_excerpt.xml")
    in_unit_of_work(session, import_records, first[:20], SYSTEM)
    in_unit_of_work(session, import_records, _copies(first, "XM-TEST-96", 20), SYSTEM)
    overlap_index.current_index(session)
    session.commit()
    copies = list(session.scalars(select(Initiative.id).order_by(Initiative.id)))[20:24]
    table = Overlap.__table__

    def values() -> dict:  # read from the table, past the session's objects
        return {(a, b): rest for a, b, *rest in session.execute(select(
            table.c.initiative_a_id, table.c.initiative_b_id, table.c.score, table.c.explanation,
            table.c.components, table.c.updated_at)).all()}

    before = values()
    touched = {pair for pair in before if set(pair) & set(copies)}
    assert touched, "the reworded copies must have pairs"
    with UnitOfWork(session) as uow:
        loaded = {(r.initiative_a_id, r.initiative_b_id): r for r in session.scalars(select(Overlap))}
        for initiative_id in copies:
            session.execute(update(Initiative).where(Initiative.id == initiative_id).values(
                description=Initiative.description + " Water point committees are trained to keep the pumps running.",
                version=Initiative.version + 1))
        uow.after_writes(list(session.scalars(select(Initiative).where(Initiative.id.in_(copies)))))
        after = values()
        assert {pair: [row.score, row.explanation, row.components] for pair, row in loaded.items()
                } == {pair: after[pair][:3] for pair in loaded}
        uow.commit()

    assert any(after[pair][:2] != before[pair][:2] for pair in touched)  # new scores and sentences
    assert all(after[pair] == before[pair] for pair in set(before) - touched)  # not written
    truth = {(f.a_id, f.b_id): [round(float(f.score), 4), f.explanation,
                                {k: round(float(v), 4) for k, v in f.components.items()}, f.kind]
             for f in find_all_overlaps(list(live_records(session)), overlap_index.CONFIG)}
    stored = {(r.initiative_a_id, r.initiative_b_id): [r.score, r.explanation, r.components, r.kind]
              for r in session.scalars(select(Overlap).where(Overlap.active))}
    assert stored == truth

    # Looked at again, unchanged: every pair comes out the same, and none is written.
    with UnitOfWork(session) as uow:
        uow.after_writes(list(session.scalars(select(Initiative).where(Initiative.id.in_(copies)))))
        uow.commit()
    assert values() == after


def test_the_notice_and_decision_rules_hold_when_many_are_looked_at_at_once(session):
    """Among the pairs of the initiatives looked at again: one dismissed whose side changed
    materially (suggested again), one dismissed with no change (stays dismissed), one gone
    inactive that the engine finds again (active again); their notices as the rules say.
    All at once (`after_writes`, the pairs read as plain rows) leaves what one at a time
    (`after_write` of each, the pairs read as objects) leaves."""
    from coordination.models import OverlapNotice
    from coordination.services.overlaps import decide_overlap

    first = _records("iati", REAL / "dportal_117_excerpt.xml")
    in_unit_of_work(session, import_records, first[:20], SYSTEM)
    in_unit_of_work(session, import_records, _copies(first, "XM-TEST-98", 20), SYSTEM)
    overlap_index.current_index(session)
    session.commit()
    copies = list(session.scalars(select(Initiative.id).order_by(Initiative.id)))[20:]
    pairs = {}
    for copy in copies:
        row = session.scalars(select(Overlap).where(Overlap.initiative_b_id == copy).order_by(Overlap.id)).first()
        if row is not None and row.initiative_a_id not in {p[0] for p in pairs.values()}:
            pairs[copy] = (row.initiative_a_id, row.id)
        if len(pairs) == 3:
            break
    (changed, (_, dismissed_changed)), (same, (_, dismissed_same)), (revived, (_, inactive)) = pairs.items()
    decide_overlap(session, SYSTEM, dismissed_changed, "dismissed")
    decide_overlap(session, SYSTEM, dismissed_same, "dismissed")
    session.execute(update(Overlap).where(Overlap.id == inactive).values(active=False))
    session.execute(OverlapNotice.__table__.delete())
    session.commit()

    def state() -> tuple:
        return (_pairs(session), _notices(session), set(session.execute(select(Overlap.id, Overlap.status)).all()))

    outcomes = []
    for at_once in (True, False):
        with UnitOfWork(session) as uow:
            session.execute(update(Initiative).where(Initiative.id == changed).values(
                description=Initiative.description + " Water point committees are trained to keep the pumps running.",
                version=Initiative.version + 1))
            initiatives = list(session.scalars(select(Initiative).where(Initiative.id.in_([changed, same, revived]))))
            if at_once:
                uow.after_writes(initiatives)
            else:
                for initiative in initiatives:
                    uow.after_write(initiative, "update")
            session.flush()
            outcomes.append(state())
            uow.rollback()
        overlap_index.forget(session)
    at_once, one_by_one = outcomes
    assert at_once == one_by_one
    statuses = dict(at_once[2])
    assert statuses[dismissed_same] == "dismissed" and statuses[dismissed_changed] == "suggested"
    ids = dict(session.execute(select(Overlap.id, Overlap.initiative_a_id)).all())
    active = {(a, b) for a, b, _, _, is_active, _ in at_once[0] if is_active}
    assert {(ids[dismissed_changed], changed), (ids[inactive], revived)} <= active

"""Overlaps as the platform keeps them: detected on every write, decided by people.

`detect_for` runs after every create/update/withdraw (any door, through
`UnitOfWork.after_write`) and reconciles the engine's findings with the stored pairs;
`recompute_all` does the same for everything in one unit of work. Decisions survive both: a dismissed pair stays dismissed unless one
side changes materially, and confirmed or coordinating pairs are never dropped.
Each pair keeps its link kind: only an `overlap` raises inbox notices and webhooks; a
`duplicate` (the same effort reported twice) is shown as "also reported by", and loses the
notices it raised while it was taken for an overlap.
"""
from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from sqlalchemy import Row, bindparam, delete, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ..convergence import OverlapFinding, OverlapIndex, find_all_overlaps, material_fingerprint
from ..convergence.features import FeatureTableBuilder
from ..convergence.memory import return_freed_memory
from ..convergence.new_pairs import find_new_overlaps
from ..convergence.overlap import explained_chunks
from ..errors import NotFound, PermissionDenied, ValidationError
from ..models import (
    Initiative,
    Overlap,
    OverlapKind,
    OverlapNotice,
    OverlapStatus,
    Webhook,
    utcnow,
)
from ..nudges import reaches
from ..permissions import Actor, require_authenticated
from ..records import InitiativeRecord
from ..visibility import overlap_visible, overlap_visible_clause
from . import overlap_index
from .bulk_copy import Writer
from .bulk_ids import take_ids
from .history import record_change
from .notify import WebhookQueue
from .stored_records import live_records, live_records_with, record_from_initiative

if TYPE_CHECKING:
    from ..unit_of_work import UnitOfWork


def _notify(session: Session, row: Overlap, webhooks: WebhookQueue) -> None:
    """Put the overlap in both organisations' inboxes (again unread if it was there before).

    A duplicate report notifies nobody: there is nothing to coordinate about one effort. Nor
    does an overlap scoring below the notification threshold (`coordination.nudges`).
    """
    if row.kind != OverlapKind.OVERLAP or not reaches(row.score):
        return  # below the notification threshold: listed on the initiatives, pushed to nobody
    existing = {} if row.id is None else {n.organisation_id: n for n in session.scalars(
        select(OverlapNotice).where(OverlapNotice.overlap_id == row.id))}
    for org_id in {row.organisation_a_id, row.organisation_b_id}:
        if org_id in existing:
            existing[org_id].read_at, existing[org_id].created_at = None, utcnow()
        else:
            session.add(OverlapNotice(organisation_id=org_id, overlap=row))
    webhooks.enqueue(row)


def _apply_found(session: Session, row: Overlap | None, found: OverlapFinding,
                 records: Mapping[int, InitiativeRecord], webhooks: WebhookQueue) -> Overlap:
    """Create or refresh one stored pair from an engine finding."""
    a, b = records[found.a_id], records[found.b_id]
    if row is None:
        row = Overlap(initiative_a_id=found.a_id, initiative_b_id=found.b_id,
                      organisation_a_id=a.organisation_id, organisation_b_id=b.organisation_id,
                      status=OverlapStatus.SUGGESTED, active=True, kind=found.kind)
        session.add(row)
        _notify(session, _refresh(row, found), webhooks)
        return row
    kind_changed, row.kind = row.kind != found.kind, found.kind
    was_active = row.active
    _refresh(row, found)  # the notice decision reads the new score
    if kind_changed and found.kind == OverlapKind.DUPLICATE:
        session.execute(delete(OverlapNotice).where(OverlapNotice.overlap_id == row.id))
    if row.status == OverlapStatus.DISMISSED and (
            row.fingerprint_a != material_fingerprint(a) or row.fingerprint_b != material_fingerprint(b)):
        # One side changed materially since the dismissal: suggest the pair again.
        row.status, row.decided_by, row.decided_at = OverlapStatus.SUGGESTED, None, None
        row.decided_by_organisation_id = None
        _notify(session, row, webhooks)
    elif (not was_active or kind_changed) and row.status == OverlapStatus.SUGGESTED:
        _notify(session, row, webhooks)
    return row


def _refresh(row: Overlap, found: OverlapFinding) -> Overlap:
    """Copy the engine's score, components and explanation onto an active stored pair."""
    row.active = True
    row.score, row.components = _stored_values(found.score, found.components)
    row.explanation = found.explanation
    return row


def _stored_values(score: float, components: Mapping[str, float]) -> tuple[float, dict[str, float]]:
    """An engine finding's score and components as a stored pair holds them."""
    return round(float(score), 4), {k: round(float(v), 4) for k, v in components.items()}


def _refresh_many(session: Session, pairs: list[tuple[StoredPair, OverlapFinding]]) -> None:
    """`_refresh` of many stored pairs (active, of the same kind, not dismissed: all that
    `_apply_found` does to them) without an ORM update each: the new values compared with the
    stored ones and only the rows that differ written (`_set_many`). A merge that moves
    thousands of initiatives refreshes tens of thousands of pairs, a recomputation every stored
    one; most come out the same."""
    changed: list[dict] = []
    done = 0
    # For many pairs, half the sentences are built by a helper process beside this one, which
    # has nothing else to do meanwhile (`explained_chunks`); chunk after chunk, in order.
    for chunk in explained_chunks([finding for _, finding in pairs], 2000, share=True):
        for (row, _), (finding, explanation, components) in zip(pairs[done:done + len(chunk)], chunk, strict=True):
            score, components = _stored_values(finding.score, components)
            if row.score != score or row.components != components or row.explanation != explanation:
                changed.append({"id": row.id, "score": score, "components": components, "explanation": explanation})
        done += len(chunk)
    _set_many(session, changed)


def detect_for(session: Session, initiative: Initiative, action: str,
               webhooks: WebhookQueue | None = None) -> None:
    """Refresh the overlaps of one initiative against everything (`UnitOfWork.after_write`).

    It changes the process-wide index before the commit: the unit of work rebuilds it if
    the transaction rolls back.
    """
    session.flush()
    # Catching up need not load this write's own record: it is added (or removed) below.
    index = overlap_index.current_index(session, own=initiative.id)
    webhooks = webhooks or WebhookQueue(session)
    stored = {(r.initiative_a_id, r.initiative_b_id): r for r in session.scalars(select(Overlap).where(
        or_(Overlap.initiative_a_id == initiative.id, Overlap.initiative_b_id == initiative.id)))}
    if action == "withdraw" or initiative.withdrawn_at is not None:
        if initiative.id in index:
            index.remove(initiative.id)
        for row in stored.values():
            row.active = False
        return
    record = record_from_initiative(initiative)
    index.add(record)
    found = index.find_overlaps(record)
    others = {o.a_id if o.b_id == record.id else o.b_id for o in found}
    records = {record.id: record, **{i: index_record(index, i) for i in others}}
    _reconcile(session, found, stored, records, webhooks)


FEW = 32  # changed initiatives the index takes one by one (more: its bulk postings are merged once)


def detect_for_many(session: Session, initiatives: list[Initiative], webhooks: WebhookQueue | None = None) -> None:
    """`detect_for` of many changed initiatives at once (`UnitOfWork.after_writes`: a merge that
    moves thousands): their pairs with everything, found together (`new_pairs.find_new_overlaps`,
    the new versions against the index of the others), reconciled with the pairs stored for
    them in one pass. The stored result is the one `detect_for` of each in turn leaves.
    """
    if not initiatives:
        return
    session.flush()
    ids = sorted({i.id for i in initiatives})
    index = overlap_index.current_index(session, own=ids)
    webhooks = webhooks or WebhookQueue(session)
    stored: dict[tuple[int, int], StoredPair] = {}
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        stored.update(((r.initiative_a_id, r.initiative_b_id), r) for r in session.execute(
            select(*STORED_COLUMNS).where(or_(Overlap.initiative_a_id.in_(part), Overlap.initiative_b_id.in_(part)))))
    # Read as the index reads records (a few statements for all), not through each ORM object.
    records = sorted(live_records(session, ids=ids), key=lambda r: r.id)
    live = {r.id for r in records}
    for initiative_id in ids:
        if initiative_id not in live and initiative_id in index:  # withdrawn
            index.remove(initiative_id)
    found, table = find_new_overlaps(index, records)  # the withdrawn ones are in neither: no pair names them
    _reconcile(session, found.to_list(), stored, ChainMap({r.id: r for r in records}, index._records), webhooks)
    if len(records) <= FEW:
        index.add_few(records)
    else:
        index.add_many(records, table)


def _reconcile(session: Session, found: list[OverlapFinding], stored: Mapping[tuple[int, int], StoredPair],
               records: Mapping[int, InitiativeRecord], webhooks: WebhookQueue) -> None:
    """Bring the stored pairs in line with the engine's findings: refresh the known pairs, insert
    the new ones (one statement, one more for their notices), deactivate the pairs not found.

    `stored`: the pairs' rows, ORM objects or plain rows of `STORED_COLUMNS` (a merge or a
    recomputation reads tens of thousands: plain rows, ORM objects only for the few the
    notice and decision rules apply to)."""
    fresh, plain, ruled = [], [], []
    for item in found:
        row = stored.get((item.a_id, item.b_id))
        if row is None:
            fresh.append(item)
        elif row.active and row.kind == item.kind and row.status != OverlapStatus.DISMISSED:
            plain.append((row, item))  # nothing but `_refresh` to do: no notice, no decision
        else:
            ruled.append((row, item))
    objects = _objects(session, [row for row, _ in ruled])
    for row, item in ruled:
        _apply_found(session, objects[row.id], item, records, webhooks)
    _refresh_many(session, plain)
    _insert_new(session, fresh, records, webhooks)
    seen = {(item.a_id, item.b_id) for item in found}
    _set_many(session, [{"id": row.id, "active": False} for pair, row in stored.items()
                        if pair not in seen and row.active])


# What `_reconcile` reads of a stored pair, as a plain row (or an ORM object: the same names).
STORED_COLUMNS = tuple(Overlap.__table__.c[name] for name in (
    "id", "initiative_a_id", "initiative_b_id", "score", "components", "explanation", "active", "kind", "status"))
StoredPair = Overlap | Row


def _objects(session: Session, rows: list[StoredPair]) -> dict[int, Overlap]:
    """The ORM objects of stored pairs, by id (those given as plain rows read in a few statements)."""
    objects = {row.id: row for row in rows if isinstance(row, Overlap)}
    wanted = sorted(row.id for row in rows if not isinstance(row, Overlap))
    for start in range(0, len(wanted), 500):
        part = wanted[start:start + 500]
        objects.update((o.id, o) for o in session.scalars(select(Overlap).where(Overlap.id.in_(part))))
    return objects


def _set_many(session: Session, changes: list[dict]) -> None:
    """Write new values of stored pairs ({"id", column: value, ...}, the same columns in each),
    in one UPDATE by primary key per 5,000, `updated_at` now; the session's loaded objects of
    those pairs are given the values written (no reload, nothing left to flush)."""
    if not changes:
        return
    now = utcnow()
    table = Overlap.__table__
    names = [name for name in changes[0] if name != "id"]
    statement = update(table).where(table.c.id == bindparam("row_id")).values(
        {name: bindparam(f"new_{name}") for name in [*names, "updated_at"]})
    for start in range(0, len(changes), 5000):
        session.execute(statement, [{"row_id": c["id"], "new_updated_at": now, **{f"new_{n}": c[n] for n in names}}
                                    for c in changes[start:start + 5000]])
    loaded = session.identity_map
    for change in changes:
        row = loaded.get(identity_key(Overlap, change["id"]))
        if row is not None:
            for name in names:
                set_committed_value(row, name, change[name])
            set_committed_value(row, "updated_at", now)


NOTICES_AT_ONCE = 20_000  # new pairs' notices held before they are stored (at most)
TRIM_AFTER_DETECTION = 8_192  # new initiatives from which an import returns freed memory


def detect_after_import(uow: UnitOfWork, initiative_ids: list[int],
                        known: dict[int, InitiativeRecord] | None = None,
                        features: FeatureTableBuilder | None = None,
                        stage: Callable[[str], None] | None = None) -> None:
    """Find the overlaps of freshly imported initiatives, all at once, against the others.

    The new initiatives are compared with each other and with the process-wide index of the
    initiatives stored before (`new_pairs.find_new_overlaps`: the batch's own pairs that
    touch a new initiative, the incremental and the batch path find the same), so the cost
    follows the import and what it touches, not the size of the platform: the pairs among
    the others are neither recomputed nor read. New initiatives have no stored pairs, so
    every pair found is inserted (`_insert_new`). The index takes them once the unit
    commits. `known`: the new initiatives' records, when the import built them; `features`:
    those records featurised as they were written (used when they are the records detected).
    `stage(sentence)` is told what happens: the stored initiatives read first where this
    process has no index of them yet (seconds per 50,000), then the detection.
    """
    session = uow.session
    uow.lock_overlaps()
    session.flush()
    new_ids = sorted(set(initiative_ids))
    # The index as committed before this import (its own change-log rows are not replayed).
    if stage is not None and not overlap_index.is_built(session):
        stored = overlap_index.live_count(session) - len(new_ids)
        stage(f"reading the index of the {stored:,} stored initiatives from its snapshot (once per process)"
              if overlap_index.snapshot_on_disk(session) else
              f"reading the {stored:,} stored initiatives to compare with (once per process)")
    index = overlap_index.current_index(session, own=new_ids, own_are_new=True)
    if stage is not None:
        stage(f"finding the overlaps of {len(new_ids):,} new initiatives")
    missing = [i for i in new_ids if known is None or i not in known]
    if missing:
        known = {**(known or {}), **{r.id: r for r in live_records(session, ids=missing)}}
    records = [known[i] for i in new_ids if i in known]
    found, table = find_new_overlaps(index, records, features)
    _insert_new(session, found.to_list(), ChainMap(known, index._records), WebhookQueue(session))
    del found
    table.release_scoring_parts()
    if len(new_ids) >= TRIM_AFTER_DETECTION:
        # The detection's temporaries handed back before the index takes the new records, so
        # they do not add to a large file's peak. A trim walks the whole heap: for a
        # publisher's file of hundreds it costs more than it gives back.
        return_freed_memory()
    marker = overlap_index.change_marker(session)  # read inside the transaction, after its writes
    uow.after_commit(lambda: overlap_index.add_committed(session, index, records, table, marker))


def index_record(index: OverlapIndex, initiative_id: int) -> InitiativeRecord:
    """The record the index holds for an initiative."""
    return index._records[initiative_id]


def recompute_all(uow: UnitOfWork, progress: Callable[[int, int], None] | None = None, *,
                  scheduler: str | None = None, known: dict[int, InitiativeRecord] | None = None) -> dict[str, int]:
    """Recompute every overlap in the unit of work (an interruption leaves the old results).

    The process-wide index is replaced by one of the recomputed records once the unit commits.
    With `scheduler` (a Dask scheduler's address) the batch runs partitioned by region on
    that cluster, with the same result (`convergence.distributed`).
    """
    session = uow.session
    uow.lock_overlaps()  # a registration committing meanwhile would be left out of `records`
    records = live_records_with(session, known) if known else list(live_records(session))
    by_id = {r.id: r for r in records}
    # The index installed after the commit, built from the batch's own feature table.
    index = OverlapIndex(overlap_index.CONFIG) if scheduler is None else None
    found = _find_all(records, progress, scheduler, index)
    stored = {(r.initiative_a_id, r.initiative_b_id): r for r in session.execute(select(*STORED_COLUMNS))}
    before_active = sum(1 for r in stored.values() if r.active)
    _reconcile(session, found, stored, by_id, WebhookQueue(session))
    # Read inside the transaction: reading it after the commit would open a new one.
    marker = overlap_index.change_marker(session)

    def install_index() -> None:
        nonlocal index
        if index is None:
            index = OverlapIndex(overlap_index.CONFIG)
            index.add_many(records)
        overlap_index.replace_index(session, index, marker)

    uow.after_commit(install_index)
    return {"initiatives": len(records), "overlaps": len(found), "previously_active": before_active,
            "decided_kept": sum(1 for r in stored.values() if r.status != OverlapStatus.SUGGESTED)}


def _find_all(records: list[InitiativeRecord], progress: Callable[[int, int], None] | None,
              scheduler: str | None, index: OverlapIndex | None = None) -> list[OverlapFinding]:
    """Every overlap among `records`, in this process or on the Dask cluster at `scheduler`;
    `index`, when given, gets the records (here, from the batch's own feature table)."""
    if scheduler is None:
        return find_all_overlaps(records, overlap_index.CONFIG, progress=progress,
                                 on_table=None if index is None else index.add_many)
    from ..convergence.distributed import connect, find_all_overlaps_distributed

    with connect(scheduler) as client:
        return find_all_overlaps_distributed(records, client, overlap_index.CONFIG, progress=progress)


def _insert_new(session: Session, fresh: list[OverlapFinding], records: Mapping[int, InitiativeRecord],
                webhooks: WebhookQueue) -> None:
    """Store new pairs and their inbox notices in bulk (the batch may find hundreds of thousands;
    `bulk_copy.insert_rows`: COPY on PostgreSQL)."""
    if not fresh:
        return
    if session.scalar(select(Webhook.id).limit(1)) is not None:
        for item in fresh:  # webhook deliveries hang off ORM rows: take the per-row path
            _apply_found(session, None, item, records, webhooks)
        return
    session.flush()
    now = utcnow()
    ids = iter(take_ids(session, Overlap.__table__, len(fresh)))
    notices: list[dict] = []
    # Explained by a helper process while the chunk before is written, when that pays; built
    # here while the server checks the chunk before (`bulk_copy.Writer`). Each chunk's
    # sentences are let go once stored: what is held does not grow with the pairs.
    with Writer(session) as writer:
        for chunk in explained_chunks(fresh, 2000):
            rows = [{"id": next(ids), "initiative_a_id": o.a_id, "initiative_b_id": o.b_id,
                     "organisation_a_id": records[o.a_id].organisation_id,
                     "organisation_b_id": records[o.b_id].organisation_id, "score": round(float(o.score), 4),
                     "components": components,  # clipped and rounded already
                     "explanation": explanation, "status": OverlapStatus.SUGGESTED, "active": True,
                     "kind": o.kind, "detected_at": now, "updated_at": now} for o, explanation, components in chunk]
            writer.insert(Overlap.__table__, rows)
            notices.extend({"organisation_id": org, "overlap_id": row["id"], "created_at": now} for row in rows
                           if row["kind"] == OverlapKind.OVERLAP and reaches(row["score"])
                           for org in {row["organisation_a_id"], row["organisation_b_id"]})
            if len(notices) >= NOTICES_AT_ONCE:  # their overlaps are stored (or being stored) before
                writer.insert(OverlapNotice.__table__, notices)
                notices = []
        writer.insert(OverlapNotice.__table__, notices)


def _fingerprint_now(session: Session, initiative_id: int) -> str:
    initiative = session.get(Initiative, initiative_id)
    return material_fingerprint(record_from_initiative(initiative))


def decide_overlap(session: Session, actor: Actor, overlap_id: int, status: str) -> Overlap:
    """An organisation of the pair (or a coordinator) confirms, dismisses or marks coordinating."""
    require_authenticated(actor)
    if status not in OverlapStatus.ALL:
        raise ValidationError("Invalid decision.", {"status": [f"must be one of {', '.join(OverlapStatus.ALL)}"]})
    row = session.get(Overlap, overlap_id)
    if row is None:
        raise NotFound(f"No overlap {overlap_id}.")
    parties = {row.organisation_a_id, row.organisation_b_id}
    # A pair with a side the actor may not read does not exist for the actor, party or not.
    if not (overlap_visible(actor, row) and (actor.reads_everything or actor.organisation_id in parties)):
        raise NotFound(f"No overlap {overlap_id}.")
    if not (actor.role in ("coordinator", "platform_admin", "system")
            or (actor.role in ("member", "admin") and actor.organisation_id in parties)):
        raise PermissionDenied("Only the two organisations or a coordinator can decide about this overlap.")
    before = {"status": row.status}
    row.status = status
    row.decided_by, row.decided_at = actor.label, utcnow()
    row.decided_by_organisation_id = actor.organisation_id
    row.fingerprint_a = _fingerprint_now(session, row.initiative_a_id)
    row.fingerprint_b = _fingerprint_now(session, row.initiative_b_id)
    record_change(session, actor, "overlap", row.id, "decide", before, {"status": status})
    return row


def mark_read(session: Session, actor: Actor, notice_ids: Iterable[int] | None = None) -> int:
    """Mark the actor's organisation's visible inbox notices read (all when no ids are given)."""
    require_authenticated(actor)
    if actor.organisation_id is None:
        return 0
    visible = select(Overlap.id).where(overlap_visible_clause(actor))
    stmt = select(OverlapNotice).where(OverlapNotice.organisation_id == actor.organisation_id,
                                       OverlapNotice.read_at.is_(None), OverlapNotice.overlap_id.in_(visible))
    if notice_ids is not None:
        stmt = stmt.where(OverlapNotice.id.in_(list(notice_ids)))
    rows = list(session.scalars(stmt))
    for notice in rows:
        notice.read_at = utcnow()
    return len(rows)

"""What coordinators ask of the convergence engine: overlaps, groups, fragmentation, gaps, network.

Read functions over what the reader may see: private initiatives of other organisations
never appear, in a pair or in a figure. Groups, cells and the network are computed from
the stored (not dismissed) overlaps of the filtered initiatives.
"""
from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date
from typing import Any

from sqlalchemy import or_, select, true
from sqlalchemy.orm import Session, joinedload, selectinload

from .convergence import OverlapFinding
from .convergence.fragmentation import fragmentation_cells, gaps
from .convergence.groups import convergence_groups, group_answer, suggest_allies
from .convergence.network import organisation_network
from .errors import ValidationError
from .models import Initiative, Organisation, Overlap, OverlapKind, OverlapStatus
from .permissions import ANONYMOUS, Actor
from .queries import InitiativeFilter, decode_cursor, encode_cursor, filtered
from .reads.overlap_view import OverlapView
from .services.stored_records import live_records
from .visibility import overlap_visible_clause

MAX_OVERLAP_PAGE = 100


def _visible_ids(session: Session, actor: Actor, f: InitiativeFilter) -> select:
    return filtered(session, actor, f).with_only_columns(Initiative.id)


def overlap_to_dict(row: Overlap, viewpoint: int | None = None, actor: Actor = ANONYMOUS) -> dict[str, Any]:
    """A stored overlap as the API writes it for `actor`; `viewpoint` names which side is "other".

    The read model (`reads.overlap_view`) as plain data."""
    return OverlapView(row, actor).as_dict(viewpoint)


def _kind_clause(kind: str | None):
    if kind is None:
        return true()
    if kind not in OverlapKind.ALL:
        raise ValidationError("Invalid kind.", {"kind": [f"must be one of {', '.join(OverlapKind.ALL)}"]})
    return Overlap.kind == kind


def _loaded(stmt):
    return stmt.options(selectinload(Overlap.initiative_a).selectinload(Initiative.organisation),
                        selectinload(Overlap.initiative_b).selectinload(Initiative.organisation))


def _status_clause(status: str | None):
    if status is None:
        return Overlap.status != OverlapStatus.DISMISSED
    if status not in OverlapStatus.ALL:
        raise ValidationError("Invalid status.", {"status": [f"must be one of {', '.join(OverlapStatus.ALL)}"]})
    return Overlap.status == status


def _overlaps_of_clauses(actor: Actor, min_score: float | None, status: str | None,
                         kind: str | None = None) -> list:
    """What `overlaps_of` and `overlaps_of_many` keep: active, visible to the reader, score, status,
    kind; no minimum score (None, an explicit null in GraphQL) keeps every score."""
    return [overlap_visible_clause(actor), Overlap.active.is_(True), Overlap.score >= (min_score or 0.0),
            _status_clause(status), _kind_clause(kind)]


def overlaps_of(session: Session, actor: Actor, initiative_id: int, min_score: float = 0.0,
                status: str | None = None, kind: str | None = None) -> list[Overlap]:
    """The active links (overlaps and duplicate reports; `kind` picks one) of one initiative
    with initiatives the reader may see, best first."""
    stmt = select(Overlap).where(
        or_(Overlap.initiative_a_id == initiative_id, Overlap.initiative_b_id == initiative_id),
        *_overlaps_of_clauses(actor, min_score, status, kind))
    return list(session.scalars(_loaded(stmt.order_by(Overlap.score.desc(), Overlap.id))))


def overlaps_of_many(session: Session, actor: Actor, initiative_ids, min_score: float = 0.0,
                     status: str | None = None, kind: str | None = None) -> dict[int, list[Overlap]]:
    """`overlaps_of` for many initiatives in one statement: {id: its overlaps, best first}.

    Both sides and their organisations come joined into the same statement.
    """
    clauses = _overlaps_of_clauses(actor, min_score, status, kind)  # an invalid status is refused even for no ids
    found: dict[int, list[Overlap]] = {i: [] for i in initiative_ids}
    if not found:
        return found
    ids = sorted(found)
    stmt = (select(Overlap)
            .where(or_(Overlap.initiative_a_id.in_(ids), Overlap.initiative_b_id.in_(ids)), *clauses)
            .options(joinedload(Overlap.initiative_a).joinedload(Initiative.organisation),
                     joinedload(Overlap.initiative_b).joinedload(Initiative.organisation))
            .order_by(Overlap.score.desc(), Overlap.id))
    for row in session.scalars(stmt):
        for side in dict.fromkeys((row.initiative_a_id, row.initiative_b_id)):
            if side in found:
                found[side].append(row)
    return found


def list_overlaps(session: Session, actor: Actor, f: InitiativeFilter, status: str | None = None,
                  min_score: float = 0.0, first: int = 50, after: str | None = None,
                  kind: str | None = None) -> tuple[list[Overlap], str | None]:
    """Active links (of `kind`, or all) where both sides match the filter and are visible; cursor by id."""
    if not 1 <= first <= MAX_OVERLAP_PAGE:
        raise ValidationError("Invalid page size.", {"first": [f"must be between 1 and {MAX_OVERLAP_PAGE}"]})
    visible = _visible_ids(session, actor, f)
    stmt = select(Overlap).where(Overlap.active.is_(True), Overlap.score >= min_score, _status_clause(status),
                                 _kind_clause(kind),
                                 Overlap.initiative_a_id.in_(visible), Overlap.initiative_b_id.in_(visible))
    if after:
        stmt = stmt.where(Overlap.id > decode_cursor(after))
    rows = list(session.scalars(_loaded(stmt.order_by(Overlap.id).limit(first + 1))))
    next_cursor = encode_cursor(rows[first - 1].id) if len(rows) > first else None
    return rows[:first], next_cursor


def overlaps_before(session: Session, actor: Actor, f: InitiativeFilter, status: str | None = None,
                    min_score: float = 0.0, after: str | None = None, kind: str | None = None) -> bool:
    """Whether `list_overlaps` with the same arguments has overlaps at or before the cursor `after`."""
    if not after:
        return False
    visible = _visible_ids(session, actor, f)
    stmt = select(Overlap.id).where(Overlap.active.is_(True), Overlap.score >= min_score, _status_clause(status),
                                    _kind_clause(kind),
                                    Overlap.initiative_a_id.in_(visible), Overlap.initiative_b_id.in_(visible),
                                    Overlap.id <= decode_cursor(after))
    return session.scalar(stmt.limit(1)) is not None


def _records_and_overlaps(session: Session, actor: Actor, f: InitiativeFilter):
    ids = list(session.scalars(_visible_ids(session, actor, f)))
    records = list(live_records(session, ids=ids)) if ids else []
    id_set = set(ids)
    rows = session.execute(select(Overlap.initiative_a_id, Overlap.initiative_b_id, Overlap.score, Overlap.kind).where(
        Overlap.active.is_(True), Overlap.status != OverlapStatus.DISMISSED)).all()
    found = [OverlapFinding(a, b, s, kind=k) for a, b, s, k in rows if a in id_set and b in id_set]
    return records, found


def _org_names(session: Session, ids) -> dict[int, dict[str, Any]]:
    rows = session.scalars(select(Organisation).where(Organisation.id.in_(list(ids))))
    return {o.id: {"slug": o.slug, "name": o.name, "type": o.type} for o in rows}


def groups_for(session: Session, actor: Actor, f: InitiativeFilter, with_allies: bool = True,
               limit: int = 50) -> list[dict[str, Any]]:
    """Convergence groups among the filtered initiatives, with suggested institutional allies."""
    records, found = _records_and_overlaps(session, actor, f)
    # Groups are efforts linked by overlaps: a report of the same effort by another organisation
    # (a duplicate) makes no group of two efforts.
    groups = convergence_groups(records, [o for o in found if o.kind == OverlapKind.OVERLAP])[:limit]
    all_records = records
    if with_allies and any(not g.has_institutional_actor for g in groups):
        all_records = list(live_records(session, ids=list(session.scalars(
            _visible_ids(session, actor, InitiativeFilter(country=f.country))))))
    org_ids = {o for g in groups for o in g.organisation_ids}
    allies = {}
    for i, g in enumerate(groups):
        if with_allies and not g.has_institutional_actor:
            allies[i] = suggest_allies(g, all_records)
            org_ids |= {a.organisation_id for a in allies[i]}
    names = _org_names(session, org_ids)
    return [group_answer(g, names, allies.get(i, [])) for i, g in enumerate(groups)]


def fragmentation_for(session: Session, actor: Actor, f: InitiativeFilter, area_level: str = "country",
                      period: tuple[date | None, date | None] | None = None) -> dict[str, Any]:
    """Fragmentation cells (per goal and area) and gaps among the filtered initiatives."""
    if area_level not in ("country", "admin1"):
        raise ValidationError("Invalid area level.", {"area_level": ["must be country or admin1"]})
    records, found = _records_and_overlaps(session, actor, f)
    goal = f.goal or f.target
    cells = fragmentation_cells(records, goal=goal, area_level=area_level, period=period, overlaps=found)
    # A gap is decided against all the work in the area, not only the work on the asked goal.
    area_records = records if goal is None else list(live_records(session, ids=list(session.scalars(
        _visible_ids(session, actor, replace(f, goal=None, target=None))))))
    gap_list = gaps(area_records, area_level=area_level, period=period, goal=goal)
    return {
        "cells": [{**asdict(c), "period": None if c.period is None else
                   [d.isoformat() if d else None for d in c.period]} for c in cells],
        "gaps": [asdict(g) for g in gap_list],
    }


def network_for(session: Session, actor: Actor, f: InitiativeFilter) -> dict[str, Any]:
    """The organisation network of the filtered initiatives: nodes, edges, brokers, isolated groups."""
    records, found = _records_and_overlaps(session, actor, f)
    net = organisation_network(records, found)
    names = _org_names(session, {n.organisation_id for n in net.nodes})
    return {
        "nodes": [{**asdict(n), "organisation": names.get(n.organisation_id)} for n in net.nodes],
        "edges": [asdict(e) for e in net.edges],
        "components": [list(c) for c in net.components],
        "isolated": list(net.isolated),
    }

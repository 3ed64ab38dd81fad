"""Reads behind the organisation pages: the list, one organisation's work, partners and overlaps."""
from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..models import ApiToken, Initiative, Organisation, Overlap, OverlapKind, OverlapStatus, Partner, User
from ..permissions import Actor
from ..queries import eager, visible_to
from ..visibility import overlap_visible_clause


def organisation_by_slug(session: Session, slug: str) -> Organisation | None:
    """The organisation with this slug, or None."""
    return session.scalar(select(Organisation).where(Organisation.slug == slug))


def organisation_choices(session: Session, limit: int = 1000) -> list[tuple[str, str]]:
    """(slug, name) of organisations by name, for a form's partner list."""
    return list(session.execute(select(Organisation.slug, Organisation.name)
                                .order_by(Organisation.name).limit(limit)).all())


def tokens_of(session: Session, organisation_id: int) -> list[ApiToken]:
    """The organisation's API tokens, newest first."""
    return list(session.scalars(select(ApiToken).where(
        ApiToken.organisation_id == organisation_id).order_by(ApiToken.id.desc())))


def with_accounts(session: Session, ids: list[int]) -> set[int]:
    """Which of these organisations have people signed up here (verification means something for them)."""
    if not ids:
        return set()
    return set(session.scalars(select(User.organisation_id).where(User.organisation_id.in_(ids)).distinct()))


def organisation_page(session: Session, actor: Actor, q: str, page: int,
                      per_page: int) -> tuple[list[tuple[Organisation, int]], bool]:
    """One page of organisations not merged away with their visible initiatives, by name; and whether more follow.

    `q` searches names (case-insensitive, a substring).
    """
    visible = visible_to(actor, select(Initiative.organisation_id, func.count(Initiative.id))
                         .group_by(Initiative.organisation_id)).subquery()
    stmt = (select(Organisation, func.coalesce(visible.c[1], 0))
            .outerjoin(visible, visible.c.organisation_id == Organisation.id)
            .where(Organisation.merged_into_id.is_(None))  # a merged record is its survivor now
            # name_key: lower case with accents folded, so "Ó" sorts with "o" on every database.
            .order_by(Organisation.name_key, func.lower(Organisation.name), Organisation.id))
    if q:
        stmt = stmt.where(Organisation.name.ilike(f"%{q}%", escape="\\"))
    rows = session.execute(stmt.offset((page - 1) * per_page).limit(per_page + 1)).all()
    return [(o, n) for o, n in rows[:per_page]], len(rows) > per_page


def initiatives_of(session: Session, actor: Actor, org: Organisation) -> list[Initiative]:
    """The organisation's initiatives the actor may read, newest start first."""
    return list(session.scalars(eager(visible_to(actor, select(Initiative)).where(
        Initiative.organisation_id == org.id).order_by(Initiative.start_date.desc(), Initiative.id.desc()))))


def overlapping_organisations(session: Session, actor: Actor, org: Organisation) -> list[tuple[Organisation, int]]:
    """Other organisations whose work overlaps with this one's (overlaps the reader may see), most first."""
    other_id = func.coalesce(
        func.nullif(Overlap.organisation_a_id, org.id), Overlap.organisation_b_id)
    counts = session.execute(
        select(other_id, func.count()).where(
            or_(Overlap.organisation_a_id == org.id, Overlap.organisation_b_id == org.id),
            Overlap.organisation_a_id != Overlap.organisation_b_id,
            Overlap.active.is_(True), Overlap.status != OverlapStatus.DISMISSED, overlap_visible_clause(actor),
            Overlap.kind == OverlapKind.OVERLAP)  # a funder reporting the same effort is a partner, not an overlap
        .group_by(other_id)).all()
    by_id = {o.id: o for o in session.scalars(select(Organisation).where(
        Organisation.id.in_([i for i, _n in counts])))}
    return sorted(((by_id[i], n) for i, n in counts if i in by_id), key=lambda t: (-t[1], t[0].name.lower()))


def _grouped(rows) -> list[dict]:
    """(organisation, role, n) rows as one entry per organisation with its roles, most shared first."""
    out: dict[int, dict] = {}
    for other, role, n in rows:
        entry = out.setdefault(other.id, {"org": other, "roles": {}, "n": 0})
        entry["roles"][role] = entry["roles"].get(role, 0) + n
        entry["n"] += n
    return sorted(out.values(), key=lambda e: (-e["n"], e["org"].name.lower()))


def partners(session: Session, actor: Actor, org: Organisation) -> tuple[list[dict], list[dict]]:
    """Partners on its initiatives, and organisations that list it as a partner on theirs.

    Each: {"org", "roles": {role: n}, "n"}, most shared first; only visible initiatives count.
    """
    visible_ids = visible_to(actor, select(Initiative.id)).scalar_subquery()
    counted = select(Organisation, Partner.role, func.count())
    partners_of_its = _grouped(session.execute(
        counted.join(Partner, Partner.organisation_id == Organisation.id)
        .join(Initiative, Initiative.id == Partner.initiative_id)
        .where(Initiative.organisation_id == org.id, Initiative.id.in_(visible_ids), Organisation.id != org.id)
        .group_by(Organisation.id, Partner.role)).all())
    leads_it_works_with = _grouped(session.execute(
        counted.join(Initiative, Initiative.organisation_id == Organisation.id)
        .join(Partner, Partner.initiative_id == Initiative.id)
        .where(Partner.organisation_id == org.id, Initiative.id.in_(visible_ids), Organisation.id != org.id)
        .group_by(Organisation.id, Partner.role)).all())
    return partners_of_its, leads_it_works_with

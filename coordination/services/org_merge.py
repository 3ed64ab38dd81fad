"""Coordinators merge two records of one organisation, and undo it, with history.

A merge moves everything the absorbed record owns to the survivor: its initiatives, its
places as a partner, its people (accounts, API tokens), webhooks, digest address and
inbox notices; its names become the survivor's aliases; the absorbed record stays as a
redirect (`merged_into_id`) so imports naming it reach the survivor and an unmerge can
bring it back. `OrganisationMerge.moved` lists exactly what moved, and an unmerge moves
exactly that back. Overlaps of the moved initiatives are recomputed: two initiatives of
one organisation are never an overlap, so none remains between the organisation and itself.

Merging widens access: the survivor's people read the absorbed record's private work and
the other way round. When that would happen the coordinator must say so (`share_access`);
see docs/PRIVACY.md.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from ..errors import Conflict, NotFound, ValidationError
from ..models import (
    ApiToken,
    Initiative,
    Organisation,
    OrganisationMerge,
    Overlap,
    OverlapNotice,
    Partner,
    User,
    utcnow,
)
from ..models.webhook import DigestSubscription, Webhook
from ..permissions import SYSTEM, Actor, require_coordinator
from ..visibility import shown_actor
from .history import record_change
from .org_identity import refresh_keys
from .organisations import get_organisation

if TYPE_CHECKING:
    from ..unit_of_work import UnitOfWork

# Rows that simply change owner: (key in `moved`, model, owner column).
_OWNED = (("users", User, User.organisation_id), ("tokens", ApiToken, ApiToken.organisation_id),
          ("webhooks", Webhook, Webhook.organisation_id))
_PARTNER_FIELDS = ("initiative_id", "role")


def _ids(session: Session, column: Any, org_id: int, *where: Any) -> list[int]:
    model = column.class_
    return list(session.scalars(select(model.id).where(column == org_id, *where).order_by(model.id)))


def _move(session: Session, column: Any, ids: list[int], from_id: int, to_id: int) -> None:
    """Give rows (by id) that still belong to `from_id` to `to_id`."""
    if ids:
        model = column.class_
        session.execute(update(model).where(model.id.in_(ids), column == from_id)
                        .values({column.key: to_id}).execution_options(synchronize_session=False))


def _move_initiatives(session: Session, actor: Actor, ids: list[int], source: Organisation,
                      target: Organisation) -> None:
    """Give initiatives (still at `source`) to `target`: a new version each, in each one's history."""
    ids = list(session.scalars(select(Initiative.id).where(
        Initiative.id.in_(ids), Initiative.organisation_id == source.id))) if ids else []
    if not ids:
        return
    # A new version: cached copies (ETags) and stale edits see that the organisation changed.
    session.execute(update(Initiative).where(Initiative.id.in_(ids)).values(
        organisation_id=target.id, version=Initiative.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    for initiative_id in ids:
        record_change(session, actor, "initiative", initiative_id, "update",
                      {"organisation": source.slug}, {"organisation": target.slug})


def _has_people(session: Session, org_id: int) -> bool:
    return bool(session.scalar(select(func.count(User.id)).where(User.organisation_id == org_id))
                or session.scalar(select(func.count(ApiToken.id)).where(
                    ApiToken.organisation_id == org_id, ApiToken.revoked_at.is_(None))))


def _has_private(session: Session, org_id: int) -> bool:
    return bool(session.scalar(select(func.count(Initiative.id)).where(
        Initiative.organisation_id == org_id,
        or_(Initiative.visibility != "public", Initiative.withdrawn_at.is_not(None)))))


def widened_access(session: Session, survivor: Organisation, absorbed: Organisation) -> list[str]:
    """Who would newly read private work if the two records became one (empty: nobody)."""
    reasons = []
    if _has_private(session, absorbed.id) and _has_people(session, survivor.id):
        reasons.append(f"{survivor.name}'s people would read {absorbed.name}'s private initiatives")
    if _has_private(session, survivor.id) and _has_people(session, absorbed.id):
        reasons.append(f"{absorbed.name}'s people would read {survivor.name}'s private initiatives")
    return reasons


def _check_mergeable(session: Session, survivor: Organisation, absorbed: Organisation,
                     share_access: bool) -> None:
    if survivor.id == absorbed.id:
        raise ValidationError("An organisation cannot be merged into itself.", {"absorbed": ["is the survivor"]})
    for field, org in (("survivor", survivor), ("absorbed", absorbed)):
        if org.merged_into_id is not None:
            raise Conflict(f"{org.name} was already merged into another organisation.",
                           {field: [f"{org.slug!r} is merged; use the organisation it was merged into"]})
    clash = sorted(session.scalars(select(Initiative.iati_identifier).where(
        Initiative.organisation_id == absorbed.id, Initiative.iati_identifier.in_(
            select(Initiative.iati_identifier).where(Initiative.organisation_id == survivor.id)))))
    if clash:
        raise Conflict("Both records hold initiatives with the same IATI identifier; "
                       "withdraw or renumber the duplicates first.", {"absorbed": clash[:20]})
    reasons = widened_access(session, survivor, absorbed)
    if reasons and not share_access:
        raise Conflict("Merging would let people read private initiatives they cannot read now: "
                       + "; ".join(reasons) + ". Merge with share_access if that is intended.",
                       {"share_access": reasons})


def _move_partners(session: Session, absorbed_id: int, survivor_id: int) -> tuple[list[int], list[dict]]:
    """Move partner places; drop those that would repeat the survivor (kept for an unmerge)."""
    moved, dropped = [], []
    for row in session.scalars(select(Partner).where(Partner.organisation_id == absorbed_id).order_by(Partner.id)):
        lead = session.scalar(select(Initiative.organisation_id).where(Initiative.id == row.initiative_id))
        twin = session.scalar(select(Partner.id).where(
            Partner.initiative_id == row.initiative_id, Partner.organisation_id == survivor_id,
            Partner.role == row.role))
        if lead == survivor_id or twin is not None:
            dropped.append({f: getattr(row, f) for f in _PARTNER_FIELDS})
            session.delete(row)
        else:
            moved.append(row.id)
    session.flush()
    _move(session, Partner.organisation_id, moved, absorbed_id, survivor_id)
    return moved, dropped


def _movable_singletons(session: Session, absorbed_id: int, survivor_id: int) -> dict[str, list[int]]:
    """Notices and the digest address, which a survivor may hold only once."""
    notices = _ids(session, OverlapNotice.organisation_id, absorbed_id, OverlapNotice.overlap_id.not_in(
        select(OverlapNotice.overlap_id).where(OverlapNotice.organisation_id == survivor_id)))
    has_digest = session.scalar(select(DigestSubscription.id).where(
        DigestSubscription.organisation_id == survivor_id))
    digests = [] if has_digest else _ids(session, DigestSubscription.organisation_id, absorbed_id)
    return {"notices": notices, "digests": digests}


_SINGLETONS = {"notices": OverlapNotice.organisation_id, "digests": DigestSubscription.organisation_id}


def _recompute(uow: UnitOfWork, initiative_ids: list[int]) -> None:
    """Overlap rows name each side's current organisation; then the engine looks again."""
    if not initiative_ids:
        return
    session = uow.session
    session.flush()
    session.expire_all()  # the moves were bulk updates: reload what the session holds
    owners = dict(session.execute(select(Initiative.id, Initiative.organisation_id)
                                  .where(Initiative.id.in_(initiative_ids))).all())
    rows = session.scalars(select(Overlap).where(or_(Overlap.initiative_a_id.in_(initiative_ids),
                                                     Overlap.initiative_b_id.in_(initiative_ids))))
    for row in rows:
        row.organisation_a_id = owners.get(row.initiative_a_id, row.organisation_a_id)
        row.organisation_b_id = owners.get(row.initiative_b_id, row.organisation_b_id)
    uow.after_writes(list(session.scalars(select(Initiative).where(Initiative.id.in_(initiative_ids)))))


def merge_organisations(uow: UnitOfWork, actor: Actor, survivor_slug: str, absorbed_slug: str,
                        reason: str = "", share_access: bool = False) -> OrganisationMerge:
    """Merge the absorbed record into the survivor (coordinators and platform admins)."""
    session = uow.session
    require_coordinator(actor)
    survivor, absorbed = get_organisation(session, survivor_slug), get_organisation(session, absorbed_slug)
    _check_mergeable(session, survivor, absorbed, share_access)
    moved: dict[str, Any] = {"initiatives": _ids(session, Initiative.organisation_id, absorbed.id)}
    _move_initiatives(session, actor, moved["initiatives"], absorbed, survivor)
    moved["partners"], moved["partners_dropped"] = _move_partners(session, absorbed.id, survivor.id)
    for key, _model, column in _OWNED:
        moved[key] = _ids(session, column, absorbed.id)
        _move(session, column, moved[key], absorbed.id, survivor.id)
    for key, ids in _movable_singletons(session, absorbed.id, survivor.id).items():
        moved[key] = ids
        _move(session, _SINGLETONS[key], ids, absorbed.id, survivor.id)
    known = {n.casefold() for n in [survivor.name, *(survivor.aliases or [])]}
    added = [n for n in dict.fromkeys([absorbed.name, *(absorbed.aliases or [])]) if n.casefold() not in known]
    moved["aliases_added"] = added
    survivor.aliases = [*(survivor.aliases or []), *added]
    refresh_keys(survivor)
    absorbed.merged_into_id = survivor.id
    merge = OrganisationMerge(survivor_id=survivor.id, absorbed_id=absorbed.id, reason=reason or "",
                              merged_by=actor.label[:160], moved=moved, merged_at=utcnow())
    session.add(merge)
    _recompute(uow, moved["initiatives"])
    summary = {"into": survivor.slug, "reason": reason or "", "share_access": share_access,
               **{k: len(v) for k, v in moved.items() if isinstance(v, list)}}
    record_change(session, actor, "organisation", absorbed.id, "merge", {"merged_into": None}, summary)
    record_change(session, actor, "organisation", survivor.id, "absorb", None, {"absorbed": absorbed.slug, **summary})
    return merge


def _open_merge(session: Session, absorbed: Organisation) -> OrganisationMerge:
    merge = session.scalar(select(OrganisationMerge).where(
        OrganisationMerge.absorbed_id == absorbed.id, OrganisationMerge.unmerged_at.is_(None))
        .order_by(OrganisationMerge.id.desc()).limit(1))
    if absorbed.merged_into_id is None or merge is None:
        raise NotFound(f"{absorbed.name} is not merged into another organisation.")
    return merge


def unmerge_organisation(uow: UnitOfWork, actor: Actor, absorbed_slug: str, reason: str = "") -> OrganisationMerge:
    """Undo a merge: move back exactly what it moved; work added since stays with the survivor."""
    session = uow.session
    require_coordinator(actor)
    absorbed = get_organisation(session, absorbed_slug)
    merge = _open_merge(session, absorbed)
    survivor = session.get(Organisation, merge.survivor_id)
    if survivor.merged_into_id is not None:
        raise Conflict(f"{survivor.name} was itself merged since; unmerge it first.",
                       {"absorbed": [f"unmerge {survivor.slug!r} first"]})
    moved = merge.moved
    _move_initiatives(session, actor, moved.get("initiatives", []), survivor, absorbed)
    _move(session, Partner.organisation_id, moved.get("partners", []), survivor.id, absorbed.id)
    for row in moved.get("partners_dropped", []):
        session.add(Partner(organisation_id=absorbed.id, **{f: row[f] for f in _PARTNER_FIELDS}))
    for key, _model, column in _OWNED:
        _move(session, column, moved.get(key, []), survivor.id, absorbed.id)
    for key, column in _SINGLETONS.items():
        _move(session, column, moved.get(key, []), survivor.id, absorbed.id)
    added = {n.casefold() for n in moved.get("aliases_added", [])}
    survivor.aliases = [a for a in survivor.aliases or [] if a.casefold() not in added]
    refresh_keys(survivor)
    absorbed.merged_into_id = None
    merge.unmerged_by, merge.unmerged_at, merge.unmerge_reason = actor.label[:160], utcnow(), reason or ""
    _recompute(uow, moved.get("initiatives", []))
    record_change(session, actor, "organisation", absorbed.id, "unmerge", {"merged_into": survivor.slug},
                  {"merged_into": None, "reason": reason or ""})
    return merge


def merge_history(session: Session, org: Organisation) -> list[OrganisationMerge]:
    """Merges an organisation took part in, newest first."""
    return list(session.scalars(select(OrganisationMerge).where(or_(
        OrganisationMerge.survivor_id == org.id, OrganisationMerge.absorbed_id == org.id))
        .order_by(OrganisationMerge.id.desc())))


def merge_summary(session: Session, merge: OrganisationMerge, reader: Actor = SYSTEM) -> dict[str, Any]:
    """A merge as the doors show it: who, when, why, what moved (counts).

    Who merged and what moved (counts of private initiatives, people and tokens among them)
    are shown to coordinators and platform admins only; everyone may see which records were
    merged, when and why.
    """
    def slug(org_id: int) -> str:
        return session.get(Organisation, org_id).slug

    def iso(at: datetime | None) -> str | None:
        return at.isoformat() if at else None

    moved = {k: len(v) for k, v in (merge.moved or {}).items() if isinstance(v, list)}
    return {"id": merge.id, "survivor": slug(merge.survivor_id), "absorbed": slug(merge.absorbed_id),
            "reason": merge.reason, "merged_by": shown_actor(reader, None, merge.merged_by),
            "merged_at": iso(merge.merged_at), "unmerged_by": shown_actor(reader, None, merge.unmerged_by),
            "unmerged_at": iso(merge.unmerged_at), "moved": moved if reader.reads_everything else {}}

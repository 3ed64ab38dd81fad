"""Registering, editing and withdrawing initiatives."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from .. import vocab
from ..errors import Conflict, NotFound, ValidationError
from ..models import (
    Initiative,
    InitiativeGoal,
    InitiativeTag,
    Location,
    Organisation,
    Partner,
    utcnow,
)
from ..permissions import Actor, can_read_initiative, require_authenticated, require_org_writer
from ..serialise import snapshot
from ..validation import validate_initiative
from .history import record_change
from .identifiers import assign_platform_identifiers
from .lookups import Lookups
from .places import normalise_locations
from .suggestions import apply_suggested_goals

if TYPE_CHECKING:
    from ..unit_of_work import UnitOfWork


def _owner(session: Session, actor: Actor, ref: Any, lookups: Lookups) -> Organisation:
    """The organisation an initiative is registered for."""
    if ref is None:
        if actor.organisation_id is None:
            raise ValidationError("Say which organisation this initiative belongs to.",
                                  {"organisation": ["is required for a platform-wide token"]})
        return session.get(Organisation, actor.organisation_id)
    org = lookups.organisation(ref, may_create=actor.is_platform_admin)
    if org is None:
        raise ValidationError("Unknown organisation.", {"organisation": [f"no organisation {ref!r}"]})
    return org


def _partners(lookups: Lookups, items: list[dict]) -> list[Partner]:
    errors: dict[str, list[str]] = {}
    partners = []
    for i, item in enumerate(items):
        ref = item["organisation"]
        # Partners named in full (imports) are found again or created unverified.
        org = lookups.organisation(ref, may_create=True)
        if org is None:
            errors[f"partners.{i}.organisation"] = [f"no organisation {ref!r}"]
            continue
        if not any(p.organisation_id == org.id and p.role == item["role"] for p in partners):
            partners.append(Partner(organisation_id=org.id, organisation=org, role=item["role"]))
    if errors:
        raise ValidationError("Unknown partner organisation.", errors)
    return partners


def apply_input(session: Session, actor: Actor, initiative: Initiative, data: dict[str, Any],
                lookups: Lookups | None = None) -> None:
    """Copy cleaned input onto the initiative and its children (`lookups`: see services.lookups)."""
    lookups = lookups or Lookups(session, actor)
    simple = {"title": "title", "description": "description", "start": "start_date",
              "end": "end_date", "budget": "budget", "currency": "currency",
              "people_targeted": "people_targeted", "visibility": "visibility",
              "public_precision": "public_precision", "iati_identifier": "iati_identifier",
              "language": "language", "provenance": "provenance",
              "related_identifiers": "related_identifiers", "title_generated": "title_generated"}
    for key, attr in simple.items():
        if key in data:
            setattr(initiative, attr, data[key] if data[key] is not None or key not in
                    ("description", "provenance") else "")
    if "title" in data and "title_generated" not in data:
        initiative.title_generated = False  # a title somebody wrote is their own text
    if "status" in data:
        initiative.status = vocab.STATUS_CODES.get(data["status"]) if data["status"] else None
    if initiative.start_date and initiative.end_date and initiative.end_date < initiative.start_date:
        raise ValidationError("End before start.", {"end": [
            f"must not be before start ({initiative.start_date.isoformat()})"]})
    if "goals" in data or "primary_goal" in data:
        codes = data.get("goals")
        if codes is None:
            codes = [link_code(link) for link in initiative.goal_links if link.source == "own"]
        primary = data.get("primary_goal") or (codes[0] if codes else None)
        if primary and primary not in codes:
            codes = [primary, *codes]
        goals = lookups.goals(codes)
        # Reuse the rows of goals already linked: replacing them would insert a duplicate
        # (initiative, goal) before the old row is deleted.
        existing = {link.goal_id: link for link in initiative.goal_links}
        wanted = {g.id for g in goals}
        links = [link for link in initiative.goal_links if link.source == "suggested" and link.goal_id not in wanted]
        for code, g in zip(codes, goals):
            link = existing.get(g.id) or InitiativeGoal(goal=g, goal_id=g.id)
            link.primary, link.source, link.score = (code == primary), "own", None
            links.append(link)
        initiative.goal_links = links
    if "tags" in data:
        current = {link.tag_id: link for link in initiative.tag_links}
        links: dict[int, InitiativeTag] = {}
        for label in data["tags"]:
            tag = lookups.tag(label)
            if tag.id not in links:
                link = current.get(tag.id) or InitiativeTag(tag=tag, tag_id=tag.id)
                link.label = label
                links[tag.id] = link
        initiative.tag_links = list(links.values())
    if "locations" in data:
        checked = normalise_locations(data["locations"], strict=actor.role != "system")
        initiative.locations = [Location(**loc) for loc in checked]
    if "partners" in data:
        current = {(p.organisation_id, p.role): p for p in initiative.partners}
        initiative.partners = [current.get((p.organisation_id, p.role), p)
                               for p in _partners(lookups, data["partners"])]


def link_code(link: InitiativeGoal) -> str:
    """Code of a goal link as input would write it."""
    return link.goal.ref


def _refuse_own_duplicate(session: Session, organisation_id: int, iati_identifier: str | None,
                          initiative_id: int | None = None) -> None:
    """Conflict if the organisation already has another initiative with this IATI identifier.

    Identifiers are unique per organisation: another organisation's initiative with the same
    identifier (perhaps a private one the caller cannot read) is not a conflict, so the
    answer never tells whether one exists.
    """
    if not iati_identifier:
        return
    query = session.query(Initiative.id).filter_by(organisation_id=organisation_id,
                                                   iati_identifier=iati_identifier)
    if initiative_id is not None:
        query = query.filter(Initiative.id != initiative_id)
    if query.first():
        raise _duplicate(iati_identifier)


def _duplicate(iati_identifier: str) -> Conflict:
    return Conflict("An initiative with this IATI identifier exists.",
                    {"iati_identifier": [f"{iati_identifier!r} is already registered"]})


def new_initiative(session: Session, actor: Actor, data: Any, lookups: Lookups) -> Initiative:
    """A new initiative built from input, checked, not yet added to the session.

    Every check that can refuse the input runs here, before anything about the initiative is
    written: `register_initiative` adds one, `imports.import_records` a batch of them.
    """
    require_authenticated(actor)
    clean = validate_initiative(data)
    owner = _owner(session, actor, clean.pop("organisation", None), lookups)
    require_org_writer(actor, owner.id)
    if clean.get("iati_identifier") and lookups.has_identifier(owner.id, clean["iati_identifier"]):
        raise _duplicate(clean["iati_identifier"])
    initiative = Initiative(organisation=owner, organisation_id=owner.id, confirmed_at=utcnow())
    with session.no_autoflush:  # lookups need not flush the half-built initiative
        apply_input(session, actor, initiative, clean, lookups)
        # Also during bulk loads: 3W files name sectors, not goals, and without suggested
        # goals their work would be missing from every goal view and fragmentation cell.
        apply_suggested_goals(session, initiative)
    return initiative


def registered(session: Session, actor: Actor, initiatives: list[Initiative]) -> None:
    """What follows new initiatives' insert: their platform identifiers and history entries."""
    assign_platform_identifiers(session, initiatives)  # needs the ids; stored once, never changed
    for initiative in initiatives:
        record_change(session, actor, "initiative", initiative.id, "create", None, snapshot(initiative))


def register_initiative(uow: UnitOfWork, actor: Actor, data: Any) -> Initiative:
    """Register a new initiative for the actor's organisation (or the one named, for admins)."""
    session = uow.session
    initiative = new_initiative(session, actor, data, Lookups(session, actor))
    session.add(initiative)
    session.flush()
    registered(session, actor, [initiative])
    uow.after_write(initiative, "create")
    return initiative


def load_for_write(session: Session, actor: Actor, initiative_id: int) -> Initiative:
    """The initiative to change, after the permission check; foreign private ones are 404."""
    require_authenticated(actor)
    initiative = session.get(Initiative, initiative_id)
    if initiative is None or not can_read_initiative(
            actor, initiative.visibility, initiative.organisation_id, False):
        raise NotFound(f"No initiative {initiative_id}.")
    require_org_writer(actor, initiative.organisation_id)
    return initiative


def update_initiative(uow: UnitOfWork, actor: Actor, initiative_id: int, data: Any,
                      expected_version: int | None = None) -> Initiative:
    """Edit an initiative; a stale `expected_version` is a Conflict, nothing is written."""
    session = uow.session
    initiative = load_for_write(session, actor, initiative_id)
    clean = validate_initiative(data, partial=True)
    if "organisation" in clean:
        raise ValidationError("The organisation of an initiative cannot change.",
                              {"organisation": ["cannot be changed"]})
    if expected_version is not None and expected_version != initiative.version:
        raise Conflict(f"The initiative was changed meanwhile (now version {initiative.version}).",
                       {"version": [f"expected {expected_version}, current is {initiative.version}"]})
    if initiative.withdrawn_at is not None:
        raise Conflict("A withdrawn initiative cannot be edited.", {"_state": ["withdrawn"]})
    if "iati_identifier" in clean:
        _refuse_own_duplicate(session, initiative.organisation_id, clean["iati_identifier"], initiative.id)
    before = snapshot(initiative)
    with session.no_autoflush:
        apply_input(session, actor, initiative, clean)
    initiative.version += 1
    initiative.confirmed_at = utcnow()
    session.flush()
    record_change(session, actor, "initiative", initiative.id, "update", before, snapshot(initiative))
    uow.after_write(initiative, "update")
    return initiative


def withdraw_initiative(uow: UnitOfWork, actor: Actor, initiative_id: int,
                        expected_version: int | None = None) -> Initiative:
    """Withdraw an initiative: it leaves every listing but stays in the history."""
    session = uow.session
    initiative = load_for_write(session, actor, initiative_id)
    if expected_version is not None and expected_version != initiative.version:
        raise Conflict(f"The initiative was changed meanwhile (now version {initiative.version}).",
                       {"version": [f"expected {expected_version}, current is {initiative.version}"]})
    if initiative.withdrawn_at is None:
        before = snapshot(initiative)
        initiative.withdrawn_at = utcnow()
        initiative.version += 1
        session.flush()
        record_change(session, actor, "initiative", initiative.id, "withdraw", before,
                      snapshot(initiative))
        uow.after_write(initiative, "withdraw")
    return initiative

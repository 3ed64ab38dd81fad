"""Published contacts, and "Introduce us": a party of an overlap asks the platform to put it in touch.

Privacy rules:
* An organisation's contact is what its admin chose to publish (`public_email`,
  `public_website`); nothing else about its people (sign-in addresses, digest address,
  who clicked) ever reaches another organisation.
* Only a member or admin of one of the two organisations of an overlap may introduce, and
  only on an overlap it may see (`overlap_visible`). The other organisation must be able
  to see both initiatives too; otherwise the introduction would reveal a private initiative
  and is refused.
* The receiving organisation hears of it in its inbox, through its webhooks (event
  `overlap.introduction`, queued in the same transaction) and in its next e-mail digest.
* One introduction per overlap and sending organisation; each is recorded in the history.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from ..errors import Conflict, NotFound, PermissionDenied, ValidationError
from ..models import (
    DeliveryStatus,
    DigestSubscription,
    Initiative,
    Introduction,
    Organisation,
    Overlap,
    User,
    Webhook,
    WebhookDelivery,
)
from ..permissions import Actor, require_authenticated, require_org_admin
from ..visibility import organisation_reader, overlap_visible, overlap_visible_clause
from .history import record_change

INTRODUCTION_EVENT = "overlap.introduction"
EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


# --- published contact ---------------------------------------------------------------------

def _clean_email(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or len(value.strip()) > 320 or not EMAIL.match(value.strip()):
        raise ValidationError("Invalid contact.", {"public_email": ["must be one e-mail address"]})
    return value.strip()


def _clean_website(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or len(value.strip()) > 500:
        raise ValidationError("Invalid contact.", {"public_website": ["must be at most 500 characters"]})
    url = value.strip()
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname \
            or "." not in parts.hostname or any(c.isspace() for c in url):
        raise ValidationError("Invalid contact.", {"public_website": ["must be a web address like https://example.org"]})
    return url


def set_public_contact(session: Session, actor: Actor, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    """Publish (or withdraw, with empty values) the organisation's contact; its admins only."""
    require_org_admin(actor, organisation.id)
    email, website = _clean_email(data.get("public_email")), _clean_website(data.get("public_website"))
    before = {"public_email": organisation.public_email, "public_website": organisation.public_website}
    after = {"public_email": email, "public_website": website}
    if before != after:
        organisation.public_email, organisation.public_website = email, website
        record_change(session, actor, "organisation", organisation.id, "update", before, after)
    return organisation


def public_contact(org: Organisation | None) -> dict[str, str]:
    """What the organisation published: {'email': ..., 'website': ...} (only the keys it has)."""
    if org is None:
        return {}
    return {k: v for k, v in (("email", org.public_email), ("website", org.public_website)) if v}


# --- introductions -------------------------------------------------------------------------

def _party_sides(row: Overlap, organisation_id: int) -> tuple[Initiative, Initiative, int]:
    """(own initiative, other initiative, other organisation id) for one party of the overlap."""
    if row.organisation_a_id == organisation_id:
        return row.initiative_a, row.initiative_b, row.organisation_b_id
    return row.initiative_b, row.initiative_a, row.organisation_a_id


def may_introduce(actor: Actor, row: Overlap) -> bool:
    """A member or admin of one of the two organisations, on an active overlap they may see."""
    return (actor.role in ("member", "admin") and actor.organisation_id is not None
            and actor.organisation_id in (row.organisation_a_id, row.organisation_b_id)
            and row.organisation_a_id != row.organisation_b_id
            and row.active and overlap_visible(actor, row))


def introduce(session: Session, actor: Actor, overlap_id: int) -> Introduction:
    """Send the other organisation of the overlap an introduction from the actor's organisation."""
    require_authenticated(actor)
    row = session.get(Overlap, overlap_id)
    # An overlap the actor may not see does not exist for it: same answer as a missing one.
    if row is None or not overlap_visible(actor, row):
        raise NotFound(f"No overlap {overlap_id}.")
    if not may_introduce(actor, row):
        raise PermissionDenied("Only the two organisations of an overlap can introduce themselves to each other.")
    _own, _other, to_id = _party_sides(row, actor.organisation_id)
    if not overlap_visible(organisation_reader(to_id), row):
        raise PermissionDenied("The other organisation cannot see your initiative (it is private or withdrawn), "
                               "so the platform cannot introduce you on it.")
    existing = session.scalar(select(Introduction).where(
        Introduction.overlap_id == row.id, Introduction.from_organisation_id == actor.organisation_id))
    if existing is not None:
        raise Conflict("Your organisation has already introduced itself on this overlap.")
    intro = Introduction(overlap_id=row.id, from_organisation_id=actor.organisation_id, to_organisation_id=to_id,
                         created_by=actor.label[:160])
    session.add(intro)
    session.flush()
    record_change(session, actor, "introduction", intro.id, "create", None, {
        "overlap_id": row.id, "from_organisation_id": actor.organisation_id, "to_organisation_id": to_id,
        "initiatives": [row.initiative_a_id, row.initiative_b_id]})
    for hook_id in session.scalars(select(Webhook.id).where(Webhook.organisation_id == to_id,
                                                            Webhook.active.is_(True))):
        session.add(WebhookDelivery(webhook_id=hook_id, overlap=row, introduction=intro, event=INTRODUCTION_EVENT,
                                    max_attempts=5, status=DeliveryStatus.PENDING))
    return intro


def someone_hears(session: Session, organisation_id: int) -> bool:
    """Whether anyone of the organisation is told of an introduction now: a person with an account
    (inbox), an active webhook or an active digest subscription. Otherwise it waits in the inbox."""
    return any(session.scalar(select(model.id).where(model.organisation_id == organisation_id, *extra).limit(1))
               is not None for model, extra in ((User, ()), (Webhook, (Webhook.active.is_(True),)),
                                                (DigestSubscription, (DigestSubscription.active.is_(True),))))


def introduction_to_dict(intro: Introduction, reader_organisation_id: int) -> dict[str, Any]:
    """An introduction as a party of it sees it: who, which pair, and the published contacts only."""
    row = intro.overlap
    own, other, _ = _party_sides(row, reader_organisation_id)
    sender = intro.from_organisation
    return {"id": intro.id, "overlap_id": row.id, "created_at": intro.created_at.isoformat(),
            "direction": "received" if intro.to_organisation_id == reader_organisation_id else "sent",
            "from_organisation": {"slug": sender.slug, "name": sender.name, "contact": public_contact(sender)},
            "to_organisation": {"slug": intro.to_organisation.slug, "name": intro.to_organisation.name},
            "own_initiative": {"id": own.id, "title": own.title},
            "other_initiative": {"id": other.id, "title": other.title}}


def _loaded(stmt):
    return stmt.options(
        selectinload(Introduction.overlap).selectinload(Overlap.initiative_a).selectinload(Initiative.organisation),
        selectinload(Introduction.overlap).selectinload(Overlap.initiative_b).selectinload(Initiative.organisation),
        selectinload(Introduction.from_organisation), selectinload(Introduction.to_organisation))


def introductions_for(session: Session, actor: Actor, limit: int = 100) -> list[Introduction]:
    """Introductions sent or received by the actor's organisation on overlaps it may still see, newest first."""
    if actor.organisation_id is None:
        return []
    stmt = (select(Introduction).join(Overlap, Introduction.overlap_id == Overlap.id)
            .where(or_(Introduction.to_organisation_id == actor.organisation_id,
                       Introduction.from_organisation_id == actor.organisation_id),
                   overlap_visible_clause(actor))
            .order_by(Introduction.id.desc()).limit(limit))
    return list(session.scalars(_loaded(stmt)))


def pending_for_digest(session: Session, organisation_id: int, since, until) -> list[Introduction]:
    """Introductions the organisation received in (since, until], on overlaps it may see, oldest first."""
    stmt = (select(Introduction).join(Overlap, Introduction.overlap_id == Overlap.id)
            .where(Introduction.to_organisation_id == organisation_id, Introduction.created_at <= until,
                   overlap_visible_clause(organisation_reader(organisation_id)))
            .order_by(Introduction.id))
    if since is not None:
        stmt = stmt.where(Introduction.created_at > since)
    return list(session.scalars(_loaded(stmt)))


def webhook_payload_part(delivery: WebhookDelivery) -> dict[str, Any] | None:
    """The `introduction` object of an overlap.introduction webhook payload (None for other events)."""
    if delivery.introduction is None:
        return None
    return introduction_to_dict(delivery.introduction, delivery.webhook.organisation_id)

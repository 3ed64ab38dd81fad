"""Webhooks for overlap notices: managed by organisation admins, queued with the write.

Registering, listing, removing and testing an organisation's webhooks, and `WebhookQueue`, which
adds the queue rows for an overlap notice in the write's transaction; a worker sends them later
(`webhook_delivery`), to hosts `webhook_hosts` allows, over `webhook_transport`.
"""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, ValidationError
from ..models import (
    DeliveryStatus,
    Initiative,
    Organisation,
    Overlap,
    Webhook,
    WebhookDelivery,
    utcnow,
)
from ..permissions import Actor, require_org_admin
from ..visibility import can_read, organisation_reader
from .history import record_change
from .webhook_delivery import MAX_ATTEMPTS, OVERLAP_EVENT, TEST_EVENT, TIMEOUT, attempt
from .webhook_hosts import validate_url


def _owned(session: Session, actor: Actor, webhook_id: int) -> Webhook:
    hook = session.get(Webhook, webhook_id)
    if hook is None:
        raise NotFound(f"No webhook {webhook_id}.")
    require_org_admin(actor, hook.organisation_id)
    return hook


def create_webhook(session: Session, actor: Actor, organisation_id: int, data: Any,
                   allow_private: bool = False) -> tuple[Webhook, str]:
    """Register a webhook for an organisation; returns it and its secret (shown this once)."""
    require_org_admin(actor, organisation_id)
    if not isinstance(data, dict):
        raise ValidationError("The body must be a JSON object.", {"_body": ["must be an object"]})
    url = validate_url(data.get("url"), allow_private)
    secret = data.get("secret") or secrets.token_urlsafe(32)
    if not isinstance(secret, str) or not 16 <= len(secret) <= 200:
        raise ValidationError("Invalid secret.", {"secret": ["must be 16 to 200 characters (or omitted)"]})
    hook = Webhook(organisation_id=organisation_id, url=url, secret=secret, created_by=actor.label[:160])
    session.add(hook)
    session.flush()
    record_change(session, actor, "webhook", hook.id, "create", None, {"url": url, "organisation_id": organisation_id})
    return hook, secret


def list_webhooks(session: Session, actor: Actor, organisation_id: int) -> list[Webhook]:
    """The organisation's webhooks, oldest first (its admins and platform admins only)."""
    require_org_admin(actor, organisation_id)
    return list(session.scalars(select(Webhook).where(Webhook.organisation_id == organisation_id)
                                .order_by(Webhook.id)))


def delete_webhook(session: Session, actor: Actor, webhook_id: int) -> None:
    """Remove a webhook and its delivery queue."""
    hook = _owned(session, actor, webhook_id)
    record_change(session, actor, "webhook", hook.id, "delete", {"url": hook.url}, None)
    session.delete(hook)


def send_test(session: Session, actor: Actor, webhook_id: int, allow_private: bool = False,
              timeout: float = TIMEOUT) -> WebhookDelivery:
    """Send a signed test event now (one attempt, no retries) and return how it went."""
    hook = _owned(session, actor, webhook_id)
    delivery = WebhookDelivery(webhook=hook, event=TEST_EVENT, max_attempts=1, attempts=1,
                               status=DeliveryStatus.PENDING)
    session.add(delivery)
    session.flush()
    attempt(delivery, utcnow(), timeout, allow_private)
    return delivery


class WebhookQueue:
    """Queues overlap notices for the organisations' webhooks within one unit of work.

    The active webhooks are read once, on the first notice (a recomputation notifies many).
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._by_org: dict[int, list[int]] | None = None

    def webhooks_of(self, organisation_id: int) -> list[int]:
        """Ids of the organisation's active webhooks."""
        if self._by_org is None:
            with self.session.no_autoflush:  # the overlap being notified may not be complete yet
                rows = self.session.execute(select(Webhook.organisation_id, Webhook.id)
                                            .where(Webhook.active.is_(True))).all()
            self._by_org = {}
            for org_id, hook_id in rows:
                self._by_org.setdefault(org_id, []).append(hook_id)
        return self._by_org.get(organisation_id, [])

    def enqueue(self, row: Overlap) -> None:
        """Queue an overlap notice for both organisations' webhooks, in the write's transaction.

        Only an organisation that may read both sides hears of the pair: a private initiative of
        the other organisation is never pushed, not even as an overlap id.
        """
        for org_id in {row.organisation_a_id, row.organisation_b_id}:
            hooks = self.webhooks_of(org_id)
            if not hooks or not _visible_to_org(self.session, row, org_id):
                continue
            for hook_id in hooks:
                self.session.add(WebhookDelivery(webhook_id=hook_id, overlap=row, event=OVERLAP_EVENT,
                                                 max_attempts=MAX_ATTEMPTS, status=DeliveryStatus.PENDING))


def _visible_to_org(session: Session, row: Overlap, organisation_id: int) -> bool:
    """Whether the organisation may read both sides (the row may not be flushed yet: load by id)."""
    with session.no_autoflush:
        sides = [row.initiative_a or session.get(Initiative, row.initiative_a_id),
                 row.initiative_b or session.get(Initiative, row.initiative_b_id)]
    return all(side is not None and can_read(organisation_reader(organisation_id), side) for side in sides)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def delivery_to_dict(d: WebhookDelivery) -> dict[str, Any]:
    """A delivery as the API shows it (the payload is left out: it can be large)."""
    return {"id": d.id, "event": d.event, "overlap_id": d.overlap_id, "status": d.status,
            "attempts": d.attempts, "max_attempts": d.max_attempts, "last_status_code": d.last_status_code,
            "last_error": d.last_error, "next_attempt_at": _iso(d.next_attempt_at) if d.status == "pending" else None,
            "last_attempt_at": _iso(d.last_attempt_at), "delivered_at": _iso(d.delivered_at),
            "created_at": _iso(d.created_at)}


def webhook_to_dict(session: Session, hook: Webhook, recent: int = 10) -> dict[str, Any]:
    """A webhook with its delivery counts, recent deliveries and last error; never its secret."""
    rows = list(session.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id)
                                .order_by(WebhookDelivery.id.desc()).limit(recent)))
    counts = dict(session.execute(select(WebhookDelivery.status, func.count()).where(
        WebhookDelivery.webhook_id == hook.id).group_by(WebhookDelivery.status)).all())
    slug = session.scalar(select(Organisation.slug).where(Organisation.id == hook.organisation_id))
    return {"id": hook.id, "url": hook.url, "active": hook.active, "organisation": slug,
            "created_at": _iso(hook.created_at),
            "deliveries": {s: counts.get(s, 0) for s in DeliveryStatus.ALL},
            "last_error": next((d.last_error for d in rows if d.last_error), None),
            "recent_deliveries": [delivery_to_dict(d) for d in rows]}

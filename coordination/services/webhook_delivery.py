"""Delivering queued webhook notices: claiming due rows, one attempt each, retries with backoff.

A notice never makes a request wait: `notify.WebhookQueue.enqueue` only adds queue rows in the
write's transaction; `deliver_due` (the `coordination deliver` worker, `coordination.jobs.delivery`)
claims them with `claim_due` and POSTs each with `deliver_one`, with a short timeout, retrying
with backoff (1 min, 5 min, 30 min, 2 h) until MAX_ATTEMPTS, then giving up. Receivers refuse a
body whose `timestamp` (also in X-Coordination-Timestamp) is more than a few minutes old, and
ignore an X-Coordination-Delivery id they have already seen.
"""
from __future__ import annotations

import json
import socket
import urllib.error
from datetime import datetime, timedelta
from http.client import HTTPException
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..models import DeliveryStatus, WebhookDelivery
from ..visibility import organisation_reader, overlap_visible
from . import webhook_transport
from .webhook_hosts import checked_addresses
from .webhook_transport import sign

TIMEOUT = 5.0
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
LEASE = timedelta(minutes=2)  # a claimed delivery whose worker died is retried after this
OVERLAP_EVENT, TEST_EVENT = "overlap.suggested", "webhook.test"


def _payload(delivery: WebhookDelivery) -> dict[str, Any]:
    from ..insights import overlap_to_dict

    org = delivery.webhook.organisation_id
    base: dict[str, Any] = {"event": delivery.event, "delivery_id": delivery.id, "webhook_id": delivery.webhook_id}
    row = delivery.overlap
    if row is None:
        return {**base, "message": "A test event from the coordination platform."}
    own = row.initiative_a_id if row.organisation_a_id == org else row.initiative_b_id
    out = {**base, "organisation_id": org, "overlap": overlap_to_dict(row, viewpoint=own, actor=organisation_reader(org))}
    if delivery.introduction_id is not None:
        # Who asks to be introduced, and only the contact that organisation published.
        from .introductions import webhook_payload_part
        out["introduction"] = webhook_payload_part(delivery)
    return out


def _error_text(err: BaseException, timeout: float) -> str:
    reason = err.reason if isinstance(err, urllib.error.URLError) else err
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"timed out after {timeout:g} s"
    return f"{type(reason).__name__}: {reason}"[:1000]


def attempt(delivery: WebhookDelivery, now: datetime, timeout: float, allow_private: bool) -> str:
    """POST one delivery once and record the outcome: delivered, retrying or failed."""
    hook = delivery.webhook
    if delivery.payload is None:
        delivery.payload = _payload(delivery)
    stamp = int(now.timestamp())
    body = json.dumps({**delivery.payload, "timestamp": stamp}, separators=(",", ":"), sort_keys=True).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "coordination-webhooks/1",
               "X-Coordination-Event": delivery.event, "X-Coordination-Delivery": str(delivery.id),
               "X-Coordination-Timestamp": str(stamp), "X-Coordination-Signature": sign(hook.secret, body)}
    delivery.last_attempt_at, code, error = now, None, None
    try:
        host = urlsplit(hook.url).hostname or ""
        addresses, error = checked_addresses(host, allow_private)
        if error is None:
            code = webhook_transport.post(hook.url, body, headers, timeout, addresses)
            error = None if 200 <= code < 300 else f"HTTP {code} from the receiver"
    except (OSError, HTTPException, ValueError) as err:
        error = _error_text(err, timeout)
    delivery.last_status_code, delivery.last_error = code, error
    if error is None:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
        return "delivered"
    if delivery.attempts >= delivery.max_attempts:
        delivery.status = DeliveryStatus.FAILED
        return "failed"
    delivery.next_attempt_at = now + BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1]
    return "retrying"


def claim_due(session: Session, now: datetime, limit: int) -> list[int]:
    """Take up to `limit` due deliveries (skipping rows another worker holds) and count the attempt.

    The worker commits the claim before it sends anything (see `coordination.jobs.delivery`).
    """
    ids = list(session.scalars(
        select(WebhookDelivery.id).where(WebhookDelivery.status == DeliveryStatus.PENDING,
                                         WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)
        .with_for_update(skip_locked=True)))
    if ids:
        session.execute(update(WebhookDelivery).where(WebhookDelivery.id.in_(ids)).values(
            attempts=WebhookDelivery.attempts + 1, next_attempt_at=now + LEASE, last_attempt_at=now))
    return ids


def deliver_one(session: Session, delivery_id: int, now: datetime, timeout: float = TIMEOUT,
                allow_private: bool = False) -> str | None:
    """Attempt one claimed delivery: "delivered", "retrying" or "failed" (None if it is gone)."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        return None
    if delivery.overlap is not None and not overlap_visible(organisation_reader(delivery.webhook.organisation_id),
                                                            delivery.overlap):
        # The other side became private (or was withdrawn) since the notice was queued.
        delivery.status, delivery.last_error = DeliveryStatus.FAILED, "no longer visible to this organisation"
        return "failed"
    return attempt(delivery, now, timeout, allow_private)



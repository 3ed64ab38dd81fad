"""Webhooks for overlap notices: managed by organisation admins, queued with the write, sent by a worker.

A notice never makes a request wait: `WebhookQueue.enqueue` only adds queue rows in the write's
transaction; `deliver_due` (the `coordination deliver` worker) POSTs them later with a short
timeout and retries with backoff (1 min, 5 min, 30 min, 2 h) until MAX_ATTEMPTS, then gives up.

Receivers verify `X-Coordination-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw body with
the webhook's secret; then refuse a body whose `timestamp` (also in X-Coordination-Timestamp) is
more than a few minutes old, and ignore an X-Coordination-Delivery id they have already seen.

SSRF: only http(s) URLs. Unless WEBHOOK_ALLOW_PRIVATE (on only for tests and closed networks),
hosts resolving to loopback, private, link-local or reserved addresses (also inside NAT64, 6to4
or Teredo IPv6 addresses) are refused when the webhook is registered and again before every
attempt, and redirects are never followed. Each attempt resolves the host once and connects to
the addresses it checked (Host header, SNI and certificate still name the host), so a DNS answer
that changes after the check cannot redirect it. Behind an egress proxy (HTTPS_PROXY) the proxy
connects instead.
"""
from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import os
import secrets
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from datetime import datetime, timedelta
from http.client import HTTPException
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..errors import NotFound, ValidationError
from ..models import DeliveryStatus, Initiative, Organisation, Overlap, Webhook, WebhookDelivery, utcnow
from ..permissions import Actor, require_org_admin
from ..visibility import can_read, organisation_reader, overlap_visible
from .history import record_change

TIMEOUT = 5.0
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
LEASE = timedelta(minutes=2)  # a claimed delivery whose worker died is retried after this
OVERLAP_EVENT, TEST_EVENT = "overlap.suggested", "webhook.test"
INTRODUCTION_EVENT = "overlap.introduction"  # queued by services.introductions.introduce


def private_allowed(config: Mapping[str, Any]) -> bool:
    """WEBHOOK_ALLOW_PRIVATE from the app config or environment; off (private addresses refused) by default."""
    value = config.get("WEBHOOK_ALLOW_PRIVATE", os.environ.get("WEBHOOK_ALLOW_PRIVATE"))
    if value is None:
        return False
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")


# IPv6 prefixes that carry an IPv4 address a gateway will forward to: NAT64 (64:ff9b::/96, the
# last 32 bits), 6to4 (2002::/16, bits 16-48) and IPv4-compatible (::/96). Such an address is as
# public as the IPv4 address inside it. Local-use NAT64 (64:ff9b:1::/48, where the IPv4 address
# may sit anywhere) and Teredo (2001::/32, a tunnel to an obfuscated client) are refused outright.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_REFUSED_PREFIXES = (ipaddress.ip_network("64:ff9b:1::/48"), ipaddress.ip_network("2001::/32"))


def _effective_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address
                       ) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a connection to `address` really reaches: the IPv4 address embedded in an
    IPv4-mapped, NAT64, 6to4 or IPv4-compatible IPv6 address; None for a refused tunnel prefix."""
    if address.version == 4:
        return address
    if any(address in network for network in _REFUSED_PREFIXES):
        return None
    if address.ipv4_mapped is not None:  # ::ffff:127.0.0.1 is loopback too
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def _public_problem(host: str, text: str) -> str | None:
    """Why the address `text` is not a public internet address, or None when it is."""
    address = ipaddress.ip_address(text.split("%")[0])
    effective = _effective_address(address)
    if effective is None or not effective.is_global or effective.is_multicast:
        shown = address if effective in (None, address) else f"{address}, that is {effective}"
        return f"{host!r} is a loopback, private or reserved address ({shown}); only public hosts are allowed"
    return None


def _resolve(host: str, port: int | None = None) -> list[str]:
    """The addresses `host` resolves to for TCP, in the resolver's order (OSError if none)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except UnicodeError as err:
        raise OSError(str(err)) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise OSError(f"no address for {host!r}")
    return addresses


def _checked_addresses(host: str, allow_private: bool) -> tuple[list[str], str | None]:
    """Resolve `host` once: its addresses, and why they may not be called (None if they may).

    Every address must be public (unless private hosts are allowed); the connection is then
    made to these very addresses, so a DNS answer that changes after the check (rebinding)
    cannot send the request anywhere else.
    """
    try:
        addresses = _resolve(host)
    except OSError:
        return [], f"host {host!r} cannot be resolved"
    if not allow_private:
        for text in addresses:
            problem = _public_problem(host, text)
            if problem:
                return addresses, problem
    return addresses, None


def _address_problem(host: str) -> str | None:
    """Why `host` is not a public internet host, or None when every address it resolves to is."""
    return _checked_addresses(host, allow_private=False)[1]


def validate_url(url: Any, allow_private: bool) -> str:
    """An http(s) URL with a host; private hosts only when allowed. Raises a field error."""
    problem = None
    if not isinstance(url, str) or not url.strip():
        problem = "is required"
    elif len(url) > 2000:
        problem = "must be at most 2000 characters"
    else:
        url = url.strip()
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            problem = "must be an http:// or https:// URL with a host"
        elif any(c.isspace() for c in url):
            problem = "must not contain spaces"
        elif not allow_private:
            problem = _address_problem(parts.hostname)
    if problem:
        raise ValidationError("Invalid webhook URL.", {"url": [problem]})
    return url


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
    _attempt(delivery, utcnow(), timeout, allow_private)
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


def sign(secret: str, body: bytes) -> str:
    """The X-Coordination-Signature value for a raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are failures: following one could reach a private host."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to `host` (its Host header) made to already checked addresses only."""

    def __init__(self, host: str, port: int | None, addresses: list[str], **kwargs: Any) -> None:
        super().__init__(host, port, **kwargs)
        self._addresses = addresses
        self._create_connection = self._connect_pinned

    def _connect_pinned(self, _address: tuple[str, int], timeout: Any = None,
                        source_address: Any = None) -> socket.socket:
        error: OSError | None = None
        for address in self._addresses:  # each one was checked; never resolve the name again
            try:
                return socket.create_connection((address, self.port), timeout, source_address)
            except OSError as err:
                error = err
        raise error or OSError("no address to connect to")


class _PinnedHTTPSConnection(_PinnedHTTPConnection, http.client.HTTPSConnection):
    """The same over TLS: SNI and certificate verification name `host`, not the address."""


def _proxied(parts: Any) -> bool:
    """Whether an egress proxy (HTTP(S)_PROXY) is configured for this URL; it then connects."""
    return bool(urllib.request.getproxies().get(parts.scheme.lower())) and \
        not urllib.request.proxy_bypass(parts.hostname or "")


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float,
          addresses: list[str] | None = None) -> int:
    """POST `body` and return the status; to the checked `addresses` unless a proxy is used.

    Redirects are not followed (a 3xx status is the answer). Without `addresses` (or behind a
    configured egress proxy) the request goes through urllib as before.
    """
    parts = urlsplit(url)
    if not addresses or _proxied(parts):
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                response.read(4096)
                return response.status
        except urllib.error.HTTPError as err:
            err.close()
            return err.code
    if parts.scheme.lower() == "https":
        connection: http.client.HTTPConnection = _PinnedHTTPSConnection(
            parts.hostname, parts.port, addresses, timeout=timeout, context=ssl.create_default_context())
    else:
        connection = _PinnedHTTPConnection(parts.hostname, parts.port, addresses, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(4096)
        return response.status
    finally:
        connection.close()


def _error_text(err: BaseException, timeout: float) -> str:
    reason = err.reason if isinstance(err, urllib.error.URLError) else err
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"timed out after {timeout:g} s"
    return f"{type(reason).__name__}: {reason}"[:1000]


def _attempt(delivery: WebhookDelivery, now: datetime, timeout: float, allow_private: bool) -> str:
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
        addresses, error = _checked_addresses(host, allow_private)
        if error is None:
            code = _post(hook.url, body, headers, timeout, addresses)
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
    return _attempt(delivery, now, timeout, allow_private)


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

"""REST: an organisation's notification channels — signed webhooks and the e-mail digest address."""
from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request

from coordination.errors import ValidationError
from coordination.permissions import Actor, require_authenticated, require_org_admin
from coordination.services import digest, notify
from coordination.services.organisations import get_organisation
from coordination.services.webhook_hosts import private_allowed

from ..auth import current_actor
from ..extensions import db
from ..schemas import DigestInputSchema, WebhookInputSchema, load_or_raise
from ..unit_of_work import unit_of_work
from . import bp
from .common import json_body


def _admin_body(actor: Actor, schema):
    """The body of a write, loaded with `schema` once the caller is known to administer the organisation."""
    body = json_body()
    org_id = _organisation_id(actor, body.get("organisation") if isinstance(body, dict) else None)
    require_org_admin(actor, org_id)
    return org_id, load_or_raise(schema, body)


def _subscription(sub) -> dict:
    """The digest settings, the same keys whether or not an address is set."""
    return {"active": False, **digest.subscription_to_dict(sub)}


def _organisation_id(actor: Actor, slug: Any = None) -> int:
    """The caller's organisation, or (for platform admins) the one named by `organisation`."""
    require_authenticated(actor)
    if slug:
        if not isinstance(slug, str):
            raise ValidationError("Invalid organisation.", {"organisation": ["must be an organisation slug"]})
        return get_organisation(db.session, slug).id
    if actor.organisation_id is None:
        raise ValidationError("Name the organisation.", {"organisation": ["is required for platform-wide tokens"]})
    return actor.organisation_id


@bp.get("/webhooks")
def list_webhooks():
    """The organisation's webhooks with delivery counts, recent deliveries and the last error."""
    actor = current_actor()
    hooks = notify.list_webhooks(db.session, actor, _organisation_id(actor, request.args.get("organisation")))
    return jsonify({"items": [notify.webhook_to_dict(db.session, h) for h in hooks]})


@bp.post("/webhooks")
def create_webhook():
    """Register {"url", "secret"?}; the secret (generated when omitted) is returned only here."""
    actor = current_actor()
    org_id, body = _admin_body(actor, WebhookInputSchema())
    with unit_of_work() as uow:
        hook, secret = notify.create_webhook(uow.session, actor, org_id, body,
                                             private_allowed(current_app.config))
        uow.commit()
    response = jsonify({**notify.webhook_to_dict(db.session, hook), "secret": secret})
    response.status_code = 201
    return response


@bp.delete("/webhooks/<int:webhook_id>")
def delete_webhook(webhook_id: int):
    """Remove a webhook and its queued deliveries."""
    with unit_of_work() as uow:
        notify.delete_webhook(uow.session, current_actor(), webhook_id)
        uow.commit()
    return "", 204


@bp.post("/webhooks/<int:webhook_id>/test")
def test_webhook(webhook_id: int):
    """Send a signed test event now (one attempt, short timeout) and say how it went."""
    with unit_of_work() as uow:
        delivery = notify.send_test(uow.session, current_actor(), webhook_id,
                                    private_allowed(current_app.config))
        uow.commit()
    return jsonify(notify.delivery_to_dict(delivery))


@bp.get("/notifications/email")
def get_digest_email():
    """Where the organisation's e-mail digests go, and how the last one went."""
    actor = current_actor()
    org_id = _organisation_id(actor, request.args.get("organisation"))
    return jsonify(_subscription(digest.get_subscription(db.session, actor, org_id)))


@bp.put("/notifications/email")
def set_digest_email():
    """Set {"contact_email"} for the organisation's e-mail digests."""
    actor = current_actor()
    org_id, body = _admin_body(actor, DigestInputSchema())
    with unit_of_work() as uow:
        sub = digest.set_contact_email(uow.session, actor, org_id, body["contact_email"])
        uow.commit()
    return jsonify(_subscription(sub))


@bp.delete("/notifications/email")
def remove_digest_email():
    """Stop the organisation's e-mail digests."""
    actor = current_actor()
    with unit_of_work() as uow:
        digest.remove_contact_email(uow.session, actor, _organisation_id(actor, request.args.get("organisation")))
        uow.commit()
    return "", 204

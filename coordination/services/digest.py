"""E-mail digests: each organisation's unread overlap notices and introductions since its last digest, over SMTP.

Optional twice over: nothing is sent unless SMTP_HOST is configured and the organisation's admin
gave a contact address. One message per organisation, plain text with an HTML alternative.
"""
from __future__ import annotations

import html
import os
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import NotFound, ValidationError
from ..models import DigestSubscription, Initiative, Organisation, Overlap, OverlapNotice
from ..nudges import Notice, NudgePolicy, bundle, current
from ..permissions import Actor, require_org_admin
from ..visibility import organisation_reader, overlap_visible_clause
from .freshness import StaleReminder, stale_reminder_for
from .history import record_change
from .introductions import pending_for_digest

EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


@dataclass(frozen=True)
class SmtpSettings:
    """Where and as whom digests are sent."""

    host: str
    port: int = 25
    sender: str = "coordination@localhost"
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0


def smtp_settings(config: Mapping[str, Any]) -> SmtpSettings | None:
    """SMTP_* from the app config, else the environment; None when SMTP_HOST is not set."""
    def get(name: str) -> Any:
        value = config.get(name)
        return os.environ.get(name) if value is None else value
    host = get("SMTP_HOST")
    if not host:
        return None
    starttls = get("SMTP_STARTTLS")
    starttls = starttls if isinstance(starttls, bool) else str(starttls or "").lower() in ("1", "true", "yes")
    return SmtpSettings(host=str(host), port=int(get("SMTP_PORT") or (587 if starttls else 25)),
                        sender=str(get("SMTP_FROM") or f"coordination@{host}"), user=get("SMTP_USER") or None,
                        password=get("SMTP_PASSWORD") or None, starttls=starttls)


def get_subscription(session: Session, actor: Actor, organisation_id: int) -> DigestSubscription | None:
    """The organisation's digest address, if any (its admins only)."""
    require_org_admin(actor, organisation_id)
    return session.scalar(select(DigestSubscription).where(DigestSubscription.organisation_id == organisation_id))


def set_contact_email(session: Session, actor: Actor, organisation_id: int, email: Any) -> DigestSubscription:
    """Set (or change) where the organisation's digests go."""
    sub = get_subscription(session, actor, organisation_id)
    if not isinstance(email, str) or len(email) > 320 or not EMAIL.match(email.strip()):
        raise ValidationError("Invalid contact address.", {"contact_email": ["must be one e-mail address"]})
    email = email.strip()
    before = {"contact_email": sub.contact_email} if sub else None
    if sub is None:
        sub = DigestSubscription(organisation_id=organisation_id, contact_email=email)
        session.add(sub)
    sub.contact_email, sub.active = email, True
    session.flush()
    record_change(session, actor, "digest_subscription", sub.id, "update" if before else "create",
                  before, {"contact_email": email})
    return sub


def remove_contact_email(session: Session, actor: Actor, organisation_id: int) -> None:
    """Stop the organisation's digests."""
    sub = get_subscription(session, actor, organisation_id)
    if sub is None:
        raise NotFound("This organisation has no digest address.")
    record_change(session, actor, "digest_subscription", sub.id, "delete", {"contact_email": sub.contact_email}, None)
    session.delete(sub)


def pending_notices(session: Session, sub: DigestSubscription, until: datetime) -> list[OverlapNotice]:
    """Unread notices of active overlaps the organisation may read, raised since the last digest, oldest first."""
    stmt = (select(OverlapNotice).join(Overlap, OverlapNotice.overlap_id == Overlap.id)
            .where(OverlapNotice.organisation_id == sub.organisation_id, OverlapNotice.read_at.is_(None),
                   Overlap.active.is_(True), OverlapNotice.created_at <= until,
                   Overlap.score >= current().notify_threshold,
                   overlap_visible_clause(organisation_reader(sub.organisation_id)))
            .options(selectinload(OverlapNotice.overlap).selectinload(Overlap.initiative_a)
                     .selectinload(Initiative.organisation),
                     selectinload(OverlapNotice.overlap).selectinload(Overlap.initiative_b)
                     .selectinload(Initiative.organisation))
            .order_by(OverlapNotice.id))
    if sub.last_sent_at is not None:
        stmt = stmt.where(OverlapNotice.created_at > sub.last_sent_at)
    return list(session.scalars(stmt))


def _bundles(org: Organisation, notices: list[OverlapNotice], base_url: str,
             policy: NudgePolicy | None = None) -> tuple[list[dict[str, Any]], int]:
    """The notices bundled by own initiative as the inbox shows them (same wording, same redaction).

    At most `policy.digest_initiatives` bundles of `policy.shown_per_initiative` overlaps each;
    returns them and the number of bundles left for the inbox.
    """
    from ..insights import overlap_to_dict

    policy = current(policy)
    reader = organisation_reader(org.id)
    rows = {n.id: n.overlap for n in notices}
    bundles = bundle(Notice(notice_id=n.id, overlap_id=n.overlap_id, score=float(n.overlap.score), unread=True,
                            own_id=n.overlap.initiative_a_id if n.overlap.organisation_a_id == org.id
                            else n.overlap.initiative_b_id) for n in notices)
    out = []
    for b in bundles[:policy.digest_initiatives]:
        items = []
        for n in b.notices[:policy.shown_per_initiative]:
            shown = overlap_to_dict(rows[n.notice_id], viewpoint=b.own_id, actor=reader)
            other = shown["other"]
            own = next(side for side in shown["initiatives"] if side["id"] == b.own_id)
            items.append({"other": other["title"], "other_org": other["organisation"]["name"],
                          "score": f"{n.score:.2f}", "explanation": shown["explanation"],
                          "other_url": f"{base_url}/initiatives/{other['id']}"})
        out.append({"own": own["title"], "own_url": f"{base_url}/initiatives/{b.own_id}", "count": len(b.notices),
                    "items": items, "more": len(b.notices) - len(items),
                    "more_url": f"{base_url}/inbox?initiative={b.own_id}"})
    return out, max(0, len(bundles) - policy.digest_initiatives)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _more_initiatives(n: int) -> str:
    return "1 more of your initiatives has" if n == 1 else f"{n} more of your initiatives have"


def _introduction_items(org: Organisation, introductions: list[Any], base_url: str) -> list[dict[str, str]]:
    """Introductions received, as the inbox shows them: who, which pair, their published contact only."""
    from .introductions import introduction_to_dict

    items = []
    for intro in introductions:
        shown = introduction_to_dict(intro, org.id)
        contact = shown["from_organisation"]["contact"]
        items.append({"from_org": shown["from_organisation"]["name"], "own": shown["own_initiative"]["title"],
                      "other": shown["other_initiative"]["title"],
                      "contact": " · ".join(contact[k] for k in ("email", "website") if k in contact),
                      "other_url": f"{base_url}/initiatives/{shown['other_initiative']['id']}"})
    return items


def compose_digest(org: Organisation, notices: list[OverlapNotice], settings: SmtpSettings, to: str,
                   base_url: str, introductions: list[Any] | None = None,
                   reminder: StaleReminder | None = None) -> EmailMessage:
    """One digest e-mail: plain text, and HTML with every value escaped; `reminder` adds the
    organisation's stale initiatives (see services.freshness)."""
    base_url = base_url.rstrip("/")
    bundles, left = _bundles(org, notices, base_url)
    intros = _introduction_items(org, introductions or [], base_url)
    count = f"{len(notices)} new overlapping effort{'s' if len(notices) != 1 else ''}"
    if intros:
        asks = _plural(len(intros), "introduction")
        count = f"{count} and {asks}" if notices else asks
    if reminder:
        count = f"{count} and {reminder.headline}" if notices or intros else reminder.headline
    text = [f"{org.name}: {count} found by the coordination platform.", ""]
    for b in bundles:
        text += [f"* {_plural(b['count'], 'effort')} {'overlaps' if b['count'] == 1 else 'overlap'} with "
                 f"your \"{b['own']}\" ({b['own_url']})"]
        for i in b["items"]:
            text += [f"  - {i['other']} ({i['other_org']}), score {i['score']}: {i['explanation']}",
                     f"    {i['other_url']}"]
        if b["more"]:
            text += [f"  and {b['more']} more: {b['more_url']}"]
        text += [""]
    if left:
        text += [f"{_more_initiatives(left)} new overlaps: {base_url}/inbox", ""]
    for i in intros:
        text += [f"* {i['from_org']} would like to get in touch about your \"{i['own']}\" and their \"{i['other']}\".",
                 f"  Their published contact: {i['contact']}" if i["contact"] else
                 "  They have not published a contact; introduce yourselves back from your inbox.",
                 f"  Theirs: {i['other_url']}", ""]
    text += reminder.text() if reminder else []
    text += [f"Confirm or dismiss them in your inbox: {base_url}/inbox"]
    e = html.escape
    rows = "".join(
        f"<li><p>{e(_plural(b['count'], 'effort'))} {'overlaps' if b['count'] == 1 else 'overlap'} with your "
        f"<a href=\"{e(b['own_url'])}\">{e(b['own'])}</a></p><ul>"
        + "".join(f"<li><p><a href=\"{e(i['other_url'])}\">{e(i['other'])}</a> ({e(i['other_org'])}), score "
                  f"{e(i['score'])}</p><p>{e(i['explanation'])}</p></li>" for i in b["items"])
        + (f"<li><a href=\"{e(b['more_url'])}\">and {b['more']} more</a></li>" if b["more"] else "") + "</ul></li>"
        for b in bundles)
    if left:
        rows += f"<li><a href=\"{e(base_url)}/inbox\">{e(_more_initiatives(left))} new overlaps</a></li>"
    rows += "".join(
        f"<li><p>{e(i['from_org'])} would like to get in touch about your &ldquo;{e(i['own'])}&rdquo; and their "
        f"<a href=\"{e(i['other_url'])}\">&ldquo;{e(i['other'])}&rdquo;</a>.</p><p>"
        + (f"Their published contact: {e(i['contact'])}" if i["contact"] else
           "They have not published a contact; introduce yourselves back from your inbox.") + "</p></li>"
        for i in intros)
    rows += reminder.html() if reminder else ""
    body = (f"<html><body><p>{e(org.name)}: {e(count)} found by the coordination platform.</p><ul>{rows}</ul>"
            f"<p><a href=\"{e(base_url)}/inbox\">Confirm or dismiss them in your inbox</a>.</p></body></html>")
    msg = EmailMessage()
    msg["Subject"] = f"[Coordination] {count} for {org.name}"
    msg["From"], msg["To"] = settings.sender, to
    msg.set_content("\n".join(text))
    msg.add_alternative(body, subtype="html")
    return msg


def _send(settings: SmtpSettings, msg: EmailMessage) -> None:
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        smtp.send_message(msg)


def active_subscriptions(session: Session) -> list[DigestSubscription]:
    """The subscriptions a digest run goes through, oldest first."""
    return list(session.scalars(select(DigestSubscription).where(DigestSubscription.active.is_(True))
                                .order_by(DigestSubscription.id)))


def send_digest(session: Session, settings: SmtpSettings, sub: DigestSubscription, base_url: str,
                now: datetime) -> tuple[str, int]:
    """Send one organisation its digest: ("sent", notices), ("nothing_new", 0) or ("error", 0).

    A failed send is noted on the subscription (`last_error`); the worker commits either way.
    """
    notices = pending_notices(session, sub, now)
    introductions = pending_for_digest(session, sub.organisation_id, sub.last_sent_at, now)
    reminder = stale_reminder_for(session, sub.organisation_id, base_url, now, sub.last_sent_at)
    if not notices and not introductions and not (reminder and reminder.due):
        return "nothing_new", 0
    org = session.get(Organisation, sub.organisation_id)
    try:
        _send(settings, compose_digest(org, notices, settings, sub.contact_email, base_url, introductions,
                                       reminder))
    except (OSError, smtplib.SMTPException) as err:
        sub.last_error = f"{type(err).__name__}: {err}"[:1000]
        return "error", 0
    sub.last_sent_at, sub.last_error = now, None
    return "sent", len(notices)


def subscription_to_dict(sub: DigestSubscription | None) -> dict[str, Any]:
    """The digest settings as the API shows them."""
    if sub is None:
        return {"contact_email": None, "last_sent_at": None, "last_error": None}
    return {"contact_email": sub.contact_email, "active": sub.active, "last_error": sub.last_error,
            "last_sent_at": sub.last_sent_at.isoformat() if sub.last_sent_at else None}

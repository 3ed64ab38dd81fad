"""Web accounts: signing up an organisation, adding members and coordinators, passwords.

A sign-up is confirmed by e-mail before anything is created: `request_sign_up` stores a pending
sign-up (nothing public) and the caller e-mails a link to the address; `confirm_sign_up`, when
the link is followed, creates the organisation *unverified* (a coordinator verifies it later)
and its first user as the organisation's admin. A sign-up with a registered address creates
nothing (the caller tells the address's owner instead), and is answered exactly like any other:
the form never says which addresses have an account. Passwords are hashed with argon2.
the form never says which addresses have an account. Passwords are hashed with argon2
(`PASSWORDS`); signing in, throttled per address, is `signin`.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Conflict, DomainError, PermissionDenied, ValidationError
from ..models import Organisation, User, utcnow
from ..models.account import PendingSignUp
from ..permissions import Actor, require_org_admin
from .history import record_change
from .organisations import create_organisation, validate_organisation

MIN_PASSWORD = 10
MAX_PASSWORD = 200
USER_ROLES = ("member", "admin")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PASSWORDS = PasswordHasher()
FORGET_PENDING_AFTER = timedelta(days=7)  # sign-ups (used links included) are deleted after this


@cache
def dummy_hash() -> str:
    """A hash verified against when the e-mail is unknown, so timing does not reveal which
    accounts exist. Made at the first sign-in, not at start: every process (each command)
    would pay an argon2 hash, ~0.1 s, mostly for nothing."""
    return PASSWORDS.hash("not a real password")


def normalise_email(email: Any) -> str:
    """E-mail addresses compare case-insensitively and without surrounding spaces."""
    return email.strip().lower() if isinstance(email, str) else ""


def _check_credentials(email: str, password: Any, errors: dict[str, list[str]]) -> None:
    if not _EMAIL.match(email) or len(email) > 254:
        errors["email"] = ["must be an e-mail address such as name@example.org"]
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        errors["password"] = [f"must have at least {MIN_PASSWORD} characters"]
    elif len(password) > MAX_PASSWORD:
        errors["password"] = [f"must have at most {MAX_PASSWORD} characters"]


def actor_for_user(user: User) -> Actor:
    """The actor a signed-in person acts as in the services."""
    return Actor(role=user.role, organisation_id=user.organisation_id, label=f"user:{user.email}")


def _email_taken(session: Session, email: str) -> bool:
    return session.scalar(select(User.id).where(User.email == email)) is not None


def _validate_sign_up(data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The normalised address and organisation details; every bad field is reported."""
    email = normalise_email(data.get("email"))
    errors: dict[str, list[str]] = {}
    _check_credentials(email, data.get("password"), errors)
    org_data = {"name": data.get("organisation_name"), "type": data.get("organisation_type") or None,
                "country": data.get("country") or None}
    try:
        clean = validate_organisation(org_data)
    except ValidationError as err:
        errors.update({("organisation_" + k if k in ("name", "type") else k): v
                       for k, v in err.fields.items()})
    if errors:
        raise ValidationError("Please correct the marked fields.", errors)
    return email, {"name": clean["name"], "type": clean["type"], "country": clean["country"]}


@dataclass(frozen=True)
class SignUpRequest:
    """What a sign-up asked for: `pending` to confirm by e-mail, or None when the address has an account.

    Either way the caller sends the address one e-mail and answers the person the same way.
    """

    email: str
    pending: PendingSignUp | None


def request_sign_up(session: Session, data: dict[str, Any]) -> SignUpRequest:
    """Start a sign-up: nothing is created until the link e-mailed to the address is followed.

    A registered address gets no pending sign-up (the caller tells its owner that someone tried);
    the password is hashed either way so both take the same time.
    """
    email, org_data = _validate_sign_up(data)
    password_hash = PASSWORDS.hash(data["password"])
    now = utcnow()
    # Links expire long before this; their rows are forgotten on the next sign-up.
    session.execute(delete(PendingSignUp).where(PendingSignUp.created_at < now - FORGET_PENDING_AFTER))
    if _email_taken(session, email):
        return SignUpRequest(email, None)
    for attempt in range(2):  # a concurrent sign-up for the same address may insert the row under us
        try:
            with session.begin_nested():  # a lost race undoes this attempt only
                pending = session.scalar(select(PendingSignUp).where(PendingSignUp.email == email)
                                         .with_for_update())
                if pending is None:
                    pending = PendingSignUp(email=email)
                    session.add(pending)
                pending.password_hash, pending.nonce = password_hash, secrets.token_hex(16)
                pending.organisation_name, pending.organisation_type = org_data["name"], org_data["type"]
                pending.country, pending.created_at, pending.confirmed_at = org_data["country"], now, None
            return SignUpRequest(email, pending)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


class SignUpLinkRefused(DomainError):
    """A sign-up link that no longer works: `reason` is "invalid", "used" or "registered"."""

    code = "link_refused"

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def confirm_sign_up(session: Session, pending_id: Any, nonce: Any) -> User:
    """Follow a sign-up link (its signature and age already checked): create the organisation and its admin.

    A link works once, and only the newest link for an address works.
    """
    pending = session.scalar(select(PendingSignUp).where(PendingSignUp.id == pending_id).with_for_update()) \
        if isinstance(pending_id, int) else None
    if pending is None or not isinstance(nonce, str) or not secrets.compare_digest(pending.nonce, nonce):
        raise SignUpLinkRefused("invalid", "This link is not valid: it may be incomplete, or a newer link "
                                "was sent since. Use the newest link, or sign up again.")
    if pending.confirmed_at is not None:
        raise SignUpLinkRefused("used", "This link was already used: your account is ready. Sign in with your "
                                "e-mail address and password.")
    email = pending.email
    if _email_taken(session, email):
        raise SignUpLinkRefused("registered", "This e-mail address already has an account: sign in.")
    org_data = {"name": pending.organisation_name, "type": pending.organisation_type, "country": pending.country}
    actor = Actor(role="member", label=f"signup:{email}")
    try:
        org = create_organisation(session, actor, org_data, verified=False)
        user = User(email=email, password_hash=pending.password_hash,
                    organisation_id=org.id, organisation=org, role="admin")
        session.add(user)
        pending.confirmed_at, pending.password_hash = utcnow(), ""  # the hash lives on in the user only
        session.flush()
        record_change(session, actor_for_user(user), "user", user.id, "create", None,
                      {"email": email, "role": "admin", "organisation": org.slug})
        return user
    except IntegrityError:  # the same link followed twice at once (SQLite), or the address taken meanwhile
        raise SignUpLinkRefused("used", "This link was already used: your account is ready. Sign in with your "
                                "e-mail address and password.") from None





def _add_user(session: Session, actor: Actor, data: dict[str, Any], role: str, organisation: Organisation | None,
              role_errors: dict[str, list[str]]) -> User:
    """Create a user with checked credentials (and the caller's `role_errors`); unique by e-mail."""
    email = normalise_email(data.get("email"))
    errors: dict[str, list[str]] = {}
    _check_credentials(email, data.get("password"), errors)
    errors.update(role_errors)
    if not errors and _email_taken(session, email):
        raise Conflict("An account with this e-mail already exists.", {"email": ["is already registered"]})
    if errors:
        raise ValidationError("Please correct the marked fields.", errors)
    user = User(email=email, password_hash=PASSWORDS.hash(data["password"]),
                organisation_id=organisation.id if organisation else None, role=role)
    session.add(user)
    session.flush()
    record_change(session, actor, "user", user.id, "create", None, {"email": email, "role": role} | (
        {"organisation": organisation.slug} if organisation else {}))
    return user


def add_member(session: Session, actor: Actor, organisation: Organisation, data: dict[str, Any]) -> User:
    """An organisation admin adds a person to the organisation."""
    require_org_admin(actor, organisation.id)
    errors: dict[str, list[str]] = {}
    role = data.get("role") or "member"
    if role not in USER_ROLES:
        errors["role"] = [f"must be one of {', '.join(USER_ROLES)}"]
    return _add_user(session, actor, data, role, organisation, errors)


def add_coordinator(session: Session, actor: Actor, data: dict[str, Any]) -> User:
    """A platform admin (the CLI) gives a coordinator a web sign-in: platform-wide, in no organisation.

    A coordinator signed in on the web may do what a coordinator's token may (coordination.permissions):
    read everything, decide on any overlap, curate; never write an organisation's initiatives.
    """
    if not actor.is_platform_admin:
        raise PermissionDenied("Only a platform admin can make a coordinator.")
    return _add_user(session, actor, data, "coordinator", None, {})


def members_of(session: Session, organisation_id: int) -> list[User]:
    """The people of an organisation, by e-mail."""
    return list(session.scalars(select(User).where(User.organisation_id == organisation_id).order_by(User.email)))

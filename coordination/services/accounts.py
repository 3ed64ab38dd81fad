"""Web accounts: signing up an organisation, signing in, adding members.

A sign-up is confirmed by e-mail before anything is created: `request_sign_up` stores a pending
sign-up (nothing public) and the caller e-mails a link to the address; `confirm_sign_up`, when
the link is followed, creates the organisation *unverified* (a coordinator verifies it later)
and its first user as the organisation's admin. A sign-up with a registered address creates
nothing (the caller tells the address's owner instead), and is answered exactly like any other:
the form never says which addresses have an account. Passwords are hashed with argon2.

Sign-in is throttled per e-mail address, in the database so every worker sees the same
count: after MAX_FAILURES wrong passwords within FAILURE_WINDOW the address is locked for
FIRST_LOCK, twice as long at each further lock (at most MAX_LOCK); while it is locked every
attempt is refused, the right password included. Unknown addresses and unconfirmed sign-ups
are throttled alike, so the lock reveals nothing about which accounts exist. Only the right
password of an unconfirmed sign-up gets a different answer ("confirm your e-mail first").
"""
from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import AuthenticationRequired, Conflict, DomainError, PermissionDenied, ValidationError
from ..models import Organisation, User, utcnow
from ..models.account import PendingSignUp, SignInThrottle
from ..permissions import Actor, require_org_admin
from .history import record_change
from .organisations import create_organisation, validate_organisation

MIN_PASSWORD = 10
MAX_PASSWORD = 200
USER_ROLES = ("member", "admin")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so timing does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("not a real password")

FORGET_PENDING_AFTER = timedelta(days=7)  # sign-ups (used links included) are deleted after this
MAX_FAILURES = 5  # wrong passwords for one address within FAILURE_WINDOW before it is locked
FAILURE_WINDOW = timedelta(minutes=15)
FIRST_LOCK = timedelta(minutes=1)  # then 2, 4, 8 ... minutes
MAX_LOCK = timedelta(hours=1)
FORGET_AFTER = timedelta(days=1)  # without a failure for this long, the lock starts short again


class TooManyAttempts(DomainError):
    """Sign-in to this address is paused after repeated failures; `retry_after` in seconds."""

    code = "rate_limited"

    def __init__(self, wait: timedelta):
        self.retry_after = max(1, math.ceil(wait.total_seconds()))
        minutes = math.ceil(self.retry_after / 60)
        super().__init__(
            "Too many failed sign-ins for this e-mail address. To protect the account, signing in "
            f"is paused for {minutes} minute{'' if minutes == 1 else 's'}; then try again "
            "(your organisation's admin can set a new password if you forgot it).")


class FailedSignIn(AuthenticationRequired):
    """Wrong e-mail or password. The failure is counted in the unit of work: the door commits
    it before answering, so repeated failures lock the address."""


class NotConfirmed(DomainError):
    """The right password for a sign-up whose e-mail link has not been followed yet."""

    code = "forbidden"


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
    password_hash = _hasher.hash(data["password"])
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


def _throttle_key(email: str) -> str:
    return hashlib.sha256(email.encode("utf-8")).hexdigest()


def _throttle(session: Session, key: str) -> SignInThrottle | None:
    """The address's throttle row, locked until the transaction ends (PostgreSQL)."""
    return session.scalar(select(SignInThrottle).where(SignInThrottle.key == key).with_for_update())


def _record_failure(session: Session, key: str, now: datetime) -> None:
    """Count a failed sign-in; the MAX_FAILURES-th within the window locks the address."""
    for attempt in range(2):  # a concurrent first failure may insert the row under us
        try:
            with session.begin_nested():  # a lost race undoes this attempt only
                row = _throttle(session, key)
                if row is None:
                    row = SignInThrottle(key=key, failures=0, window_start=now, lockouts=0)
                    session.add(row)
                if row.locked_until is not None and now - row.locked_until > FORGET_AFTER:
                    row.lockouts = 0
                if now - row.window_start > FAILURE_WINDOW:
                    row.failures, row.window_start = 0, now
                row.failures += 1
                if row.failures >= MAX_FAILURES:
                    row.locked_until = now + min(FIRST_LOCK * 2 ** min(row.lockouts, 16), MAX_LOCK)
                    row.lockouts += 1
                    row.failures, row.window_start = 0, now
            return
        except IntegrityError:
            if attempt:
                raise


def sign_in(session: Session, email: Any, password: Any) -> User:
    """The user with these credentials; FailedSignIn otherwise (same message either way).

    TooManyAttempts while the address is locked after repeated failures, whatever the password.
    """
    email = normalise_email(email)
    key, now = _throttle_key(email), utcnow()
    row = _throttle(session, key)
    if row is not None and row.locked_until is not None and row.locked_until > now:
        raise TooManyAttempts(row.locked_until - now)
    user = session.scalar(select(User).where(User.email == email))
    pending = None if user else session.scalar(select(PendingSignUp).where(
        PendingSignUp.email == email, PendingSignUp.confirmed_at.is_(None)))
    stored = user.password_hash if user else pending.password_hash if pending else _DUMMY_HASH
    try:
        _hasher.verify(stored, password if isinstance(password, str) else "")
    except (VerificationError, InvalidHashError):
        user = pending = None
    if user is None and pending is not None:
        # Only someone who knows the password learns that the sign-up waits for its link.
        raise NotConfirmed("Your sign-up is not confirmed yet: follow the link we sent to your e-mail address "
                           "(or sign up again to get a new link).")
    if user is None:
        _record_failure(session, key, now)
        raise FailedSignIn("The e-mail or password is not right.")
    if row is not None:
        session.delete(row)  # a success forgets the failures
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def add_member(session: Session, actor: Actor, organisation: Organisation, data: dict[str, Any]) -> User:
    """An organisation admin adds a person to the organisation."""
    require_org_admin(actor, organisation.id)
    email = normalise_email(data.get("email"))
    errors: dict[str, list[str]] = {}
    _check_credentials(email, data.get("password"), errors)
    role = data.get("role") or "member"
    if role not in USER_ROLES:
        errors["role"] = [f"must be one of {', '.join(USER_ROLES)}"]
    if not errors and _email_taken(session, email):
        raise Conflict("An account with this e-mail already exists.", {"email": ["is already registered"]})
    if errors:
        raise ValidationError("Please correct the marked fields.", errors)
    user = User(email=email, password_hash=_hasher.hash(data["password"]),
                organisation_id=organisation.id, role=role)
    session.add(user)
    session.flush()
    record_change(session, actor, "user", user.id, "create", None,
                  {"email": email, "role": role, "organisation": organisation.slug})
    return user


def add_coordinator(session: Session, actor: Actor, data: dict[str, Any]) -> User:
    """A platform admin (the CLI) gives a coordinator a web sign-in: platform-wide, in no organisation.

    A coordinator signed in on the web may do what a coordinator's token may (coordination.permissions):
    read everything, decide on any overlap, curate; never write an organisation's initiatives.
    """
    if not actor.is_platform_admin:
        raise PermissionDenied("Only a platform admin can make a coordinator.")
    email = normalise_email(data.get("email"))
    errors: dict[str, list[str]] = {}
    _check_credentials(email, data.get("password"), errors)
    if not errors and _email_taken(session, email):
        raise Conflict("An account with this e-mail already exists.", {"email": ["is already registered"]})
    if errors:
        raise ValidationError("Please correct the marked fields.", errors)
    user = User(email=email, password_hash=_hasher.hash(data["password"]), organisation_id=None,
                role="coordinator")
    session.add(user)
    session.flush()
    record_change(session, actor, "user", user.id, "create", None, {"email": email, "role": "coordinator"})
    return user


def members_of(session: Session, organisation_id: int) -> list[User]:
    """The people of an organisation, by e-mail."""
    return list(session.scalars(select(User).where(User.organisation_id == organisation_id).order_by(User.email)))

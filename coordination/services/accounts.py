"""Web accounts: signing up an organisation, signing in, adding members.

A sign-up creates the organisation *unverified* (a coordinator verifies it later)
and its first user as the organisation's admin. Passwords are hashed with argon2.

Sign-in is throttled per e-mail address, in the database so every worker sees the same
count: after MAX_FAILURES wrong passwords within FAILURE_WINDOW the address is locked for
FIRST_LOCK, twice as long at each further lock (at most MAX_LOCK); while it is locked every
attempt is refused, the right password included. Unknown addresses are throttled alike, so
the lock reveals nothing about which accounts exist; neither does a sign-up.
"""
from __future__ import annotations

import hashlib
import math
import re
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import AuthenticationRequired, Conflict, DomainError, ValidationError
from ..models import Organisation, User, utcnow
from ..models.account import SignInThrottle
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

SIGN_UP_REFUSED = ("An organisation could not be registered with these details. If you already have an "
                   "account, sign in (or ask your organisation's admin to add you); otherwise check the "
                   "details and try again.")
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


def sign_up(session: Session, data: dict[str, Any]) -> User:
    """Create an unverified organisation and its admin user; every bad field is reported."""
    email = normalise_email(data.get("email"))
    errors: dict[str, list[str]] = {}
    _check_credentials(email, data.get("password"), errors)
    org_data = {"name": data.get("organisation_name"), "type": data.get("organisation_type") or None,
                "country": data.get("country") or None}
    try:
        validate_organisation(org_data)
    except ValidationError as err:
        errors.update({("organisation_" + k if k in ("name", "type") else k): v
                       for k, v in err.fields.items()})
    if errors:
        raise ValidationError("Please correct the marked fields.", errors)
    if _email_taken(session, email):
        # Said without naming the address, so the form does not tell who has an account.
        raise Conflict(SIGN_UP_REFUSED)
    actor = Actor(role="member", label=f"signup:{email}")
    try:
        org = create_organisation(session, actor, org_data, verified=False, commit=False)
        user = User(email=email, password_hash=_hasher.hash(data["password"]),
                    organisation_id=org.id, organisation=org, role="admin")
        session.add(user)
        session.flush()
        record_change(session, actor_for_user(user), "user", user.id, "create", None,
                      {"email": email, "role": "admin", "organisation": org.slug})
        session.commit()
        return user
    except Exception:
        session.rollback()
        raise


def _throttle_key(email: str) -> str:
    return hashlib.sha256(email.encode("utf-8")).hexdigest()


def _throttle(session: Session, key: str) -> SignInThrottle | None:
    """The address's throttle row, locked until the transaction ends (PostgreSQL)."""
    return session.scalar(select(SignInThrottle).where(SignInThrottle.key == key).with_for_update())


def _record_failure(session: Session, key: str, now: datetime) -> None:
    """Count a failed sign-in; the MAX_FAILURES-th within the window locks the address."""
    for attempt in range(2):  # a concurrent first failure may insert the row under us
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
        try:
            session.commit()
            return
        except IntegrityError:
            session.rollback()
            if attempt:
                raise


def sign_in(session: Session, email: Any, password: Any) -> User:
    """The user with these credentials; AuthenticationRequired otherwise (same message either way).

    TooManyAttempts while the address is locked after repeated failures, whatever the password.
    """
    email = normalise_email(email)
    key, now = _throttle_key(email), utcnow()
    row = _throttle(session, key)
    if row is not None and row.locked_until is not None and row.locked_until > now:
        wait = row.locked_until - now
        session.rollback()
        raise TooManyAttempts(wait)
    user = session.scalar(select(User).where(User.email == email))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password if isinstance(password, str) else "")
    except (VerificationError, InvalidHashError):
        user = None
    if user is None:
        session.rollback()
        _record_failure(session, key, now)
        raise AuthenticationRequired("The e-mail or password is not right.")
    if row is not None:
        session.delete(row)  # a success forgets the failures
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session.commit()
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
    try:
        user = User(email=email, password_hash=_hasher.hash(data["password"]),
                    organisation_id=organisation.id, role=role)
        session.add(user)
        session.flush()
        record_change(session, actor, "user", user.id, "create", None,
                      {"email": email, "role": role, "organisation": organisation.slug})
        session.commit()
        return user
    except Exception:
        session.rollback()
        raise


def members_of(session: Session, organisation_id: int) -> list[User]:
    """The people of an organisation, by e-mail."""
    return list(session.scalars(select(User).where(User.organisation_id == organisation_id).order_by(User.email)))

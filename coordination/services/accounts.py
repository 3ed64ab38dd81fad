"""Web accounts: signing up an organisation, signing in, adding members.

A sign-up creates the organisation *unverified* (a coordinator verifies it later)
and its first user as the organisation's admin. Passwords are hashed with argon2.
"""
from __future__ import annotations

import re
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import AuthenticationRequired, Conflict, ValidationError
from ..models import Organisation, User
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
    if not errors and _email_taken(session, email):
        raise Conflict("An account with this e-mail already exists.",
                       {"email": ["is already registered; sign in instead"]})
    if errors:
        raise ValidationError("Please correct the marked fields.", errors)
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


def sign_in(session: Session, email: Any, password: Any) -> User:
    """The user with these credentials; AuthenticationRequired otherwise (same message either way)."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password if isinstance(password, str) else "")
    except (VerificationError, InvalidHashError):
        user = None
    if user is None:
        raise AuthenticationRequired("The e-mail or password is not right.")
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

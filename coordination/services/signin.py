"""Signing in with an e-mail address and password, throttled per address.

Sign-in is throttled per e-mail address, in the database so every worker sees the same
count: after MAX_FAILURES wrong passwords within FAILURE_WINDOW the address is locked for
FIRST_LOCK, twice as long at each further lock (at most MAX_LOCK); while it is locked every
attempt is refused, the right password included. Unknown addresses and unconfirmed sign-ups
are throttled alike, so the lock reveals nothing about which accounts exist. Only the right
password of an unconfirmed sign-up gets a different answer ("confirm your e-mail first").
Passwords are hashed by `accounts` (argon2).
"""
from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta
from typing import Any

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import AuthenticationRequired, DomainError
from ..models import User, utcnow
from ..models.account import PendingSignUp, SignInThrottle
from . import accounts
from .accounts import normalise_email

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
    stored = user.password_hash if user else pending.password_hash if pending else accounts.dummy_hash()
    try:
        accounts.PASSWORDS.verify(stored, password if isinstance(password, str) else "")
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
    if accounts.PASSWORDS.check_needs_rehash(user.password_hash):
        user.password_hash = accounts.PASSWORDS.hash(password)
    return user

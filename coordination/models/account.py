"""People who sign in to the web pages: an organisation's member or admin, or a platform-wide coordinator."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .organisation import Organisation


class User(Base):
    """A person with a web account; `password_hash` is an argon2 hash, never the password.

    Members and admins belong to one organisation; a coordinator belongs to none (platform-wide,
    like a coordinator's API token) and is created only on the command line.
    """

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="member")  # member | admin | coordinator
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation | None] = relationship()


class SignInThrottle(Base):
    """Failed sign-ins for one e-mail address, shared by every worker (see services.accounts).

    Keyed by a hash of the normalised address, so addresses that have no account (guessed ones
    included) are throttled exactly like real ones without being stored in clear.
    """

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the e-mail
    failures: Mapped[int] = mapped_column(default=0)  # in the current window
    window_start: Mapped[datetime] = mapped_column(default=utcnow)
    lockouts: Mapped[int] = mapped_column(default=0)  # so far: each lock lasts twice the last
    locked_until: Mapped[datetime | None] = mapped_column(default=None)


class PendingSignUp(Base):
    """A sign-up waiting for its e-mail link (see services.accounts.request_sign_up).

    Nothing of it is public: the organisation and its admin are created only when the link
    is followed. One row per address: signing up again replaces the details and the nonce, so
    only the newest link works; `confirmed_at` marks a used link. Rows go after a week.
    """

    __tablename__ = "pending_sign_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2; emptied once the link is used
    organisation_name: Mapped[str] = mapped_column(String(300))
    organisation_type: Mapped[str | None] = mapped_column(String(4))
    country: Mapped[str | None] = mapped_column(String(2))
    nonce: Mapped[str] = mapped_column(String(64))  # in the link's signed token; a new sign-up changes it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)

"""API tokens: created once and shown once, stored hashed, revocable."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..errors import AuthenticationRequired, NotFound, ValidationError
from ..models import ApiToken, Organisation, utcnow
from ..permissions import Actor, require_org_admin

ORG_ROLES = ("member", "admin")
PLATFORM_ROLES = ("coordinator", "platform_admin")


def hash_token(token: str) -> str:
    """SHA-256 of the token: tokens are long and random, so no salt or slow hash is needed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, actor: Actor, role: str, organisation: Organisation | None = None,
                 label: str = "") -> tuple[ApiToken, str]:
    """Create a token; return the row and the plaintext, which is never stored."""
    role = "platform_admin" if role == "admin" and organisation is None else role
    if organisation is not None:
        if role not in ORG_ROLES:
            raise ValidationError("Invalid role.", {"role": [f"an organisation token is member or admin, not {role!r}"]})
        require_org_admin(actor, organisation.id)
    else:
        if role not in PLATFORM_ROLES:
            raise ValidationError("Invalid role.", {"role": [f"a platform-wide token is coordinator or admin, not {role!r}"]})
        if not actor.is_platform_admin:
            raise AuthenticationRequired("Only a platform admin can create platform-wide tokens.")
    plaintext = "cp_" + secrets.token_urlsafe(32)
    token = ApiToken(token_hash=hash_token(plaintext), prefix=plaintext[:10], role=role,
                     organisation_id=organisation.id if organisation else None, label=label)
    session.add(token)
    session.flush()  # the caller shows the token's id
    return token, plaintext


def authenticate(session: Session, plaintext: str) -> Actor:
    """The actor a bearer token stands for; AuthenticationRequired if unknown or revoked."""
    token = session.scalar(select(ApiToken).options(joinedload(ApiToken.organisation))  # one statement
                           .where(ApiToken.token_hash == hash_token(plaintext)))
    if token is None or token.revoked_at is not None:
        raise AuthenticationRequired("The API token is unknown or has been revoked.")
    org = token.organisation
    label = f"token:{token.prefix}" + (f"@{org.slug}" if org else "")
    return Actor(role=token.role, organisation_id=token.organisation_id, token_id=token.id, label=label)


def revoke_token(session: Session, actor: Actor, token_id: int) -> ApiToken:
    """Revoke a token; organisation admins revoke their own organisation's tokens."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"No token {token_id}.")
    if token.organisation_id is not None:
        require_org_admin(actor, token.organisation_id)
    elif not actor.is_platform_admin:
        raise NotFound(f"No token {token_id}.")
    token.revoked_at = utcnow()
    return token

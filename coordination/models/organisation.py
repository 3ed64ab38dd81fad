"""Organisations and the access tokens their people use."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

# IATI OrganisationType codes counted as institutional actors ("ally up"): government,
# local government, other public sector, multilateral, foundation, private sector, academia.
INSTITUTIONAL_TYPES = frozenset({"10", "11", "15", "40", "60", "70", "71", "72", "73", "80"})


class Organisation(Base):
    """An independent organisation that runs initiatives (NGO, agency, public body, funder)."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    # Normalised name for matching on import (lower case, accents folded).
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    type: Mapped[str | None] = mapped_column(String(4))  # IATI OrganisationType code
    country: Mapped[str | None] = mapped_column(String(2))
    org_identifier: Mapped[str | None] = mapped_column(String(120), unique=True)
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    # "|key|a:acr|id:KEY|": the identity keys of the name, aliases and identifier (name keys
    # bare, acronyms a:, the identifier id:; see coordination.orgs.names), searchable with
    # LIKE on any database.
    alias_keys: Mapped[str] = mapped_column(Text, default="")
    # Set when a coordinator merged this record into another: a redirect kept so that
    # imports naming it reach the survivor and an unmerge can restore it.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    verified: Mapped[bool] = mapped_column(default=False)
    # A contact the organisation's admin chose to publish on its profile (None: not published).
    # Everyone may read these; nothing else about the organisation's people is ever shown.
    public_email: Mapped[str | None] = mapped_column(String(320))
    public_website: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    merged_into: Mapped[Organisation | None] = relationship(remote_side=[id])

    @property
    def is_institutional(self) -> bool:
        """True for government, multilateral, foundation and similar actors."""
        return (self.type or "") in INSTITUTIONAL_TYPES


class OrganisationMerge(Base):
    """A coordinator's merge of one organisation record into another, and its undoing.

    `moved` lists exactly what the merge changed (initiative, partner, user, token,
    webhook and notice ids; partner rows it removed; aliases it added) so that an unmerge
    restores that and nothing else.
    """

    __tablename__ = "organisation_merge"

    id: Mapped[int] = mapped_column(primary_key=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    absorbed_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    merged_by: Mapped[str] = mapped_column(String(160))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    moved: Mapped[dict] = mapped_column(JSON, default=dict)
    unmerged_by: Mapped[str | None] = mapped_column(String(160))
    unmerged_at: Mapped[datetime | None] = mapped_column()
    unmerge_reason: Mapped[str | None] = mapped_column(Text)


class ApiToken(Base):
    """A bearer token; only its SHA-256 hash is stored, the token is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    role: Mapped[str] = mapped_column(String(16))  # member | admin | coordinator | platform_admin
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column()

    organisation: Mapped[Organisation | None] = relationship()

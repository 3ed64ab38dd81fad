"""Organisations: creating them, finding them again on import, verifying them."""
from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import vocab
from ..errors import NotFound, ValidationError
from ..models import Organisation
from ..orgs.names import identifier_key, usable_identifier
from ..permissions import Actor, require_coordinator
from .history import record_change
from .org_identity import match_organisation, refresh_keys, resolved
from ..text import name_key, slugify

_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _unique_slug(session: Session, base: str, pending: Collection[str] = ()) -> str:
    """`base`, or `base-2`, `base-3`...: the first neither stored nor `pending` (the slugs of rows
    added and not flushed yet)."""
    slug, n = base, 1
    while slug in pending or session.scalar(select(Organisation.id).where(Organisation.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    return slug


def validate_organisation(data: dict[str, Any]) -> dict[str, Any]:
    """Check name, type and country; raise ValidationError naming the fields."""
    errors: dict[str, list[str]] = {}
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        errors["name"] = ["is required and may not be blank"]
    elif len(name) > 300:
        errors["name"] = ["is too long (at most 300 characters)"]
    type_ = data.get("type")
    if type_ is not None and str(type_) not in vocab.ORGANISATION_TYPES:
        errors["type"] = [f"{type_!r} is not an IATI OrganisationType code (e.g. 22 for a national NGO)"]
    country = data.get("country")
    if country is not None and (not isinstance(country, str) or not _COUNTRY.match(country.upper())):
        errors["country"] = [f"must be an ISO 3166-1 alpha-2 code, got {country!r}"]
    if errors:
        raise ValidationError("Invalid organisation.", errors)
    return {
        "name": name.strip(), "type": str(type_) if type_ is not None else None,
        "country": country.upper() if country else None,
        "org_identifier": usable_identifier(data.get("org_identifier")),
        "aliases": [a for a in data.get("aliases") or [] if isinstance(a, str) and a.strip()],
        "description": data.get("description") or "",
    }


def create_organisation(session: Session, actor: Actor, data: dict[str, Any],
                        verified: bool = False, *, new_id: int | None = None,
                        pending: dict[str, Organisation] | None = None) -> Organisation:
    """Register a new organisation (unverified unless a coordinator says otherwise).

    `new_id` (a bulk import's, `lookups.Lookups`): the row takes that id and waits for the
    session's next flush instead of being inserted now; `pending` holds such rows by slug (no
    two take one slug) and gets this one.
    """
    clean = validate_organisation(data)
    if clean["org_identifier"] and session.scalar(
            select(Organisation.id).where(Organisation.org_identifier == clean["org_identifier"])):
        raise ValidationError("Organisation identifier already registered.",
                              {"org_identifier": [f"{clean['org_identifier']!r} is already registered"]})
    org = Organisation(id=new_id, slug=_unique_slug(session, slugify(clean["name"]), pending or ()),
                       name_key=name_key(clean["name"]), verified=verified, **clean)
    refresh_keys(org)
    session.add(org)
    if new_id is None:
        session.flush()
    elif pending is not None:
        pending[org.slug] = org
    record_change(session, actor, "organisation", org.id, "create", None,
                  {"slug": org.slug, "name": org.name, "type": org.type, "country": org.country})
    return org


def find_organisation(session: Session, ref: dict[str, Any] | str) -> Organisation | None:
    """Find by slug, then identifier, then name, acronym or alias (import matching).

    The answer is the organisation as it now stands: a record merged into another
    answers with the survivor. Name and acronym matching is `org_identity`'s.
    """
    if isinstance(ref, str):
        return resolved(session, session.scalar(select(Organisation).where(Organisation.slug == ref)))
    if ref.get("slug"):
        return resolved(session, session.scalar(select(Organisation).where(Organisation.slug == ref["slug"])))
    if usable_identifier(ref.get("org_identifier")):
        org = session.scalar(select(Organisation).where(Organisation.org_identifier == ref["org_identifier"].strip()))
        if org:
            return resolved(session, org)
    return match_organisation(session, ref)


def same_identifier(a: str | None, b: str | None) -> bool:
    """Whether two org-ids are the same, however punctuated ("CH-FDJP-CHE-1068" = "CH-FDJP-CHE1068")."""
    return bool(a and b) and identifier_key(a) == identifier_key(b)


def administers(actor: Actor, org: Organisation) -> bool:
    """Whether the actor may change the organisation itself: its admins, platform admins, the system."""
    return actor.is_platform_admin or (actor.role == "admin" and actor.organisation_id == org.id)


def learn_names(session: Session, actor: Actor, org: Organisation, ref: dict[str, Any]) -> None:
    """Keep the names an import gives an organisation found by its identifier, as aliases.

    Two files naming `XM-DAC-41122` "UNICEF" and "United Nations Children's Fund" mean one
    organisation: the name it was registered with stays, the other becomes an alias, so a
    later file naming it either way (even without the identifier) finds it. An organisation
    registered under its bare identifier (a file gave no name) takes the first real name.
    Only those who may change the organisation (its admins, platform admins, the system)
    teach it names; anyone else's import just links to it.
    """
    if not administers(actor, org):
        return
    names = [n.strip() for n in [ref.get("name"), *(ref.get("aliases") or [])]
             if isinstance(n, str) and n.strip() and len(n.strip()) <= 300]
    names = [n for n in names if n != org.org_identifier]
    if not names:
        return
    before = {"name": org.name, "aliases": list(org.aliases or [])}
    if org.name == org.org_identifier:
        org.name, org.name_key = names[0], name_key(names[0])
    known = {org.name_key, *(name_key(a) for a in org.aliases or [])}
    added = []
    for name in names:
        if name_key(name) and name_key(name) not in known:
            known.add(name_key(name))
            added.append(name)
    if not added and org.name == before["name"]:
        return
    org.aliases = [*(org.aliases or []), *added]
    refresh_keys(org)
    record_change(session, actor, "organisation", org.id, "update", before,
                  {"name": org.name, "aliases": list(org.aliases)})


def find_or_create_organisation(session: Session, actor: Actor, ref: dict[str, Any]) -> Organisation:
    """Organisation for an import reference: link to a known one, never rewrite another's.

    A reference is linked to the organisation with its identifier, or (slug, name, alias)
    to one whose identifier does not conflict. Only the organisation's own admins, platform
    admins and the system complete a missing identifier, and the system (CLI, seed) keeps
    linking by name whatever the identifiers. Anyone else naming a known organisation with
    another identifier gets a new unverified organisation, which a coordinator can merge.
    """
    return link_or_create(session, actor, ref, find_organisation(session, ref))


def link_or_create(session: Session, actor: Actor, ref: dict[str, Any], org: Organisation | None) -> Organisation:
    """`find_or_create_organisation` once the reference has been searched for: `org` is what
    `find_organisation` answered (a bulk import's `OrganisationDirectory` answers the same)."""
    identifier = usable_identifier(ref.get("org_identifier"))
    if org is None:
        return create_organisation(session, actor, ref)
    if identifier is None or same_identifier(org.org_identifier, identifier) or actor.is_platform_admin:
        if identifier and not org.org_identifier:
            org.org_identifier = identifier
            refresh_keys(org)
        if same_identifier(org.org_identifier, identifier):
            learn_names(session, actor, org, ref)
        return org
    if org.org_identifier is None and administers(actor, org):
        org.org_identifier = identifier
        refresh_keys(org)
        learn_names(session, actor, org, ref)
        return org
    # Same name (or slug, or alias) but another identifier: not provably the same organisation.
    return create_organisation(session, actor, {k: v for k, v in ref.items() if k != "slug"})


def get_organisation(session: Session, slug: str) -> Organisation:
    """One organisation by slug, or NotFound."""
    org = session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise NotFound(f"No organisation {slug!r}.")
    return org


def verify_organisation(session: Session, actor: Actor, slug: str, verified: bool = True) -> Organisation:
    """A coordinator or platform admin marks an organisation as verified."""
    require_coordinator(actor)
    org = get_organisation(session, slug)
    before = {"verified": org.verified}
    org.verified = verified
    record_change(session, actor, "organisation", org.id, "verify", before, {"verified": verified})
    return org

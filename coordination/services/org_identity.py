"""Which stored organisation a description names: one organisation written many ways.

A description (an import's reference: name, aliases, identifier, country) is the same
organisation as a stored record when
- their identifiers are the same org-id, however punctuated; or
- they share a name, as written or spelled out ("United Nations Children's Fund (UNICEF)"
  and "UNITED NATIONS CHILDREN'S FUND"; "World Food Program" and "WORLD FOOD PROGRAMME");
- or they share an acronym *and* something else agrees: the same country; or a known
  expansion — the IATI lists spell out one international agency's letters ("UNICEF"), and
  a stored international NGO whose name spells the letters ("International Rescue
  Committee", alias IRC) is what a bare "IRC" of the same type means, if no other record
  uses them. Two national NGOs called "ADA" in different countries stay two.
Two records placed in different countries are never the same by name or acronym alone.
A record merged into another redirects to it.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..models import Organisation
from ..orgs.names import Identity, identifier_key, identity_of, stored_keys
from ..orgs.registry import registry
from ..text import name_key

# International NGOs and multilaterals: their letters are not tied to a country.
_INTERNATIONAL = frozenset({"21", "40"})
_SMALL_WORDS = frozenset({"of", "the", "for", "and", "de", "des", "du", "la", "le", "el", "del", "y", "et", "in"})


def known_identity(names: list[Any], identifier: str | None) -> Identity:
    """The identity of some names and an identifier, with what the IATI lists add.

    An identifier the lists know adds its published name; a bare acronym (no name spelled
    out) known as one international agency's adds that agency's name.
    """
    names = [n for n in names if isinstance(n, str) and n.strip()]
    identity = identity_of(names, identifier)
    known = registry().find(identifier)
    if known is not None:
        identity.add_name(known.name)
    if identity.names <= identity.acronyms:
        for acronym in sorted(identity.acronyms):
            agency = registry().agency(acronym)
            if agency is not None:
                identity.add_name(agency.name)
    return identity


def ref_identity(ref: dict[str, Any]) -> Identity:
    """The identity of an import's organisation reference."""
    return known_identity([ref.get("name"), *(ref.get("aliases") or [])], ref.get("org_identifier"))


def organisation_identity(org: Organisation) -> Identity:
    """The identity of a stored record."""
    return known_identity([org.name, *(org.aliases or [])], org.org_identifier)


def refresh_keys(org: Organisation) -> None:
    """Recompute the record's stored identity keys after its names or identifier changed."""
    org.alias_keys = stored_keys(organisation_identity(org))


def _stored(org: Organisation) -> Identity:
    """The identity kept in the record's keys (no list reading needed)."""
    identity = Identity()
    for key in (org.alias_keys or "").strip("|").split("|"):
        if key.startswith("a:"):
            identity.acronyms.add(key[2:])
        elif key.startswith("id:"):
            identity.identifier = key[3:]
        elif key:
            identity.names.add(key)
    return identity


def _spells(names: set[str], acronym: str) -> bool:
    """Whether one of the names starts with words whose initials are the acronym (with or
    without the small words): "international rescue committee" spells IRC."""
    for name in names:
        words = name.split()
        for kept in (words, [w for w in words if w not in _SMALL_WORDS]):
            initials = "".join(w[0] for w in kept)
            if initials.startswith(acronym):
                return True
    return False


def match_strength(identity: Identity, country: str | None, type_: str | None, org: Organisation) -> str | None:
    """How a description matches a stored record: "strong", "acronym" (only if unique), or None.

    Strong: the same identifier, or a shared name, and no conflicting countries. An acronym
    alone counts only when one side is just the letters, and then when both are placed in the
    same country, or when both are international
    (an international NGO or a multilateral, no country) of the same type and the record's
    name spells the letters out; then only if no other record carries those letters.
    """
    stored = _stored(org)
    if identity.identifier and stored.identifier == identifier_key(identity.identifier):
        return "strong"
    if country and org.country and country.upper() != org.country:
        return None
    if identity.names & stored.names:
        return "strong"
    shared = identity.acronyms & stored.acronyms
    if not shared or not (identity.names <= identity.acronyms or stored.names <= stored.acronyms):
        return None  # both spell their letters out, differently: a coincidence of letters
    if country and org.country:
        return "strong"
    international = not country and not org.country and type_ == org.type and type_ in _INTERNATIONAL
    return "acronym" if international and any(_spells(stored.names, a) for a in shared) else None


def resolved(session: Session, org: Organisation | None) -> Organisation | None:
    """The record an organisation now lives in: itself, or the one it was merged into."""
    seen = set()
    while org is not None and org.merged_into_id is not None and org.id not in seen:
        seen.add(org.id)
        org = session.get(Organisation, org.merged_into_id)
    return org


def _search_keys(identity: Identity) -> list[str]:
    """The `alias_keys` entries a description is searched by: names, acronyms, identifier."""
    keys = [*identity.names, *(f"a:{a}" for a in identity.acronyms)]
    if identity.identifier:
        keys.append(f"id:{identifier_key(identity.identifier)}")
    return keys


def match_organisation(session: Session, ref: dict[str, Any]) -> Organisation | None:
    """The stored organisation a reference names by identifier, name or acronym (resolved)."""
    identity = ref_identity(ref)
    keys = _search_keys(identity)
    if not keys:
        return None
    # Several may match (an import's unverified namesake): the verified, then the oldest; and a
    # record written exactly as the reference names it first (indexed: most imports stop here),
    # so after an unmerge "UNITED NATIONS CHILDREN'S FUND" is that record again, not the UNICEF
    # that spells it out.
    first = (Organisation.verified.desc(), Organisation.id)
    country, type_ = ref.get("country"), ref.get("type")
    written = name_key(ref.get("name") or "")
    for org in session.scalars(select(Organisation).where(Organisation.name_key == written).order_by(*first)):
        if match_strength(identity, country, type_, org) == "strong":
            return resolved(session, org)
    candidates = session.scalars(select(Organisation).where(or_(*(
        Organisation.alias_keys.contains(f"|{key}|", autoescape=True) for key in keys))).order_by(*first))
    by_letters = []
    for org in candidates:
        strength = match_strength(identity, country, type_, org)
        if strength == "strong":
            return resolved(session, org)
        if strength == "acronym":
            by_letters.append(org)
    return resolved(session, by_letters[0]) if len(by_letters) == 1 else None


class KnownKeys:
    """Everything a stored organisation can be found by, read in one pass: a bulk import asks
    it before searching, so an organisation no record can match (most of a big file's partners,
    the first time) is not searched for with a scan of every record's keys (`match_organisation`'s
    LIKE) each time.

    A superset of what the search can match: texts are kept lowercased (SQLite's LIKE ignores
    ASCII case), an organisation the import creates or teaches names to is added (`add`), and
    none is taken out (a rollback only removes records). Records committed by another writer
    after the pass are not seen, as the import's own uncommitted ones are not seen by them.
    """

    def __init__(self, session: Session) -> None:
        self.slugs: set[str] = set()
        self.identifiers: set[str] = set()
        self.names: set[str] = set()
        self.keys: set[str] = set()
        for slug, identifier, key, alias_keys in session.execute(select(
                Organisation.slug, Organisation.org_identifier, Organisation.name_key, Organisation.alias_keys)):
            self._add(slug, identifier, key, alias_keys)

    def _add(self, slug: str | None, identifier: str | None, key: str | None, alias_keys: str | None) -> None:
        self.slugs.add(slug or "")
        if identifier:
            self.identifiers.add(identifier)
        self.names.add(key or "")
        self.keys.update(alias_keys.lower().split("|") if alias_keys else ())

    def add(self, org: Organisation) -> None:
        """Count the organisation's current names and keys in."""
        self._add(org.slug, org.org_identifier, org.name_key, org.alias_keys)

    def may_match(self, ref: dict[str, Any]) -> bool:
        """False only when `organisations.find_organisation(session, ref)` must find nothing."""
        slug = ref.get("slug")
        if slug:
            return not isinstance(slug, str) or slug in self.slugs
        identifier = ref.get("org_identifier")
        if isinstance(identifier, str) and identifier.strip() in self.identifiers:
            return True
        identity = ref_identity(ref)
        keys = _search_keys(identity)
        if not keys:
            return False  # `match_organisation` searches nothing
        if name_key(ref.get("name") or "") in self.names:
            return True
        # A key with "|" in it could match across two stored keys: let the search decide.
        return any("|" in key or key.lower() in self.keys for key in keys)

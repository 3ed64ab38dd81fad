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

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..models import Organisation
from ..orgs.names import Identity, identifier_key, identity_of, stored_keys, usable_identifier
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


class _Row:
    """What the search reads of one stored organisation (an `Organisation`'s own attributes)."""

    __slots__ = ("alias_keys", "country", "id", "merged_into_id", "name_key", "org_identifier", "slug",
                 "type", "verified")

    def __init__(self, id: int, slug: str | None, org_identifier: str | None, name_key: str | None,
                 alias_keys: str | None, verified: bool, country: str | None, type: str | None,
                 merged_into_id: int | None) -> None:
        self.id, self.slug, self.org_identifier, self.name_key = id, slug, org_identifier, name_key
        self.alias_keys, self.verified, self.country, self.type = alias_keys, verified, country, type
        self.merged_into_id = merged_into_id


_COLUMNS = (Organisation.id, Organisation.slug, Organisation.org_identifier, Organisation.name_key,
            Organisation.alias_keys, Organisation.verified, Organisation.country, Organisation.type,
            Organisation.merged_into_id)

UNSURE = object()  # `OrganisationDirectory.find`: only the database's search can tell

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class OrganisationDirectory:
    """Every stored organisation's search fields, read in one pass, answering
    `organisations.find_organisation` without a query per reference: a bulk import names
    hundreds of organisations, most of them stored already, and each search was a few
    queries (one scanning every record's keys with LIKE).

    It answers as the search would in the import's transaction: the organisations the import
    creates, or teaches a name or an identifier, are put back in (`add`), as the search would
    read them (an import changes organisations only through its lookups). Records committed by
    another writer after the pass are not seen, as the import's own uncommitted ones are not
    seen by them. A reference whose answer hangs on what only SQL decides (a slug that is not
    text, a key with "|" in it) gets `UNSURE`: the caller asks the database.
    """

    def __init__(self, session: Session) -> None:
        # LIKE ignores ASCII case on SQLite, not on PostgreSQL: `alias_keys` entries compare so.
        self._fold = session.get_bind().dialect.name == "sqlite"
        self._rows: dict[int, _Row] = {}
        self._objects: dict[int, Organisation] = {}
        self._slugs: dict[str, int] = {}
        self._identifiers: dict[str, int] = {}
        self._names: dict[str | None, set[int]] = {}
        self._keys: dict[str, set[int]] = {}
        for values in session.execute(select(*_COLUMNS)):
            self._put(_Row(*values))

    def add(self, org: Organisation) -> None:
        """Take the organisation as it now stands (created, or taught names or an identifier)."""
        self._objects[org.id] = org
        self._put(_Row(org.id, org.slug, org.org_identifier, org.name_key, org.alias_keys,
                       bool(org.verified), org.country, org.type, org.merged_into_id))

    def keep(self, orgs: Iterable[Organisation]) -> None:
        """Hold these organisations' objects (read as stored) for `object`."""
        for org in orgs:
            self._objects[org.id] = org

    def object(self, org_id: int) -> Organisation | None:
        """The organisation object put in with `add` (it may not be flushed yet) or `keep`."""
        return self._objects.get(org_id)

    def find(self, ref: dict[str, Any]) -> int | None | object:
        """The id `find_organisation(session, ref)` answers with (merges followed), None
        where it finds nothing, or `UNSURE`."""
        slug = ref.get("slug")
        if slug:
            if not isinstance(slug, str):
                return UNSURE
            return self._resolved(self._slugs.get(slug))
        identifier = usable_identifier(ref.get("org_identifier"))
        if identifier and identifier in self._identifiers:
            return self._resolved(self._identifiers[identifier])
        identity = ref_identity(ref)
        keys = _search_keys(identity)
        if not keys:
            return None
        if any("|" in key for key in keys):
            return UNSURE
        country, type_ = ref.get("country"), ref.get("type")
        for row in self._ordered(self._names.get(name_key(ref.get("name") or ""), ())):
            if match_strength(identity, country, type_, row) == "strong":  # type: ignore[arg-type]
                return self._resolved(row.id)
        found: set[int] = set()
        for key in keys:
            found.update(self._keys.get(self._folded(key), ()))
        by_letters = []
        for row in self._ordered(found):
            strength = match_strength(identity, country, type_, row)  # type: ignore[arg-type]
            if strength == "strong":
                return self._resolved(row.id)
            if strength == "acronym":
                by_letters.append(row)
        return self._resolved(by_letters[0].id) if len(by_letters) == 1 else None

    def _ordered(self, ids: Collection[int]) -> list[_Row]:
        """The rows in the search's order: the verified, then the oldest."""
        return sorted((self._rows[i] for i in ids), key=lambda row: (not row.verified, row.id))

    def _resolved(self, org_id: int | None) -> int | None:
        """As `resolved`: the record a merged one now lives in."""
        seen = set()
        while org_id is not None and org_id not in seen:
            row = self._rows.get(org_id)
            if row is None or row.merged_into_id is None:
                break
            seen.add(org_id)
            org_id = row.merged_into_id
        return org_id

    def _folded(self, key: str) -> str:
        return key.translate(_ASCII_LOWER) if self._fold else key

    def _entries(self, alias_keys: str | None) -> set[str]:
        """The keys LIKE '%|key|%' finds in `alias_keys`: those between two "|"."""
        return {self._folded(k) for k in (alias_keys or "").split("|")[1:-1]}

    def _put(self, row: _Row) -> None:
        old = self._rows.get(row.id)
        if old is not None:  # its earlier names and keys no longer find it
            self._names.get(old.name_key, set()).discard(old.id)
            for key in self._entries(old.alias_keys):
                self._keys.get(key, set()).discard(old.id)
            if old.slug is not None and self._slugs.get(old.slug) == old.id:
                del self._slugs[old.slug]
            if old.org_identifier and self._identifiers.get(old.org_identifier) == old.id:
                del self._identifiers[old.org_identifier]
        self._rows[row.id] = row
        if row.slug is not None:
            self._slugs[row.slug] = row.id
        if row.org_identifier:
            self._identifiers[row.org_identifier] = row.id
        self._names.setdefault(row.name_key, set()).add(row.id)
        for key in self._entries(row.alias_keys):
            self._keys.setdefault(key, set()).add(row.id)

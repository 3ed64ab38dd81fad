"""What a write looks up by name: organisations, tags and goals.

A single registration asks the database each time. A bulk import keeps the answers for the
length of its transaction (`Lookups(..., remember=True)`): 2,000 records naming one
organisation, one sector tag and a handful of goals look each up once. After a rollback the
remembered rows may be gone: `forget()` drops them.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Goal, Initiative, Organisation, Tag
from ..permissions import Actor
from .bulk_ids import take_ids
from .org_identity import UNSURE, OrganisationDirectory
from .organisations import create_organisation, find_or_create_organisation, find_organisation, link_or_create
from .tags import create_missing_tags, tag_for_label, tags_for_labels
from .visions import resolve_goals


class Lookups:
    """Organisations, tags and goals by reference, remembered for one transaction when asked."""

    def __init__(self, session: Session, actor: Actor, remember: bool = False) -> None:
        self.session, self.actor, self.remember = session, actor, remember
        self._organisations: dict[tuple[str, bool], Organisation | None] = {}
        self._tags: dict[str, Tag] = {}
        self._goals: dict[str, Goal] = {}
        self._own: dict[int, set[tuple[str, str]]] = {}
        self._known: OrganisationDirectory | None = None
        self._batch_keys: dict[int, tuple[Any, Any]] = {}  # id(ref) -> (ref, its key): `_key_of`
        # Organisations created with an id taken here, not inserted until the session's next
        # flush (the batch's, `bulk_write.write_drafts`), by slug; `_last_id`: the last id taken.
        self._unflushed: dict[str, Organisation] = {}
        self._last_id = 0

    def forget(self) -> None:
        """Drop what was remembered (after a rollback the rows may no longer exist)."""
        self._organisations.clear()
        self._tags.clear()
        self._goals.clear()
        self._own.clear()
        self._unflushed.clear()
        self._last_id = 0
        self._known = None  # read again: it holds what the import created or taught
        self._batch_keys.clear()

    def own_identifiers(self, organisation_id: int) -> set[tuple[str, str]]:
        """("iati_identifier" | "provenance", value) of the organisation's initiatives, read once.

        Only with `remember`: the importer adds what it registers, so two rows of one file
        naming one record are seen too.
        """
        known = self._own.get(organisation_id)
        if known is None:
            rows = self.session.execute(select(Initiative.iati_identifier, Initiative.provenance).where(
                Initiative.organisation_id == organisation_id)).all()
            known = self._own[organisation_id] = ({("iati_identifier", i) for i, _ in rows if i}
                                                  | {("provenance", p) for _, p in rows if p})
        return known

    def has_identifier(self, organisation_id: int, iati_identifier: str) -> bool:
        """Whether the organisation has an initiative with this IATI identifier."""
        if self.remember:
            return ("iati_identifier", iati_identifier) in self.own_identifiers(organisation_id)
        return self.session.scalar(select(Initiative.id).where(
            Initiative.organisation_id == organisation_id,
            Initiative.iati_identifier == iati_identifier).limit(1)) is not None

    def organisation(self, ref: Any, may_create: bool) -> Organisation | None:
        """The organisation a reference names: a slug, or a full description (imports).

        A description is matched by identifier, name or alias and, when `may_create`, an
        unknown one is created unverified; a slug must exist.
        """
        key = (self._key_of(ref), may_create and isinstance(ref, dict))
        if self.remember and key in self._organisations:
            return self._organisations[key]
        found = self._directory().find(ref) if isinstance(ref, dict) and self.remember else UNSURE
        if found is None:
            # No stored organisation is the one described: no search, and no insert of its own
            # (one per organisation costs more than the rest of its record).
            org = (create_organisation(self.session, self.actor, ref, new_id=self._new_id(),
                                       pending=self._unflushed) if may_create else None)
            if org is not None:
                self._last_id = org.id
        elif found is not UNSURE:
            org = self._directory().object(found) or self.session.get(Organisation, found)
            if may_create:
                org = link_or_create(self.session, self.actor, ref, org)
        else:
            if self._unflushed:  # a search must see the organisations created before it
                self.session.flush()
                self._unflushed.clear()
            if isinstance(ref, dict):
                org = (find_or_create_organisation(self.session, self.actor, ref) if may_create
                       else find_organisation(self.session, ref))
            else:
                org = find_organisation(self.session, str(ref))
        if self.remember and org is not None:
            self._organisations[key] = org
            self._directory().add(org)  # created, or taught a name or an identifier
        return org

    def load_organisations(self, refs: Iterable[Any]) -> None:
        """Read in one query the stored organisations the references name (a batch's), which
        `organisation` then links to without loading each one by itself (a query apiece, about
        what the search it spares cost)."""
        if not self.remember:
            return
        directory = self._directory()
        wanted, seen = set(), set()
        self._batch_keys.clear()
        for ref in refs:
            if not isinstance(ref, dict):
                continue
            key = _ref_key(ref)
            self._batch_keys[id(ref)] = (ref, key)
            if key in seen or (key, True) in self._organisations or (key, False) in self._organisations:
                continue
            seen.add(key)
            found = directory.find(ref)
            if isinstance(found, int) and directory.object(found) is None:
                wanted.add(found)
        if wanted:
            directory.keep(self.session.scalars(select(Organisation).where(Organisation.id.in_(sorted(wanted)))))

    def _key_of(self, ref: Any) -> Any:
        """`_ref_key(ref)`, worked out once for the references of the batch `load_organisations`
        read (held with them: an id is only taken as the same object's while it is held)."""
        held = self._batch_keys.get(id(ref))
        return held[1] if held is not None and held[0] is ref else _ref_key(ref)

    def _new_id(self) -> int:
        """An id for a new organisation: the sequence's next on PostgreSQL, else the next after
        both the stored ones and those taken here (the import holds SQLite's write lock)."""
        taken = take_ids(self.session, Organisation.__table__, 1)[0]  # type: ignore[arg-type]
        return taken if self.session.get_bind().dialect.name == "postgresql" else max(taken, self._last_id + 1)

    def _directory(self) -> OrganisationDirectory:
        """Every stored organisation's search fields, read on first use (`org_identity.OrganisationDirectory`)."""
        if self._known is None:
            self._known = OrganisationDirectory(self.session)
        return self._known

    def tag(self, label: str) -> Tag:
        """The live tag a label normalises to (created on first use)."""
        if not self.remember:
            return tag_for_label(self.session, label)
        tag = self._tags.get(label)
        if tag is None:
            tag = self._tags[label] = tag_for_label(self.session, label)
        return tag

    def create_tags(self, labels: Iterable[str]) -> None:
        """Create at once the tags of the labels (checked ones) not remembered yet, as `tag`
        would one by one (`tags.create_missing_tags`), and remember them (read in one statement)."""
        if self.remember:
            new = list(dict.fromkeys(label for label in labels if label not in self._tags))
            create_missing_tags(self.session, new)
            self._tags.update(tags_for_labels(self.session, new))

    def goals(self, codes: Iterable[str]) -> list[Goal]:
        """Goals for codes, as `visions.resolve_goals` (unknown codes raise ValidationError)."""
        wanted = list(dict.fromkeys(codes))
        if not self.remember:
            return resolve_goals(self.session, wanted)
        missing = [c for c in wanted if c not in self._goals]
        if missing:
            self._goals.update(zip(missing, resolve_goals(self.session, missing)))
        return [self._goals[c] for c in wanted]


_PLAIN = (str, type(None))


def _ref_key(ref: Any) -> Any:
    """A reference as a dictionary key: two references have one key only when they are equal
    as JSON (so 1, 1.0 and True differ). A description of text fields and lists of text (what
    importers give) is keyed by its items, anything else by its JSON."""
    if isinstance(ref, dict):
        items = []
        for name, value in ref.items():
            if value.__class__ is list and all(v.__class__ is str for v in value):
                value = ("[]", *value)
            elif value.__class__ not in _PLAIN or name.__class__ is not str:
                return json.dumps(ref, sort_keys=True, default=str)
            items.append((name, value))
        items.sort()
        return tuple(items)
    return json.dumps(ref, sort_keys=True, default=str)

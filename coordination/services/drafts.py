"""New initiatives as plain objects, for writes of many at once (imports).

`new_initiative` builds an ORM row and its children; an import of a million records cannot
afford the ORM's bookkeeping per attribute. `build_draft` makes the same initiative from the
same input with the same checks and the same lookups (`Lookups`: organisations, tags, goals),
as plain objects with the ORM row's attribute names, so that everything reading an
initiative (`serialise.snapshot` for the history, `stored_records.record_from_initiative` for
the overlap engine, `identifiers.assign_platform_identifiers`) reads a draft unchanged.
`bulk_write.write_drafts` then stores drafts with set-based inserts. Suggested goals are
added to a whole batch at once (`suggest_goals_for`). Tests compare the two paths' results.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import vocab
from ..errors import ValidationError
from ..models import Goal, Organisation, Tag, Vision, utcnow
from ..permissions import Actor, require_authenticated, require_org_writer
from ..validation import validate_initiative
from .initiatives import _duplicate, _owner
from .lookups import Lookups
from .places import normalise_locations
from .suggestions import suggested_goal_scores

LOCATION_DEFAULTS = {"name": None, "country": None, "admin1": None, "admin2": None, "admin1_code": None,
                     "admin2_code": None, "lat": None, "lon": None, "precision": "point"}


@dataclass(slots=True)
class GoalLink:
    goal: Goal
    goal_id: int
    primary: bool = False
    source: str = "own"
    score: float | None = None


@dataclass(slots=True)
class TagLink:
    tag: Tag
    tag_id: int
    label: str


@dataclass(slots=True)
class PartnerLink:
    organisation: Organisation
    organisation_id: int
    role: str


class LocationDraft:
    """A location's columns as attributes (what `visibility.location_dict` reads)."""

    __slots__ = tuple(LOCATION_DEFAULTS)

    def __init__(self, values: dict[str, Any]) -> None:
        for key, default in LOCATION_DEFAULTS.items():
            setattr(self, key, values.get(key, default))

    def row(self, initiative_id: int) -> dict[str, Any]:
        return {"initiative_id": initiative_id, **{key: getattr(self, key) for key in LOCATION_DEFAULTS}}


@dataclass(slots=True)
class Draft:
    """An initiative not stored yet, with the ORM row's defaults."""

    organisation: Organisation
    organisation_id: int
    confirmed_at: datetime
    id: int | None = None
    title: str = ""
    description: str = ""
    start_date: date | None = None
    end_date: date | None = None
    status: int | None = None
    budget: Decimal | None = None
    currency: str | None = None
    people_targeted: int | None = None
    visibility: str = "public"
    public_precision: str = "exact"
    language: str | None = None
    iati_identifier: str | None = None
    platform_identifier: str | None = None
    related_identifiers: list = field(default_factory=list)
    title_generated: bool = False
    provenance: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    withdrawn_at: datetime | None = None
    version: int = 1
    goal_links: list[GoalLink] = field(default_factory=list)
    tag_links: list[TagLink] = field(default_factory=list)
    locations: list[LocationDraft] = field(default_factory=list)
    partners: list[PartnerLink] = field(default_factory=list)

    COLUMNS = ("title", "description", "organisation_id", "start_date", "end_date", "status", "budget",
               "currency", "people_targeted", "visibility", "public_precision", "language", "iati_identifier",
               "related_identifiers", "title_generated", "provenance", "confirmed_at", "created_at",
               "updated_at", "version")

    def row(self) -> dict[str, Any]:
        """The initiative table's columns (without id and platform identifier)."""
        return {key: getattr(self, key) for key in self.COLUMNS}


# Input keys and the attributes they set, as `initiatives.apply_input` copies them.
SIMPLE = {"title": "title", "description": "description", "start": "start_date", "end": "end_date",
          "budget": "budget", "currency": "currency", "people_targeted": "people_targeted",
          "visibility": "visibility", "public_precision": "public_precision",
          "iati_identifier": "iati_identifier", "language": "language", "provenance": "provenance",
          "related_identifiers": "related_identifiers", "title_generated": "title_generated"}


class PlaceCache:
    """`places.normalise_locations` per distinct location, remembered for one import: the same
    places (a country, a district, a town) come back in record after record."""

    LIMIT = 50_000  # distinct locations remembered; then it starts again

    def __init__(self) -> None:
        self._seen: dict[tuple, dict[str, Any]] = {}

    def normalise(self, locations: list[dict[str, Any]], strict: bool) -> list[dict[str, Any]]:
        out = []
        for loc in locations:
            try:
                key = (strict, *sorted(loc.items()))
                known = self._seen.get(key)
            except TypeError:  # a value that cannot be a key: nothing to remember
                return normalise_locations(locations, strict)
            if known is None:
                try:
                    known = normalise_locations([loc], strict)[0]
                except ValidationError:
                    return normalise_locations(locations, strict)  # the refusal names the location
                if len(self._seen) >= self.LIMIT:
                    self._seen.clear()
                self._seen[key] = known
            out.append(dict(known))
        return out


def build_draft(session: Session, actor: Actor, data: Any, lookups: Lookups,
                places: PlaceCache | None = None, checked: dict[str, Any] | None = None) -> Draft:
    """A new initiative from input, checked as `initiatives.new_initiative` checks it (without
    its suggested goals: `suggest_goals_for` adds those to a batch).

    `checked`: what `validate_initiative(data)` gives with its places normalised as here
    (`import_checks.Preparer`, in an import's parser process), so neither is done again.
    """
    require_authenticated(actor)
    clean = validate_initiative(data) if checked is None else dict(checked)
    owner = _owner(session, actor, clean.pop("organisation", None), lookups)
    require_org_writer(actor, owner.id)
    if clean.get("iati_identifier") and lookups.has_identifier(owner.id, clean["iati_identifier"]):
        raise _duplicate(clean["iati_identifier"])
    draft = Draft(organisation=owner, organisation_id=owner.id, confirmed_at=utcnow())
    for key, attr in SIMPLE.items():
        if key in clean:
            value = clean[key]
            setattr(draft, attr, value if value is not None or key not in ("description", "provenance") else "")
    if "title" in clean and "title_generated" not in clean:
        draft.title_generated = False
    if "status" in clean:
        draft.status = vocab.STATUS_CODES.get(clean["status"]) if clean["status"] else None
    if draft.start_date and draft.end_date and draft.end_date < draft.start_date:
        raise ValidationError("End before start.", {"end": [
            f"must not be before start ({draft.start_date.isoformat()})"]})
    if "goals" in clean or "primary_goal" in clean:
        codes = clean.get("goals") or []
        primary = clean.get("primary_goal") or (codes[0] if codes else None)
        if primary and primary not in codes:
            codes = [primary, *codes]
        draft.goal_links = [GoalLink(goal=g, goal_id=g.id, primary=(code == primary))
                            for code, g in zip(codes, lookups.goals(codes))]
    if "tags" in clean:
        links: dict[int, TagLink] = {}
        for label in clean["tags"]:
            tag = lookups.tag(label)
            if tag.id not in links:
                links[tag.id] = TagLink(tag=tag, tag_id=tag.id, label=label)
        draft.tag_links = list(links.values())
    if "locations" in clean and checked is not None:
        draft.locations = [LocationDraft(loc) for loc in clean["locations"]]
    elif "locations" in clean:
        strict = actor.role != "system"
        normalised = (places.normalise(clean["locations"], strict) if places is not None
                      else normalise_locations(clean["locations"], strict))
        draft.locations = [LocationDraft(loc) for loc in normalised]
    if "partners" in clean:
        draft.partners = _partners(lookups, clean["partners"])
    return draft


def _partners(lookups: Lookups, items: list[dict]) -> list[PartnerLink]:
    """As `initiatives._partners`: named in full, found again or created unverified."""
    errors: dict[str, list[str]] = {}
    partners: list[PartnerLink] = []
    for i, item in enumerate(items):
        ref = item["organisation"]
        org = lookups.organisation(ref, may_create=True)
        if org is None:
            errors[f"partners.{i}.organisation"] = [f"no organisation {ref!r}"]
            continue
        if not any(p.organisation_id == org.id and p.role == item["role"] for p in partners):
            partners.append(PartnerLink(organisation=org, organisation_id=org.id, role=item["role"]))
    if errors:
        raise ValidationError("Unknown partner organisation.", errors)
    return partners


class SdgGoals:
    """The SDG goals and targets by code, read once per import (suggested goals link to them)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._by_code: dict[str, Goal] | None = None

    def get(self, code: str) -> Goal | None:
        if self._by_code is None:
            self._by_code = {g.code: g for g in self.session.scalars(
                select(Goal).join(Vision).where(Vision.slug == "sdg"))}
        return self._by_code.get(code)


def suggest_goals_for(drafts: list[Draft], sdg: SdgGoals) -> None:
    """Suggested goals for the drafts without goals, as `suggestions.apply_suggested_goals` gives them."""
    bare = [d for d in drafts if not d.goal_links]
    scored = suggested_goal_scores([(d.title, d.description or "", [link.label for link in d.tag_links],
                                     [link.tag.key for link in d.tag_links if link.tag is not None]) for d in bare])
    for draft, scores in zip(bare, scored, strict=True):
        goals = {code: sdg.get(code) for code in scores}
        draft.goal_links = [GoalLink(goal=goals[code], goal_id=goals[code].id, source="suggested", score=score)
                            for code, score in scores.items() if goals[code] is not None]

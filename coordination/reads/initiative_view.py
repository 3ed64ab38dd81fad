"""The initiative read model: what an initiative is for one reader, each field's rule written once.

`InitiativeView` takes an initiative, the reader and where its related rows come from, and
answers every field that needs a rule: the organisation and partners, the own goals (and
which is primary) apart from the suggested ones, the tags, the places coarsened for readers
who may not see them exactly, the status (worked out from the dates when none was given),
the budget as a number, whether it is withdrawn, its freshness. Its values are domain
objects (goal, organisation and tag rows, dates); `as_dict` is the same view as plain data
(goals by reference, organisations as slug and name, dates in ISO), which is what REST
answers, the history keeps and the exports start from (`serialise.initiative_to_dict`).
`INITIATIVE_FIELDS` is that plain shape's field list, the one the OpenAPI document describes.

The related rows come from `ORM_ROWS` (the initiative's own relationships, loaded by the
ORM) or from any object with the same two methods, such as the GraphQL request's batch
loaders, which load a whole page's rows at once; a field reads only the rows it needs.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from ..freshness import Freshness, freshness_of
from ..models import Goal, Initiative, InitiativeGoal, Location, Organisation, Partner, Tag
from ..permissions import SYSTEM, Actor
from ..status import status_of
from ..visibility import coarsen, location_dict, sees_exact
from .computed_once import computed_once


class RelatedRows(Protocol):
    """Where an initiative's related rows come from (`ORM_ROWS`, or the GraphQL loaders)."""

    def related(self, initiative: Initiative, name: str) -> list:
        """`initiative.<name>`: partners, goal_links, tag_links or locations."""

    def organisation(self, initiative: Initiative) -> Organisation:
        """`initiative.organisation`."""


class OrmRows:
    """The related rows as the ORM loads them from the initiative's relationships."""

    @staticmethod
    def related(initiative: Initiative, name: str) -> list:
        return getattr(initiative, name)

    @staticmethod
    def organisation(initiative: Initiative) -> Organisation:
        return initiative.organisation


ORM_ROWS = OrmRows()


@dataclass(frozen=True, slots=True)
class SuggestedGoal:
    """A goal the platform suggested from the text, with its score (not one of the initiative's goals)."""

    goal: Goal
    score: float | None


def location_to_dict(loc: Location, exact: bool, public_precision: str = "exact") -> dict[str, Any]:
    """A location, coarsened to the public precision when `exact` is False (see `visibility.coarsen`)."""
    place = location_dict(loc)
    return place if exact else coarsen(place, public_precision)


def organisation_ref(organisation: Organisation) -> dict[str, str]:
    """An organisation as an initiative names it in plain data."""
    return {"slug": organisation.slug, "name": organisation.name}


def iso_text(value: date | datetime | None) -> str | None:
    """A date or a moment as plain data writes it (ISO 8601), None when unknown."""
    return value.isoformat() if value else None


class InitiativeView:
    """One initiative as `actor` reads it; each value is worked out when first asked."""

    def __init__(self, initiative: Initiative, actor: Actor = SYSTEM, rows: RelatedRows = ORM_ROWS):
        self.initiative = initiative
        self.actor = actor
        self.rows = rows

    @computed_once
    def organisation(self) -> Organisation:
        return self.rows.organisation(self.initiative)

    @computed_once
    def partners(self) -> list[Partner]:
        """Other organisations' roles (each row has `organisation` and `role`)."""
        return list(self.rows.related(self.initiative, "partners"))

    @computed_once
    def _goal_links(self) -> list[InitiativeGoal]:
        return list(self.rows.related(self.initiative, "goal_links"))

    @computed_once
    def own_goal_links(self) -> list[InitiativeGoal]:
        """The goals the organisation chose (the others are suggestions it has not accepted)."""
        return [link for link in self._goal_links if link.source == "own"]

    @property
    def goals(self) -> list[Goal]:
        return [link.goal for link in self.own_goal_links]

    @property
    def primary_goal(self) -> Goal | None:
        """The own goal marked primary, if any (a suggestion is never primary)."""
        return next((link.goal for link in self.own_goal_links if link.primary), None)

    @property
    def suggested_goals(self) -> list[SuggestedGoal]:
        return [SuggestedGoal(link.goal, link.score) for link in self._goal_links if link.source == "suggested"]

    @property
    def tags(self) -> list[Tag]:
        return [link.tag for link in self.rows.related(self.initiative, "tag_links")]

    @property
    def exact(self) -> bool:
        """Whether the reader may see the exact places (`visibility.sees_exact`)."""
        return sees_exact(self.actor, self.initiative)

    @computed_once
    def locations(self) -> list[dict[str, Any]]:
        """The places, coarsened to the public precision for a reader who may not see them exactly."""
        exact, precision = self.exact, self.initiative.public_precision
        return [location_to_dict(loc, exact, precision) for loc in self.rows.related(self.initiative, "locations")]

    @property
    def start(self) -> date | None:
        return self.initiative.start_date

    @property
    def end(self) -> date | None:
        return self.initiative.end_date

    @computed_once
    def _status(self) -> tuple[str | None, bool]:
        return status_of(self.initiative)

    @property
    def status(self) -> str | None:
        """The status given, else the one the dates imply today (`status.status_of`)."""
        return self._status[0]

    @property
    def status_from_dates(self) -> bool:
        """True when no status was given and `status` is worked out from the dates today."""
        return self._status[1]

    @property
    def budget(self) -> float | None:
        budget = self.initiative.budget
        return float(budget) if budget is not None else None

    @property
    def withdrawn(self) -> bool:
        return self.initiative.withdrawn_at is not None

    @property
    def freshness(self) -> Freshness:
        """When the organisation last stood by it, and the traffic light that makes (fresh/ageing/stale)."""
        return freshness_of(self.initiative)

    def as_dict(self, leave_out: frozenset[str] = frozenset()) -> dict[str, Any]:
        """The view as plain data, with `INITIATIVE_FIELDS` in order (but those in `leave_out`)."""
        return {name: write(self) for name, write in _PLAIN.items() if name not in leave_out}


def _attr(name: str) -> Callable[[InitiativeView], Any]:
    """A column written as stored."""
    return lambda view: getattr(view.initiative, name)


# Each field of the plain shape and how it is written from the view.
_PLAIN: dict[str, Callable[[InitiativeView], Any]] = {
    "id": _attr("id"),
    "title": _attr("title"),
    "description": _attr("description"),
    "organisation": lambda v: organisation_ref(v.organisation),
    "partners": lambda v: [{"organisation": organisation_ref(p.organisation), "role": p.role} for p in v.partners],
    "goals": lambda v: [goal.ref for goal in v.goals],
    "primary_goal": lambda v: v.primary_goal.ref if v.primary_goal else None,
    "suggested_goals": lambda v: [{"code": s.goal.ref, "score": s.score} for s in v.suggested_goals],
    "tags": lambda v: [tag.label for tag in v.tags],
    "locations": lambda v: v.locations,
    "start": lambda v: iso_text(v.start),
    "end": lambda v: iso_text(v.end),
    "status": lambda v: v.status,
    "status_from_dates": lambda v: v.status_from_dates,
    "budget": lambda v: v.budget,
    "currency": _attr("currency"),
    "people_targeted": _attr("people_targeted"),
    "visibility": _attr("visibility"),
    "public_precision": _attr("public_precision"),
    "iati_identifier": _attr("iati_identifier"),
    "provenance": _attr("provenance"),
    "created_at": lambda v: iso_text(v.initiative.created_at),
    "updated_at": lambda v: iso_text(v.initiative.updated_at),
    "withdrawn": lambda v: v.withdrawn,
    "freshness": lambda v: v.freshness.as_dict(),
    "version": _attr("version"),
}

INITIATIVE_FIELDS: tuple[str, ...] = tuple(_PLAIN)

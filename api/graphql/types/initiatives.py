"""The GraphQL Initiative type: each field resolved by the read model (`coordination.reads.initiative_view`).

An initiative's nested fields (organisation, partners, goals, tags, places, overlaps) are
read through the request's loaders (`info.context.loaders`, api/graphql/loaders.py), which
load them for every initiative of the page at once: a page costs a fixed number of SQL
statements whatever its size. The view reads its related rows from those loaders, so REST
and GraphQL apply the same rule to each field (own goals, places coarsened for the reader, ...).
"""

from __future__ import annotations

import graphene

from coordination.models import Initiative as InitiativeModel
from coordination.reads.initiative_view import InitiativeView

from ..places import location_type
from .reference import Goal, Organisation, Tag, TagRow

# Initiative.overlaps and Overlap.initiatives refer to each other: the Overlap type is named by its path.
OVERLAP_TYPE = "api.graphql.types.overlaps.OverlapType"


class Partner(graphene.ObjectType):
    """Another organisation's role in an initiative."""

    organisation = graphene.Field(Organisation, required=True)
    role = graphene.String(
        required=True, description="funding | accountable | extending | implementing"
    )


class SuggestedGoal(graphene.ObjectType):
    """A goal the platform suggested from the text, with its score (resolved from `initiative_view.SuggestedGoal`)."""

    goal = graphene.Field(Goal, required=True)
    score = graphene.Float()


Location = location_type("Location", graphene.ObjectType,
                         "A place, coarsened to the public precision for readers who may not see it exactly.",
                         required=("precision",))


class Freshness(graphene.ObjectType):
    """When the organisation last said the initiative is accurate, and the traffic light that makes."""

    level = graphene.String(required=True, description="fresh | ageing (from half the stale age) | stale")
    confirmed_at = graphene.DateTime(description="Registered, edited or confirmed (confirmInitiative) last")
    age_days = graphene.Int(required=True)
    stale_after_days = graphene.Int(required=True, description="STALE_AFTER_DAYS (default 180)")


def view_of(initiative: InitiativeModel, info) -> InitiativeView:
    """The read model of `initiative` for the request's reader, its rows from the request's loaders."""
    return InitiativeView(initiative, info.context.actor, info.context.loaders)


def _from_view(field: str) -> staticmethod:
    """A resolver answering the read model's value of `field`."""
    return staticmethod(lambda initiative, info: getattr(view_of(initiative, info), field))


class Initiative(graphene.ObjectType):
    """One organisation's effort: what, where, when, towards which goals."""

    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    organisation = graphene.Field(Organisation, required=True)
    partners = graphene.List(graphene.NonNull(Partner), required=True)
    goals = graphene.List(
        graphene.NonNull(Goal), required=True, description="The initiative's own goals"
    )
    primary_goal = graphene.Field(Goal)
    suggested_goals = graphene.List(graphene.NonNull(SuggestedGoal), required=True)
    tags = graphene.List(graphene.NonNull(Tag), required=True)
    locations = graphene.List(graphene.NonNull(Location), required=True)
    start = graphene.Date()
    end = graphene.Date()
    status = graphene.String(description="pipeline | implementation | finalisation | closed | ...: the one "
                                         "given, else the one the dates imply today (see statusFromDates)")
    status_from_dates = graphene.Boolean(required=True, description="True when no status was given and "
                                                                    "`status` is worked out from the dates today")
    budget = graphene.Float()
    currency = graphene.String()
    people_targeted = graphene.Int()
    visibility = graphene.String(required=True)
    public_precision = graphene.String(required=True)
    iati_identifier = graphene.String()
    version = graphene.Int(required=True, description="Send it back to updateInitiative")
    withdrawn = graphene.Boolean(required=True)
    freshness = graphene.Field(Freshness, required=True)
    created_at = graphene.DateTime()
    updated_at = graphene.DateTime()
    overlaps = graphene.List(
        graphene.NonNull(OVERLAP_TYPE),
        required=True,
        min_score=graphene.Float(default_value=0.0),
        status=graphene.String(description="default: all but dismissed"),
        kind=graphene.String(description="overlap | duplicate (default: both)"),
        description="Other organisations' overlapping efforts and reports of the same effort, best first.",
    )

    resolve_organisation = _from_view("organisation")
    resolve_partners = _from_view("partners")
    resolve_goals = _from_view("goals")
    resolve_primary_goal = _from_view("primary_goal")
    resolve_suggested_goals = _from_view("suggested_goals")
    resolve_locations = _from_view("locations")
    resolve_start = _from_view("start")
    resolve_end = _from_view("end")
    resolve_status = _from_view("status")
    resolve_status_from_dates = _from_view("status_from_dates")
    resolve_budget = _from_view("budget")
    resolve_withdrawn = _from_view("withdrawn")
    resolve_freshness = _from_view("freshness")

    @staticmethod
    def resolve_tags(initiative, info):
        return [TagRow(tag) for tag in view_of(initiative, info).tags]

    @staticmethod
    def resolve_overlaps(initiative, info, min_score=0.0, status=None, kind=None):
        # The same read as insights.overlaps_of, for every initiative of the page at once.
        return info.context.loaders.overlaps(initiative, min_score, status, kind)


def change_of_one_initiative(description: str) -> graphene.Field:
    """A mutation field acting on one initiative by id, guarded by the version the client saw."""
    return graphene.Field(Initiative, required=True, id=graphene.ID(required=True),
                          version=graphene.Int(description="The version you saw; a stale one is a conflict"),
                          description=description)

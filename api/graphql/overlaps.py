"""GraphQL for the convergence engine: overlaps, decisions, groups, fragmentation, gaps, network.

Query and Mutation mixins that api/graphql/schema.py composes; the same read functions
(`coordination.insights`) and the same decision service as the REST door. The Overlap type
and Initiative.overlaps live in types/overlaps.py and types/initiatives.py with the other object types.
"""
from __future__ import annotations

import dataclasses
from datetime import date

import graphene

from coordination import insights
from coordination.convergence.fragmentation import FragmentationCell as EngineCell
from coordination.inbox import inbox as inbox_of
from coordination.errors import ValidationError
from coordination.models import Overlap as OverlapModel
from coordination.queries import InitiativeFilter as DomainFilter
from coordination.queries import checked_year
from coordination.queries import encode_cursor
from coordination.services.overlaps import decide_overlap

from .. import analytics
from ..unit_of_work import unit_of_work
from .inputs import InitiativeFilter, domain_filter
from .queries import initiative_id
from .types import OverlapComponents, OverlapType, PageInfo, edge_and_connection

__all__ = ["ConvergenceMutations", "ConvergenceQueries", "OverlapComponents", "OverlapType"]


OverlapEdge, OverlapConnection = edge_and_connection(
    "Overlap", OverlapType, "A page of overlaps; pass pageInfo.endCursor as `after` for the next.")


class OrganisationRef(graphene.ObjectType):
    slug = graphene.String()
    name = graphene.String()
    type = graphene.String()


class AllySuggestion(graphene.ObjectType):
    """An institutional actor a grassroots group could ask to join, and why."""

    organisation = graphene.Field(OrganisationRef)
    reason = graphene.String()
    initiative_ids = graphene.List(graphene.ID)


class ConvergenceGroup(graphene.ObjectType):
    """Initiatives of two or more organisations linked by overlaps."""

    initiative_ids = graphene.List(graphene.ID, required=True)
    organisations = graphene.List(OrganisationRef, required=True)
    shared_goals = graphene.List(graphene.String, required=True)
    countries = graphene.List(graphene.String, required=True)
    admin1 = graphene.List(graphene.String, required=True, description='First-level areas by name ("Kisumu").')
    admin1_codes = graphene.List(graphene.String, required=True,
                                 description='Their p-codes, where known ("KE042").')
    start = graphene.String()
    end = graphene.String()
    has_institutional_actor = graphene.Boolean(required=True)
    grassroots_only = graphene.Boolean(required=True)
    suggested_allies = graphene.List(AllySuggestion, required=True)
    split_from_initiatives = graphene.Int(description="Set when this group is a part of a component too large "
                                          "to convene: that component's number of initiatives.")
    split_from_organisations = graphene.Int(description="The split component's number of organisations.")
    split_by = graphene.List(graphene.NonNull(graphene.String), required=True,
                             description="How it was split, in order: area, work, overlaps, size (empty: not split).")


# The engine's read model of a cell (convergence.fragmentation.FragmentationCell), field for field
# and in its order, without `period` (a GraphQL query names its year).
_SCALARS = {"str": graphene.String, "int": graphene.Int, "float": graphene.Float}
FragmentationCell = type("FragmentationCell", (graphene.ObjectType,), {
    "__doc__": "Concentration of the work on a goal in an area: Herfindahl index and effective actors.",
    **{f.name: _SCALARS[f.type]() for f in dataclasses.fields(EngineCell) if f.name != "period"}})


class Gap(graphene.ObjectType):
    """A goal nobody works on in an area where related work exists."""

    goal = graphene.String()
    area = graphene.String()
    related_present = graphene.List(graphene.String)


class Fragmentation(graphene.ObjectType):
    cells = graphene.List(graphene.NonNull(FragmentationCell), required=True)
    gaps = graphene.List(graphene.NonNull(Gap), required=True)


class NetworkNode(graphene.ObjectType):
    organisation = graphene.Field(OrganisationRef)
    degree = graphene.Int()
    betweenness = graphene.Float(description="Share of shortest paths through it, in [0, 1]: brokers score high")


class NetworkEdge(graphene.ObjectType):
    a = graphene.ID()
    b = graphene.ID()
    weight = graphene.Float()
    kinds = graphene.List(graphene.String)


class OrganisationNetwork(graphene.ObjectType):
    nodes = graphene.List(graphene.NonNull(NetworkNode), required=True)
    edges = graphene.List(graphene.NonNull(NetworkEdge), required=True)
    components = graphene.List(graphene.List(graphene.ID), required=True)
    isolated = graphene.List(graphene.ID, required=True)


def _period(year: int | None):
    year = checked_year(year, "period")
    return (date(year, 1, 1), date(year, 12, 31)) if year else None


def _group_obj(g: dict) -> ConvergenceGroup:
    allies = [AllySuggestion(organisation=OrganisationRef(**a["organisation"]) if a["organisation"] else None,
                             reason=a["reason"], initiative_ids=a["initiative_ids"]) for a in g["suggested_allies"]]
    return ConvergenceGroup(
        initiative_ids=list(g["initiative_ids"]), organisations=[OrganisationRef(**o) for o in g["organisations"] if o],
        shared_goals=list(g["shared_goals"]), countries=list(g["countries"]), admin1=list(g["admin1"]),
        admin1_codes=list(g.get("admin1_codes") or ()),
        start=g["start"], end=g["end"], has_institutional_actor=g["has_institutional_actor"],
        grassroots_only=g["grassroots_only"], suggested_allies=allies,
        split_from_initiatives=(g.get("split_from") or (None, None))[0],
        split_from_organisations=(g.get("split_from") or (None, None))[1], split_by=list(g.get("split_by") or ()))


class ConvergenceQueries(graphene.ObjectType):
    """overlaps, convergenceGroups, fragmentation, gaps, organisationNetwork, allySuggestions."""

    overlaps = graphene.Field(OverlapConnection, required=True, filter=InitiativeFilter(),
                              status=graphene.String(), min_score=graphene.Float(default_value=0.0),
                              first=graphene.Int(default_value=50), after=graphene.String(),
                              kind=graphene.String(description="overlap | duplicate (default: both)"))
    convergence_groups = graphene.List(graphene.NonNull(ConvergenceGroup), required=True, filter=InitiativeFilter())
    fragmentation = graphene.Field(Fragmentation, required=True, goal=graphene.String(),
                                   area=graphene.String(description="Country code to look inside"),
                                   area_level=graphene.String(default_value="country", description="country | admin1"),
                                   period=graphene.Int(description="A year"))
    gaps = graphene.List(graphene.NonNull(Gap), required=True, area=graphene.String(),
                         area_level=graphene.String(default_value="country"), period=graphene.Int())
    organisation_network = graphene.Field(OrganisationNetwork, required=True, filter=InitiativeFilter())
    ally_suggestions = graphene.List(graphene.NonNull(AllySuggestion), required=True,
                                     group=graphene.List(graphene.NonNull(graphene.ID), required=True,
                                                         description="Initiative ids of the group"))
    inbox = graphene.List(graphene.NonNull(OverlapType), required=True, unread=graphene.Boolean(default_value=False),
                          description="The overlaps in your organisation's inbox, newest first.")

    @staticmethod
    def resolve_overlaps(_root, info, filter=None, status=None, min_score=0.0, first=50, after=None, kind=None):
        ctx = info.context
        first = 50 if first is None else first  # an explicit null means the default
        rows, cursor = insights.list_overlaps(ctx.session, ctx.actor, domain_filter(filter), status,
                                              min_score or 0.0, first, after, kind)
        ctx.loaders.register_overlap_sides(rows)
        return OverlapConnection(
            edges=[OverlapEdge(cursor=encode_cursor(r.id), node=r) for r in rows],
            page_info=PageInfo(has_next_page=cursor is not None, end_cursor=cursor,
                               has_previous_page=insights.overlaps_before(
                                   ctx.session, ctx.actor, domain_filter(filter), status, min_score or 0.0, after,
                                   kind),
                               start_cursor=encode_cursor(rows[0].id) if rows else None))

    @staticmethod
    def resolve_convergence_groups(_root, info, filter=None):
        ctx = info.context
        return [_group_obj(g) for g in analytics.groups_for(ctx.actor, domain_filter(filter), ctx.session)]

    @staticmethod
    def resolve_fragmentation(_root, info, goal=None, area=None, area_level="country", period=None):
        ctx = info.context
        data = analytics.fragmentation_for(ctx.actor, DomainFilter(goal=goal, country=area), area_level,
                                           _period(period), ctx.session)
        keep = FragmentationCell._meta.fields  # the read model's fields but `period`
        return Fragmentation(cells=[FragmentationCell(**{k: c[k] for k in keep}) for c in data["cells"]],
                             gaps=[Gap(**g) for g in data["gaps"]])

    @staticmethod
    def resolve_gaps(_root, info, area=None, area_level="country", period=None):
        ctx = info.context
        data = analytics.fragmentation_for(ctx.actor, DomainFilter(country=area), area_level, _period(period),
                                           ctx.session)
        return [Gap(**g) for g in data["gaps"]]

    @staticmethod
    def resolve_organisation_network(_root, info, filter=None):
        ctx = info.context
        net = analytics.network_for(ctx.actor, domain_filter(filter), ctx.session)
        return OrganisationNetwork(
            nodes=[NetworkNode(organisation=OrganisationRef(**n["organisation"]) if n["organisation"] else None,
                               degree=n["degree"], betweenness=n["betweenness"]) for n in net["nodes"]],
            edges=[NetworkEdge(**e) for e in net["edges"]], components=net["components"], isolated=net["isolated"])

    @staticmethod
    def resolve_ally_suggestions(_root, info, group):
        ctx = info.context
        ids = {initiative_id(i) for i in group}
        groups = analytics.groups_for(ctx.actor, DomainFilter(), ctx.session)
        match = next((g for g in groups if ids <= set(g["initiative_ids"])), None)
        if match is None:
            raise ValidationError("No convergence group holds these initiatives.", {"group": ["not a group"]})
        return _group_obj(match).suggested_allies

    @staticmethod
    def resolve_inbox(_root, info, unread=False):
        ctx = info.context
        items = inbox_of(ctx.session, ctx.actor, unread_only=unread)["items"]
        ids = [item["overlap"]["id"] for item in items]
        rows = {r.id: r for r in ctx.session.query(OverlapModel).filter(OverlapModel.id.in_(ids))}
        found = [rows[i] for i in ids if i in rows]
        ctx.loaders.register_overlap_sides(found)
        return found


class ConvergenceMutations(graphene.ObjectType):
    decide_overlap = graphene.Field(OverlapType, required=True, id=graphene.ID(required=True),
                                    status=graphene.String(required=True),
                                    description="confirmed | dismissed | coordinating | suggested")

    @staticmethod
    def resolve_decide_overlap(_root, info, id, status):
        ctx = info.context
        with unit_of_work() as uow:
            row = decide_overlap(uow.session, ctx.actor, initiative_id(id), status)
            uow.commit()
        return row
